"""The command line speaks French: help, usage errors, option names; it works from inside the project; it keeps
what the user did (no workbook replaced unasked)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import SAMPLE, run

from stspd.cli import ENGLISH_SPELLINGS, main

# Words of click's own English: none may reach the user.
ENGLISH = (
    "Usage:",
    "Options:",
    "Commands:",
    "Show this message",
    "Show the version",
    "[required]",
    "[default:",
    "Missing",
    "No such",
    "is not a valid",
    "Did you mean",
    "Try '",
    "does not exist",
    "is a file",
    "Aborted",
    "Error:",
    "Invalid value",
    "Got unexpected",
)


def _commands(group=main, path=()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


def _english_in(text: str) -> list[str]:
    return [word for word in ENGLISH if word in text]


@pytest.mark.parametrize("command", [(), *_commands()], ids=lambda c: " ".join(c) or "stspd")
def test_every_help_is_french_and_ends_with_examples(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and not _english_in(result.output), result.output
    assert result.output.startswith("Utilisation\u00a0: ") and "Options\u00a0:" in result.output
    if command and command != ("templates",):
        assert "Exemples\u00a0:" in result.output or "Exemples :" in result.output, result.output
    for english in ENGLISH_SPELLINGS:  # still read, no longer shown (« --period » is not « --periode »)
        assert not re.search(rf"{re.escape(english)}(?![\w-])", result.output), english


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("build", SAMPLE, "--nope"), "Option inconnue : --nope"),
        (("build", SAMPLE, "--frmat", "docx"), "Vouliez-vous dire"),
        (("grid", "template", SAMPLE), "Option manquante « --annee »"),
        (("grid", "template", SAMPLE, "--annee", "deux"), "« deux » n'est pas un nombre entier"),
        (("buld",), "Commande inconnue : « buld »"),
        (("validate", "--format", "xml"), "« xml » n'est pas l'une des valeurs"),
        (("init",), "Argument manquant"),
        (("build", SAMPLE, "--format", "pdff"), "format inconnu « pdff » ; vouliez-vous dire « pdf » ?"),
        (("schema", "fich"), "schéma inconnu « fich » ; vouliez-vous dire « fiche » ?"),
    ],
)
def test_usage_errors_are_french_and_exit_2(args, expected):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.output.replace("\u00a0", " ") and not _english_in(result.output), result.output


def test_a_folder_given_as_a_file_is_said_in_french(tmp_path):
    (tmp_path / "fichier").write_text("x", encoding="utf-8")
    result = run("build", tmp_path / "fichier")
    assert result.exit_code == 2 and "est un fichier, pas un dossier" in result.output and not _english_in(result.output)


def test_usage_errors_are_json_when_json_is_asked_for():
    result = run("validate", SAMPLE, "--format", "json", "--frmat")
    assert result.exit_code == 2
    report = json.loads(result.output)
    assert report["valide"] is None and "--frmat" in report["erreur_d_utilisation"]


def test_the_version_with_a_short_option():
    result = run("-V")
    assert result.exit_code == 0 and result.output.startswith("stspd, version ")


def test_english_option_names_still_work(sample_copy, tmp_path):
    result = run("grid", "export", sample_copy, "--year", "2025", "--format", "csv", "--output", tmp_path / "out")
    assert result.exit_code == 0 and (tmp_path / "out" / "grille-2025.csv").is_file()


def test_repeated_formats_are_all_built(sample_copy, tmp_path):
    result = run("grid", "export", sample_copy, "--annee", "2025", "--format", "csv", "--format", "xlsx", "--sortie", tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["grille-2025.csv", "grille-2025.xlsx"]


def test_commands_find_the_project_from_a_folder_inside_it(sample_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(sample_copy / "actions")
    result = run("validate")
    assert result.exit_code == 0 and result.output.startswith("Projet valide : 4 axes"), result.output
    result = run("grid", "export", "--annee", "2025", "--format", "csv", "--sortie", tmp_path)
    assert result.exit_code == 0 and (tmp_path / "grille-2025.csv").is_file(), result.output


def test_outside_any_project_the_user_is_told_where_to_run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("validate")
    assert result.exit_code == 2 and "lancez la commande depuis le dossier du projet" in result.output


def test_validate_takes_the_files_pre_commit_passes(sample_copy, monkeypatch):
    monkeypatch.chdir(sample_copy.parent)
    fiche = min((sample_copy / "actions").glob("*.yaml"))
    result = run("validate", fiche.relative_to(sample_copy.parent), "valmont/strategie.yaml")
    assert result.exit_code == 0 and result.output.count("Projet valide") == 1, result.output
    text = fiche.read_text(encoding="utf-8")
    fiche.write_text(text.replace("\npilote: ", "\npilote: inconnu-", 1), encoding="utf-8")
    result = run("validate", fiche.relative_to(sample_copy.parent))
    assert result.exit_code == 1 and f"valmont/actions/{fiche.name}:" in result.output, result.output


def test_grid_template_keeps_a_workbook_a_pilot_may_have_filled(sample_copy, tmp_path):
    path = tmp_path / "collecte-2025.xlsx"
    assert run("grid", "template", sample_copy, "--annee", "2025", "--sortie", path).exit_code == 0
    before = path.read_bytes()
    path.write_bytes(before + b"")  # as a pilot returned it
    again = run("grid", "template", sample_copy, "--annee", "2025", "--sortie", path)
    assert again.exit_code == 2 and "--force" in again.output and path.read_bytes() == before
    assert run("grid", "template", sample_copy, "--annee", "2025", "--sortie", path, "--force").exit_code == 0


def test_grid_template_refuses_a_name_that_is_not_a_workbook(sample_copy, tmp_path):
    result = run("grid", "template", sample_copy, "--annee", "2025", "--sortie", tmp_path / "collecte.csv")
    assert result.exit_code == 2 and ".xlsx" in result.output and not (tmp_path / "collecte.csv").exists()


def test_grid_import_from_inside_the_project(sample_copy, tmp_path, monkeypatch):
    path = tmp_path / "collecte-2025.xlsx"
    assert run("grid", "template", sample_copy, "--annee", "2025", "--sortie", path).exit_code == 0
    monkeypatch.chdir(sample_copy)
    result = run("grid", "import", path, "--simulation")
    assert result.exit_code == 0 and "Rien à changer" in result.output, result.output


def test_a_build_says_nothing_but_its_files_when_not_on_a_terminal(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "stspd", "build", str(SAMPLE), "--format", "md", "--sortie", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout == f"{tmp_path / 'strategie.md'}\n" and done.stderr == ""


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("stspd grid template --annee ", ["2024", "2025", "2026", "2027", "2028"]),
        ("stspd build --format docx,p", ["docx,pdf"]),
    ],
)
def test_the_shell_completes_years_and_formats(words, expected, monkeypatch):
    completed = subprocess.run(
        [sys.executable, "-m", "stspd"],
        env={**os.environ, "COMP_WORDS": words, "COMP_CWORD": str(len(words.split(" ")) - 1), "_STSPD_COMPLETE": "bash_complete"},
        cwd=SAMPLE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert [line.split(",", 1)[1] for line in completed.stdout.splitlines()] == expected


def test_the_shell_completes_pilot_ids():
    completed = subprocess.run(
        [sys.executable, "-m", "stspd"],
        env={**os.environ, "COMP_WORDS": "stspd grid template --pilote p", "COMP_CWORD": "4", "_STSPD_COMPLETE": "bash_complete"},
        cwd=SAMPLE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "pm" in [line.split(",", 1)[1] for line in completed.stdout.splitlines()]


def test_on_a_terminal_a_build_says_each_format_then_the_files_and_their_sizes(tmp_path, monkeypatch):
    monkeypatch.setattr("stspd.cli._on_terminal", lambda: True)
    result = run("build", SAMPLE, "--format", "md,html", "--sortie", tmp_path)
    assert result.exit_code == 0, result.output
    assert "Validation et mise en page de 2 format(s)" in result.output
    assert "  MD   prêt" in result.output and "  HTML prêt" in result.output
    assert f"{tmp_path / 'strategie.html'}  (" in result.output and " ko)" in result.output
    quiet = run("build", SAMPLE, "--format", "md", "--sortie", tmp_path, "--silencieux")
    assert quiet.exit_code == 0 and quiet.output == f"{tmp_path / 'strategie.md'}\n"
