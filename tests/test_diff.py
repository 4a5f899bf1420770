"""`stspd diff`: what changed in the strategy, in its own words, between real commits of a temporary git
repository, between a commit and the working tree, between two folders; and git's own diff through --textconv."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE, edit, run


def git(folder: Path, *arguments: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *arguments], capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A town's repository: the sample in communes/valmont, committed and tagged v1."""
    top = tmp_path / "depot"
    shutil.copytree(SAMPLE, top / "communes" / "valmont")
    git(top, "init", "-q", "-b", "main")
    git(top, "config", "user.name", "Test")
    git(top, "config", "user.email", "test@example.org")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "stratégie adoptée")
    git(top, "tag", "v1")
    return top


def revise(project: Path) -> None:
    """The revision the tests look for: a pilot and a target changed, a fiche renumbered, one removed, one
    added, an axe renamed."""
    edit(project / "actions" / "1.1.1.yaml", "pilote: dtpp", "pilote: pm")
    edit(project / "actions" / "1.1.1.yaml", "cible: {valeur: 40, annee: 2028}", "cible: {valeur: 50, annee: 2028}")
    (project / "actions" / "1.5.2.yaml").rename(project / "actions" / "1.5.3.yaml")
    edit(project / "actions" / "1.5.3.yaml", "id: 1.5.2", "id: 1.5.3")
    added = (project / "actions" / "4.3.1.yaml").read_text(encoding="utf-8")
    (project / "actions" / "4.3.1.yaml").unlink()
    added = added.replace("id: 4.3.1", "id: 4.3.2").replace(
        "Un observatoire local de la tranquillité publique et l'évaluation de la stratégie",
        "Médiation de nuit dans les transports",
    )
    (project / "actions" / "4.3.2.yaml").write_text(added, encoding="utf-8")
    edit(project / "strategie.yaml", "titre: Agir tôt auprès des jeunes", "titre: Agir très tôt auprès des jeunes")


EXPECTED = [
    (
        "Axe 1 : titre : Agir tôt auprès des jeunes et accompagner leurs parcours → "
        "Agir très tôt auprès des jeunes et accompagner leurs parcours"
    ),
    "Fiche 1.1.1 : pilote : DTPP → PM ; cible de l'indicateur « classes » : 40 → 50",
    "Fiche 1.5.2 renumérotée 1.5.3 : « Chantiers éducatifs et parcours d'insertion des jeunes sous main de justice »",
    "Fiche 4.3.1 supprimée : « Un observatoire local de la tranquillité publique et l'évaluation de la stratégie »",
    "Fiche 4.3.2 ajoutée : « Médiation de nuit dans les transports »",
]


def commit_revision(repository: Path) -> Path:
    project = repository / "communes" / "valmont"
    revise(project)
    git(repository, "add", "-A")
    git(repository, "commit", "-q", "-m", "révision")
    git(repository, "tag", "v2")
    return project


def test_two_revisions_said_in_the_strategy_s_words(repository):
    project = commit_revision(repository)
    result = run("diff", "v1", "v2", project)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:-1] == EXPECTED
    assert lines[-1].startswith("5 changements de v1 (") and ") à v2 (" in lines[-1]


def test_the_working_tree_against_head_and_against_a_revision(repository, monkeypatch):
    project = commit_revision(repository)
    edit(project / "actions" / "2.1.1.yaml", "titre: Recruter un intervenant", "titre: Pérenniser l'intervenant")
    monkeypatch.chdir(project / "actions")  # the project is found from inside it, as git finds its repository
    since_head = run("diff")
    assert since_head.output.splitlines()[0].startswith("Fiche 2.1.1 : titre : Recruter un intervenant social")
    assert "1 changement de HEAD (" in since_head.output and "à la copie de travail." in since_head.output
    since_v1 = run("diff", "v1")
    assert since_v1.output.splitlines()[:-1] == [*EXPECTED[:3], since_head.output.splitlines()[0], *EXPECTED[3:]]


def test_markdown_and_json(repository):
    project = commit_revision(repository)
    markdown = run("diff", "v1", "v2", project, "--format", "md").output
    assert markdown.startswith("# Modifications de la stratégie\n\n5 changements de v1 (")
    assert "\n## Axes\n\n- Axe 1 : titre : " in markdown
    assert "\n## Fiches\n\n" + "\n".join(f"- {line}" for line in EXPECTED[1:]) + "\n" in markdown
    said = json.loads(run("diff", "v1", "v2", project, "--format", "json").output)
    assert said["avant"].startswith("v1 (") and said["apres"].startswith("v2 (") and said["non_lu"] == []
    natures = [(c["element"], c["id_avant"], c["id"], c["nature"]) for c in said["changements"]]
    assert natures == [
        ("axe", "1", "1", "modification"),
        ("fiche", "1.1.1", "1.1.1", "modification"),
        ("fiche", "1.5.2", "1.5.3", "renumerotation"),
        ("fiche", "4.3.1", "4.3.1", "suppression"),
        ("fiche", None, "4.3.2", "ajout"),
    ]
    target = said["changements"][1]["champs"][1]
    assert target == {
        "champ": "cible de l'indicateur « classes »",
        "avant": "40",
        "apres": "50",
        "phrase": "cible de l'indicateur « classes » : 40 → 50",
    }


def test_two_folders(tmp_path):
    before, after = tmp_path / "avant", tmp_path / "apres"
    shutil.copytree(SAMPLE, before)
    shutil.copytree(SAMPLE, after)
    revise(after)
    result = run("diff", before, after)
    assert result.exit_code == 0 and result.output.splitlines()[:-1] == EXPECTED
    assert result.output.splitlines()[-1] == f"5 changements de {before} à {after}."
    same = run("diff", before, before)
    assert same.output == f"Aucun changement de {before} à {before}.\n"


def test_an_unknown_revision_is_a_misuse_said_in_french(repository):
    result = run("diff", "v9", repository / "communes" / "valmont")
    assert result.exit_code == 2
    assert "Erreur : révision inconnue « v9 »" in result.output


def test_a_revision_without_the_project_compares_nothing(repository):
    project = repository / "communes" / "valmont"
    (repository / "LISEZMOI.md").write_text("Le dépôt de la commune.\n", encoding="utf-8")
    git(repository, "checkout", "-q", "--orphan", "vide")
    git(repository, "rm", "-q", "-r", "--cached", "communes")
    git(repository, "add", "LISEZMOI.md")
    git(repository, "commit", "-q", "-m", "rien encore")
    result = run("diff", "vide", "v1", project)
    assert result.exit_code == 1
    assert (
        "Erreur : à vide (" in result.output and "aucun projet stspd (pas de strategie.yaml) : rien à comparer" in result.output
    )


def test_a_file_unreadable_at_one_revision_is_said_not_taken_for_removed(repository):
    project = commit_revision(repository)
    (project / "actions" / "2.1.1.yaml").write_text("id: 2.1.1\ntitre: [non fermé\n", encoding="utf-8")
    git(repository, "commit", "-q", "-a", "-m", "fiche cassée")
    result = run("diff", "v2", "HEAD", project)
    assert result.exit_code == 0
    assert "2.1.1" not in result.output.replace("actions/2.1.1.yaml", "")
    assert "Non lu à HEAD (" in result.output and ") : actions/2.1.1.yaml illisible" in result.output
    assert result.output.splitlines()[-1].startswith("Aucun changement de v2 (")


def test_git_diff_shows_the_fields_in_words_through_textconv(repository):
    project = commit_revision(repository)
    (repository / ".gitattributes").write_text("*.yaml diff=stspd\n", encoding="utf-8")
    git(repository, "config", "diff.stspd.textconv", f"{sys.executable} -m stspd diff --textconv")
    environment = {**os.environ, "PYTHONPATH": str(REPO), "GIT_PAGER": "cat"}
    shown = subprocess.run(
        ["git", "-C", str(repository), "diff", "v1", "v2", "--", "communes/valmont/actions/1.1.1.yaml"],
        capture_output=True,
        text=True,
        check=True,
        env=environment,
        timeout=120,
    ).stdout
    changed = [line for line in shown.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [
        "-Fiche 1.1.1 — pilote : dtpp",
        "+Fiche 1.1.1 — pilote : pm",
        "-Fiche 1.1.1 — cible de l'indicateur « classes » : 40",
        "+Fiche 1.1.1 — cible de l'indicateur « classes » : 50",
    ]
    assert run("diff", "--textconv", project / "strategie.yaml").output.startswith("Stratégie — titre : ")
    assert run("diff", "v1", "--textconv", project / "strategie.yaml").exit_code == 2


def test_long_texts_indicators_and_partners_in_words(tmp_path):
    before, after = tmp_path / "avant", tmp_path / "apres"
    shutil.copytree(SAMPLE, before)
    shutil.copytree(SAMPLE, after)
    fiche = after / "actions" / "2.1.1.yaml"
    edit(fiche, "description: |\n", "description: |\n  Une phrase ajoutée en tête de la description.\n")
    edit(
        fiche,
        "  - id: personnes\n",
        "  - id: orientations\n    type: resultat\n    libelle: Personnes orientées\n  - id: personnes\n",
    )
    edit(after / "strategie.yaml", "    sigle: PM\n", "    sigle: PMV\n")
    edit(
        after / "strategie.yaml",
        "revisions:\n",
        "revisions:\n  - {date: 2026-06-30, deliberation: 2026-40, objet: Prolongation}\n",
    )
    said = json.loads(run("diff", before, after, "--format", "json").output)["changements"]
    assert [change["phrase"] for change in said] == [
        "Stratégie : révisions : + 30\u00a0juin\u00a02026, délibération 2026-40 : Prolongation",
        "Partenaire pm : sigle : PM → PMV",
        "Fiche 2.1.1 : description : texte modifié ; indicateur « orientations » ajouté : « Personnes orientées »",
    ]
    assert said[2]["champs"][0]["apres"].startswith("Une phrase ajoutée en tête de la description.")
    removed = run("diff", after, before).output.splitlines()
    assert "Fiche 2.1.1 : description : texte modifié ; indicateur « orientations » retiré" in removed


def test_an_extension_recorded_in_a_commit_is_said_and_the_project_still_validates(repository):
    """The Nîmes case: the period extended by two years while the next national strategy is awaited, recorded as a
    revision in its own commit; the diff names the new end and the revision, and the extended project validates."""
    project = repository / "communes" / "valmont"
    edit(project / "strategie.yaml", "  fin: 2028\n", "  fin: 2030\n")
    edit(
        project / "strategie.yaml",
        "\ngouvernance:\n",
        "  - date: 2026-11-20\n"
        "    instance: Conseil municipal\n"
        "    deliberation: 2026-097\n"
        "    objet: Prolongation jusqu'à l'adoption d'une stratégie conforme à la SNPD 2025-2030\n"
        "    prolongation: {de: 2028, a: 2030}\n"
        "\ngouvernance:\n",
    )
    assert run("validate", project).exit_code == 0
    git(repository, "commit", "-q", "-a", "-m", "prolongation 2030")
    lines = run("diff", "v1", "HEAD", project).output.splitlines()
    said = [line for line in lines if line.startswith("Stratégie")]
    assert len(said) == 1, lines
    assert "fin de la période : 2028 → 2030" in said[0]
    assert "révisions : + 20\u00a0novembre\u00a02026, délibération 2026-097 : Prolongation jusqu'à l'adoption" in said[0]
    assert lines[-1].startswith("1 changement de v1 (")


def test_the_readme_s_textconv_example_is_the_real_output(tmp_path):
    """The README's example, run as it says: the project at the repository's top (its workflow), tag v2024-adoptee."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("- **`git diff` en mots**") : readme.index("- **Intégration continue**")]
    command = next(line.strip() for line in section.splitlines() if line.strip().startswith("git diff "))
    shown_in_readme = section[section.index("```text\n") + len("```text\n") :]
    shown_in_readme = "\n".join(line[2:] for line in shown_in_readme[: shown_in_readme.index("  ```")].splitlines())
    top = tmp_path / "depot"
    assert run("init", "--exemple", top).exit_code == 0
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "-c", "user.name=CLSPD", "-c", "user.email=clspd@example.org", "commit", "-q", "-m", "adoptée")
    git(top, "tag", "v2024-adoptee")
    (top / ".gitattributes").write_text("*.yaml diff=stspd\n", encoding="utf-8")
    git(top, "config", "diff.stspd.textconv", f"{sys.executable} -m stspd diff --textconv")
    edit(top / "actions" / "1.1.1.yaml", "pilote: dtpp", "pilote: pm")
    edit(top / "actions" / "1.1.1.yaml", "cible: {valeur: 40,", "cible: {valeur: 50,")
    arguments = command.split("#")[0].split()[1:]
    environment = {**os.environ, "PYTHONPATH": str(REPO), "GIT_PAGER": "cat"}
    shown = subprocess.run(
        ["git", "-C", str(top), *arguments], capture_output=True, text=True, check=True, env=environment, timeout=120
    ).stdout
    assert shown.rstrip("\n") == shown_in_readme
