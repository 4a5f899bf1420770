"""What pandoc's ODT writer leaves undone: the running header's text, a table of contents that reads before
LibreOffice refreshes it (Outils › Mettre à jour adds the page numbers), and landscape pages for wide tables."""

from __future__ import annotations

import copy
from collections.abc import Callable

from lxml import etree

from stspd.resources import HEADER_PLACEHOLDER

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
FO_NS = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"


def _t(name: str) -> str:
    return f"{{{TEXT}}}{name}"


def edits(header_text: str) -> dict[str, Callable[[bytes], bytes]]:
    """What to change in which entry of pandoc's ODT (see output/zips.normalise_zip)."""
    return {
        "styles.xml": lambda styles: _landscape_master(_header(styles, header_text)),
        "content.xml": lambda content: _frame_positions(_landscape_paragraphs(_table_borders(_toc(content)))),
        "META-INF/manifest.xml": _manifest,
    }


MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"


def _manifest(manifest: bytes) -> bytes:
    """The XML streams declared `text/xml`, as ODF's packages (and LibreOffice) do: pandoc says `application/xml`,
    which validators reject."""
    root = etree.fromstring(manifest)
    media_type = f"{{{MANIFEST}}}media-type"
    for entry in root.iter(f"{{{MANIFEST}}}file-entry"):
        if entry.get(media_type) == "application/xml":
            entry.set(media_type, "text/xml")
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


DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"


def _frame_positions(content: bytes) -> bytes:
    """The images' frames (the bilan's charts) placed at their anchor's origin, where LibreOffice puts them anyway:
    pandoc gives them no position, and validators warn that a frame needs one."""
    if b"<draw:frame" not in content:
        return content
    root = etree.fromstring(content)
    for frame in root.iter(f"{{{DRAW}}}frame"):
        for axis in ("x", "y"):
            if frame.get(f"{{{SVG}}}{axis}") is None:
                frame.set(f"{{{SVG}}}{axis}", "0cm")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


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
    _master_style(styles, LANDSCAPE_START, LANDSCAPE_MASTER, None)
    for number, marker in enumerate(markers):
        following = marker.getnext()
        if marker.get(_t("style-name")) == LANDSCAPE_START or following is None or following.tag not in (_t("p"), _t("h")):
            continue
        # The page turns back with the paragraph that follows (a heading that starts a page): an empty paragraph
        # there would leave a blank page.
        name = f"{LANDSCAPE_END}{number}"
        _master_style(styles, name, STANDARD_MASTER, following.get(_t("style-name")))
        following.set(_t("style-name"), name)
        marker.getparent().remove(marker)
    if any(p.get(_t("style-name")) == LANDSCAPE_END for p in root.iter(_t("p"))):
        _master_style(styles, LANDSCAPE_END, STANDARD_MASTER, None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _master_style(styles, name: str, master: str, parent: str | None) -> None:
    """A paragraph style whose paragraphs start a page of `master` (and otherwise look like `parent`'s)."""
    style = etree.SubElement(styles, f"{{{STYLE}}}style")
    style.set(f"{{{STYLE}}}name", name)
    style.set(f"{{{STYLE}}}family", "paragraph")
    if parent:
        style.set(f"{{{STYLE}}}parent-style-name", parent)
    style.set(f"{{{STYLE}}}master-page-name", master)
