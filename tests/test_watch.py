"""`stspd build --surveiller`: a change of a project's file seen, the documents made again, an error said without
ending the watch."""

from __future__ import annotations

from conftest import edit, run

from stspd.commands import watch


def test_a_changed_added_or_removed_file_is_seen_but_not_the_output_folder(sample_copy):
    steps = iter(
        [
            lambda: edit(sample_copy / "actions" / "1.1.1.yaml", "titre: ", "titre: Nouveaux "),
            lambda: (sample_copy / "dist").mkdir() or (sample_copy / "dist" / "strategie.docx").write_bytes(b"x"),
            lambda: (sample_copy / "actions" / "1.1.2.yaml").unlink(),
        ]
    )
    seen = watch.changes(sample_copy, sample_copy / "dist", sleep=lambda seconds: next(steps, lambda: None)())
    assert next(seen) == ["actions/1.1.1.yaml"]
    assert next(seen) == ["actions/1.1.2.yaml"]  # the output folder's new file was not a change


def test_the_watch_says_an_error_and_goes_on(sample_copy, tmp_path, monkeypatch):
    def two_changes(root, ignored=None, sleep=None):
        edit(sample_copy / "actions" / "1.1.1.yaml", "pilote: ", "pilote: inconnu-")
        yield ["actions/1.1.1.yaml"]
        edit(sample_copy / "actions" / "1.1.1.yaml", "pilote: inconnu-", "pilote: ")
        yield ["actions/1.1.1.yaml"]

    monkeypatch.setattr(watch, "changes", two_changes)
    out = tmp_path / "dist"
    result = run("build", sample_copy, "--format", "md", "--sortie", out, "--surveiller")
    assert result.exit_code == 0, result.output
    assert result.output.count(str(out / "strategie.md")) == 2  # built at the start and after the fix
    assert "inconnu-" in result.output and "rien n'a été écrit" in result.output  # the broken state, said


def _changes_then_ctrl_c(count: int):
    """watch.changes as it goes when the user presses Ctrl-C after `count` changes."""

    def changes(root, ignored=None, sleep=None):
        for _ in range(count):
            yield ["actions/1.1.1.yaml"]
        raise KeyboardInterrupt

    return changes


def test_ctrl_c_while_waiting_ends_the_watch_with_the_documents_last_written(sample_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(watch, "changes", _changes_then_ctrl_c(1))
    out = tmp_path / "dist"
    result = run("build", sample_copy, "--format", "md", "--sortie", out, "--surveiller")
    assert result.exit_code == 0, result.output
    assert f"Surveillance terminée ; derniers documents écrits : {out / 'strategie.md'}." in result.output
    assert "rien n'a été écrit" not in result.output and (out / "strategie.md").is_file()


def test_ctrl_c_after_a_failed_build_says_the_documents_miss_the_last_changes(sample_copy, tmp_path, monkeypatch):
    def break_then_ctrl_c(root, ignored=None, sleep=None):
        edit(sample_copy / "actions" / "1.1.1.yaml", "pilote: ", "pilote: inconnu-")
        yield ["actions/1.1.1.yaml"]
        raise KeyboardInterrupt

    monkeypatch.setattr(watch, "changes", break_then_ctrl_c)
    result = run("build", sample_copy, "--format", "md", "--sortie", tmp_path / "dist", "--surveiller")
    assert result.exit_code == 0, result.output
    assert "(sans les derniers changements, à corriger : voir plus haut)" in result.output


def test_ctrl_c_during_a_build_exits_130_and_keeps_the_documents_written_before(sample_copy, tmp_path, monkeypatch):
    from stspd.commands import build

    made = build.build_documents
    calls = iter([made])

    def first_then_ctrl_c(*arguments, **options):
        step = next(calls, None)
        if step is None:
            raise KeyboardInterrupt
        return step(*arguments, **options)

    monkeypatch.setattr(watch, "changes", _changes_then_ctrl_c(1))
    monkeypatch.setattr(build, "build_documents", first_then_ctrl_c)
    out = tmp_path / "dist"
    result = run("build", sample_copy, "--format", "md", "--sortie", out, "--surveiller")
    assert result.exit_code == 130
    assert (
        f"Interrompu pendant la construction, qui n'a rien écrit ; derniers documents écrits : {out / 'strategie.md'}."
        in result.output
    )
