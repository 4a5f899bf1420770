"""Nothing the user put in the project's folders is skipped without a word: a fiche in .yml or .YAML is read, a file
surely meant as YAML under another name is an error with the name to give it, a document left beside the fiches a
warning, hidden files and editors' backups are passed over; an evaluation is named by the year it evaluates."""

from __future__ import annotations

import json

import pytest
from conftest import edit, only_problem, problems_of, run

from stspd.check.report import report
from stspd.check.validation import validate

FICHE = "actions/1.1.1.yaml"


def _only(project, name: str):
    p = only_problem(project)
    assert (p.file, p.line, p.column, p.rule) == (str(project / name), 0, 0, "projet")
    return p


@pytest.mark.parametrize("name", ["1.1.2.yml", "1.1.2.YAML", "1.1.2.Yml", "1.1.2.YML"])
def test_a_fiche_in_yml_or_in_capitals_is_read(project, name):
    text = (project / FICHE).read_text(encoding="utf-8").replace("id: 1.1.1", "id: 1.1.2")
    (project / "actions" / name).write_text(text, encoding="utf-8")
    assert problems_of(project) == []
    (project / "actions" / name).write_text(text.replace("pilote: ville", "pilote: vile"), encoding="utf-8")
    p = only_problem(project)
    assert (p.file, p.line, p.rule) == (str(project / "actions" / name), 13, "references")


def test_one_fiche_under_two_spellings_is_read_once(project):
    (project / "actions" / "1.1.1.YAML").write_text((project / FICHE).read_text(encoding="utf-8"), encoding="utf-8")
    p = _only(project, "actions/1.1.1.YAML")
    assert p.message == (
        "1.1.1.yaml et 1.1.1.YAML sont tous deux présents dans actions/ : stspd lit 1.1.1.yaml ; supprimez ou renommez l'autre"
    )


@pytest.mark.parametrize("name", [".gitkeep", ".DS_Store", "1.1.1.yaml~", "#1.1.1.yaml#", "~$collecte-2026.xlsx"])
def test_hidden_files_backups_and_locks_are_passed_over_silently(project, name):
    (project / "actions" / name).write_text("x", encoding="utf-8")
    (project / "evaluations" / name).write_text("x", encoding="utf-8")
    assert not [p for p in validate(project).problems if p.rule == "projet"]


@pytest.mark.parametrize("name", ["README.md", "notes.md", "collecte-2026.xlsx", "1.1.1.yaml.bak", "LISEZMOI.txt", "photo.JPG"])
def test_documents_beside_the_fiches_are_warnings(project, name):
    (project / "actions" / name).write_text("x", encoding="utf-8")
    assert problems_of(project) == []  # a warning does not make the project invalid
    (warning,) = [p for p in validate(project).warnings if p.rule == "projet"]
    assert (warning.file, warning.line, warning.severity) == (str(project / "actions" / name), 0, "warning")
    assert warning.message.startswith("fichier non lu : stspd ne lit dans actions/ que les fiches actions en .yaml ;")
    result = run("validate", project)
    assert result.exit_code == 0


def test_a_document_named_like_a_fiche_says_how_to_write_it(project):
    (project / "actions" / "2.2.1.docx").write_bytes(b"PK")
    (warning,) = [p for p in validate(project).warnings if p.rule == "projet"]
    assert "; une fiche action s'écrit en YAML, dans « 2.2.1.yaml »" in warning.message


@pytest.mark.parametrize(
    ("name", "right"), [("2.2.1", "2.2.1.yaml"), ("2.2.1.json", "2.2.1.yaml"), ("fiche-seniors", "fiche-seniors.yaml")]
)
def test_another_file_in_actions_is_an_error(project, name, right):
    (project / "actions" / name).write_text("id: 2.2.1\n", encoding="utf-8")
    p = _only(project, f"actions/{name}")
    assert p.message == (
        "fichier non lu : stspd ne lit dans actions/ que les fiches actions en .yaml (une fiche par fichier, nommé par "
        f"son numéro, ex. « 2.2.1.yaml ») ; s'il s'agit d'une fiche action, renommez-le « {right} », sinon rangez-le "
        "hors de actions/"
    )
    assert run("validate", project).exit_code == 1


def test_another_file_in_evaluations_is_an_error_naming_the_year(project):
    (project / "evaluations" / "bilan 2026").write_text("annee: 2026\n", encoding="utf-8")
    assert "renommez-le « 2026.yaml »" in _only(project, "evaluations/bilan 2026").message


def test_a_sub_folder_of_fiches_is_an_error_an_empty_one_a_warning(project):
    (project / "actions" / "archives").mkdir()
    (warning,) = [p for p in validate(project).warnings if p.rule == "projet"]
    assert warning.file == str(project / "actions" / "archives") and warning.message.startswith("dossier non lu")
    (project / "actions" / "axe2").mkdir()
    (project / "actions" / "axe2" / "2.1.1.yaml").write_text("id: 2.1.1\n", encoding="utf-8")
    p = _only(project, "actions/axe2")
    assert p.message == (
        "dossier non lu : stspd ne lit que les fichiers placés directement dans actions/, pas dans ses sous-dossiers ; "
        "s'il contient les fiches actions (1), déplacez-les dans actions/, sinon rangez ce dossier hors de actions/"
    )


def test_a_misnamed_diagnostic_is_named_rightly(project):
    (project / "diagnostic.yaml").rename(project / "Diagnostic.YAML")
    p = _only(project, "Diagnostic.YAML")
    assert p.message == "fichier non lu : stspd lit « diagnostic.yaml », en minuscules ; renommez-le « diagnostic.yaml »"


def test_a_misnamed_strategy_is_named_in_the_misuse(project):
    (project / "strategie.yaml").rename(project / "strategie.yaml.txt")
    result = run("validate", project)
    assert result.exit_code == 2
    assert "il n'a pas de strategie.yaml ; strategie.yaml.txt est là : renommez-le « strategie.yaml »" in result.output


def test_a_misnamed_fiche_of_the_sample_is_an_error_and_its_evaluations_are_not_checked_against_it(sample_copy):
    (sample_copy / "actions" / "2.2.1.yaml").rename(sample_copy / "actions" / "2.2.1.yaml.txt")
    result = validate(sample_copy)
    (error,) = result.errors
    assert (error.file, error.line, error.severity) == (str(sample_copy / "actions" / "2.2.1.yaml.txt"), 0, "error")
    assert error.message.endswith("s'il s'agit d'une fiche action, renommez-le « 2.2.1.yaml »")
    # the evaluations evaluate 2.2.1: it is not said unknown; that it could not be checked is said
    assert [str(s) for s in result.skipped] == [
        "les fiches nommées par les révisions (actions/2.2.1.yaml.txt non lu)",  # the sample's revision abandons a fiche
        "les fiches actions des évaluations (actions/2.2.1.yaml.txt non lu)",
        "les objectifs qu'aucune fiche ne sert (actions/2.2.1.yaml.txt non lu)",
    ]
    data = json.loads(report(result, "json"))
    assert data["erreurs"][0]["severity"] == "error" and data["erreurs"][0]["file"].endswith("2.2.1.yaml.txt")
    cli = run("validate", sample_copy)
    assert cli.exit_code == 1 and cli.output.splitlines()[-1] == "1 erreur dans 1 fichier : le projet n'est pas valide."


def test_a_readme_in_the_sample_is_a_warning_that_fails_only_when_strict(sample_copy):
    (sample_copy / "evaluations" / "README.md").write_text("# Les bilans\n", encoding="utf-8")
    (sample_copy / "evaluations" / ".gitkeep").write_text("", encoding="utf-8")
    result = validate(sample_copy)
    (warning,) = result.problems
    assert warning.file == str(sample_copy / "evaluations" / "README.md") and warning.severity == "warning"
    assert report(result, "text").splitlines()[0] == (
        f"{sample_copy}/evaluations/README.md: avertissement : fichier non lu : stspd ne lit dans evaluations/ que les "
        "évaluations en .yaml ; ce fichier n'y est pas pris en compte (rangez-le ailleurs pour ne plus voir cet "
        "avertissement) [projet]"
    )
    assert result.exit_code == 0 and validate(sample_copy, strict=True).exit_code == 1
    assert run("validate", sample_copy).exit_code == 0


# An evaluation is named by its year


def test_an_evaluation_named_otherwise_is_told_its_name(sample_copy):
    (sample_copy / "evaluations" / "2025.yaml").rename(sample_copy / "evaluations" / "bilan2025.yaml")
    p = only_problem(sample_copy)
    assert (p.file, p.line, p.column, p.rule) == (str(sample_copy / "evaluations" / "bilan2025.yaml"), 3, 8, "evaluations")
    assert p.message == "annee : le fichier bilan2025.yaml évalue 2025 ; nommez-le 2025.yaml"


def test_two_evaluations_of_one_year(sample_copy):
    evaluations = sample_copy / "evaluations"
    (evaluations / "2025-bis.yaml").write_text((evaluations / "2025.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    p = only_problem(sample_copy)
    assert p.file == str(evaluations / "2025-bis.yaml") and p.line == 3
    assert p.message == (
        "annee : le fichier 2025-bis.yaml évalue 2025, comme evaluations/2025.yaml : une seule évaluation par année ; "
        "réunissez-les dans 2025.yaml"
    )


def test_the_name_of_an_evaluation_is_checked_when_strategie_yaml_cannot_be_read(sample_copy):
    (sample_copy / "evaluations" / "2025.yaml").rename(sample_copy / "evaluations" / "2026.yaml")
    edit(sample_copy / "strategie.yaml", "titre: Stratégie", "titre: [Stratégie")
    rules = [(p.file.rsplit("/", 1)[-1], p.rule) for p in problems_of(sample_copy)]
    assert rules == [("2026.yaml", "evaluations"), ("strategie.yaml", "yaml")]


def test_an_evaluation_whose_year_cannot_be_read_is_still_told_its_name(sample_copy):
    (sample_copy / "evaluations" / "2025.yaml").rename(sample_copy / "evaluations" / "bilan.yaml")
    edit(sample_copy / "evaluations" / "bilan.yaml", "annee: 2025", "annee: deux-mille-vingt-cinq")
    found = [(p.line, p.rule, p.message) for p in problems_of(sample_copy)]
    assert found[0] == (
        0,
        "evaluations",
        (
            "le fichier bilan.yaml n'est pas nommé par une année : une évaluation se nomme par l'année qu'elle évalue, "
            "ex. « 2025.yaml »"
        ),
    )
    assert [rule for _, rule, _ in found[1:]] == ["schema"]
