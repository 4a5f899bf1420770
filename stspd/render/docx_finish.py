"""What pandoc's DOCX writer cannot do, done on its output's XML with lxml and python-docx's element classes.

Header text, the town's logo on the cover, a table of contents readable before Word updates it, full-width tables
with a shaded header row repeated on each page, and landscape sections for wide tables that keep the headers and
footers. Only the parts that change are parsed (python-docx's Document would read and rewrite them all: 35 ms).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn as _qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, RGBColor
from docx.text.run import Run
from lxml import etree

from stspd.output.zips import normalise_zip
from stspd.resources import HEADER_PLACEHOLDER

qn = lru_cache(maxsize=None)(_qn)
_NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
}  # python-docx splits the name on every call: 17,000 calls per build

HEADER_FILL = "1F3864"
HEADER_TEXT = "FFFFFF"
LANDSCAPE_START, LANDSCAPE_END = "StspdLandscapeStart", "StspdLandscapeEnd"
DOCUMENT, RELATIONSHIPS, CONTENT_TYPES = "word/document.xml", "word/_rels/document.xml.rels", "[Content_Types].xml"
NUMBERING = "word/numbering.xml"
LIST_INDENT = 340  # twips (0.6 cm) per level: the PDF's lists, where pandoc's 1.27 cm would wrap their lines sooner
_HEADER_PART = re.compile(r"word/header\d*\.xml")
LOGO_ID = "rIdStspdLogo"
IMAGE_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
# python-docx's parser settings without its element classes, which slow every access down
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)


def postprocess(docx: bytes, header_text: str, logo: Path | None, iso_timestamp: str, logo_text: str = "Logo") -> bytes:
    """pandoc's DOCX finished, its dates fixed (see output/zips.normalise_zip); `logo_text` is what a screen reader
    says of the logo."""
    names = zipfile.ZipFile(io.BytesIO(docx)).namelist()
    return normalise_zip(docx, iso_timestamp, *edits(names, header_text, logo, logo_text))


def edits(
    names: list[str], header_text: str, logo: Path | None = None, logo_text: str = "Logo"
) -> tuple[dict[str, Callable[[bytes], bytes]], dict[str, bytes]]:
    """What to change in which entry of pandoc's DOCX (whose entries are `names`), and the entries to add."""
    changes: dict[str, Callable[[bytes], bytes]] = {
        name: (lambda xml: _header(xml, header_text)) for name in names if _HEADER_PART.fullmatch(name)
    }
    added: dict[str, bytes] = {}
    picture = None
    if logo:
        from docx.image.image import Image

        image = Image.from_blob(logo.read_bytes())
        target = f"media/stspd-logo.{image.ext}"
        added[f"word/{target}"] = image.blob
        changes[RELATIONSHIPS] = lambda xml: _relationship(xml, target)
        changes[CONTENT_TYPES] = lambda xml: _content_type(xml, image.ext, image.content_type)
        picture = (image, target, logo_text)
    changes[DOCUMENT] = lambda xml: _document(xml, picture)
    changes[NUMBERING] = _list_indents
    return changes, added


def _list_indents(xml: bytes) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    for level in root.iter(qn("w:lvl")):
        indent = level.find(f"{qn('w:pPr')}/{qn('w:ind')}")
        if indent is not None and indent.get(qn("w:hanging")):
            indent.set(qn("w:left"), str(LIST_INDENT * (int(level.get(qn("w:ilvl"))) + 1)))
            indent.set(qn("w:hanging"), str(LIST_INDENT))
    return _serialise(root)


def _serialise(root) -> bytes:
    return etree.tostring(root, encoding="UTF-8", standalone=True)


def _document(xml: bytes, picture) -> bytes:
    root = etree.fromstring(xml, _PARSER)
    body = root.find(qn("w:body"))
    if picture:
        _logo(root, body, *picture)
    _toc(body)
    for table in body.iterchildren(qn("w:tbl")):
        _table(table)
        _verdict_cells(table)
    _picture_lines(body)
    _pages_break_before(body)
    _follow_on(body)
    _landscape(body)
    _bare_cover(body)
    return _serialise(root)


def _detached(element) -> Run:
    """A run read or changed outside a document: python-docx needs its parent only to reach the document's parts,
    which reading or setting its text and font never do."""
    return Run(element, None)  # type: ignore[arg-type]


def _header(xml: bytes, text: str) -> bytes:
    root = parse_xml(xml)
    for paragraph in root.iterchildren(qn("w:p")):
        for run in paragraph.iterchildren(qn("w:r")):
            if _detached(run).text == HEADER_PLACEHOLDER:
                _detached(run).text = text
    return _serialise(root)


def _relationship(xml: bytes, target: str) -> bytes:
    root = etree.fromstring(xml)
    etree.SubElement(root, f"{{{PACKAGE_RELATIONSHIPS}}}Relationship", Id=LOGO_ID, Type=IMAGE_RELATIONSHIP, Target=target)
    return _serialise(root)


def _content_type(xml: bytes, extension: str, content_type: str) -> bytes:
    root = etree.fromstring(xml)
    if not any(
        default.get("Extension", "").lower() == extension for default in root.iterchildren(f"{{{CONTENT_TYPES_NS}}}Default")
    ):
        root.insert(0, etree.Element(f"{{{CONTENT_TYPES_NS}}}Default", Extension=extension, ContentType=content_type))
    return _serialise(root)


def _logo(root, body, image, target: str, text: str) -> None:
    """The town's logo above the title of the cover, 2.5 cm high."""
    title = next((p for p in body.iterchildren(qn("w:p")) if _style_of(p) == "Title"), None)
    if title is None:
        return
    width, height = image.scaled_dimensions(None, Cm(2.5))
    # drawing ids are unique in the document: the next after the highest (python-docx's rule)
    shape_id = max((int(value) for value in root.xpath("//@id") if value.isdigit()), default=0) + 1
    drawing = OxmlElement("w:drawing")
    inline = CT_Inline.new_pic_inline(shape_id, LOGO_ID, Path(target).name, width, height)
    inline.find(qn("wp:docPr")).set("descr", text)  # the alternative text Word shows and screen readers say
    drawing.append(inline)
    run = OxmlElement("w:r")
    run.append(drawing)
    paragraph = OxmlElement("w:p")
    paragraph.append(run)
    title.addprevious(paragraph)


def _style_of(paragraph) -> str | None:
    """The paragraph's style id: by position, pPr and pStyle being first by the schema (a path search costs 6 µs)."""
    if len(paragraph) and paragraph[0].tag == qn("w:pPr"):
        properties = paragraph[0]
        if len(properties) and properties[0].tag == qn("w:pStyle"):
            return properties[0].get(qn("w:val"))
    return None


def _headings(body) -> list[tuple[int, str, str]]:
    """(level, text, bookmark) of the level-1 and level-2 headings, in order. Each gets a bookmark of its own
    inside its paragraph, named as Word names those of its contents (_Toc…): pandoc's bookmarks span whole sections,
    and LibreOffice cannot find some of them for a page reference."""
    found: list[tuple[int, str, str]] = []
    next_id = max((int(value) for value in body.xpath("//w:bookmarkStart/@w:id", namespaces=_NS)), default=0) + 1
    for element in body.iterchildren(qn("w:p")):
        style = _style_of(element) or ""
        if style in ("Heading1", "Heading2"):
            name = f"_Toc_stspd_{len(found) + 1}"
            start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
            start.set(qn("w:id"), str(next_id))
            start.set(qn("w:name"), name)
            end.set(qn("w:id"), str(next_id))
            position = 1 if len(element) and element[0].tag == qn("w:pPr") else 0
            element.insert(position, start)
            element.append(end)
            next_id += 1
            found.append((int(style[-1]), "".join(t.text or "" for t in element.iter(qn("w:t"))), name))
    return found


def _toc(body) -> None:
    """Start the contents on a new page and write its entries: a link to each heading and a PAGEREF field for its
    page. Not inside a TOC field: LibreOffice shows a TOC field's entries as they were written, without numbers,
    while it computes a PAGEREF field's number as it lays the pages out (Word on opening, as for every field
    marked to update)."""
    sdt = next((e for e in body.iterchildren(qn("w:sdt")) if e.find(f".//{qn('w:instrText')}") is not None), None)
    if sdt is None:
        return
    sdt.addprevious(_page_break())
    content = sdt.find(qn("w:sdtContent"))
    field_paragraph = next(p for p in content.iterchildren(qn("w:p")) if p.find(f".//{qn('w:instrText')}") is not None)
    for entry in reversed([_toc_entry(level, text, anchor) for level, text, anchor in _headings(body)]):
        field_paragraph.addnext(entry)
    content.remove(field_paragraph)


def _toc_entry(level: int, text: str, anchor: str):
    paragraph = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), f"TOC{level}")
    properties.append(style)
    paragraph.append(properties)
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), anchor)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    text_element.set(qn("xml:space"), "preserve")
    run.append(text_element)
    link.append(run)
    paragraph.append(link)
    tab = OxmlElement("w:r")
    tab.append(OxmlElement("w:tab"))
    paragraph.append(tab)
    paragraph.extend(_page_reference(anchor))
    return paragraph


def _page_reference(anchor: str) -> list:
    """The runs of a PAGEREF field to `anchor`, its result left empty rather than guessed from another layout."""
    runs = []
    for kind, instruction in (("begin", None), (None, f" PAGEREF {anchor} \\h "), ("separate", None), ("end", None)):
        run = OxmlElement("w:r")
        if kind:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                mark.set(qn("w:dirty"), "true")  # Word updates it on opening
            run.append(mark)
        else:
            instruction_element = OxmlElement("w:instrText")
            instruction_element.set(qn("xml:space"), "preserve")
            instruction_element.text = instruction
            run.append(instruction_element)
        runs.append(run)
    return runs


# What may come before spacing in a paragraph's properties (the schema's order).
_BEFORE_SPACING = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
    "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
    "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
)  # fmt: skip
_INLINE_PICTURE = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"


def _picture_lines(body) -> None:
    """Pictures side by side in a paragraph (the bilan's charts, three a line) as Word lays them out in LibreOffice
    too: no gap around each (Word's inline pictures have none; LibreOffice, reading none written, put one that left
    room for two a line), and lines at single spacing (the text's 0.97 made LibreOffice draw a line of pictures over
    the heading above it)."""
    for inline in body.iter(_INLINE_PICTURE):
        for side in ("distT", "distB", "distL", "distR"):
            inline.set(side, inline.get(side, "0"))
    for paragraph in body.iter(qn("w:p")):
        if paragraph.find(f"{qn('w:r')}/{qn('w:drawing')}") is None:
            continue
        properties = paragraph.find(qn("w:pPr"))
        if properties is None:
            properties = OxmlElement("w:pPr")
            paragraph.insert(0, properties)
        if properties.find(qn("w:spacing")) is None:
            known = [child for child in properties if child.tag in {qn(name) for name in _BEFORE_SPACING}]
            spacing = etree.Element(qn("w:spacing"), {qn("w:line"): "240", qn("w:lineRule"): "auto"})
            properties.insert(properties.index(known[-1]) + 1 if known else 0, spacing)


# What may come before pageBreakBefore in a paragraph's properties (the schema's order).
_BEFORE_PAGE_BREAK = ("w:pStyle", "w:keepNext", "w:keepLines")


def _pages_break_before(body) -> None:
    """A paragraph holding only a page break (stspd.lua's, before each fiche) becomes a property of the paragraph
    that follows: the break's paragraph would leave an empty line at the top of the new page."""
    for paragraph in list(body.iterchildren(qn("w:p"))):
        runs = list(paragraph)
        if not (len(runs) == 1 and runs[0].tag == qn("w:r") and len(runs[0]) == 1 and runs[0][0].tag == qn("w:br")):
            continue
        following = paragraph.getnext()
        while following is not None and following.tag == qn("w:bookmarkStart"):
            following = following.getnext()
        if following is None or following.tag != qn("w:p") or runs[0][0].get(qn("w:type")) != "page":
            continue
        properties = following.find(qn("w:pPr"))
        if properties is None:
            properties = OxmlElement("w:pPr")
            following.insert(0, properties)
        known = [child for child in properties if child.tag in {qn(name) for name in _BEFORE_PAGE_BREAK}]
        position = properties.index(known[-1]) + 1 if known else 0
        properties.insert(position, OxmlElement("w:pageBreakBefore"))
        body.remove(paragraph)


FOLLOW_ON = "StspdFollowOn"


def _follow_on(body) -> None:
    """stspd.lua's marker before a heading of class « suite » removed, and the heading's page break (its style's,
    Heading 1 starting a page) turned off: the section follows on the page of the table's tail before it."""
    for paragraph in list(body.iterchildren(qn("w:p"))):
        if _style_of(paragraph) != FOLLOW_ON:
            continue
        heading = paragraph.getnext()
        while heading is not None and heading.tag in (qn("w:bookmarkStart"), qn("w:bookmarkEnd")):  # pandoc's sections'
            heading = heading.getnext()
        body.remove(paragraph)
        if heading is None or heading.tag != qn("w:p") or heading.find(qn("w:pPr")) is None:
            continue
        properties = heading.find(qn("w:pPr"))
        for existing in properties.findall(qn("w:pageBreakBefore")):
            properties.remove(existing)
        known = [child for child in properties if child.tag in {qn(name) for name in _BEFORE_PAGE_BREAK}]
        off = OxmlElement("w:pageBreakBefore")
        off.set(qn("w:val"), "0")
        properties.insert(properties.index(known[-1]) + 1 if known else 0, off)


def _page_break():
    paragraph = OxmlElement("w:p")
    run = OxmlElement("w:r")
    br = OxmlElement("w:br")
    br.set(qn("w:type"), "page")
    run.append(br)
    paragraph.append(run)
    return paragraph


def _table(table) -> None:
    """Full width; header row shaded, bold white, repeated on each page; rows not split across pages.

    Written on the XML elements with lxml: python-docx's row.cells recomputes the table's grid on each call and
    its element factory parses a string per element, together 0.1 s on the sample."""
    properties = table.find(qn("w:tblPr"))
    width = properties.find(qn("w:tblW"))
    if width is None:
        width = etree.SubElement(properties, qn("w:tblW"))
    width.set(qn("w:type"), "pct")
    width.set(qn("w:w"), "5000")
    for row in table.iterchildren(qn("w:tr")):
        row_properties = row.find(qn("w:trPr"))
        if row_properties is None:  # first, or after the row's table exceptions
            row_properties = row.makeelement(qn("w:trPr"))
            row.insert(1 if len(row) and row[0].tag == qn("w:tblPrEx") else 0, row_properties)
        if row_properties.find(qn("w:cantSplit")) is None:
            etree.SubElement(row_properties, qn("w:cantSplit"))  # a choice group: any place is valid
        if row_properties.find(qn("w:tblHeader")) is not None:
            for cell in row.iterchildren(qn("w:tc")):
                _header_cell(cell)


def _text_of(cell) -> str:
    return "".join(t.text or "" for t in cell.iter(qn("w:t")))


def _verdict_cells(table) -> None:
    """In a column titled « Verdict » (the bilan's grid), each verdict in the grid's colours (grid_files's palette,
    which the PDF and the HTML page get through verdicts.lua)."""
    from stspd.exchange.grid_files import VERDICT_COLOURS

    rows = list(table.iterchildren(qn("w:tr")))
    header = [_text_of(cell) for cell in rows[0].iterchildren(qn("w:tc"))] if rows else []
    if "Verdict" not in header:
        return
    column = header.index("Verdict")
    for row in rows[1:]:
        cells = list(row.iterchildren(qn("w:tc")))
        colours = VERDICT_COLOURS.get(_text_of(cells[column]).replace("\u00a0", " ")) if column < len(cells) else None
        if colours:
            _shade(cells[column], *colours)


def _header_cell(cell) -> None:
    _shade(cell, HEADER_FILL, HEADER_TEXT, bold=True)


def _shade(cell, fill: str, text: str, bold: bool = False) -> None:
    """The cell's background `fill`, its text in colour `text` (and bold)."""
    cell_properties = cell.find(qn("w:tcPr"))
    if cell_properties is None:
        cell_properties = cell.makeelement(qn("w:tcPr"))
        cell.insert(0, cell_properties)
    etree.SubElement(cell_properties, qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): fill})
    for paragraph in cell.iterchildren(qn("w:p")):
        for run in list(paragraph.iterchildren(qn("w:r"))):
            if run.find(qn("w:rPr")) is None:  # plain text, the usual case: the properties are written at once
                run_properties = etree.Element(qn("w:rPr"))
                if bold:
                    etree.SubElement(run_properties, qn("w:b"))
                etree.SubElement(run_properties, qn("w:color"), {qn("w:val"): text})
                run.insert(0, run_properties)
            else:  # python-docx knows where each property goes among those already there
                formatted = parse_xml(etree.tostring(run))
                font = _detached(formatted).font
                font.bold = True if bold else font.bold
                font.color.rgb = RGBColor.from_string(text)
                paragraph.replace(run, formatted)


def _landscape(body) -> None:
    """Turn the markers around wide tables into a landscape section with the same headers and footers."""
    final = body.find(qn("w:sectPr"))
    for paragraph in list(body.iterchildren(qn("w:p"))):
        style = _style_of(paragraph)
        if style not in (LANDSCAPE_START, LANDSCAPE_END):
            continue
        properties = paragraph.find(qn("w:pPr"))
        properties.remove(properties.find(qn("w:pStyle")))
        section = copy.deepcopy(final)
        for first_page in section.findall(qn("w:titlePg")):
            section.remove(first_page)
        if style == LANDSCAPE_END and _last_content(paragraph, final):
            # The wide table ends the document: its section is the last one, turned, rather than followed by an
            # empty page in the document's own orientation.
            body.remove(paragraph)
            _turn(final)
            continue
        if style == LANDSCAPE_END:  # a section's properties describe the section that ends here
            _turn(section)
        properties.append(section)


def _last_content(paragraph, final) -> bool:
    """Whether nothing but bookmarks' ends (pandoc's, of the sections it closes) lies between `paragraph` and the
    body's final section properties."""
    following = paragraph.getnext()
    while following is not None and following.tag in (qn("w:bookmarkEnd"), qn("w:bookmarkStart")):
        following = following.getnext()
    return following is final


# What follows titlePg in a section's properties (the schema's order).
_AFTER_TITLE_PAGE = ("w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


def _bare_cover(body) -> None:
    """No running header, footer or page number on the cover: the first section's first page is a title page,
    which has none of its own."""
    section = next(body.iter(qn("w:sectPr")), None)
    if section is None or section.find(qn("w:titlePg")) is not None:
        return
    title_page = OxmlElement("w:titlePg")
    following = next((child for child in section if child.tag in {qn(name) for name in _AFTER_TITLE_PAGE}), None)
    if following is None:
        section.append(title_page)
    else:
        following.addprevious(title_page)


def _turn(section) -> None:
    size = section.find(qn("w:pgSz"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")
