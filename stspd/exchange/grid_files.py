"""The evaluation grid written as CSV, XLSX and DOCX, for partners to read and fill."""

from __future__ import annotations

import csv
import io

from stspd import fr
from stspd.evaluation import compute
from stspd.evaluation.grid import COLUMNS, FICHE_COLUMNS, STATE_COLUMN, VERDICT_COLUMN, Column, Grid
from stspd.model.vocabulary import ETATS
from stspd.resources import HEADER_PLACEHOLDER

# Verdict colours (fill, then text): colour is never the only carrier, the verdict is also written.
VERDICT_COLOURS = {
    "atteint": ("C6EFCE", "006100"),
    "en bonne voie": ("DDEBF7", "1F3864"),
    "en retard": ("FFC7CE", "9C0006"),
    "non renseigné": ("EDEDED", "404040"),
}


FORMULA_STARTS = ("=", "+", "-", "@")


def neutralise(value: str) -> str:
    """A text cell that a spreadsheet would read as a formula (= + - @) starts with an apostrophe instead.

    Spaces or a tab before the sign do not stop Excel or LibreOffice from running it, so they are looked past."""
    return "'" + value if value.lstrip()[:1] in FORMULA_STARTS or value[:1] in ("\t", "\r") else value


def keep_text(sheet) -> None:
    """Every text cell of `sheet` stored as text: openpyxl stores a text starting with « = » as a live formula,
    so a fiche titled =HYPERLINK(…) or =WEBSERVICE(…) would run in the spreadsheet of whoever opens it."""
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # written as an inline string, verbatim


# The order the schema gives a font's properties, which Excel writes and validators hold to; openpyxl writes the
# name first and the colour before the size.
FONT_ORDER = (
    "b",
    "i",
    "strike",
    "condense",
    "extend",
    "outline",
    "shadow",
    "u",
    "vertAlign",
    "sz",
    "color",
    "name",
    "family",
    "charset",
    "scheme",
)
SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _fonts_in_order(styles: bytes) -> bytes:
    from lxml import etree

    root = etree.fromstring(styles)
    rank = {f"{{{SPREADSHEET_NS}}}{name}": place for place, name in enumerate(FONT_ORDER)}
    for font in root.iter(f"{{{SPREADSHEET_NS}}}font"):  # the cells' fonts and the conditional formats' alike
        font[:] = sorted(font, key=lambda property_: rank[property_.tag])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def workbook_bytes(workbook, iso_timestamp: str) -> bytes:
    """The workbook saved, dated `iso_timestamp` inside and out (same input, same bytes), in the schema's order."""
    import datetime

    from stspd.output.zips import normalise_zip

    # Python 3.10's fromisoformat does not read « Z »
    stamp = datetime.datetime.fromisoformat(iso_timestamp.replace("Z", "+00:00")).replace(tzinfo=None)  # noqa: FURB162
    workbook.properties.creator = "stspd"
    workbook.properties.created = workbook.properties.modified = stamp
    out = io.BytesIO()
    workbook.save(out)
    return normalise_zip(out.getvalue(), iso_timestamp, {"xl/styles.xml": _fonts_in_order})


def _text(value, number: bool) -> str:
    if value is None:
        return ""
    if number and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value).replace(".", ",")  # French Excel reads a decimal comma
    return neutralise(str(value))


def to_csv(grid: Grid) -> bytes:
    """UTF-8 with a BOM and `;`: what French Excel opens as columns without an import wizard."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.title for c in COLUMNS])
    for row in grid.rows:
        writer.writerow([_text(value, column.number) for value, column in zip(row, COLUMNS)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(grid: Grid, title: str, iso_timestamp: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Grille {grid.year}"
    sheet.append([c.title for c in COLUMNS])
    for row in grid.rows:
        sheet.append([value for value in row])
    keep_text(sheet)
    wrapped = Alignment(wrap_text=True, vertical="top")  # one object: openpyxl hashes each one it is given
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = wrapped
    header_fill = PatternFill("solid", fgColor="1F3864")
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    last = get_column_letter(len(COLUMNS))
    end = max(2, len(grid.rows) + 1)
    sheet.freeze_panes = "D2"  # the header and the fiche's identity stay in view
    sheet.auto_filter.ref = f"A1:{last}{end}"
    states = DataValidation(type="list", formula1='"' + ",".join(list(ETATS.values()) + ["non évaluée"]) + '"', allow_blank=True)
    states.error, states.errorTitle = "Choisissez un état dans la liste.", "État d'avancement"
    sheet.add_data_validation(states)
    state_letter = get_column_letter(STATE_COLUMN + 1)
    states.add(f"{state_letter}2:{state_letter}{end}")
    verdict_letter = get_column_letter(VERDICT_COLUMN + 1)
    for label, (fill, text) in VERDICT_COLOURS.items():
        sheet.conditional_formatting.add(
            f"{verdict_letter}2:{verdict_letter}{end}",
            CellIsRule(operator="equal", formula=[f'"{label}"'], fill=PatternFill("solid", bgColor=fill), font=Font(color=text)),
        )
    for index, column in enumerate(COLUMNS, start=1):
        if column.title == "Atteinte":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "0%"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    workbook.properties.title = title
    return workbook_bytes(workbook, iso_timestamp)


def to_docx(grid: Grid, title: str, reference, iso_timestamp: str) -> bytes:
    """A landscape document holding the grid, styled by the reference document."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Emu, Pt

    from stspd.output.zips import normalise_zip

    document = Document(str(reference)) if reference else Document()
    body = document.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    # python-docx says None for a size the section does not set; the reference document sets them all
    width, height = section.page_width or 0, section.page_height or 0
    section.page_width, section.page_height = Emu(max(width, height)), Emu(min(width, height))
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Pt(36)
    document.add_heading(title, level=1).paragraph_format.page_break_before = False
    document.add_paragraph(compute.VERDICT_RULE)
    shown = [i for i, c in enumerate(COLUMNS) if c.title not in ("Partenaires", "Commentaires", "Unité")]
    usable = (section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)
    total = sum(COLUMNS[i].width for i in shown)
    widths = [int(usable * COLUMNS[index].width / total) // 635 for index in shown]  # EMU → twentieths of a point
    style = "Table" if "Table" in [s.name for s in document.styles] else None
    body.insert(len(body) - 1, _table(grid, shown, widths, style))  # before the section's properties, which end the body
    for paragraph in section.header.paragraphs:
        for run in paragraph.runs:
            if run.text == HEADER_PLACEHOLDER:
                run.text = title
    document.core_properties.title = title
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue(), iso_timestamp)


def _table(grid: Grid, shown: list[int], widths: list[int], style: str | None):
    """The grid as a WordprocessingML table, written element by element: python-docx's cell by cell API looks up
    the whole table for each cell (8 s for a 1,000-fiche grid, 0.3 s this way)."""
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def sub(parent, tag: str, **attributes: str):
        return etree.SubElement(parent, w + tag, {w + key: value for key, value in attributes.items()})

    def cell(
        row, text: str, width: int, *, bold: bool = False, colour: str | None = None, fill: str | None = None, span: int = 1
    ):
        tc = sub(row, "tc")
        properties = sub(tc, "tcPr")
        sub(properties, "tcW", type="dxa", w=str(width))
        if span > 1:
            sub(properties, "gridSpan", val=str(span))
        if fill:
            sub(properties, "shd", val="clear", color="auto", fill=fill)
        run = sub(sub(tc, "p"), "r")
        run_properties = sub(run, "rPr")
        if bold:
            sub(run_properties, "b")
        if colour:
            sub(run_properties, "color", val=colour)
        sub(run_properties, "sz", val="15")  # 7.5 points
        if text:
            sub(run, "t").text = text
            if text != text.strip():
                run[-1].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")

    table = etree.Element(w + "tbl")
    properties = sub(table, "tblPr")
    if style:
        sub(properties, "tblStyle", val=style)
    sub(properties, "tblW", type="auto", w="0")
    sub(properties, "tblLayout", type="fixed")  # the widths below, not Word's guess from the content
    grid_columns = sub(table, "tblGrid")
    for width in widths:
        sub(grid_columns, "gridCol", w=str(width))  # the grid, which LibreOffice reads; the cells' widths, Word
    header = sub(table, "tr")
    sub(sub(header, "trPr"), "tblHeader")  # repeated at the top of each page
    for index, width in zip(shown, widths):
        cell(header, COLUMNS[index].title, width, bold=True, colour="FFFFFF", fill="1F3864")
    starts = dict(grid.axes)
    previous_fiche = None
    for number, values in enumerate(grid.rows):
        if number in starts:
            cell(sub(table, "tr"), starts[number], sum(widths), bold=True, fill="D9E2F3", span=len(shown))
        row = sub(table, "tr")
        same_fiche = values[1] == previous_fiche  # a fiche's later indicators: its identity is said once
        previous_fiche = values[1]
        for index, width in zip(shown, widths):
            column = COLUMNS[index]
            text = "" if same_fiche and index in FICHE_COLUMNS else _display(values[index], column)
            if index == VERDICT_COLUMN and text in VERDICT_COLOURS:
                fill, colour = VERDICT_COLOURS[text]
                cell(row, text, width, bold=True, colour=colour, fill=fill)
            else:
                cell(row, text, width)
    return table


def _display(value, column: Column) -> str:
    if value is None or value == "":
        return fr.MISSING if column.number else ""
    if column.title == "Atteinte":
        return fr.percent(value)
    if column.title.endswith("(€)"):
        return fr.euros(value)
    if column.number:
        return fr.number(value)
    return str(value)
