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
