"""What validates, builds: dates that exist, bounded numbers and lengths, identifiers without a line feed.

Each value below once passed validation and then broke a build or a grid with a traceback.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import edit, only_problem, problems_of, run

FICHE = "actions/1.1.1.yaml"
NNBSP = "\u202f"  # bounds are written the French way: 1 000 000 000 000
EVALUATION = "annee: 2026\n{}fiches:\n  - fiche: 1.1.1\n    etat: en_cours\n    indicateurs: [{{id: realisations, valeur: {}}}]\n"


def _evaluation(project, date_line: str = "", value: str = "3") -> None:
    (project / "evaluations" / "2026.yaml").write_text(EVALUATION.format(date_line, value), encoding="utf-8")


@pytest.mark.parametrize(
    ("typed", "line", "message"),
    [
        ("2024-02-31", 30, "date : « 2024-02-31 » n'est pas une date valide : février 2024 compte 29 jours, pas de jour 31"),
        ("2025-02-29", 30, "date : « 2025-02-29 » n'est pas une date valide : février 2025 compte 28 jours, pas de jour 29"),
        ("2025-04-00", 30, "date : « 2025-04-00 » n'est pas une date valide : avril 2025 compte 30 jours, pas de jour 00"),
        ("2025-13-01", 30, "date : « 2025-13-01 » n'est pas une date valide : le mois 13 n'existe pas (01 à 12)"),
        ("0001-01-01", 30, "date : « 0001-01-01 » n'est pas une date valide : l'année 1 est hors de 1990-2100"),
        ('"2025-03-12\\n"', 30, "date : « 2025-03-12\n » n'est pas une date valide : AAAA-MM-JJ attendu, par exemple 2025-03-12"),
    ],
)
def test_adoption_date_exists_in_the_calendar(project, typed, line, message):
    edit(project / "strategie.yaml", "  # date: 2025-03-12", f"  date: {typed}")
    p = only_problem(project)
    assert (p.file, p.line, p.column, p.rule, p.message) == (str(project / "strategie.yaml"), line, 9, "schema", message)


def test_a_leap_day_is_a_date(project):
    edit(project / "strategie.yaml", "  # date: 2025-03-12", "  date: 2028-02-29")
    assert problems_of(project) == []


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "2026-02-30",
            "date : « 2026-02-30 » n'est pas un mois ou une date valide : février 2026 compte 28 jours, pas de jour 30",
        ),
        ("2026-13", "date : « 2026-13 » n'est pas un mois ou une date valide : le mois 13 n'existe pas (01 à 12)"),
        ("2026-1", "date : « 2026-1 » n'a pas la forme attendue : Mois (AAAA-MM) ou date (AAAA-MM-JJ)"),
        ("1900-05", "date : « 1900-05 » n'est pas un mois ou une date valide : l'année 1900 est hors de 1990-2100"),
    ],
)
def test_milestone_month_or_date_exists(project, typed, message):
    edit(project / FICHE, "  fin: 2030", f"  fin: 2030\n  jalons:\n    - date: {typed}\n      libelle: x")
    p = only_problem(project, "schema")
    assert (p.file.endswith("1.1.1.yaml"), p.line, p.column) == (True, 28, 13) and p.message.startswith(message)


def test_evaluation_date_exists(project):
    _evaluation(project, date_line="date_bilan: 2027-06-31\n")
    p = only_problem(project)
    assert (p.file.endswith("2026.yaml"), p.line, p.column) == (True, 2, 13)
    assert p.message == "date_bilan : « 2027-06-31 » n'est pas une date valide : juin 2027 compte 30 jours, pas de jour 31"


HUGE_INTEGER = "1" + "0" * 308


@pytest.mark.parametrize(
    ("file", "old", "new", "line", "message"),
    [
        (
            FICHE,
            "budget: 10000",
            "budget: 1.0e+308",
            19,
            f"budget : « 1e+308 » trop grand : une valeur ≤ 1{NNBSP}000{NNBSP}000{NNBSP}000{NNBSP}000 est attendue",
        ),
        (
            FICHE,
            "budget: 10000",
            f"budget: {HUGE_INTEGER}",
            19,
            f"budget : « {HUGE_INTEGER[:59]}… » trop grand",
        ),  # not 309 digits
        (FICHE, "montant: 10000", "montant: 1.0e+12", 20, None),  # at the bound: the funding rule speaks, not the schema
        (
            FICHE,
            "reference: {valeur: 0",
            "reference: {valeur: -1.0e+308",
            32,
            "valeur : « -1e+308 » trop petit : une valeur ≥ -1",
        ),
        (
            "strategie.yaml",
            "  # population: 22000",
            f"  population: {HUGE_INTEGER}",
            16,
            f"population : « {HUGE_INTEGER[:59]}… » trop grand : une valeur ≤ 100{NNBSP}000{NNBSP}000 est attendue",
        ),
        ("strategie.yaml", "  debut: 2025", "  debut: 2025.0", 26, "debut : un nombre entier attendu, « 2025.0 » trouvé"),
        (
            "diagnostic.yaml",
            "      nombre: 1",
            "      nombre: 10000000",
            10,
            f"nombre : « 10000000 » trop grand : une valeur ≤ 1{NNBSP}000{NNBSP}000 est attendue",
        ),
    ],
)
def test_numbers_are_bounded(project, file, old, new, line, message):
    edit(project / file, old, new)
    p = only_problem(project)
    assert (p.file.endswith(file), p.line) == (True, line)
    if message is None:
        assert p.rule == "financements"
    else:
        assert p.rule == "schema" and p.message.startswith(message)


def test_evaluation_and_statistics_values_are_bounded(project):
    _evaluation(project, value="1.0e+300")
    edit(
        project / "diagnostic.yaml",
        "statistiques: []",
        "statistiques:\n  - id: t\n    titre: T\n    annees: [2024, 2025]\n    lignes:\n      - {indicateur: I, valeurs: [~, 1.0e+13]}",
    )
    found = sorted((p.file.rsplit("/", 1)[-1], p.line, p.message.split(" :")[0]) for p in problems_of(project))
    assert found == [("2026.yaml", 5, "valeur"), ("diagnostic.yaml", 28, "valeurs n° 2")]


@pytest.mark.parametrize(
    ("file", "old", "new", "line", "message"),
    [
        (
            "strategie.yaml",
            '  nom: "Testville"',
            "  nom: " + "T" * 151,
            11,
            "nom : texte trop long (151 caractères) : 150 caractères au plus",
        ),
        (
            FICHE,
            "titre: Intitulé de l'action",
            "titre: " + "x" * 301,
            5,
            "titre : texte trop long (301 caractères) : 300 caractères au plus",
        ),
        (
            FICHE,
            "  À rédiger : ce que fait l'action.",
            "  " + "x" * 30_000,
            9,  # and the block's final line feed
            f"description : texte trop long (30{NNBSP}001 caractères) : 30{NNBSP}000 caractères au plus",
        ),
        (
            "strategie.yaml",
            "      rythme: Au moins une fois par an",
            "      composition: " + "x" * 2001,
            61,
            f"composition : texte trop long (2{NNBSP}001 caractères) : 2{NNBSP}000 caractères au plus",
        ),
    ],
)
def test_lengths_are_bounded(project, file, old, new, line, message):
    edit(project / file, old, new)
    p = only_problem(project)
    assert (p.file.endswith(file), p.line, p.rule) == (True, line, "schema") and p.message.startswith(message)


@pytest.mark.parametrize("typed", ['"1.1.1\\n"', "|\n  1.1.1"])
def test_an_identifier_does_not_end_in_a_line_feed(project, typed):
    edit(project / FICHE, "id: 1.1.1", f"id: {typed}")
    p = only_problem(project, "schema")
    assert (p.line, p.column) == (4, 5) and "n'a pas la forme attendue" in p.message


def test_values_at_the_bounds_are_valid(project):
    edit(project / "strategie.yaml", '  nom: "Testville"', "  nom: " + "T" * 150)
    edit(project / "strategie.yaml", "  # population: 22000", "  population: 100000000")
    edit(project / FICHE, "budget: 10000", "budget: 1000000000000")
    edit(project / FICHE, "titre: Intitulé de l'action", "titre: " + "x" * 300)
    edit(project / FICHE, "reference: {valeur: 0", "reference: {valeur: -1000000000000")
    assert problems_of(project) == []


# Each of these once made `stspd build` or `stspd grid` end on a traceback; validation now stops them first.
BREAKERS = {
    "date": ("strategie.yaml", "  # date: 2025-03-12", "  date: 2025-02-30"),
    "milestone": (FICHE, "  fin: 2030", "  fin: 2030\n  jalons: [{date: 2026-02-31, libelle: x}]"),
    "amount": (FICHE, "budget: 10000", "budget: 1.0e+308"),
    "control-character": (FICHE, "titre: Intitulé de l'action", 'titre: "Intitulé\\x01"'),
    "escape-sequence": (FICHE, "titre: Intitulé de l'action", 'titre: "\\e[31mIntitulé"'),
    "long-name": ("strategie.yaml", '  nom: "Testville"', "  nom: " + "Testville" * 34),
}


@pytest.mark.parametrize("case", BREAKERS)
@pytest.mark.parametrize("command", ["build", "grid"])
def test_build_and_grid_refuse_what_would_break_them_without_a_traceback(project, tmp_path, case, command):
    file, old, new = BREAKERS[case]
    edit(project / file, old, new)
    args = ["--format", "docx"] if command == "build" else ["--year", "2026", "--format", "docx,xlsx,csv"]
    result = run(command, project, *args, "--output", tmp_path / "out")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "rien n'a été écrit" in result.output and file in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_sample_at_the_bounds_builds_and_grids(sample_copy, tmp_path):
    def rewrite(name: str, change) -> None:
        path = sample_copy / name
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    def strategy(data):
        data["territoire"].update(nom="V" * 150, population=100_000_000)
        data["adoption"]["date"] = "1990-01-01"
        data["axes"][0]["titre"] = "A" * 300
        data["textes"]["cadre"] = ("Un paragraphe ordinaire, avec des mots et des phrases. " * 30 + "\n\n") * 17

    def evaluation(data):
        entry = data["fiches"][0]
        entry["indicateurs"][0]["valeur"] = 1_000_000_000_000
        entry["moyens"] = {"montant": 1_000_000_000_000, "dont_fipd": 999_999_999_999.5}

    rewrite("strategie.yaml", strategy)
    rewrite("evaluations/2025.yaml", evaluation)
    assert problems_of(sample_copy) == []
    for args in (
        ["build", sample_copy, "--format", "docx,pdf"],
        ["grid", sample_copy, "--year", "2025", "--format", "docx,xlsx,csv"],
    ):
        result = run(*args, "--output", tmp_path / "out")
        assert result.exit_code == 0, result.output
