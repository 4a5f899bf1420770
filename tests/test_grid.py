"""The evaluation grid, exported and read back: CSV as French Excel reads it, XLSX with openpyxl, DOCX with python-docx."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
import yaml
from conftest import SAMPLE, edit, run
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from stspd.evaluation.compute import VERDICTS
from stspd.evaluation.grid import COLUMNS

FICHES = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((SAMPLE / "actions").glob("*.yaml"))]
ROWS = sum(max(1, len(f.get("indicateurs", []))) for f in FICHES)


@pytest.fixture(scope="module")
def exported(tmp_path_factory, request):
    from shutil import copytree

    root = copytree(SAMPLE, tmp_path_factory.mktemp("grid") / "valmont")
    # A pilot's text that a spreadsheet would run as a formula
    path = root / "evaluations" / "2025.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    etat: ", '    commentaires: "=HYPERLINK(\\"http://x\\")"\n    etat: ', 1), encoding="utf-8")
    # Spaces and a tab before the sign do not stop a spreadsheet from running it
    edit(root / "actions" / "1.1.2.yaml", "\ntitre: ", '\ntitre: " \\t=HYPERLINK(\\"http://y\\")" # ')
    out = tmp_path_factory.mktemp("dist")
    result = run("grid", root, "--year", "2025", "--format", "docx,xlsx,csv", "--output", out)
    assert result.exit_code == 0, result.output
    return out


def test_csv_opens_in_french_excel(exported):
    raw = (exported / "grille-2025.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Axe", "N° fiche", "Fiche action"] and len(table) == ROWS + 1
    rodeos = next(r for r in table if r[1] == "3.1.1" and r[7].startswith("Interventions de la police municipale pour rodéos"))
    assert rodeos[15] == "en retard"  # more rodeos while a decrease is aimed at
    assert any("," in r[14] for r in table[1:])  # attainment with a decimal comma
    assert any(cell.startswith("'=HYPERLINK") for r in table for cell in r)
    assert any(cell == '\' \t=HYPERLINK("http://y")' for r in table for cell in r)
    text_cells = [cell for r in table[1:] for cell, column in zip(r, COLUMNS) if not column.number]
    assert not [cell for cell in text_cells if cell.lstrip()[:1] in ("=", "+", "-", "@")]


def test_xlsx_is_ready_to_filter_and_print(exported):
    sheet = load_workbook(exported / "grille-2025.xlsx").active
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref == f"A1:{get_column_letter(len(COLUMNS))}{ROWS + 1}"
    (states,) = sheet.data_validations.dataValidation
    assert states.type == "list" and "réalisée" in states.formula1 and str(states.sqref) == f"F2:F{ROWS + 1}"
    (verdicts,) = list(sheet.conditional_formatting)
    assert str(verdicts.sqref) == f"P2:P{ROWS + 1}" and len(verdicts.rules) == 4
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
    assert sheet["O2"].number_format == "0%" and isinstance(sheet["O2"].value, float)
    formula_like = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and "=HYPERLINK" in c.value]
    assert {c.value for c in formula_like} == {'=HYPERLINK("http://x")', ' \t=HYPERLINK("http://y")'}  # verbatim
    assert all(c.data_type == "s" for c in formula_like)  # text, not a formula
    with zipfile.ZipFile(exported / "grille-2025.xlsx") as archive:
        assert not re.search(rb"<(\w+:)?f[ >]", archive.read("xl/worksheets/sheet1.xml"))


def test_docx_grid_is_landscape_with_verdicts_in_words_and_colour(exported):
    document = Document(str(exported / "grille-2025.docx"))
    assert document.sections[0].page_width > document.sections[0].page_height
    (table,) = document.tables
    header = table.rows[0]
    assert header._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    verdicts = [row.cells[13] for row in table.rows[1:] if row.cells[13].text in VERDICTS.values()]
    assert len(verdicts) == sum(len(f.get("indicateurs", [])) for f in FICHES)
    late = next(c for c in verdicts if c.text == "en retard")
    assert late._tc.find(f".//{qn('w:shd')}").get(qn("w:fill")) == "FFC7CE"
    assert "Atteint : la valeur de l'année atteint la cible" in "\n".join(p.text for p in document.paragraphs)
    bands = [row.cells[0].text for row in table.rows if row.cells[0].text.startswith("Axe ")]
    assert len(bands) == 4


DECISION = "18 novembre 2025, CLSPD en formation restreinte : Refus du dispositif par les habitants"
VALUE_COMMENT = "Année scolaire 2024-2025."
SURVEY = "Part des habitants qui se sentent en sécurité dans leur quartier"


def test_the_decision_and_the_comments_on_values_reach_every_format(exported):
    """Read back from the CSV, the XLSX and the DOCX: the abandonment of 3.4.2 with its decision, the pilot's note on
    a value, and the triennial survey not due in 2025."""
    titles = [c.title for c in COLUMNS]
    table = list(csv.reader(io.StringIO((exported / "grille-2025.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    sheet = [[("" if v is None else str(v)) for v in row] for row in load_workbook(exported / "grille-2025.xlsx").active.values]
    document = Document(str(exported / "grille-2025.docx"))
    docx = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    for rows in (table, sheet, docx):
        header = rows[0]
        decision, comment, verdict, state = (
            header.index(t)
            for t in ("Décision (date, instance, motif)", "Commentaire sur la valeur", "Verdict", "État d'avancement")
        )
        abandoned = [r for r in rows if r[header.index("N° fiche")] == "3.4.2"]
        assert abandoned[0][state] == "abandonnée" and abandoned[0][decision].replace("\u00a0", " ").startswith(DECISION)
        assert [r[verdict] for r in rows].count("fiche abandonnée") == 2  # 3.4.2's two: values given, but it is over
        assert any(r[comment] == VALUE_COMMENT for r in rows)
        assert any(r[verdict] == "pas de mesure prévue cette année" and r[header.index("Indicateur")] == SURVEY for r in rows)
    assert titles == table[0] == sheet[0]  # every column, in the CSV and the XLSX


def test_a_fiche_abandoned_stays_listed_as_abandoned_the_years_after():
    """No evaluation for 2026 yet: 3.4.2, abandoned in 2025, is still abandoned, its indicators out of the counts."""
    from stspd.commands.valid import valid_model
    from stspd.evaluation.grid import rows

    _, view = valid_model(SAMPLE)
    titles = [c.title for c in COLUMNS]
    abandoned = [r for r in rows(view, 2026).rows if r[titles.index("N° fiche")] == "3.4.2"]
    assert {r[titles.index("État d'avancement")] for r in abandoned} == {"abandonnée"}
    assert {r[titles.index("Verdict")] for r in abandoned} == {"fiche abandonnée"}
    assert str(abandoned[0][titles.index("Décision (date, instance, motif)")]).replace("\u00a0", " ").startswith(DECISION)


def test_grid_export_is_byte_identical(exported, tmp_path):
    assert run("grid", SAMPLE, "--year", "2025", "--format", "docx,xlsx,csv", "--output", tmp_path).exit_code == 0
    again = tmp_path / "second"
    assert run("grid", SAMPLE, "--year", "2025", "--format", "docx,xlsx,csv", "--output", again).exit_code == 0
    for fmt in ("docx", "xlsx", "csv"):
        assert (tmp_path / f"grille-2025.{fmt}").read_bytes() == (again / f"grille-2025.{fmt}").read_bytes(), fmt


def test_year_outside_the_period_is_misuse(tmp_path):
    result = run("grid", SAMPLE, "--year", "2031", "--output", tmp_path)
    assert result.exit_code == 2 and "hors de la période" in result.output


def test_grid_of_an_invalid_project_writes_nothing(sample_copy, tmp_path):
    edit(sample_copy / "evaluations" / "2025.yaml", "etat: en_cours", "etat: en_cour")
    result = run("grid", sample_copy, "--year", "2025", "--output", tmp_path / "dist")
    assert result.exit_code == 1 and not (tmp_path / "dist").exists()
