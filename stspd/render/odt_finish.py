"""What pandoc's ODT writer leaves undone: the running header's text, and a table of contents that reads
before LibreOffice refreshes it (Outils › Mettre à jour adds the page numbers)."""

from __future__ import annotations

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
        "styles.xml": lambda styles: _header(styles, header_text),
        "content.xml": lambda content: _table_borders(_toc(content)),
    }


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


TOC_TITLE_STYLE = "Stspd_Sommaire"


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
    body = etree.SubElement(toc, _t("index-body"))
    heading = etree.SubElement(etree.SubElement(body, _t("index-title")), _t("p"))
    heading.set(_t("style-name"), TOC_TITLE_STYLE)
    heading.text = title.text if title is not None else ""
    for element in root.iter(_t("h")):
        level = element.get(_t("outline-level"))
        if level in ("1", "2"):
            entry = etree.SubElement(body, _t("p"))
            entry.set(_t("style-name"), f"Contents_20_{level}")
            entry.text = "".join(element.itertext())
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
