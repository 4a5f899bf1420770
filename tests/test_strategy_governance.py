"""The strategy as a real one holds it: adoption steps, governance as data, the evaluation calendar, the document's
identity and the territory's other facts. Checked (schema and rules) and printed where a reader looks for them."""

from __future__ import annotations

import zipfile

import pytest
from conftest import edit, only_problem, problems_of, run

from stspd.check.validation import validate_project

STRATEGIE = "strategie.yaml"


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")  # French typesetting's no-break spaces


def _docx_texts(path) -> tuple[list[str], list[list[list[str]]]]:
    from docx import Document

    document = Document(str(path))
    paragraphs = [_plain(p.text) for p in document.paragraphs]
    tables = [[[_plain(c.text) for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def _table(tables, first_header: str, columns: int) -> list[list[str]]:
    return next(t for t in tables if t[0][0] == first_header and len(t[0]) == columns)


# Schema: the new fields are optional and closed; wrong values are refused with their place.


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("statut: adopte", "statut: brouillon", "statut"),
        ("      type: groupe_territorial\n", "      type: quartier\n", "type"),
        ("    numero: 2024-031\n", "    numero: 2024-031\n    registre: 4\n", "registre"),
        ("    etp: 1\n", "    etp: 0\n", "etp"),
        ("  logements: 31200\n", "  logements: -3\n", "logements"),
        ("    - dispositif: cddf\n", "    - dispositif: clsd\n", "dispositif"),
        ("  - type: mi_parcours\n", "  - type: bilan\n", "type"),
    ],
)
def test_the_schema_refuses_wrong_values_of_the_new_fields(sample_copy, old, new, message):
    edit(sample_copy / STRATEGIE, old, new)
    p = only_problem(sample_copy, "schema")
    line = (sample_copy / STRATEGIE).read_text(encoding="utf-8").splitlines()[p.line - 1]
    assert p.file.endswith(STRATEGIE) and message in line, (p.message, line)


def test_a_strategy_without_the_new_fields_still_validates(sample_copy):
    text = (sample_copy / STRATEGIE).read_text(encoding="utf-8")
    cut = text[: text.index("calendrier_evaluation:")] + text[text.index("glossaire:") :]
    for key in ("sous_titre:", "version:", "statut:", "  region:", "  logements:"):
        cut = "\n".join(line for line in cut.splitlines() if not line.startswith(key)) + "\n"
    (sample_copy / STRATEGIE).write_text(cut, encoding="utf-8")
    assert [p for p in problems_of(sample_copy) if not p.is_warning] == []


# Rules: the adoption's steps in order, instances naming what exists, the calendar against the evaluations.


def test_the_adoption_steps_come_in_order(sample_copy):
    edit(sample_copy / STRATEGIE, "  pleniere: 2024-02-06", "  pleniere: 2024-05-06")
    p = only_problem(sample_copy, "adoption")
    assert "pleniere" not in p.message.split(":")[0] and p.message.startswith("deliberation.date : la délibération")
    assert "précède la séance plénière (2024-05-06)" in p.message and p.line > 1


def test_instances_name_existing_partners_and_axes(sample_copy):
    edit(sample_copy / STRATEGIE, '      axes: ["3"]\n', '      axes: ["3", "7"]\n')
    edit(sample_copy / STRATEGIE, "      membres: [pm, csu,", "      membres: [pm, csux,")
    messages = sorted(p.message for p in problems_of(sample_copy) if p.rule == "gouvernance")
    assert messages[0] == "axes : axe inconnu « 7 »"
    assert messages[1].startswith("membres : partenaire inconnu « csux »") and "« csu »" in messages[1]


def test_the_calendar_names_known_instances_within_the_period(sample_copy):
    edit(
        sample_copy / STRATEGIE,
        "    annee: 2028\n    date: 2028-12\n    instance: pleniere",
        "    annee: 2029\n    date: 2028-12\n    instance: plenière",
    )
    messages = sorted(p.message for p in problems_of(sample_copy) if p.rule == "calendrier")
    assert messages[0] == "annee : 2029 est hors de la période de la stratégie (2024–2028)"
    assert messages[1].startswith("instance : instance inconnue « plenière » (gouvernance › instances)")
    assert "« pleniere »" in messages[1] and len(messages) == 2


def test_a_past_yearly_bilan_without_its_evaluation_is_warned(sample_copy):
    (sample_copy / "evaluations" / "2024.yaml").unlink()
    assert [p for p in problems_of(sample_copy) if p.rule == "calendrier"] == []  # a warning, not an error
    [warning] = [p for p in validate_project(sample_copy, strict=True)[1] if p.rule == "calendrier"]
    assert warning.is_warning and "le bilan annuel 2024 est prévu, 2025 est déjà évalué" in warning.message
    assert "evaluations/2024.yaml manque" in warning.message


def test_the_last_year_evaluated_has_nothing_after_it_so_the_next_bilan_not_made_is_no_problem(sample_copy):
    (sample_copy / "evaluations" / "2025.yaml").unlink()
    assert [p for p in validate_project(sample_copy, strict=True)[1] if p.rule == "calendrier"] == []


def test_an_evaluation_the_calendar_does_not_plan_or_dates_otherwise_is_warned(sample_copy):
    """The document prints the calendar and each bilan's date: they must agree."""
    edit(sample_copy / "evaluations" / "2025.yaml", "date_bilan: 2026-04-09", "date_bilan: 2026-05-09")
    edit(sample_copy / STRATEGIE, "  - type: bilan_annuel\n    annee: 2024\n    date: 2025-04-10\n    instance: pleniere\n", "")
    found = [p for p in validate_project(sample_copy, strict=True)[1] if p.rule == "calendrier"]
    assert all(p.is_warning for p in found)
    assert [(p.file.rsplit("/", 1)[-1], p.line, p.message) for p in found] == [
        (
            "2024.yaml",
            3,
            "annee : le calendrier d'évaluation (strategie.yaml) ne prévoit pas de bilan annuel 2024 : ajoutez-le au calendrier",
        ),
        (
            "strategie.yaml",
            513,
            (
                "date : le bilan annuel 2025 est prévu le 2026-04-09, evaluations/2025.yaml donne 2026-05-09 (date_bilan) : "
                "mettez à jour l'une des deux dates"
            ),
        ),
    ]
    # a step dated by its month agrees with any day of it
    edit(sample_copy / STRATEGIE, "    date: 2026-04-09\n", "    date: 2026-05\n")
    assert len([p for p in validate_project(sample_copy, strict=True)[1] if p.rule == "calendrier"]) == 1


# The document: each field where a reader looks for it.


def test_the_cover_and_header_say_identity_and_adoption(built):
    paragraphs, _ = _docx_texts(built / "strategie.docx")
    assert "Valmont-sur-Loire, une ville sûre et solidaire" in paragraphs[:6]
    assert "Version 1.1" in paragraphs[:8]
    adoption = next(p for p in paragraphs if p.startswith("Adoptée le 14 mars 2024"))
    assert "délibération n° 2024-031" in adoption and "séance plénière le 6 février 2024" in adoption
    with zipfile.ZipFile(built / "strategie.docx") as docx:
        headers = "".join(docx.read(n).decode() for n in docx.namelist() if n.startswith("word/header"))
    assert "Valmont-sur-Loire · STSPD 2024–2028 · version 1.1" in headers and "PROJET" not in headers


def test_the_signature_page_is_written_fait_a_when_known(built):
    _, tables = _docx_texts(built / "strategie.docx")
    signatures = _table(tables, "Signataire", 2)
    assert all(row[1].startswith("Fait à Valmont-sur-Loire\nle 2 avril 2024\n") for row in signatures[1:])


def test_governance_and_calendar_are_printed_as_tables(built):
    _, tables = _docx_texts(built / "strategie.docx")
    bodies = _table(tables, "Instance", 5)
    assert bodies[0] == ["Instance", "Présidence et animation", "Membres", "Rythme", "Axes"]
    tranquillity = next(row for row in bodies if row[0].startswith("Groupe thématique « Tranquillité"))
    assert tranquillity[2].startswith("PM ; CSU ; ") and tranquillity[4] == "3"
    assert "animation : Le chef de service de la police municipale" in tranquillity[1]
    assert not any("Cellule de veille" in row[0] for row in bodies)  # confidential: never in the table
    post = dict(map(tuple, _table(tables, "Poste", 2)[1:]))
    assert post["Temps consacré"] == "1 ETP" and post["Fonction"] == "Coordonnateur du CLSPD"
    links = _table(tables, "Dispositif", 2)
    assert links[3][0] == "Conseil pour les droits et devoirs des familles (CDDF)"  # no name given: what it is
    calendar = _table(tables, "Étape", 5)
    assert [row[0] for row in calendar[1:]].count("Bilan annuel") == 4
    assert calendar[0][1] == "Année" and calendar[1][:4] == ["Bilan annuel", "2024", "10 avril 2025", "CLSPD en séance plénière"]
    assert calendar[-1][:3] == ["Évaluation finale", "2028", "décembre 2028"]


def test_the_territory_prints_region_dwellings_and_other_neighbourhoods(built):
    _, tables = _docx_texts(built / "strategie.docx")
    facts = dict(map(tuple, _table(tables, "Donnée", 2)[1:]))
    assert facts["Territoire"] == "Valmont-sur-Loire (Loiret, Centre-Val de Loire)" and facts["Logements"] == "31 200"
    neighbourhoods = _table(tables, "Autre quartier suivi", 3)
    assert neighbourhoods[2] == [
        "Les Gravelles",
        "2 650",
        "Quartier de veille active, sorti de la géographie prioritaire en 2024",
    ]


def test_a_draft_says_projet_on_the_cover_and_every_page(sample_copy, tmp_path):
    edit(sample_copy / STRATEGIE, "statut: adopte", "statut: projet")
    assert run("build", sample_copy, "--format", "md,html", "--sortie", tmp_path).exit_code == 0
    markdown = (tmp_path / "strategie.md").read_text(encoding="utf-8")
    front = markdown[: markdown.index("\n---\n", 4)]
    assert '  - "PROJET · version 1.1"' in front and "Adoptée le" not in front  # a draft is not adopted yet
    assert "PROJET · version 1.1" in (tmp_path / "strategie.html").read_text(encoding="utf-8")


def test_the_running_header_puts_projet_first():
    from stspd.render.documents import running_header

    view = {"strategie": {"statut": "projet"}, "territoire": {"nom": "Testville"}, "periode": {"debut": 2025, "fin": 2030}}
    assert running_header(view) == "PROJET · Testville · STSPD 2025–2030"
