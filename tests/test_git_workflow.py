"""A town's repository: `build --verifier` says which committed documents are stale, the pre-commit hooks run
commands that exist."""

from __future__ import annotations

import shlex

import yaml
from conftest import REPO, edit, run


def test_build_check_names_absent_and_stale_documents_and_writes_nothing(sample_copy, tmp_path):
    out = tmp_path / "dist"
    assert run("build", sample_copy, "--format", "docx,md", "--sortie", out).exit_code == 0
    fresh = run("build", sample_copy, "--format", "docx,md", "--sortie", out, "--verifier")
    assert fresh.exit_code == 0 and "2 documents à jour" in fresh.output
    edit(sample_copy / "strategie.yaml", "titre: ", "titre: Nouvelle ")
    (out / "strategie.docx").unlink()
    markdown = (out / "strategie.md").read_bytes()
    stale = run("build", sample_copy, "--format", "docx,md", "--sortie", out, "--check")
    assert stale.exit_code == 1
    assert f"{out / 'strategie.docx'} : absent" in stale.output and f"{out / 'strategie.md'} : périmé" in stale.output
    assert not (out / "strategie.docx").exists() and (out / "strategie.md").read_bytes() == markdown


def test_the_pre_commit_hooks_run_real_commands(sample_copy, monkeypatch):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert {hook["id"] for hook in hooks} == {"stspd-validate", "stspd-build-check"}
    monkeypatch.chdir(sample_copy)
    for hook in hooks:
        program, *arguments = shlex.split(hook["entry"])
        assert program == "stspd" and hook["pass_filenames"] is False
        result = run(*arguments)
        assert result.exit_code in (0, 1), result.output  # 1: dist/ not built yet, said as such
        assert "Erreur d'utilisation" not in result.output


def test_build_ends_with_the_changes_since_a_revision(sample_copy, tmp_path):
    import subprocess

    def git(*arguments: str) -> None:
        subprocess.run(["git", "-C", str(sample_copy), *arguments], check=True, capture_output=True, timeout=60)

    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=CLSPD", "-c", "user.email=clspd@example.org", "commit", "-qm", "Adoptée")
    git("tag", "v2024-adoptee")
    edit(sample_copy / "actions" / "1.1.2.yaml", "pilote: ville", "pilote: ccas")
    out = tmp_path / "dist"
    result = run("build", sample_copy, "--format", "md", "--sortie", out, "--modifications-depuis", "v2024-adoptee")
    assert result.exit_code == 0, result.output
    text = (out / "strategie.md").read_text(encoding="utf-8")
    annex = text[text.index("# Tableau des modifications") :]
    assert "| Fiche | Fiche 1.1.2 : pilote : Ville de Valmont-sur-Loire → CCAS |" in annex.replace("\u00a0", " ")
    unknown = run("build", sample_copy, "--format", "md", "--sortie", out, "--changes-since", "v9")
    assert unknown.exit_code == 2 and "v9" in unknown.output


def test_check_and_watch_together_are_refused_and_nothing_is_written(sample_copy, tmp_path):
    out = tmp_path / "dist"
    result = run("build", sample_copy, "--format", "md", "--sortie", out, "--check", "--watch")
    assert result.exit_code == 2
    assert "--verifier et --surveiller ne vont pas ensemble" in result.output
    assert not out.exists()


def test_the_rebuild_hint_repeats_every_option_that_shapes_the_documents(sample_copy, tmp_path):
    _commit_and_tag(sample_copy, "v2024-adoptee")
    models = tmp_path / "modeles communs"
    assert run("templates", "export", models).exit_code == 0
    out = tmp_path / "dist"
    options = ["--format", "md", "--sortie", out, "--modeles", models, "--modifications-depuis", "v2024-adoptee"]
    assert run("build", sample_copy, *options).exit_code == 0
    assert run("build", sample_copy, *options, "--verifier").exit_code == 0
    edit(sample_copy / "actions" / "1.1.2.yaml", "pilote: ville", "pilote: ccas")
    stale = run("build", sample_copy, *options, "--verifier")
    assert stale.exit_code == 1
    hint = stale.output.split("À refaire : ", 1)[1].strip()
    expected = f"stspd build {sample_copy} --format md --sortie {out} --modeles '{models}' --modifications-depuis v2024-adoptee"
    assert hint == expected
    # Following the hint makes the documents the check compares: fresh afterwards, the annex kept
    assert run(*shlex.split(hint)[1:]).exit_code == 0
    assert run("build", sample_copy, *options, "--verifier").exit_code == 0
    assert "Tableau des modifications" in (out / "strategie.md").read_text(encoding="utf-8")


def test_changes_since_outside_a_repository_says_the_option_needs_one(sample_copy, tmp_path):
    result = run("build", sample_copy, "--format", "md", "--sortie", tmp_path / "dist", "--modifications-depuis", "v1")
    assert result.exit_code == 2
    assert "n'est pas dans un dépôt git" in result.output and "tableau des modifications" in result.output
    assert "deux dossiers" not in result.output  # stspd diff's wording, which build has no use for
    assert not (tmp_path / "dist").exists()


def _commit_and_tag(folder, tag: str) -> None:
    """A git repository at `folder` (created if need be), everything committed, `tag` on that commit."""
    import subprocess

    def git(*arguments: str) -> None:
        subprocess.run(["git", "-C", str(folder), *arguments], check=True, capture_output=True, timeout=60)

    if not (folder / ".git").exists():
        git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=CLSPD", "-c", "user.email=clspd@example.org", "commit", "-qm", tag)
    git("tag", tag)
