"""The evaluation grid, exported and read back: CSV as French Excel reads it, XLSX with openpyxl, DOCX with python-docx."""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile

import pytest
import yaml
from conftest import SAMPLE, edit, run
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from PIL import ImageFont

from stspd.evaluation.compute import VERDICTS
from stspd.evaluation.grid import COLUMNS
from stspd.exchange.grid_files import VERDICT_COLOURS
from stspd.resources import data_dir

FONTS = data_dir() / "fonts"
COLUMN = {column.title: index for index, column in enumerate(COLUMNS)}
LAST = get_column_letter(len(COLUMNS))


def letter(title: str) -> str:
    return get_column_letter(COLUMN[title] + 1)


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
    assert sheet.freeze_panes == "D2" and sheet.auto_filter.ref == f"A1:{LAST}{ROWS + 1}"
    (states,) = sheet.data_validations.dataValidation
    assert states.type == "list" and "réalisée" in states.formula1 and str(states.sqref) == f"F2:F{ROWS + 1}"
    (verdicts,) = list(sheet.conditional_formatting)
    assert str(verdicts.sqref) == f"{letter('Verdict')}2:{letter('Verdict')}{ROWS + 1}" and len(verdicts.rules) == len(
        VERDICT_COLOURS
    )
    late = next(rule for rule in verdicts.rules if rule.formula == ['"en retard"'])
    assert late.dxf.fill.bgColor.rgb.endswith("FFC7CE") and late.dxf.font.color.rgb.endswith("9C0006")
    formula_like = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str) and "=HYPERLINK" in c.value]
    assert {c.value for c in formula_like} == {'=HYPERLINK("http://x")', ' \t=HYPERLINK("http://y")'}  # verbatim
    assert all(c.data_type == "s" for c in formula_like)  # text, not a formula
    with zipfile.ZipFile(exported / "grille-2025.xlsx") as archive:
        assert not re.search(rb"<(\w+:)?f[ >]", archive.read("xl/worksheets/sheet1.xml"))


def test_xlsx_prints_one_page_wide_paginated_down_with_titles_and_page_numbers(exported):
    sheet = load_workbook(exported / "grille-2025.xlsx").active
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 8  # A3, whatever the DOCX's paper
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0) and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"  # the header row on every page
    assert sheet.oddHeader.center.text == "Grille d'évaluation 2025 · Valmont-sur-Loire"
    assert sheet.oddFooter.center.text == "Page &P sur &N"
    assert sheet["A1"].font.name == "Calibri" and sheet["A1"].font.b  # not the serif LibreOffice gives a nameless font


def test_xlsx_prints_at_a_scale_a_person_can_read(exported):
    """Fitted to the paper's width, the grid prints at (printable width) / (sheet width): at least 60 %, 11-point
    text printed at 6.6 points or more. A column `w` characters wide is 7 w + 5 pixels, ¾ of a point each."""
    sheet = load_workbook(exported / "grille-2025.xlsx").active
    setup, margins = sheet.page_setup, sheet.page_margins
    paper_width = {9: 297, 8: 420}[int(setup.paperSize)] / 25.4 * 72  # landscape: the long side, in points
    printable = paper_width - (margins.left + margins.right) * 72
    widths = [sheet.column_dimensions[letter(c.title)].width for c in COLUMNS]
    assert len(widths) == 23 and all(widths)
    scale = printable / sum((7 * w + 5) * 0.75 for w in widths)
    assert scale >= 0.6, scale
    # the A4 it printed on before: a third of the size
    assert (297 / 25.4 * 72 - (margins.left + margins.right) * 72) / sum((7 * w + 5) * 0.75 for w in widths) < 0.5


def test_xlsx_amounts_in_euros_and_ratios_as_percentages(exported):
    sheet = load_workbook(exported / "grille-2025.xlsx").active
    spent, ratio = sheet[f"{letter('Dépenses (€)')}2"], sheet[f"{letter('Atteinte')}2"]
    assert spent.value == 6800 and spent.number_format == '#,##0 "€"'  # thousands separated, in euros
    assert ratio.value == 0.6 and ratio.number_format == "0.0 %"  # a ratio, shown as 60,0 %
    counts = [row[0] for row in sheet.iter_rows(min_row=2, min_col=COLUMN["Cible"] + 1, max_col=COLUMN["Cible"] + 1)]
    assert {c.number_format for c in counts if c.value == 1000} == {"#,##0"}
    assert {c.number_format for c in counts if isinstance(c.value, float) and not c.value.is_integer()} <= {"#,##0.0", "#,##0.00"}


def test_xlsx_rows_are_tall_enough_for_their_wrapped_text(exported):
    """No row shorter than its text needs even if packed without a gap: LibreOffice would print the lines over one
    another (a line of Calibri 11 takes 15 points in Excel)."""
    sheet = load_workbook(exported / "grille-2025.xlsx").active
    regular = ImageFont.truetype(str(FONTS / "Carlito-Regular.ttf"), 1000)
    tallest = 0.0
    for row in sheet.iter_rows(min_row=2):
        height = sheet.row_dimensions[row[0].row].height
        tallest = max(tallest, height)
        for cell, column in zip(row, COLUMNS):
            if isinstance(cell.value, str):
                room = (column.width * 7 - 5) * 0.75  # points: 7 pixels a character, 5 for the margins
                lines = math.ceil(regular.getlength(cell.value.replace("\u00a0", " ")) * 11 / 1000 / room)
                assert height >= 15 * lines, (cell.coordinate, cell.value)
    assert tallest >= 150  # the sample's longest partner lists take ten lines or more


def _text_width(text: str, size: float, bold: bool) -> float:
    font = ImageFont.truetype(str(FONTS / ("Carlito-Bold.ttf" if bold else "Carlito-Regular.ttf")), 1000)
    return font.getlength(text.replace("\u00a0", " ")) * size / 1000


def _no_column_narrower_than_its_words(path) -> list[str]:
    """Each cell's longest word or number against its column's width less the cells' margins, measured with the
    font the DOCX names (Calibri, whose advance widths Carlito has): what does not fit."""
    document = Document(str(path))
    (table,) = document.tables
    tbl = table._tbl
    widths = [int(column.get(qn("w:w"))) / 20 for column in tbl.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
    margins = (
        sum(int(tbl.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}/{qn(f'w:{side}')}").get(qn("w:w"))) for side in ("left", "right"))
        / 20
    )
    assert sum(widths) <= (document.sections[0].page_width - 2 * document.sections[0].left_margin) / 12700 + 1
    too_narrow = []
    for tr in tbl.findall(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        if len(cells) != len(widths):
            continue  # an axe's band or a fiche's row, as wide as the page
        for tc, width in zip(cells, widths):
            for text_run in tc.iter(qn("w:r")):
                size = int(text_run.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val"))) / 2
                bold = text_run.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
                for word in "".join(t.text or "" for t in text_run.iter(qn("w:t"))).split():
                    if _text_width(word, size, bold) > width - margins:
                        too_narrow.append(word)
    return too_narrow


def test_docx_columns_are_never_narrower_than_their_longest_word_or_number(exported, tmp_path):
    assert _no_column_narrower_than_its_words(exported / "grille-2025.docx") == []
    document = Document(str(exported / "grille-2025.docx"))
    (table,) = document.tables
    header = [cell.text for cell in table.rows[0].cells]
    figures = [row.cells[header.index("Valeur N")].text for row in table.rows[1:] if len(set(row.cells)) == len(header)]
    assert "1\u202f000" in figures or any("\u202f" in f for f in figures)  # thousands kept together by a no-break space
    assert not [f for f in figures if " " in f]  # no space a line could break at inside a number


def test_docx_on_a3_is_a3_landscape_with_wider_columns(exported, tmp_path):
    result = run("grid", SAMPLE, "--annee", "2025", "--format", "docx,xlsx", "--paper", "a3", "--sortie", tmp_path)
    assert result.exit_code == 0, result.output
    section = Document(str(tmp_path / "grille-2025.docx")).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (420, 297)
    assert _no_column_narrower_than_its_words(tmp_path / "grille-2025.docx") == []
    assert load_workbook(tmp_path / "grille-2025.xlsx").active.page_setup.paperSize == 8  # A3
    assert run("grid", SAMPLE, "--annee", "2025", "--papier", "a5", "--sortie", tmp_path).exit_code == 2


def test_docx_grid_is_landscape_with_verdicts_in_words_and_colour(exported):
    document = Document(str(exported / "grille-2025.docx"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)  # A4 landscape
    (table,) = document.tables
    header = table.rows[0]
    assert header._tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    titles = [cell.text for cell in header.cells]
    assert titles[0] == "Indicateur" and "Verdict" in titles and "Référence" in titles
    verdict = titles.index("Verdict")
    verdicts = [row.cells[verdict] for row in table.rows[1:] if row.cells[verdict].text in VERDICTS.values()]
    assert len(verdicts) == sum(len(f.get("indicateurs", [])) for f in FICHES)
    late = next(c for c in verdicts if c.text == "en retard")
    assert late._tc.find(f".//{qn('w:shd')}").get(qn("w:fill")) == "FFC7CE"
    assert late._tc.find(f".//{qn('w:color')}").get(qn("w:val")) == "9C0006"
    assert "Atteint : la valeur de l\u2019année atteint la cible" in "\n".join(p.text for p in document.paragraphs)
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
    for rows in (table, sheet):
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
    # The DOCX says a fiche's facts in its row across the page, then its indicators' rows
    document = Document(str(exported / "grille-2025.docx"))
    cells = [cell.text.replace("\u00a0", " ") for row in document.tables[0].rows for cell in row.cells]
    assert any(DECISION in text for text in cells) and any(VALUE_COMMENT in text for text in cells)
    # distinct cells by their XML element, held in the set: python-docx makes a new proxy at each reading, and the id of
    # a proxy already freed may be given again
    assert len({c._tc for row in document.tables[0].rows for c in row.cells if c.text == "fiche abandonnée"}) == 2
    assert "pas de mesure prévue cette année" in cells


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


def test_docx_fiche_row_says_the_fiche_before_its_indicators(exported):
    document = Document(str(exported / "grille-2025.docx"))
    (table,) = document.tables
    rows = [row for row in table.rows[1:] if not row.cells[0].text.startswith("Axe ")]
    first = next(index for index, row in enumerate(rows) if row.cells[0].text.startswith("1.1.1 · Ateliers"))
    fiche = rows[first].cells[0]
    assert len(set(rows[first].cells)) == 1  # one cell across the page
    lines = [p.text for p in fiche.paragraphs]
    assert lines[0].startswith("1.1.1 · Ateliers « Citoyens en herbe »")
    assert "Pilote\u00a0: Direction de la tranquillité publique" in lines[1]
    assert "Dépenses\u00a0: 6\u202f800\u00a0€" in lines[1] and "Suite\u00a0: poursuivre" in lines[1]
    assert any(line.startswith("Réalisé dans l\u2019année\u00a0: Cycle complet") for line in lines)
    assert rows[first + 1].cells[0].text.startswith("Nombre de classes")  # its indicators follow
    texts = [t.text for t in document.element.body.iter(qn("w:t")) if t.text]
    assert not [t for t in texts if "'" in t]  # the typographic apostrophe only


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


def test_docx_fiche_without_indicators_says_so_instead_of_a_row_of_dashes():
    from stspd.commands.valid import valid_model
    from stspd.evaluation.grid import Grid, rows
    from stspd.exchange.grid_files import indicator_columns, to_docx
    from stspd.render.documents import find_template_file

    _, view = valid_model(SAMPLE)
    bare = list(rows(view, 2025).rows[0])
    for index in indicator_columns():
        bare[index] = None  # as the grid gives a fiche without indicators
    grid = Grid(2025, [bare], [(0, "Axe 1 · Agir tôt")])
    written = to_docx(grid, "Grille", find_template_file("reference.docx"), "2025-01-01T00:00:00Z", "a4")
    (table,) = Document(io.BytesIO(written)).tables
    assert [row.cells[0].text for row in table.rows[1:]][-1] == "Aucun indicateur pour cette fiche."
    assert "—" not in "".join(cell.text for row in table.rows for cell in row.cells)


def test_how_an_indicator_is_counted_is_printed_beside_it_in_every_format(exported):
    """The fiche's comment on an indicator (how it is counted) follows its name in the CSV, the XLSX and the DOCX:
    the evaluator reads the year's value against it."""
    counted = "Nombre d'élèves sensibilisés dans l'année (Un élève qui suit le cycle deux années de suite compte une fois)"
    table = list(csv.reader(io.StringIO((exported / "grille-2025.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    sheet = [[("" if v is None else str(v)) for v in row] for row in load_workbook(exported / "grille-2025.xlsx").active.values]
    for rows in (table, sheet):
        assert [r[COLUMN["Indicateur"]] for r in rows if r[COLUMN["N° fiche"]] == "1.1.1"][1] == counted
    document = Document(str(exported / "grille-2025.docx"))
    cells = [cell.text.replace("\u00a0", " ").replace("\u2019", "'") for row in document.tables[0].rows for cell in row.cells]
    assert counted in cells  # the DOCX's apostrophes are typographic


def test_the_pilot_is_named_with_its_service(exported):
    """The service that pilots within the pilot institution, as the fiche says it: the evaluator knows whom to ask."""
    table = list(csv.reader(io.StringIO((exported / "grille-2025.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    pilots = {row[COLUMN["N° fiche"]]: row[COLUMN["Pilote"]] for row in table[1:]}
    assert pilots["1.1.2"] == "Ville de Valmont-sur-Loire (Direction des sports)"
    assert pilots["1.1.1"] == "Direction de la tranquillité publique et de la prévention (coordination du CLSPD)"


def test_docx_negatives_take_the_minus_sign_as_in_the_bilan(exported):
    """« −40,4 % », « −2 » (U+2212), as stspd/fr.py writes every number; the XLSX keeps the number itself."""
    document = Document(str(exported / "grille-2025.docx"))
    (table,) = document.tables
    header = [cell.text for cell in table.rows[0].cells]
    figures = [
        row.cells[header.index(title)].text
        for row in table.rows[1:]
        if len(set(row.cells)) == len(header)
        for title in ("Écart à la cible", "Atteinte", "Valeur N")
    ]
    assert "\u221240,4\u202f%" in figures and "\u22122" in figures
    assert not [f for f in figures if re.search(r"-\d", f)]
    sheet = load_workbook(exported / "grille-2025.xlsx").active
    attainments = [c.value for (c,) in sheet.iter_rows(min_row=2, min_col=COLUMN["Atteinte"] + 1, max_col=COLUMN["Atteinte"] + 1)]
    assert -0.404 in attainments
