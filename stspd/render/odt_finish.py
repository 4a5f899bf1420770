"""What pandoc's ODT writer leaves undone: the running header's text, a table of contents with page numbers on
opening, landscape pages for wide tables, and a cover page with the town's logo and no header or footer."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

from lxml import etree

from stspd.resources import HEADER_PLACEHOLDER

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO_NS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"


def _t(name: str) -> str:
    return f"{{{TEXT}}}{name}"


XLINK = "http://www.w3.org/1999/xlink"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
LOGO_HEIGHT_CM = 2.5


def edits(
    header_text: str, logo: Path | None = None, logo_text: str = "Logo"
) -> tuple[dict[str, Callable[[bytes], bytes]], dict[str, bytes]]:
    """What to change in which entry of pandoc's ODT, and the entries to add (see output/zips.normalise_zip)."""
    changes: dict[str, Callable[[bytes], bytes]] = {
        "styles.xml": lambda styles: _cover_master(_landscape_master(_header(styles, header_text))),
    }
    added: dict[str, bytes] = {}
    media_types: dict[str, str] = {}
    picture = None
    if logo:
        from docx.image.image import Image

        image = Image.from_blob(logo.read_bytes())
        target = f"Pictures/stspd-logo.{image.ext}"
        added[target] = image.blob
        media_types[target] = image.content_type
        picture = (target, image.px_width / image.px_height, logo_text)
    changes["META-INF/manifest.xml"] = lambda manifest: _manifest(manifest, media_types)
    changes["content.xml"] = lambda content: _cover(
        _frame_positions(_landscape_paragraphs(_verdict_cells(_page_breaks(_table_borders(_toc(content)))))), picture
    )
    return changes, added


COVER_MASTER, COVER_STYLE = "StspdCover", "StspdCoverStart"


def _cover_master(styles: bytes) -> bytes:
    """A master page for the cover: the standard one without its header and footer, followed by the standard."""
    root = etree.fromstring(styles)
    master = next((m for m in root.iter(f"{{{STYLE}}}master-page") if m.get(f"{{{STYLE}}}name") == STANDARD_MASTER), None)
    if master is None:
        return styles
    cover = copy.deepcopy(master)
    cover.set(f"{{{STYLE}}}name", COVER_MASTER)
    cover.set(f"{{{STYLE}}}next-style-name", STANDARD_MASTER)
    for child in list(cover):
        cover.remove(child)  # header, footer and their left-page variants
    master.addnext(cover)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _cover(content: bytes, picture: tuple[str, float, str] | None) -> bytes:
    """The document's first paragraph starts a cover page; the logo, if any, in a paragraph of its own above it."""
    root = etree.fromstring(content)
    text = root.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text")
    first = next((child for child in text if child.tag in (_t("p"), _t("h"))), None) if text is not None else None
    if first is None:
        return content
    if picture:
        target, ratio, description = picture
        paragraph = etree.Element(_t("p"))
        frame = etree.SubElement(paragraph, f"{{{DRAW}}}frame")
        frame.set(f"{{{DRAW}}}name", "Logo")
        frame.set(_t("anchor-type"), "as-char")
        frame.set(f"{{{SVG}}}width", f"{LOGO_HEIGHT_CM * ratio:.3f}cm")
        frame.set(f"{{{SVG}}}height", f"{LOGO_HEIGHT_CM}cm")
        image = etree.SubElement(frame, f"{{{DRAW}}}image")
        for name, value in (("href", target), ("type", "simple"), ("show", "embed"), ("actuate", "onLoad")):
            image.set(f"{{{XLINK}}}{name}", value)
        etree.SubElement(frame, f"{{{SVG}}}title").text = description  # what a screen reader says of it
        first.addprevious(paragraph)
        first = paragraph
    styles = root.find(f"{{{OFFICE}}}automatic-styles")
    _master_style(styles, COVER_STYLE, COVER_MASTER, first.get(_t("style-name")))
    first.set(_t("style-name"), COVER_STYLE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _manifest(manifest: bytes, added: dict[str, str]) -> bytes:
    """The XML streams declared `text/xml`, as ODF's packages (and LibreOffice) do: pandoc says `application/xml`,
    which validators reject. The `added` files declared with their media types."""
    root = etree.fromstring(manifest)
    media_type = f"{{{MANIFEST}}}media-type"
    for entry in root.iter(f"{{{MANIFEST}}}file-entry"):
        if entry.get(media_type) == "application/xml":
            entry.set(media_type, "text/xml")
    for path, kind in added.items():
        entry = etree.SubElement(root, f"{{{MANIFEST}}}file-entry")
        entry.set(f"{{{MANIFEST}}}full-path", path)
        entry.set(media_type, kind)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _header(styles: bytes, text: str) -> bytes:
    root = etree.fromstring(styles)
    for paragraph in root.iter(_t("p")):
        if paragraph.text == HEADER_PLACEHOLDER and len(paragraph) == 0:
            paragraph.text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# pandoc writes its own cell styles with no border; the reference document cannot reach them.
_CELL_STYLES = {"TableHeaderRowCell": "#1f3864", "TableRowCell": None}


def _table_borders(content: bytes) -> bytes:
    root = etree.fromstring(content)
    for style in root.iter(f"{{{STYLE}}}style"):
        name = style.get(f"{{{STYLE}}}name")
        if name in _CELL_STYLES and style.get(f"{{{STYLE}}}family") == "table-cell":
            properties = style.find(f"{{{STYLE}}}table-cell-properties")
            if properties is None:
                properties = etree.SubElement(style, f"{{{STYLE}}}table-cell-properties")
            properties.set(f"{{{FO_NS}}}border", "0.5pt solid #bfbfbf")
            if _CELL_STYLES[name]:
                properties.set(f"{{{FO_NS}}}background-color", _CELL_STYLES[name])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _verdict_cells(content: bytes) -> bytes:
    """In a column titled « Verdict » (the bilan's grid), each verdict in the grid's colours (grid_files's palette,
    as the DOCX, the PDF and the HTML page show it): a cell style and a paragraph style for each verdict."""
    if b">Verdict<" not in content:
        return content
    from stspd.exchange.grid_files import VERDICT_COLOURS

    root = etree.fromstring(content)
    automatic = root.find(f"{{{OFFICE}}}automatic-styles")
    if automatic is None:
        return content
    styles = {}
    for number, (label, (fill, text)) in enumerate(VERDICT_COLOURS.items(), start=1):
        cell = etree.SubElement(
            automatic, f"{{{STYLE}}}style", {f"{{{STYLE}}}name": f"StspdVerdict{number}", f"{{{STYLE}}}family": "table-cell"}
        )
        etree.SubElement(
            cell,
            f"{{{STYLE}}}table-cell-properties",
            {f"{{{FO_NS}}}background-color": f"#{fill}", f"{{{FO_NS}}}border": "0.5pt solid #bfbfbf"},
        )
        words = etree.SubElement(
            automatic,
            f"{{{STYLE}}}style",
            {
                f"{{{STYLE}}}name": f"StspdVerdictText{number}",
                f"{{{STYLE}}}family": "paragraph",
                f"{{{STYLE}}}parent-style-name": "Table_20_Contents",
            },
        )
        etree.SubElement(words, f"{{{STYLE}}}text-properties", {f"{{{FO_NS}}}color": f"#{text}"})
        styles[label] = (f"StspdVerdict{number}", f"StspdVerdictText{number}")
    for table in root.iter(f"{{{TABLE}}}table"):
        header = table.find(f"{{{TABLE}}}table-header-rows/{{{TABLE}}}table-row")
        titles = (
            ["".join(cell.itertext()).strip() for cell in header.iterfind(f"{{{TABLE}}}table-cell")] if header is not None else []
        )
        if "Verdict" not in titles:
            continue
        for row in table.iterfind(f"{{{TABLE}}}table-row"):  # the body's rows; the header's are in table-header-rows
            cells = row.findall(f"{{{TABLE}}}table-cell")
            verdict = cells[titles.index("Verdict")] if len(cells) == len(titles) else None
            names = styles.get("".join(verdict.itertext()).strip()) if verdict is not None else None
            if verdict is None or names is None:
                continue
            verdict.set(f"{{{TABLE}}}style-name", names[0])
            for paragraph in verdict.iterfind(_t("p")):
                paragraph.set(_t("style-name"), names[1])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"


def _frame_positions(content: bytes) -> bytes:
    """The images' frames (the charts) set in their line, as characters, at their anchor's origin: pandoc gives them
    neither, so LibreOffice anchored them to their paragraph and laid them over the paragraph before (a sentence
    introducing the charts was hidden under their first row); validators warn that a frame needs a position."""
    if b"<draw:frame" not in content:
        return content
    root = etree.fromstring(content)
    styles = root.find(f"{{{OFFICE}}}automatic-styles")
    made: set[str] = set()
    for frame in root.iter(f"{{{DRAW}}}frame"):
        if frame.get(_t("anchor-type")) is None:
            frame.set(_t("anchor-type"), "as-char")
            _full_line_height(frame.getparent(), styles, made)
        for axis in ("x", "y"):
            if frame.get(f"{{{SVG}}}{axis}") is None:
                frame.set(f"{{{SVG}}}{axis}", "0cm")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _full_line_height(paragraph, styles, made: set[str]) -> None:
    """The paragraph holding charts given its style at a full line height: the body's 97 % shrinks a line as tall
    as a chart too, and the chart then covers the end of the paragraph before it."""
    if paragraph is None or paragraph.tag != _t("p"):
        return
    parent = paragraph.get(_t("style-name")) or ""
    name = f"StspdFigures_{parent}"
    if name not in made:
        style = etree.SubElement(styles, f"{{{STYLE}}}style")
        style.set(f"{{{STYLE}}}name", name)
        style.set(f"{{{STYLE}}}family", "paragraph")
        if parent:
            style.set(f"{{{STYLE}}}parent-style-name", parent)
        etree.SubElement(style, f"{{{STYLE}}}paragraph-properties").set(f"{{{FO_NS}}}line-height", "100%")
        made.add(name)
    paragraph.set(_t("style-name"), name)


TOC_TITLE_STYLE, TOC_NAME = "Stspd_Sommaire", "Sommaire"


def _toc(content: bytes) -> bytes:
    """Fill the table of contents (pandoc writes only its definition) and start it on a new page."""
    root = etree.fromstring(content)
    toc = next(root.iter(_t("table-of-content")), None)
    if toc is None:
        return content
    title = toc.find(f"{_t('table-of-content-source')}/{_t('index-title-template')}")
    styles = root.find(f"{{{OFFICE}}}automatic-styles")
    style = etree.SubElement(styles, f"{{{STYLE}}}style")
    style.set(f"{{{STYLE}}}name", TOC_TITLE_STYLE)
    style.set(f"{{{STYLE}}}family", "paragraph")
    style.set(f"{{{STYLE}}}parent-style-name", "Contents_20_Heading")
    etree.SubElement(style, f"{{{STYLE}}}paragraph-properties").set(f"{{{FO_NS}}}break-before", "page")
    # ODF requires a name on the index and on its title (LibreOffice's Navigator lists them by it); pandoc writes none
    toc.set(_t("name"), TOC_NAME)
    body = etree.SubElement(toc, _t("index-body"))
    index_title = etree.SubElement(body, _t("index-title"), {_t("name"): f"{TOC_NAME}_Head"})
    heading = etree.SubElement(index_title, _t("p"))
    heading.set(_t("style-name"), TOC_TITLE_STYLE)
    heading.text = title.text if title is not None else ""
    for element in root.iter(_t("h")):
        level = element.get(_t("outline-level"))
        if level in ("1", "2"):
            entry = etree.SubElement(body, _t("p"))
            entry.set(_t("style-name"), f"Contents_20_{level}")
            entry.text = "".join(element.itertext())
            bookmark = element.find(_t("bookmark-start"))
            if bookmark is not None:
                # A page reference is a field: LibreOffice sets its number as it lays the pages out, so the
                # contents show page numbers on opening, without anyone refreshing the index.
                etree.SubElement(entry, _t("tab"))
                page = etree.SubElement(entry, _t("bookmark-ref"))
                page.set(_t("reference-format"), "page")
                page.set(_t("ref-name"), bookmark.get(_t("name")))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# stspd.lua puts an empty paragraph of each of these styles around a wide table: the first starts a landscape
# page, the second returns to the document's own pages. The landscape master is the standard one, turned.
LANDSCAPE_START, LANDSCAPE_END = "StspdLandscapeStart", "StspdLandscapeEnd"
LANDSCAPE_MASTER, STANDARD_MASTER = "StspdLandscape", "Standard"


def _landscape_master(styles: bytes) -> bytes:
    root = etree.fromstring(styles)
    master = next((m for m in root.iter(f"{{{STYLE}}}master-page") if m.get(f"{{{STYLE}}}name") == STANDARD_MASTER), None)
    layouts = {layout.get(f"{{{STYLE}}}name"): layout for layout in root.iter(f"{{{STYLE}}}page-layout")}
    layout = layouts.get(master.get(f"{{{STYLE}}}page-layout-name")) if master is not None else None
    if master is None or layout is None:
        return styles
    turned = copy.deepcopy(layout)
    turned.set(f"{{{STYLE}}}name", LANDSCAPE_MASTER + "Layout")
    properties = turned.find(f"{{{STYLE}}}page-layout-properties")
    if properties is not None:
        width, height = properties.get(f"{{{FO_NS}}}page-width"), properties.get(f"{{{FO_NS}}}page-height")
        if width and height:
            properties.set(f"{{{FO_NS}}}page-width", height)
            properties.set(f"{{{FO_NS}}}page-height", width)
        properties.set(f"{{{STYLE}}}print-orientation", "landscape")
    layout.addnext(turned)
    landscape = copy.deepcopy(master)
    landscape.set(f"{{{STYLE}}}name", LANDSCAPE_MASTER)
    landscape.set(f"{{{STYLE}}}page-layout-name", LANDSCAPE_MASTER + "Layout")
    master.addnext(landscape)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _landscape_paragraphs(content: bytes) -> bytes:
    root = etree.fromstring(content)
    markers = [p for p in root.iter(_t("p")) if p.get(_t("style-name")) in (LANDSCAPE_START, LANDSCAPE_END)]
    if not markers:
        return content
    styles = root.find(f"{{{OFFICE}}}automatic-styles")
    masters = {LANDSCAPE_START: LANDSCAPE_MASTER, LANDSCAPE_END: STANDARD_MASTER}
    for number, marker in enumerate(markers):
        following = marker.getnext()
        if following is None and marker.get(_t("style-name")) == LANDSCAPE_END:  # the wide table ends the document
            marker.getparent().remove(marker)  # which ends on its page rather than on an empty one
            continue
        if following is None or following.tag not in (_t("p"), _t("h")):
            continue
        # The page turns with the paragraph that follows (a heading that starts a page): an empty paragraph there
        # would leave a blank page (before the bilan's grid, a landscape one).
        kind = marker.get(_t("style-name"))
        _master_style(styles, f"{kind}{number}", masters[kind], following.get(_t("style-name")))
        following.set(_t("style-name"), f"{kind}{number}")
        marker.getparent().remove(marker)
    for kind, master in masters.items():
        if any(p.get(_t("style-name")) == kind for p in root.iter(_t("p"))):
            _master_style(styles, kind, master, None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


PAGE_BREAK, FOLLOW_ON = "StspdPageBreak", "StspdFollowOn"


def _page_breaks(content: bytes) -> bytes:
    """stspd.lua's empty paragraph before each fiche becomes a page break before the heading that follows it (an
    empty paragraph at the top of the new page would push the fiche down a line); its marker before a heading of
    class « suite » turns that heading's page break (Heading 1's) off: the section follows on the page."""
    return _break_before(_break_before(content, PAGE_BREAK, "page"), FOLLOW_ON, "auto")


def _break_before(content: bytes, marker_name: str, value: str) -> bytes:
    """Each empty paragraph of style `marker_name` removed, the paragraph or heading after it given a style of its
    own (its style's, but for `break-before`)."""
    root = etree.fromstring(content)
    markers = [p for p in root.iter(_t("p")) if p.get(_t("style-name")) == marker_name]
    if not markers:
        return content
    styles = root.find(f"{{{OFFICE}}}automatic-styles")
    made: set[str] = set()
    for marker in markers:
        following = marker.getnext()
        if following is not None and following.tag in (_t("p"), _t("h")):
            parent = following.get(_t("style-name")) or ""
            name = f"{marker_name}_{parent}"
            if name not in made:
                style = etree.SubElement(styles, f"{{{STYLE}}}style")
                style.set(f"{{{STYLE}}}name", name)
                style.set(f"{{{STYLE}}}family", "paragraph")
                if parent:
                    style.set(f"{{{STYLE}}}parent-style-name", parent)
                etree.SubElement(style, f"{{{STYLE}}}paragraph-properties").set(f"{{{FO_NS}}}break-before", value)
                made.add(name)
            following.set(_t("style-name"), name)
        marker.getparent().remove(marker)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _master_style(styles, name: str, master: str, parent: str | None) -> None:
    """A paragraph style whose paragraphs start a page of `master` (and otherwise look like `parent`'s)."""
    style = etree.SubElement(styles, f"{{{STYLE}}}style")
    style.set(f"{{{STYLE}}}name", name)
    style.set(f"{{{STYLE}}}family", "paragraph")
    if parent:
        style.set(f"{{{STYLE}}}parent-style-name", parent)
    style.set(f"{{{STYLE}}}master-page-name", master)
