"""A town's repository: `build --verifier` says which committed documents are stale, the pre-commit hooks run
commands that exist."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SAMPLE, edit, run


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


def _readme_hook_configurations() -> list[dict[str, list[str]]]:
    """Each `.pre-commit-config.yaml` the README shows: the args it gives each stspd hook."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    configurations = []
    for block in blocks:
        data = yaml.safe_load(textwrap.dedent(block))
        if isinstance(data, dict) and "repos" in data:
            hooks = [hook for repo in data["repos"] for hook in repo["hooks"]]
            configurations.append({hook["id"]: [str(a) for a in hook.get("args", [])] for hook in hooks})
    return configurations


def test_the_readme_shows_the_hooks_for_a_project_at_the_top_and_in_a_subfolder():
    configurations = _readme_hook_configurations()
    assert [config["stspd-validate"] for config in configurations] == [[], ["communes/valmont"]]


@pytest.mark.parametrize("configuration", _readme_hook_configurations(), ids=["racine", "sous-dossier"])
def test_the_pre_commit_hooks_run_as_pre_commit_runs_them(configuration, tmp_path):
    """From the repository's top, each hook's entry followed by the args the README gives it: 0 on the documents
    the town built, 1 once a fiche changed without them being built again."""
    hooks = {hook["id"]: hook for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks.keys() == configuration.keys()
    top = tmp_path / "depot"
    folder = configuration["stspd-validate"][0] if configuration["stspd-validate"] else "."
    project = Path(shutil.copytree(SAMPLE, top / folder, dirs_exist_ok=True))
    _commit_and_tag(top, "v2024-adoptee")
    # The town builds from its project's folder, as the README's workflow does (step 6)
    assert _stspd(project, "build", "--format", "docx,pdf", "--modifications-depuis", "v2024-adoptee").returncode == 0

    def hook(name: str) -> subprocess.CompletedProcess:
        assert hooks[name]["pass_filenames"] is False and hooks[name]["language"] == "python"
        program, *arguments = shlex.split(hooks[name]["entry"])
        assert program == "stspd"
        return _stspd(top, *arguments, *configuration[name])

    for name in hooks:
        fresh = hook(name)
        assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    edit(project / "actions" / "1.1.2.yaml", "pilote: ville", "pilote: ccas")
    assert hook("stspd-validate").returncode == 0
    stale = hook("stspd-build-check")
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "strategie.docx : périmé" in stale.stdout and "strategie.pdf : périmé" in stale.stdout
    hint = stale.stdout.split("À refaire : ", 1)[1].strip()
    assert _stspd(top, *shlex.split(hint)[1:]).returncode == 0  # the hint, followed from the top
    assert hook("stspd-build-check").returncode == 0


def _stspd(where: Path, *arguments: str) -> subprocess.CompletedProcess:
    """stspd as a process started in `where`, as pre-commit starts a hook."""
    return subprocess.run(
        [sys.executable, "-m", "stspd", *arguments], cwd=where, capture_output=True, text=True, timeout=300, check=False
    )


def test_build_ends_with_the_changes_since_a_revision(sample_copy, tmp_path):
    _commit_and_tag(sample_copy, "v2024-adoptee")
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


def _commit_and_tag(folder: Path, tag: str) -> None:
    """A git repository at `folder` (created if need be), everything committed, `tag` on that commit."""

    def git(*arguments: str) -> None:
        subprocess.run(["git", "-C", str(folder), *arguments], check=True, capture_output=True, timeout=60)

    if not (folder / ".git").exists():
        git("init", "-q")
    git("add", "-A")
    git("-c", "user.name=CLSPD", "-c", "user.email=clspd@example.org", "commit", "-qm", tag)
    git("tag", tag)
