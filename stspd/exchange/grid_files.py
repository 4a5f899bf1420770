"""The evaluation grid written as CSV, XLSX and DOCX, for partners to read and fill."""

from __future__ import annotations

import csv
import io
import math

from stspd import fr
from stspd.evaluation import compute
from stspd.evaluation.grid import COLUMNS, FICHE_COLUMNS, STATE_COLUMN, VERDICT_COLUMN, Cell, Column, Grid
from stspd.exchange import grid_layout
from stspd.model.vocabulary import ETATS
from stspd.resources import HEADER_PLACEHOLDER

# Verdict colours (fill, then text): colour is never the only carrier, the verdict is also written.
VERDICT_COLOURS = {
    "atteint": ("C6EFCE", "006100"),
    "en bonne voie": ("DDEBF7", "1F3864"),
    "en retard": ("FFC7CE", "9C0006"),
    "non renseigné": ("EDEDED", "404040"),
    # out of the counts: no colour of judgement, the grey of what is not measured (text 4.5:1 and above)
    "pas de mesure prévue cette année": ("F2F2F2", "595959"),
    "fiche abandonnée": ("F2F2F2", "595959"),
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


# The XLSX prints on A3 whatever the DOCX's paper: its 23 columns fitted to an A4's width would print at a third
# of their size (text under 4 points); on A3, wrapped in narrow columns, at 60 % or more (text of 7 points)
XLSX_PAPER = "a3"


def to_xlsx(grid: Grid, title: str, iso_timestamp: str) -> bytes:
    """The grid to filter on screen and to print: fitted to an A3's width and paginated down, its header row on
    each page, each row as tall as its wrapped text, amounts in euros and ratios as percentages."""
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
        cell.font = Font(name="Calibri", size=SHEET_SIZE, bold=True, color="FFFFFF")  # nameless, LibreOffice sets a serif
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
        if column.number:  # a text column keeps the default format: setting it on each cell costs 0.5 s a 1,000 fiches
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format(cell.value, column)
    titles: list[Cell] = [c.title for c in COLUMNS]
    for number, values in enumerate([titles, *grid.rows], start=1):
        sheet.row_dimensions[number].height = row_height(values, bold=number == 1)
    _print_setup(sheet, title, grid_layout.PAPERS[XLSX_PAPER])
    workbook.properties.title = title
    return workbook_bytes(workbook, iso_timestamp)


# A spreadsheet's type: Calibri 11 points, openpyxl's and Excel's default, whose rows are 15 points tall a line
SHEET_SIZE, SHEET_LINE = 11, 15.0


def number_format(value, column: Column) -> str:
    """A number's format as French Excel and LibreOffice show it: « 12 000 € », « 64,4 % », « 1 000 », « 0,19 »
    (the separators are the reader's locale's); a text cell stays « General »."""
    kind = number_kind(column)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or kind is None:
        return "General"
    if kind == "percent":
        return "0.0 %"  # the value stays a ratio, which a formula can use
    digits = fr.decimals([value]) if kind == "number" else (0 if float(value).is_integer() else 2)
    shown = "#,##0" + ("." + "0" * digits if digits else "")
    return shown + ' "€"' if kind == "euros" else shown


def row_height(values: list, bold: bool = False) -> float:
    """The height in points that shows every cell of a row whole, wrapped in its column's width: LibreOffice does
    not grow a row to its wrapped text on opening a workbook, and prints the lines over one another."""
    lines = 1
    for value, column in zip(values, COLUMNS):
        text = _display(value, column) if isinstance(value, (int, float)) else str(value or "")  # as formatted
        lines = max(lines, grid_layout.line_count(text, sheet_text_width(column.width), SHEET_SIZE, bold))
    return lines * SHEET_LINE


def sheet_text_width(width: float) -> float:
    """The room for text, in points, in a column `width` characters wide: Calibri 11's digit is 7 pixels, of
    which the cell keeps 5 for its margins; a pixel is ¾ of a point."""
    return (width * 7 - 5) * 0.75


def _print_setup(sheet, title: str, paper: grid_layout.Paper) -> None:
    """Printed in landscape, one page wide and as many down as the rows need, the header row on each page, the
    title and year at the top of each, its number out of the total at the bottom."""
    from openpyxl.worksheet.page import PageMargins

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = paper.excel
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.6, header=0.3, footer=0.3)  # inches
    sheet.oddHeader.center.text = title.replace("&", "&&")  # « & » starts a code in a header: doubled, it is itself
    sheet.oddFooter.center.text = "Page &P sur &N"


# The DOCX grid's type size, in points: the same in every cell, so that the widths measured are the widths shown
DOCX_SIZE = 9
# Each cell's margins, left and right, in twentieths of a point (the reference document's table style says 85)
CELL_MARGIN = 85
# The fiche's own columns shown in bold at the head of its row; the axe is said by its band above
IDENTITY = ("N° fiche", "Fiche action")
AXE = "Axe"
HEADER_FILL, AXE_FILL, FICHE_FILL = "1F3864", "D9E2F3", "F2F2F2"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def to_docx(grid: Grid, title: str, reference, iso_timestamp: str, paper: str) -> bytes:
    """A landscape document holding the grid, styled by the reference document: each fiche in a row of its own
    (its identity, state, work, spending, difficulties, next step), followed by its indicators' rows, whose columns
    are as wide as their content asks and never narrower than their longest word or number."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from stspd.output.zips import normalise_zip

    document = Document(str(reference)) if reference else Document()
    body = document.element.body
    for element in list(body):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    sheet = grid_layout.PAPERS[paper]
    section.page_width, section.page_height = Mm(sheet.width), Mm(sheet.height)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Pt(36)
    document.add_heading(typographic(title), level=1).paragraph_format.page_break_before = False
    document.add_paragraph(typographic(compute.VERDICT_RULE))
    usable = ((section.page_width or 0) - (section.left_margin or 0) - (section.right_margin or 0)) // 635  # EMU → twips
    style = "Table" if "Table" in [s.name for s in document.styles] else None
    body.insert(len(body) - 1, _table(grid, usable, style))  # before the section's properties, which end the body
    for paragraph in section.header.paragraphs:
        for run in paragraph.runs:
            if run.text == HEADER_PLACEHOLDER:
                run.text = typographic(title)
    document.core_properties.title = title
    out = io.BytesIO()
    document.save(out)
    return normalise_zip(out.getvalue(), iso_timestamp)


def typographic(text: str) -> str:
    """The apostrophe a French text is set with (’), never the typewriter's (')."""
    return text.replace("'", "\u2019")


def indicator_columns() -> list[int]:
    """The columns of an indicator's row in the DOCX: every column that is not the fiche's."""
    return [index for index in range(len(COLUMNS)) if index not in FICHE_COLUMNS]


def docx_widths(grid: Grid, shown: list[int], usable: int) -> list[int]:
    """The widths of the indicators' columns, in twentieths of a point, over `usable` of them."""
    margins = 2 * CELL_MARGIN / 20
    least, natural = [], []
    for index in shown:
        column = COLUMNS[index]  # its header in bold, and its verdicts
        texts = [(typographic(column.title), True)] + [(_display(v[index], column), index == VERDICT_COLUMN) for v in grid.rows]
        least.append(max(grid_layout.longest_word(text, DOCX_SIZE, bold) for text, bold in texts))
        natural.append(max(grid_layout.one_line(text, DOCX_SIZE, bold) for text, bold in texts))
    room = usable / 20 - margins * len(shown)
    return [math.ceil((width + margins) * 20) for width in grid_layout.fit(least, natural, room)]


Run = tuple[str, bool]  # a text and whether it is bold


def _table(grid: Grid, usable: int, style: str | None):
    """The grid as a WordprocessingML table, written element by element: python-docx's cell by cell API looks up
    the whole table for each cell (8 s for a 1,000-fiche grid, 0.3 s this way)."""
    from lxml import etree

    shown = indicator_columns()
    widths = docx_widths(grid, shown, usable)
    whole = sum(widths)

    def sub(parent, tag: str, **attributes: str):
        return etree.SubElement(parent, W + tag, {W + key: value for key, value in attributes.items()})

    def cell(row, paragraphs: list[list[Run]], width: int, *, colour=None, fill=None, span=1, right=False, keep=False):
        tc = sub(row, "tc")
        properties = sub(tc, "tcPr")
        sub(properties, "tcW", type="dxa", w=str(width))
        if span > 1:
            sub(properties, "gridSpan", val=str(span))
        if fill:
            sub(properties, "shd", val="clear", color="auto", fill=fill)
        for runs in paragraphs or [[]]:
            paragraph = sub(tc, "p")
            if keep or right:
                paragraph_properties = sub(paragraph, "pPr")
                if keep:  # on the page of the row after it
                    sub(paragraph_properties, "keepNext")
                if right:
                    sub(paragraph_properties, "jc", val="right")
            for text, bold in runs:
                run = sub(paragraph, "r")
                run_properties = sub(run, "rPr")
                if bold:
                    sub(run_properties, "b")
                if colour:
                    sub(run_properties, "color", val=colour)
                sub(run_properties, "sz", val=str(DOCX_SIZE * 2))  # half-points
                # the spaces around « · » and after « : » are the text's own
                etree.SubElement(run, W + "t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}).text = text

    def band(paragraphs: list[list[Run]], fill: str) -> None:
        cell(sub(table, "tr"), paragraphs, whole, fill=fill, span=len(shown), keep=True)

    table = etree.Element(W + "tbl")
    properties = sub(table, "tblPr")
    if style:
        sub(properties, "tblStyle", val=style)
    sub(properties, "tblW", type="dxa", w=str(whole))
    sub(properties, "tblLayout", type="fixed")  # the widths below, not Word's guess from the content
    margins = sub(properties, "tblCellMar")
    for side in ("left", "right"):
        sub(margins, side, type="dxa", w=str(CELL_MARGIN))  # the margins the widths were measured with
    grid_columns = sub(table, "tblGrid")
    for width in widths:
        sub(grid_columns, "gridCol", w=str(width))  # the grid, which LibreOffice reads; the cells' widths, Word
    header = sub(table, "tr")
    sub(sub(header, "trPr"), "tblHeader")  # repeated at the top of each page
    for index, width in zip(shown, widths):
        title = typographic(COLUMNS[index].title)
        cell(header, [[(title, True)]], width, colour="FFFFFF", fill=HEADER_FILL, right=COLUMNS[index].number)
    starts = dict(grid.axes)
    previous_fiche = None
    for number, values in enumerate(grid.rows):
        if number in starts:
            band([[(typographic(starts[number]), True)]], AXE_FILL)
        if values[1] != previous_fiche:  # a fiche's first indicator: the fiche's own row before it
            band(_fiche(values), FICHE_FILL)
        previous_fiche = values[1]
        row = sub(table, "tr")
        sub(sub(row, "trPr"), "cantSplit")  # an indicator's row is never cut across two pages
        # a fiche's indicators stay together, and with their fiche, unless they take more than a page
        keep = number + 1 < len(grid.rows) and grid.rows[number + 1][1] == values[1]
        if all(values[index] in (None, "") for index in shown):
            cell(row, [[("Aucun indicateur pour cette fiche.", False)]], whole, span=len(shown))
            continue
        for index, width in zip(shown, widths):
            column = COLUMNS[index]
            text = _display(values[index], column)
            fill, colour = VERDICT_COLOURS.get(text, (None, None)) if index == VERDICT_COLUMN else (None, None)
            cell(row, [[(text, index == VERDICT_COLUMN)]], width, colour=colour, fill=fill, right=column.number, keep=keep)
    return table


def _fiche(values: list) -> list[list[Run]]:
    """A fiche's row: its number and title in bold, its short facts on one line (« Pilote : … · État : … »), each
    of its prose columns (what was done, difficulties…) in a paragraph of its own; what is empty is left out."""
    titles = [column.title for column in COLUMNS]
    identity = " · ".join(typographic(str(values[titles.index(name)])) for name in IDENTITY)
    facts: list[Run] = []
    prose: list[list[Run]] = []
    for index in sorted(FICHE_COLUMNS):
        column = COLUMNS[index]
        if column.title in IDENTITY or column.title == AXE or values[index] in (None, ""):
            continue
        label = typographic(column.title.removesuffix(" (€)")) + "\u00a0: "  # French sets a space before the colon
        said: list[Run] = [(label, True), (_display(values[index], column), False)]
        if column.prose:
            prose.append(said)
        else:
            facts += ([(" · ", False)] if facts else []) + said
    return [[(identity, True)], *([facts] if facts else []), *prose]


def _display(value, column: Column) -> str:
    if value is None or value == "":
        return fr.MISSING if column.number else ""
    kind = number_kind(column)
    if kind == "percent":
        return fr.percent(value)
    if kind == "euros":
        return fr.euros(value)
    if kind == "number":
        return fr.number(value)
    return typographic(str(value))


def number_kind(column: Column) -> str | None:
    """How a column's numbers are written: « percent » (a ratio), « euros », « number »; None for a text column."""
    if column.title == "Atteinte":
        return "percent"
    if column.title.endswith("(€)"):
        return "euros"
    return "number" if column.number else None
