"""Every problem at once: the cross-checks run on documents with schema errors too; what truly cannot be checked is
said in the summary, never reported as false problems; warnings (objectives no fiche serves, texts still to write)
are said without failing the validation, unless strict."""

from __future__ import annotations

import copy
import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE, edit, problems_of, run

from stspd.check.index import Index
from stspd.check.report import render, report, summary
from stspd.check.rules import RULES, check_all
from stspd.check.validation import check_project, examine, validate, validate_project
from stspd.commands.errors import InvalidProject
from stspd.commands.valid import valid_model
from stspd.load.project import load_project
from stspd.problems import Problem, Skipped


def _line_of(path: Path, text: str) -> int:
    """The 1-based number of the line holding `text`."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def _found(root: Path) -> list[tuple[str, int, str, str]]:
    return [(Path(p.file).relative_to(root).as_posix(), p.line, p.rule, p.message) for p in validate(root).problems]


def _break_three_files(root: Path) -> None:
    """A schema error in strategie.yaml, a wrong pilot in one fiche, a date that does not exist in another."""
    edit(root / "strategie.yaml", "  population: 60412", '  population: "60 412"')
    edit(root / "actions" / "2.2.1.yaml", "pilote: ccas", "pilote: cas")
    edit(root / "actions" / "1.1.1.yaml", "    - date: 2024-06", "    - date: 2024-13")


def test_three_problems_in_three_files_are_reported_in_one_run(sample_copy):
    _break_three_files(sample_copy)
    assert _found(sample_copy) == [
        (
            "actions/1.1.1.yaml",
            53,
            "schema",
            "date : « 2024-13 » n'est pas un mois ou une date valide : le mois 13 n'existe pas (01 à 12)",
        ),
        ("actions/2.2.1.yaml", 23, "references", "pilote : partenaire inconnu « cas » ; vouliez-vous dire « ccas » ?"),
        ("strategie.yaml", 17, "schema", "population : un nombre entier attendu, « 60 412 » trouvé (sans espace : 60412)"),
    ]
    result = run("validate", sample_copy)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "3 erreurs dans 3 fichiers : le projet n'est pas valide."
    assert f"{sample_copy}/actions/2.2.1.yaml:23:9: pilote : partenaire inconnu « cas »" in result.output


def test_in_one_fiche_a_bad_date_does_not_hide_an_unknown_pilot(sample_copy):
    fiche = sample_copy / "actions" / "1.1.1.yaml"
    edit(fiche, "    - date: 2024-06", "    - date: 2024-13")
    edit(fiche, "pilote: dtpp", "pilote: dtp")
    found = [(line, rule) for file, line, rule, _ in _found(sample_copy)]
    assert found == [(33, "references"), (53, "schema")]


def test_a_fiche_of_the_wrong_types_everywhere_is_reported_without_a_crash(sample_copy):
    fiche = sample_copy / "actions" / "2.2.1.yaml"
    text = fiche.read_text(encoding="utf-8")
    for old, new in [
        ('objectifs: ["2.2"]', "objectifs: {a: 1}"),
        ("constats: [C-seniors-escroqueries, C-isolement]", "constats: [12, C-isolemen]"),
        ("  budget: 15000", "  budget: beaucoup"),
        ("  fin: 2028", "  fin: deux-mille"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    fiche.write_text(text, encoding="utf-8")
    result = validate(sample_copy)
    assert [str(s) for s in result.skipped] == [
        "les objectifs qu'aucune fiche ne sert (objectifs illisibles dans actions/2.2.1.yaml)"
    ]  # the fiche may serve any objective: none is said unserved
    rules = sorted({(p.rule, p.message.split(" :")[0]) for p in result.problems if p.file.endswith("2.2.1.yaml")})
    assert ("references", "constats") in rules  # C-isolemen is checked though its neighbour is no id
    assert all(rule in ("schema", "references") for rule, _ in rules)


def test_an_unreadable_strategy_hides_no_problem_and_reports_no_false_one(sample_copy):
    _break_three_files(sample_copy)
    edit(sample_copy / "strategie.yaml", "titre: Stratégie", "titre: [Stratégie")
    edit(sample_copy / "actions" / "1.1.1.yaml", "  fin: 2028", "  fin: 2023")  # before its start: said all the same
    found = _found(sample_copy)
    assert [(file, line, rule) for file, line, rule, _ in found] == [
        ("actions/1.1.1.yaml", 51, "periode"),
        ("actions/1.1.1.yaml", 53, "schema"),
        ("strategie.yaml", 5, "yaml"),
    ]  # the wrong pilot cannot be told from a right one: not reported
    assert found[0][3] == "calendrier : la fin (2023) précède le début (2024)"
    result = validate(sample_copy)
    assert [str(s) for s in result.skipped] == [
        "les références aux objectifs (strategie.yaml illisible)",
        "les références aux partenaires (strategie.yaml illisible)",
        "les références aux QPV (strategie.yaml illisible)",
        "les années au regard de la période de la stratégie (strategie.yaml illisible)",
        "les objectifs qu'aucune fiche ne sert (strategie.yaml illisible)",
    ]
    said = summary(result.project, result.problems).splitlines()
    assert said == [
        (
            "5 vérifications n'ont pas pu être faites : les références aux objectifs (strategie.yaml illisible), "
            "les références aux partenaires (strategie.yaml illisible), les références aux QPV (strategie.yaml illisible), "
            "les années au regard de la période de la stratégie (strategie.yaml illisible), les objectifs qu'aucune fiche "
            "ne sert (strategie.yaml illisible)."
        ),
        "3 erreurs dans 2 fichiers : le projet n'est pas valide.",
    ]
    data = json.loads(report(result, "json"))
    assert data["valide"] is False and data["resume"] == "\n".join(said)
    assert data["verifications_non_faites"][0] == {
        "check": "les références aux objectifs",
        "reason": "strategie.yaml illisible",
    }
    # the command line as it is wired today says it too, in its summary
    cli = run("validate", sample_copy)
    assert cli.exit_code == 1 and said[0] in cli.output.splitlines()


def test_a_misspelt_list_of_partners_makes_no_false_unknown_partner(sample_copy):
    edit(sample_copy / "strategie.yaml", "partenaires:\n", "partenaire:\n")
    result = validate(sample_copy)
    assert [(p.rule, p.message.split(" ;")[0]) for p in result.problems] == [
        ("schema", "clé obligatoire « partenaires » manquante"),
        ("schema", "clé inconnue « partenaire »"),
    ]
    assert [str(s) for s in result.skipped] == [
        "les références aux partenaires (« partenaires » absent de strategie.yaml)",
        "les membres des instances (« partenaires » absent de strategie.yaml)",
    ]


def test_a_partner_without_an_id_stops_only_the_references_to_partners(sample_copy):
    strategie = sample_copy / "strategie.yaml"
    edit(strategie, "  - id: ccas\n", "  - ident: ccas\n")
    edit(sample_copy / "actions" / "2.2.1.yaml", 'objectifs: ["2.2"]', 'objectifs: ["2.9"]')
    result = validate(sample_copy)
    assert {(p.rule, Path(p.file).name) for p in result.errors} == {("schema", "strategie.yaml"), ("references", "2.2.1.yaml")}
    assert [str(s) for s in result.skipped] == [
        "les références aux partenaires (un partenaire sans identifiant lisible dans strategie.yaml)",
        "les membres des instances (un partenaire sans identifiant lisible dans strategie.yaml)",
    ]


def test_an_unreadable_fiche_stops_the_checks_of_the_evaluations_on_fiches(sample_copy):
    edit(sample_copy / "actions" / "3.1.1.yaml", "titre:", "titre: [")
    edit(sample_copy / "evaluations" / "2025.yaml", "annee: 2025", "annee: 2025\nbilan: x")
    result = validate(sample_copy)
    assert sorted((Path(p.file).name, p.rule) for p in result.errors) == [("2025.yaml", "schema"), ("3.1.1.yaml", "yaml")]
    assert [str(s) for s in result.skipped] == [
        "les fiches nommées par les révisions (actions/3.1.1.yaml illisible)",  # the sample's revision abandons a fiche
        "les fiches actions des évaluations (actions/3.1.1.yaml illisible)",
        "les objectifs qu'aucune fiche ne sert (actions/3.1.1.yaml illisible)",
    ]


def test_checks_not_made_are_in_the_summary_and_the_json(project):
    edit(project / "strategie.yaml", "titre: Stratégie", "titre: [Stratégie")
    result = validate(project)
    text = report(result, "text").splitlines()
    assert " textes restent à rédiger (À rédiger : " in text[-2]
    assert text[-3].startswith("4 vérifications n'ont pas pu être faites : les références aux objectifs (strategie.yaml")
    assert text[-1] == "1 erreur et 8 avertissements dans 3 fichiers : le projet n'est pas valide."
    skipped = json.loads(report(result, "json"))["verifications_non_faites"]
    assert {"check": "les références aux partenaires", "reason": "strategie.yaml illisible"} in skipped


# Warnings


def test_an_objective_no_fiche_serves_is_a_warning(sample_copy):
    strategie = sample_copy / "strategie.yaml"
    edit(
        strategie,
        '      - id: "2.1"\n',
        '      - id: "2.9"\n        titre: Un objectif sans fiche\n      - id: "2.1"\n',
    )
    result = validate(sample_copy)
    assert result.errors == [] and result.valid and result.exit_code == 0
    (warning,) = result.warnings
    line = _line_of(strategie, 'id: "2.9"')
    assert (warning.file, warning.line, warning.column, warning.rule, warning.severity) == (
        str(strategie),
        line,
        13,
        "objectifs",
        "warning",
    )
    assert warning.message == "l'objectif 2.9 n'est servi par aucune fiche action : citez-le dans les objectifs d'une fiche"
    assert problems_of(sample_copy) == []  # what the build and the command line check today: no error
    assert run("validate", sample_copy).exit_code == 0

    strict = validate(sample_copy, strict=True)
    assert not strict.valid and strict.exit_code == 1 and strict.failing == [warning]
    assert validate_project(sample_copy, strict=True)[1] == [warning]
    text = report(result, "text").splitlines()
    assert text[0] == (
        f"{strategie}:{line}:13: avertissement : l'objectif 2.9 n'est servi par aucune fiche action : "
        "citez-le dans les objectifs d'une fiche [objectifs]"
    )
    assert text[-1] == "Projet valide : 4 axes, 15 objectifs, 29 fiches actions, 2 évaluations (2024, 2025) ; 1 avertissement."
    assert report(strict, "text").splitlines()[-1] == (
        "1 avertissement dans 1 fichier : le projet n'est pas valide (mode strict : les avertissements comptent comme des erreurs)."
    )
    github = report(result, "github").splitlines()
    assert github[0].startswith(f"::warning file={strategie},line={line},col=13,title=stspd objectifs::l'objectif 2.9")
    data = json.loads(report(result, "json"))
    assert data["valide"] is True and data["erreurs"] == []
    assert data["avertissements"] == [
        {
            "file": str(strategie),
            "line": line,
            "column": 13,
            "rule": "objectifs",
            "message": warning.message,
            "severity": "warning",
        }
    ]
    assert json.loads(report(strict, "json"))["valide"] is False


def test_the_texts_still_to_write_are_warnings_where_they_stand(project):
    placeholders = {
        path.relative_to(project).as_posix(): [
            n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if "À rédiger" in line
        ]
        for path in sorted(project.rglob("*.yaml"))
        if "schemas" not in path.parts
    }
    placeholders = {name: lines for name, lines in placeholders.items() if lines}
    total = sum(map(len, placeholders.values()))
    assert total >= 3  # stspd init writes « À rédiger » where it cannot know the text
    result = validate(project)
    assert result.valid and result.errors == []
    found = [p for p in result.warnings if p.rule == "a-rediger"]
    assert {(Path(p.file).relative_to(project).as_posix(), p.line) for p in found} == {
        (name, line) for name, lines in placeholders.items() for line in lines
    }
    fiche = next(p for p in found if p.file.endswith("1.1.1.yaml") and p.message.startswith("description"))
    assert fiche.source_line[fiche.column - 1 :].startswith("À rédiger")  # the column of the text, below « | »
    assert fiche.message == "description : encore à rédiger (« À rédiger : ce que fait l'action. »)"
    said = summary(result.project, result.problems).splitlines()
    assert said[0].startswith(f"{total} textes restent à rédiger (À rédiger : ")
    assert "actions/1.1.1.yaml" in said[0] and "diagnostic.yaml ×" in said[0]
    assert said[-1].startswith("Projet valide : 1 axe, 1 objectif, 1 fiche action") and said[-1].endswith(
        f" ; {len(result.warnings)} avertissements."
    )
    assert json.loads(report(result, "json"))["textes_a_rediger"] == total
    assert run("validate", project).exit_code == 0
    assert validate(project, strict=True).exit_code == 1


def test_a_text_written_is_no_longer_a_warning(project):
    def fiche_warnings() -> list[str]:
        return [p.message for p in validate(project).warnings if p.file.endswith("1.1.1.yaml")]

    before = fiche_warnings()
    edit(project / "actions" / "1.1.1.yaml", "À rédiger : ce que fait l'action.", "Des ateliers au collège.")
    after = fiche_warnings()
    assert len(after) == len(before) - 1 and not [m for m in after if m.startswith("description")]


def test_warnings_never_block_a_build_errors_always_do(sample_copy):
    edit(sample_copy / "actions" / "2.2.1.yaml", "  Les escroqueries", "  À rédiger. Les escroqueries")
    _project, model = valid_model(sample_copy)
    assert model and [p.rule for p in validate(sample_copy).warnings] == ["a-rediger"]
    _break_three_files(sample_copy)
    with pytest.raises(InvalidProject) as raised:
        valid_model(sample_copy)
    assert [p.rule for p in raised.value.problems] == ["schema", "references", "schema"]  # every error, no warning


def test_check_project_and_validate_project_return_errors_only(project):
    assert validate(project).warnings  # the texts « À rédiger » of a new project
    assert validate_project(project)[1] == [] and check_project(load_project(project)) == []


def test_errors_come_first_then_warnings_in_the_report(sample_copy):
    edit(sample_copy / "actions" / "2.2.1.yaml", "  Les escroqueries", "  À rédiger. Les escroqueries")
    edit(sample_copy / "actions" / "4.3.1.yaml", "pilote:", "pilote: x\nx:")
    result = validate(sample_copy)
    assert [p.severity for p in result.problems] == ["error", "error", "warning"]
    assert result.problems[-1].file.endswith("2.2.1.yaml")
    assert report(result, "text").splitlines()[-1] == "2 erreurs et 1 avertissement dans 2 fichiers : le projet n'est pas valide."


def test_render_keeps_its_former_call(project):
    problem = Problem("a.yaml", 1, 1, "schema", "x")
    warning = Problem("b.yaml", 2, 1, "objectifs", "y").as_warning()
    data = json.loads(render([problem, warning], "json", "résumé"))
    assert data["valide"] is False and [e["severity"] for e in data["erreurs"]] == ["error"]
    assert json.loads(render([warning], "json", "résumé"))["valide"] is True
    assert json.loads(render([warning], "json", "résumé", strict=True))["valide"] is False
    assert render([warning], "text", "s").splitlines()[0] == "b.yaml:2:1: avertissement : y [objectifs]"
    assert str(Skipped("les références aux objectifs", "strategie.yaml illisible")) == (
        "les références aux objectifs (strategie.yaml illisible)"
    )


# No rule crashes on data of the wrong shape

_ODD_VALUES = [None, True, 7, 1.5, "x", "2026-13", [], [1, "a", None], {}, {"a": [1]}]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:2]):
            yield from _paths(item, (*path, index))


def _replaced(data, path, value):
    if not path:
        return value
    data = copy.copy(data)
    data[path[0]] = _replaced(data[path[0]], path[1:], value)
    return data


def test_no_rule_crashes_on_any_value_of_the_wrong_type(tmp_path):
    """Each value of the sample's documents (the first two items of each list), replaced by values of other types:
    the rules skip what they cannot read. `well_formed` makes a rule's exception end the test, not be noted."""
    root = Path(shutil.copytree(SAMPLE, tmp_path / "valmont"))
    whole = load_project(root)
    project = dataclasses.replace(whole, fiches=[whole.fiches[0], whole.fiches[15]], evaluations=whole.evaluations[1:])
    assert project.strategie is not None
    tried = 0
    for document in [project.strategie, *project.diagnostics, *project.fiches, *project.evaluations]:
        original = document.data
        for n, path in enumerate(_paths(original)):
            for value in _ODD_VALUES[n % 4 :: 4]:
                document.data = _replaced(original, path, value)
                list(check_all(project, Index(project), well_formed=True))
                tried += 1
        document.data = original
    assert tried > 1000


def test_documents_that_are_not_mappings_crash_nothing(sample_copy):
    (sample_copy / "actions" / "9.9.9.yaml").write_text("- une liste\n- pas une fiche\n", encoding="utf-8")
    (sample_copy / "evaluations" / "2026.yaml").write_text("un texte\n", encoding="utf-8")
    edit(sample_copy / "evaluations" / "2025.yaml", "annee: 2025", "annee: deux-mille")
    result = validate(sample_copy)
    assert all(p.rule in ("schema", "evaluations") for p in result.errors)
    assert (
        [str(s) for s in result.skipped]
        == [
            "les fiches nommées par les révisions (actions/9.9.9.yaml illisible (des clés sont attendues))",  # the sample's revision abandons a fiche
            "les fiches actions des évaluations (actions/9.9.9.yaml illisible (des clés sont attendues))",
            "les objectifs qu'aucune fiche ne sert (actions/9.9.9.yaml illisible (des clés sont attendues))",
        ]
    )


def test_every_rule_names_itself(project):
    assert all(isinstance(rule.NAME, str) for rule in RULES)
    assert examine(load_project(project)).skipped == []
