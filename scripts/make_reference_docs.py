#!/usr/bin/env python3
"""Generate the pandoc reference documents used to render a STSPD.

Writes ``templates/reference.docx`` and ``templates/reference.odt`` (next to
this script's parent folder, or in ``--outdir``).  Both start from pandoc's
own defaults (``pandoc --print-default-data-file reference.docx`` and
``reference.odt``, with the pandoc binary that pypandoc finds) and are then
restyled:

* DOCX: python-docx for the document, its page set-up, header, footer and
  styles (low-level XML through python-docx's element tree where the API has
  no word for it: borders, table style, tab leaders...).
* ODT: zipfile + lxml on ``styles.xml``.

The look is the one of a sober French consultancy report: A4, Calibri
10 pt (tables 9 pt, as the PDF's Carlito), dark blue headings, thin grey table borders with a dark blue header
row, a header paragraph holding the single run ``STSPD`` (replaced by the
renderer with the territory and the period) and a footer "Page X sur Y".

The output is deterministic: running the script twice writes byte-identical
files (fixed zip dates and order, fixed document dates).

Usage::

    python scripts/make_reference_docs.py [--outdir templates]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

import docx
import pypandoc
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree

# --------------------------------------------------------------------------
# Design constants (shared by the DOCX and the ODT)
# --------------------------------------------------------------------------

FONT = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito
BODY_PT, TABLE_PT = 10, 9  # text and table sizes: the PDF's (templates/style.typ)
BLUE_DARK = "1F3864"  # headings 1-2, title, table header row, links
BLUE = "2E5597"  # headings 3-4, subtitle, quote bar
GREY = "595959"  # author, date, captions
GREY_LIGHT = "6E6E6E"  # running header and footer: 5.1:1 on white, above WCAG's 4.5:1 (as the PDF's luma(110))
GREY_TEXT = "404040"  # quotations
BORDER = "BFBFBF"  # table grid

PAGE_W_CM, PAGE_H_CM = 21.0, 29.7
MARGIN_LR_CM, MARGIN_TB_CM, HF_DIST_CM = 2.2, 2.0, 1.0
TEXT_W_CM = PAGE_W_CM - 2 * MARGIN_LR_CM  # 16.6 cm


def twips(cm: float) -> int:
    """Centimetres to twentieths of a point (DOCX unit)."""
    return round(cm / 2.54 * 1440)


TEXT_W_TW = twips(TEXT_W_CM)  # 9411

HEADER_PLACEHOLDER = "STSPD"

FIXED_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
FIXED_DOC_DATE = dt.datetime(2024, 1, 1, 0, 0, 0)
FIXED_DOC_DATE_ISO = "2024-01-01T00:00:00"

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def pandoc_default(name: str) -> bytes:
    """Return pandoc's default data file ``name`` (e.g. ``reference.docx``)."""
    pandoc = pypandoc.get_pandoc_path()
    proc = subprocess.run(
        [pandoc, "--print-default-data-file", name],
        check=True,
        capture_output=True,
    )
    return proc.stdout


def zip_bytes(entries: Iterable[tuple[str, bytes]], stored: frozenset[str] = frozenset()) -> bytes:
    """Zip ``entries`` (in the given order) with fixed dates and attributes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_DATE)
            info.create_system = 0
            info.external_attr = 0
            if name in stored:
                info.compress_type = zipfile.ZIP_STORED
                zf.writestr(info, data)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data, compresslevel=9)
    return buf.getvalue()


# ==========================================================================
# DOCX
# ==========================================================================

# Schema order of the children we touch (WordprocessingML is order-sensitive).
PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]
RPR_ORDER = [
    "w:rStyle",
    "w:rFonts",
    "w:b",
    "w:bCs",
    "w:i",
    "w:iCs",
    "w:caps",
    "w:smallCaps",
    "w:strike",
    "w:dstrike",
    "w:outline",
    "w:shadow",
    "w:emboss",
    "w:imprint",
    "w:noProof",
    "w:snapToGrid",
    "w:vanish",
    "w:webHidden",
    "w:color",
    "w:spacing",
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
]
STYLE_ORDER = [
    "w:name",
    "w:aliases",
    "w:basedOn",
    "w:next",
    "w:link",
    "w:autoRedefine",
    "w:hidden",
    "w:uiPriority",
    "w:semiHidden",
    "w:unhideWhenUsed",
    "w:qFormat",
    "w:locked",
    "w:personal",
    "w:personalCompose",
    "w:personalReply",
    "w:rsid",
    "w:pPr",
    "w:rPr",
    "w:tblPr",
    "w:trPr",
    "w:tcPr",
    "w:tblStylePr",
]
TBLPR_ORDER = [
    "w:tblStyle",
    "w:tblpPr",
    "w:tblOverlap",
    "w:bidiVisual",
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
]
TCPR_ORDER = [
    "w:cnfStyle",
    "w:tcW",
    "w:gridSpan",
    "w:hMerge",
    "w:vMerge",
    "w:tcBorders",
    "w:shd",
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
]
TBLSTYLEPR_ORDER = ["w:pPr", "w:rPr", "w:tblPr", "w:trPr", "w:tcPr"]
DOCDEFAULTS_ORDER = ["w:rPrDefault", "w:pPrDefault"]


def _ensure(parent, tag: str, order: list[str]):
    """Return child ``tag`` of ``parent``, created at its schema position."""
    el = parent.find(qn(tag))
    if el is not None:
        return el
    el = OxmlElement(tag)
    later = {qn(t) for t in order[order.index(tag) + 1 :]}
    for child in parent:
        if child.tag in later:
            child.addprevious(el)
            return el
    parent.append(el)
    return el


def _replace(parent, tag: str, order: list[str], **attrs):
    """Replace child ``tag`` of ``parent`` by a fresh one with ``attrs``."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    el = _ensure(parent, tag, order)
    for key, value in attrs.items():
        el.set(qn("w:" + key), str(value))
    return el


def _remove(parent, *tags: str) -> None:
    for tag in tags:
        for old in parent.findall(qn(tag)):
            parent.remove(old)


def _onoff(parent, tag: str, order: list[str], value: bool | None) -> None:
    if value is None:
        return
    if value:
        _replace(parent, tag, order)
    else:
        _replace(parent, tag, order, val="0")


def set_rpr(
    rpr,
    *,
    font: str | None = None,
    size: float | None = None,
    bold: bool | None = None,
    italic: bool | None = None,
    color: str | None = None,
    underline: str | None = None,
) -> None:
    """Set run properties on a ``w:rPr`` element."""
    if font is not None:
        _replace(rpr, "w:rFonts", RPR_ORDER, ascii=font, hAnsi=font, eastAsia=font, cs=font)
    _onoff(rpr, "w:b", RPR_ORDER, bold)
    _onoff(rpr, "w:bCs", RPR_ORDER, bold)
    _onoff(rpr, "w:i", RPR_ORDER, italic)
    _onoff(rpr, "w:iCs", RPR_ORDER, italic)
    if color is not None:
        _replace(rpr, "w:color", RPR_ORDER, val=color)
    if size is not None:
        half_points = round(size * 2)
        _replace(rpr, "w:sz", RPR_ORDER, val=half_points)
        _replace(rpr, "w:szCs", RPR_ORDER, val=half_points)
    if underline is not None:
        _replace(rpr, "w:u", RPR_ORDER, val=underline)


def set_ppr(
    ppr,
    *,
    before: int | None = None,
    after: int | None = None,
    line: int | None = None,
    jc: str | None = None,
    keep_next: bool | None = None,
    keep_lines: bool | None = None,
    page_break: bool | None = None,
    contextual: bool | None = None,
    ind: dict | None = None,
    borders: dict | None = None,
    tabs: list[tuple[str, int, str]] | None = None,
) -> None:
    """Set paragraph properties on a ``w:pPr`` element.

    Spacing values are in twips; ``line`` in 240ths of a line (276 = 1.15).
    ``borders`` maps a side to (size in 8ths of a point, space in points,
    colour); ``tabs`` is a list of (alignment, position, leader).
    """
    _onoff(ppr, "w:keepNext", PPR_ORDER, keep_next)
    _onoff(ppr, "w:keepLines", PPR_ORDER, keep_lines)
    _onoff(ppr, "w:pageBreakBefore", PPR_ORDER, page_break)
    if borders is not None:
        pbdr = _replace(ppr, "w:pBdr", PPR_ORDER)
        for side in ("top", "left", "bottom", "right", "between", "bar"):
            if side in borders:
                sz, space, color = borders[side]
                el = OxmlElement("w:" + side)
                for k, v in (("val", "single"), ("sz", sz), ("space", space), ("color", color)):
                    el.set(qn("w:" + k), str(v))
                pbdr.append(el)
    if tabs is not None:
        tabs_el = _replace(ppr, "w:tabs", PPR_ORDER)
        for align, pos, leader in tabs:
            el = OxmlElement("w:tab")
            el.set(qn("w:val"), align)
            el.set(qn("w:leader"), leader)
            el.set(qn("w:pos"), str(pos))
            tabs_el.append(el)
    if before is not None or after is not None or line is not None:
        spacing = _ensure(ppr, "w:spacing", PPR_ORDER)
        if before is not None:
            spacing.set(qn("w:before"), str(before))
        if after is not None:
            spacing.set(qn("w:after"), str(after))
        if line is not None:
            spacing.set(qn("w:line"), str(line))
            spacing.set(qn("w:lineRule"), "auto")
    if ind is not None:
        _replace(ppr, "w:ind", PPR_ORDER, **ind)
    _onoff(ppr, "w:contextualSpacing", PPR_ORDER, contextual)
    if jc is not None:
        _replace(ppr, "w:jc", PPR_ORDER, val=jc)


def style_el(styles_el, style_id: str):
    for st in styles_el.findall(qn("w:style")):
        if st.get(qn("w:styleId")) == style_id:
            return st
    raise KeyError(style_id)


def new_style(
    styles_el,
    style_type: str,
    style_id: str,
    name: str,
    *,
    based_on: str | None = None,
    next_: str | None = None,
    ui_priority: int | None = None,
    custom: bool = False,
    qformat: bool = False,
    unhide: bool = False,
):
    """Create (or recreate) a style element appended to ``w:styles``."""
    for st in styles_el.findall(qn("w:style")):
        if st.get(qn("w:styleId")) == style_id:
            styles_el.remove(st)
    st = OxmlElement("w:style")
    st.set(qn("w:type"), style_type)
    if custom:
        st.set(qn("w:customStyle"), "1")
    st.set(qn("w:styleId"), style_id)
    _replace(st, "w:name", STYLE_ORDER, val=name)
    if based_on:
        _replace(st, "w:basedOn", STYLE_ORDER, val=based_on)
    if next_:
        _replace(st, "w:next", STYLE_ORDER, val=next_)
    if ui_priority is not None:
        _replace(st, "w:uiPriority", STYLE_ORDER, val=ui_priority)
    if unhide:
        _replace(st, "w:unhideWhenUsed", STYLE_ORDER)
    if qformat:
        _replace(st, "w:qFormat", STYLE_ORDER)
    styles_el.append(st)
    return st


def ppr_of(st):
    return _ensure(st, "w:pPr", STYLE_ORDER)


def rpr_of(st):
    return _ensure(st, "w:rPr", STYLE_ORDER)


def strip_theme_fonts(root) -> None:
    """Replace every theme-font reference by explicit Calibri.

    ``w:asciiTheme`` & co. win over ``w:ascii`` in Word, so any left over
    would bring back the theme's font (Aptos in pandoc's default).
    """
    theme_attrs = [qn("w:" + a) for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")]
    for rfonts in root.iter(qn("w:rFonts")):
        if any(rfonts.get(a) is not None for a in theme_attrs):
            for a in theme_attrs:
                if a in rfonts.attrib:
                    del rfonts.attrib[a]
            for a in ("ascii", "hAnsi", "eastAsia", "cs"):
                rfonts.set(qn("w:" + a), FONT)


def strip_theme_colors(root) -> None:
    """Drop theme colour references so that the literal RGB value applies."""
    for color in root.iter(qn("w:color")):
        for a in ("themeColor", "themeShade", "themeTint"):
            if qn("w:" + a) in color.attrib:
                del color.attrib[qn("w:" + a)]


def build_styles(styles_el) -> None:
    """Restyle pandoc's default styles.xml (an lxml element)."""
    # ---- document defaults: Calibri 10, French, lines of 0.97 (1.18 em, the PDF's pitch), 6 pt after
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr_default = _ensure(defaults, "w:rPrDefault", DOCDEFAULTS_ORDER)
    rpr = _ensure(rpr_default, "w:rPr", ["w:rPr"])
    set_rpr(rpr, font=FONT, size=BODY_PT)
    _replace(rpr, "w:lang", RPR_ORDER, val="fr-FR", eastAsia="en-US", bidi="ar-SA")
    ppr_default = _ensure(defaults, "w:pPrDefault", DOCDEFAULTS_ORDER)
    ppr = _ensure(ppr_default, "w:pPr", ["w:pPr"])
    _remove(ppr, "w:spacing")
    set_ppr(ppr, before=0, after=120, line=232)

    strip_theme_fonts(styles_el)
    strip_theme_colors(styles_el)

    def st(style_id):
        return style_el(styles_el, style_id)

    # ---- body text
    set_ppr(ppr_of(st("Normal")), jc="left")
    # Word (and LibreOffice reading a DOCX) puts the larger of "space after"
    # and the next paragraph's "space before" between two paragraphs, not the
    # sum: 6 pt before and after still gives 6 pt between body paragraphs,
    # and keeps 6 pt between a tight list or a table (no space after) and
    # the text that follows.
    set_ppr(ppr_of(st("BodyText")), before=100, after=100, jc="left")
    # The paragraph after a heading: the heading's own space after is enough (as in the PDF).
    set_ppr(ppr_of(st("FirstParagraph")), before=40, after=100, jc="left")
    # Tight lists and table cells: Compact has the text's size, the table style gives cells theirs.
    set_ppr(ppr_of(st("Compact")), before=0, after=0)

    # ---- cover page: title, subtitle, author, date
    title = st("Title")
    tppr = ppr_of(title)
    _remove(tppr, "w:contextualSpacing")
    set_ppr(tppr, before=2880, after=240, line=240, jc="left", keep_next=True, borders={"bottom": (12, 6, BLUE_DARK)})
    set_rpr(rpr_of(title), font=FONT, size=28, bold=True, color=BLUE_DARK)

    # Subtitle, Author and Date are based on Title in pandoc's default: base
    # them on Normal so that they inherit neither its rule nor its bold.
    for sid, size, col, before, after in (
        ("Subtitle", 16, BLUE, 120, 480),
        ("Author", 12, GREY, 120, 60),
        ("Date", 12, GREY, 60, 60),
    ):
        s = st(sid)
        _replace(s, "w:basedOn", STYLE_ORDER, val="Normal")
        _remove(s, "w:pPr", "w:rPr")
        # the date closes the cover block: no "keep with next" into the page
        # break that follows it (contents or first Heading 1)
        set_ppr(
            ppr_of(s), before=before, after=after, line=240, jc="left", keep_next=True if sid != "Date" else None, keep_lines=True
        )
        set_rpr(rpr_of(s), font=FONT, size=size, bold=False, color=col)

    # pandoc's abstract (the signatories of the strategy, on the cover page)
    abstract_title = st("AbstractTitle")
    set_ppr(ppr_of(abstract_title), before=720, after=80, line=240, jc="left")
    set_rpr(rpr_of(abstract_title), size=11, bold=True, color=BLUE_DARK)
    set_ppr(ppr_of(st("Abstract")), before=0, after=120, jc="left")
    set_rpr(rpr_of(st("Abstract")), size=9.5)

    # ---- headings
    headings = {
        # id: (size, bold, italic, color, before, after, page break, rule)
        "Heading1": (18, True, False, BLUE_DARK, 360, 160, True, True),
        "Heading2": (14, True, False, BLUE_DARK, 0, 100, False, False),
        "Heading3": (11.5, True, False, BLUE, 120, 30, False, False),
        "Heading4": (11, True, True, BLUE, 180, 60, False, False),
        "Heading5": (BODY_PT, True, False, BLUE, 160, 60, False, False),
        "Heading6": (BODY_PT, False, True, BLUE, 120, 40, False, False),
    }
    for sid, (size, bold, italic, col, before, after, brk, rule) in headings.items():
        h = st(sid)
        _remove(h, "w:semiHidden")
        pp = ppr_of(h)
        set_ppr(
            pp,
            before=before,
            after=after,
            line=240,
            keep_next=True,
            keep_lines=True,
            page_break=True if brk else None,
            jc="left",
            borders={"bottom": (8, 4, BLUE_DARK)} if rule else None,
        )
        set_rpr(rpr_of(h), font=FONT, size=size, bold=bold, italic=italic, color=col)
    for n in (7, 8, 9):
        set_rpr(rpr_of(st(f"Heading{n}")), font=FONT, size=BODY_PT, color=GREY)

    # linked character styles mirror their paragraph style's run properties
    for sid in ["Title", "Subtitle"] + [f"Heading{n}" for n in range(1, 10)]:
        para, char = st(sid), st(sid + "Char")
        _remove(char, "w:rPr")
        para_rpr = para.find(qn("w:rPr"))
        if para_rpr is not None:
            _ensure(char, "w:rPr", STYLE_ORDER).extend([copy.deepcopy(c) for c in para_rpr])

    # ---- table of contents
    toc_heading = st("TOCHeading")
    pp = ppr_of(toc_heading)
    _remove(pp, "w:spacing")
    set_ppr(pp, before=360, after=160, line=240, page_break=False, keep_next=True)
    trpr = rpr_of(toc_heading)
    _remove(trpr, "w:b", "w:bCs")
    set_rpr(trpr, font=FONT, size=18, bold=True, color=BLUE_DARK)

    for level, (indent, before, after, bold) in enumerate([(0, 120, 40, True), (220, 0, 20, False), (440, 0, 0, False)], start=1):
        s = new_style(
            styles_el, "paragraph", f"TOC{level}", f"toc {level}", based_on="Normal", next_="Normal", ui_priority=39, unhide=True
        )
        set_ppr(ppr_of(s), before=before, after=after, tabs=[("right", TEXT_W_TW, "dot")], ind={"left": indent, "right": 0})
        set_rpr(rpr_of(s), bold=bold if bold else None, color=BLUE_DARK if level == 1 else None)

    # ---- running header and footer
    for sid, name in (("Header", "header"), ("Footer", "footer")):
        s = new_style(styles_el, "paragraph", sid, name, based_on="Normal", ui_priority=99, unhide=True)
        set_ppr(ppr_of(s), before=0, after=0, line=240, tabs=[("center", TEXT_W_TW // 2, "none"), ("right", TEXT_W_TW, "none")])
        set_rpr(rpr_of(s), size=8.5, color=GREY_LIGHT)

    # ---- quotations
    block = st("BlockText")
    set_ppr(ppr_of(block), before=120, after=120, ind={"left": 284, "right": 0, "firstLine": 0}, borders={"left": (18, 8, BLUE)})
    set_rpr(rpr_of(block), color=GREY_TEXT)
    fblock = st("FootnoteBlockText")
    set_ppr(ppr_of(fblock), ind={"left": 284, "right": 0, "firstLine": 0}, borders={"left": (12, 6, BLUE)})

    # ---- footnotes
    set_ppr(ppr_of(st("FootnoteText")), before=0, after=40, line=240)
    set_rpr(rpr_of(st("FootnoteText")), size=9)

    # ---- captions
    cap = st("Caption")
    set_ppr(ppr_of(cap), before=120, after=80, line=240)
    set_rpr(rpr_of(cap), size=9, italic=True, color=GREY)
    for sid in ("TableCaption", "ImageCaption"):
        set_rpr(rpr_of(st(sid)), size=9, italic=True, color=GREY)
    set_ppr(ppr_of(st("TableCaption")), keep_next=True)
    set_ppr(ppr_of(st("ImageCaption")), before=40, after=200)

    # ---- inline styles
    link = st("Hyperlink")
    set_rpr(rpr_of(link), color=BLUE_DARK, underline="single")
    set_rpr(rpr_of(st("VerbatimChar")), size=9.5)

    # ---- definition lists
    set_ppr(ppr_of(st("DefinitionTerm")), before=120, after=0)
    set_rpr(rpr_of(st("DefinitionTerm")), color=BLUE_DARK)
    set_ppr(ppr_of(st("Definition")), ind={"left": 284})

    # ---- the "Table" style pandoc gives every table
    table = st("Table")
    # pandoc's "Table" is based on a "TableNormal" its reference document does not define (a dangling reference
    # validators report); "Table" sets every table property itself, so it stands on no base.
    _remove(table, "w:basedOn", "w:semiHidden", "w:tblPr", "w:tblStylePr", "w:pPr", "w:rPr")
    tbl_ppr = ppr_of(table)
    set_ppr(tbl_ppr, before=0, after=0, line=228)  # 0.95 line: the PDF's tables (leading 0.45 em)
    set_rpr(rpr_of(table), size=TABLE_PT)
    tbl_pr = _ensure(table, "w:tblPr", STYLE_ORDER)
    _replace(tbl_pr, "w:tblInd", TBLPR_ORDER, w=0, type="dxa")
    borders = _replace(tbl_pr, "w:tblBorders", TBLPR_ORDER)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement("w:" + side)
        for k, v in (("val", "single"), ("sz", 4), ("space", 0), ("color", BORDER)):
            el.set(qn("w:" + k), str(v))
        borders.append(el)
    mar = _replace(tbl_pr, "w:tblCellMar", TBLPR_ORDER)
    for side, width in (("top", 20), ("left", 85), ("bottom", 20), ("right", 85)):
        el = OxmlElement("w:" + side)
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    first = OxmlElement("w:tblStylePr")
    first.set(qn("w:type"), "firstRow")
    table.append(first)
    f_ppr = _ensure(first, "w:pPr", TBLSTYLEPR_ORDER)
    set_ppr(f_ppr, keep_next=True)
    f_rpr = _ensure(first, "w:rPr", TBLSTYLEPR_ORDER)
    set_rpr(f_rpr, bold=True, color="FFFFFF")
    f_trpr = _ensure(first, "w:trPr", TBLSTYLEPR_ORDER)
    _replace(f_trpr, "w:tblHeader", ["w:cantSplit", "w:tblHeader"])
    f_tcpr = _ensure(first, "w:tcPr", TBLSTYLEPR_ORDER)
    _replace(f_tcpr, "w:shd", TCPR_ORDER, val="clear", color="auto", fill=BLUE_DARK)
    _replace(f_tcpr, "w:vAlign", TCPR_ORDER, val="bottom")


def add_field(paragraph, instr: str, placeholder: str) -> None:
    """Append a complex field (``PAGE``, ``NUMPAGES``...) to a paragraph."""
    p = paragraph._p

    def run_with(child):
        r = OxmlElement("w:r")
        r.append(child)
        p.append(r)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr_el = OxmlElement("w:instrText")
    instr_el.set(qn("xml:space"), "preserve")
    instr_el.text = f" {instr} "
    run_with(instr_el)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    t = OxmlElement("w:t")
    t.text = placeholder
    run_with(t)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def edit_theme(xml: bytes) -> bytes:
    """Make the theme's heading and body fonts Calibri too."""
    root = etree.fromstring(xml)
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    for font_kind in ("majorFont", "minorFont"):
        latin = root.find(f".//{{{a}}}{font_kind}/{{{a}}}latin")
        if latin is not None:
            latin.set("typeface", FONT)
            latin.set("panose", "020F0502020204030204")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def edit_font_table(xml: bytes) -> bytes:
    """Declare Calibri (with its panose) in word/fontTable.xml."""
    root = etree.fromstring(xml)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for font in root.findall(f"{{{w}}}font"):
        if font.get(f"{{{w}}}name") == FONT:
            return xml
    font = etree.SubElement(root, f"{{{w}}}font")
    font.set(f"{{{w}}}name", FONT)
    for tag, attrs in (
        ("panose1", {"val": "020F0502020204030204"}),
        ("charset", {"val": "00"}),
        ("family", {"val": "swiss"}),
        ("pitch", {"val": "variable"}),
        (
            "sig",
            {
                "usb0": "E4002EFF",
                "usb1": "C000247B",
                "usb2": "00000009",
                "usb3": "00000000",
                "csb0": "000001FF",
                "csb1": "00000000",
            },
        ),
    ):
        el = etree.SubElement(font, f"{{{w}}}{tag}")
        for k, v in attrs.items():
            el.set(f"{{{w}}}{k}", v)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def build_docx() -> bytes:
    document = docx.Document(io.BytesIO(pandoc_default("reference.docx")))

    # ---- styles
    build_styles(document.styles.element)

    # ---- settings: French theme language
    settings = document.settings.element
    for el in settings.findall(qn("w:themeFontLang")):
        el.set(qn("w:val"), "fr-FR")

    # ---- page: A4 portrait, margins, header/footer distance
    section = document.sections[-1]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Cm(PAGE_W_CM)
    section.page_height = Cm(PAGE_H_CM)
    section.left_margin = section.right_margin = Cm(MARGIN_LR_CM)
    section.top_margin = section.bottom_margin = Cm(MARGIN_TB_CM)
    section.header_distance = section.footer_distance = Cm(HF_DIST_CM)
    section.gutter = Cm(0)

    # ---- header: one right-aligned paragraph, one run "STSPD"
    header = section.header
    header.is_linked_to_previous = False
    hp = header.paragraphs[0]
    for r in list(hp.runs):
        r._r.getparent().remove(r._r)
    hp.style = document.styles["Header"]
    hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    hp.add_run(HEADER_PLACEHOLDER)

    # ---- footer: "Page X sur Y", centred
    footer = section.footer
    footer.is_linked_to_previous = False
    fp = footer.paragraphs[0]
    fp.style = document.styles["Footer"]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("Page ")
    add_field(fp, "PAGE", "1")
    fp.add_run(" sur ")
    add_field(fp, "NUMPAGES", "1")

    # ---- fixed metadata (pandoc writes its own core.xml in the output)
    core = document.core_properties
    core.title = "Modèle de référence STSPD"
    core.subject = "Stratégie territoriale de sécurité et de prévention de la délinquance"
    core.author = "stspd"
    core.last_modified_by = "stspd"
    core.keywords = ""
    core.revision = 1
    core.created = FIXED_DOC_DATE
    core.modified = FIXED_DOC_DATE
    core.language = "fr-FR"

    buf = io.BytesIO()
    document.save(buf)

    # ---- repack deterministically, editing the parts python-docx keeps opaque
    transforms: dict[str, Callable[[bytes], bytes]] = {
        "word/theme/theme1.xml": edit_theme,
        "word/fontTable.xml": edit_font_table,
    }
    entries = []
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            if name in transforms:
                data = transforms[name](data)
            entries.append((name, data))
    entries.sort(key=lambda e: (e[0] != "[Content_Types].xml", e[0]))
    return zip_bytes(entries)


# ==========================================================================
# ODT
# ==========================================================================

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "loext": "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0",
}


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def color(hex6: str) -> str:
    return "#" + hex6.lower()


def cm(value: float) -> str:
    return f"{value:.3f}cm".replace(".000cm", "cm")


def pt_to_cm(points: float) -> str:
    return cm(points * 2.54 / 72)


class OdtStyles:
    """Small editing layer over an ODT styles.xml tree."""

    def __init__(self, root):
        self.root = root
        self.styles = root.find(q("office:styles"))
        self.auto = root.find(q("office:automatic-styles"))
        self.masters = root.find(q("office:master-styles"))

    def find(self, name: str, family: str = "paragraph"):
        for st in self.styles.findall(q("style:style")):
            if st.get(q("style:name")) == name and st.get(q("style:family")) == family:
                return st
        return None

    def style(
        self,
        name: str,
        family: str = "paragraph",
        *,
        parent: str | None = None,
        display: str | None = None,
        cls: str | None = None,
        next_: str | None = None,
        outline: int | None = None,
    ):
        """Return the named common style, creating it (after the last style) if needed."""
        st = self.find(name, family)
        if st is None:
            st = etree.Element(q("style:style"))
            st.set(q("style:name"), name)
            if display:
                st.set(q("style:display-name"), display)
            st.set(q("style:family"), family)
            last = self.styles.findall(q("style:style"))[-1]
            last.addnext(st)
        if parent is not None:
            st.set(q("style:parent-style-name"), parent)
        if next_ is not None:
            st.set(q("style:next-style-name"), next_)
        if outline is not None:
            st.set(q("style:default-outline-level"), str(outline))
        if cls is not None:
            st.set(q("style:class"), cls)
        return st

    @staticmethod
    def props(st, kind: str):
        """Return ``style:<kind>-properties`` of a style, created if needed.

        Only paragraph and text properties are used here; the schema puts the
        paragraph properties before the text properties.
        """
        tag = q(f"style:{kind}-properties")
        el = st.find(tag)
        if el is None:
            el = etree.Element(tag)
            if kind == "text":
                st.append(el)
            else:
                st.insert(0, el)
        return el

    @staticmethod
    def set(el, **attrs) -> None:
        """Set attributes given as ``prefix_local=value`` (None removes)."""
        for key, value in attrs.items():
            prefix, local = key.split("_", 1)
            name = q(f"{prefix}:{local.replace('_', '-')}")
            if value is None:
                el.attrib.pop(name, None)
            else:
                el.set(name, str(value))

    def text(
        self,
        st,
        *,
        font: str | None = None,
        size: float | str | None = None,
        bold: bool | None = None,
        italic: bool | None = None,
        color_: str | None = None,
        underline: bool | None = None,
    ) -> None:
        tp = self.props(st, "text")
        if font is not None:
            self.set(tp, style_font_name=font, style_font_name_asian=font, style_font_name_complex=font)
        if size is not None:
            value = f"{size}pt" if isinstance(size, (int, float)) else size
            self.set(tp, fo_font_size=value, style_font_size_asian=value, style_font_size_complex=value)
        if bold is not None:
            w = "bold" if bold else "normal"
            self.set(tp, fo_font_weight=w, style_font_weight_asian=w, style_font_weight_complex=w)
        if italic is not None:
            s = "italic" if italic else "normal"
            self.set(tp, fo_font_style=s, style_font_style_asian=s, style_font_style_complex=s)
        if color_ is not None:
            self.set(tp, fo_color=color(color_))
        if underline is not None:
            if underline:
                self.set(
                    tp,
                    style_text_underline_style="solid",
                    style_text_underline_width="auto",
                    style_text_underline_color="font-color",
                )
            else:
                self.set(tp, style_text_underline_style="none", style_text_underline_width=None, style_text_underline_color=None)

    def para(self, st, **attrs) -> None:
        self.set(self.props(st, "paragraph"), **attrs)

    def tabs(self, st, stops: list[tuple[str, str, str | None]]) -> None:
        pp = self.props(st, "paragraph")
        for old in pp.findall(q("style:tab-stops")):
            pp.remove(old)
        ts = etree.SubElement(pp, q("style:tab-stops"))
        for position, kind, leader in stops:
            stop = etree.SubElement(ts, q("style:tab-stop"))
            stop.set(q("style:position"), position)
            stop.set(q("style:type"), kind)
            if leader:
                stop.set(q("style:leader-style"), "dotted")
                stop.set(q("style:leader-text"), leader)


def build_odt_styles(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    s = OdtStyles(root)

    # ---- fonts
    decls = root.find(q("office:font-face-decls"))
    if not any(f.get(q("style:name")) == FONT for f in decls):
        face = etree.Element(q("style:font-face"))
        face.set(q("style:name"), FONT)
        face.set(q("svg:font-family"), FONT)
        face.set(q("style:font-family-generic"), "swiss")
        face.set(q("style:font-pitch"), "variable")
        decls.insert(0, face)

    # ---- defaults: Calibri 10, French
    for default in s.styles.findall(q("style:default-style")):
        fam = default.get(q("style:family"))
        if fam in ("paragraph", "graphic"):
            tp = default.find(q("style:text-properties"))
            s.set(
                tp,
                fo_language="fr",
                fo_country="FR",
                fo_font_size=f"{BODY_PT}pt",
                style_font_size_asian=f"{BODY_PT}pt",
                style_font_size_complex=f"{BODY_PT}pt",
            )
            if fam == "paragraph":
                s.set(tp, style_font_name=FONT, style_font_name_complex=FONT)
                pp = default.find(q("style:paragraph-properties"))
                s.set(pp, style_tab_stop_distance="1.25cm")
    # pandoc's content.xml uses text and table-cell styles, families for which ODF wants a default style; they
    # bring nothing of their own (the text is set by the paragraph default, the cells by pandoc's cell styles)
    for fam in ("text", "table-cell"):
        default = etree.Element(q("style:default-style"))
        default.set(q("style:family"), fam)
        s.styles.findall(q("style:default-style"))[-1].addnext(default)
    # pandoc's ODT writer always declares its formula frames (fr1, fr2) with the parent style "Formula", which
    # LibreOffice's own templates define and pandoc's reference document does not: defined here, as a plain frame.
    s.style("Formula", "graphic")

    # ---- body
    standard = s.style("Standard")
    s.para(
        standard, fo_line_height="97%", fo_text_align="start", style_justify_single_word="false", fo_orphans="2", fo_widows="2"
    )
    s.text(standard, font=FONT, size=BODY_PT)
    body = s.style("Text_20_body")
    # ODF adds the two margins (Word takes the larger one): 3 pt + 3 pt gives
    # 6 pt between body paragraphs, and pandoc's tight-list items (automatic
    # styles with no margin) keep 3 pt from the text around them.
    s.para(body, fo_margin_top=pt_to_cm(3), fo_margin_bottom=pt_to_cm(3), style_contextual_spacing="false")
    first = s.style("First_20_paragraph")
    s.para(first, fo_margin_top=pt_to_cm(3), fo_margin_bottom=pt_to_cm(3))

    # ---- cover page
    title = s.style("Title", parent="Standard", cls="chapter", next_="Subtitle")
    s.para(
        title,
        fo_margin_top="5cm",
        fo_margin_bottom=pt_to_cm(12),
        fo_line_height="100%",
        fo_text_align="start",
        fo_border_bottom=f"1.5pt solid {color(BLUE_DARK)}",
        fo_border_top="none",
        fo_border_left="none",
        fo_border_right="none",
        fo_padding_bottom=pt_to_cm(6),
        fo_keep_with_next="always",
    )
    s.text(title, font=FONT, size=28, bold=True, color_=BLUE_DARK)
    subtitle = s.style("Subtitle", parent="Standard", cls="chapter", next_="Text_20_body")
    s.para(
        subtitle,
        fo_margin_top=pt_to_cm(6),
        fo_margin_bottom=pt_to_cm(24),
        fo_line_height="100%",
        fo_text_align="start",
        fo_keep_with_next="always",
    )
    s.text(subtitle, font=FONT, size=16, bold=False, italic=False, color_=BLUE)
    for name, before in (("Author", 6), ("Date", 3)):
        st = s.style(name, parent="Standard")
        s.para(st, fo_margin_top=pt_to_cm(before), fo_margin_bottom=pt_to_cm(3), fo_line_height="100%", fo_text_align="start")
        s.text(st, font=FONT, size=12, color_=GREY)
    # the signatories, on the cover page: pandoc's ODT writer drops the
    # abstract, stspd writes these two styles itself (as the DOCX ones)
    abstract_title = s.style("Abstract_20_Title", parent="Standard", display="Abstract Title", next_="Abstract")
    s.para(
        abstract_title,
        fo_margin_top=pt_to_cm(36),
        fo_margin_bottom=pt_to_cm(4),
        fo_margin_left="0cm",
        fo_margin_right="0cm",
        fo_line_height="100%",
        fo_text_align="start",
        fo_keep_with_next="always",
    )
    s.text(abstract_title, size=11, bold=True, color_=BLUE_DARK)
    abstract = s.style("Abstract")
    s.para(
        abstract,
        fo_margin_left="0cm",
        fo_margin_right="0cm",
        fo_margin_top="0cm",
        fo_margin_bottom=pt_to_cm(6),
        fo_text_align="start",
    )
    s.text(abstract, size=9.5)

    # ---- headings
    heading = s.style("Heading")
    s.para(heading, fo_keep_with_next="always", fo_line_height="100%")
    s.text(heading, font=FONT, bold=True, color_=BLUE_DARK)
    levels = {
        1: (18, False, BLUE_DARK, 18, 8, True),
        2: (14, False, BLUE_DARK, 0, 5, False),  # as in the DOCX: a fiche's heading at the top of its page
        3: (11.5, False, BLUE, 6, 1.5, False),
        4: (11, True, BLUE, 9, 3, False),
        5: (BODY_PT, False, BLUE, 8, 3, False),
        6: (BODY_PT, True, BLUE, 6, 2, False),
    }
    for level, (size, italic, col, before, after, first_level) in levels.items():
        h = s.style(f"Heading_20_{level}", parent="Heading", display=f"Heading {level}", outline=level)
        s.para(
            h,
            fo_margin_top=pt_to_cm(before),
            fo_margin_bottom=pt_to_cm(after),
            style_contextual_spacing="false",
            fo_keep_with_next="always",
            fo_break_before="page" if first_level else None,
        )
        if first_level:
            s.para(
                h,
                fo_border_bottom=f"0.75pt solid {color(BLUE_DARK)}",
                fo_border_top="none",
                fo_border_left="none",
                fo_border_right="none",
                fo_padding_bottom=pt_to_cm(3),
            )
        s.text(h, size=size, bold=True, italic=italic, color_=col)

    # ---- table of contents (pandoc's --toc in ODT)
    contents_heading = s.style("Contents_20_Heading", parent="Heading", display="Contents Heading", cls="index")
    s.para(
        contents_heading,
        fo_margin_top=pt_to_cm(18),
        fo_margin_bottom=pt_to_cm(8),
        fo_border_bottom=f"0.75pt solid {color(BLUE_DARK)}",
        fo_padding_bottom=pt_to_cm(3),
        fo_break_before="auto",
    )
    s.text(contents_heading, size=18, bold=True, color_=BLUE_DARK)
    s.style("Index", parent="Standard", cls="index")
    for level, (indent, bold) in enumerate([(0, True), (0.5, False), (1.0, False)], start=1):
        st = s.style(f"Contents_20_{level}", parent="Index", display=f"Contents {level}", cls="index")
        s.para(
            st,
            fo_margin_left=cm(indent),
            fo_margin_right="0cm",
            fo_text_indent="0cm",
            style_auto_text_indent="false",
            fo_margin_top=pt_to_cm(6 if level == 1 else 0),
            fo_margin_bottom=pt_to_cm(2 if level == 1 else 1),
        )
        s.tabs(st, [(cm(TEXT_W_CM - indent), "right", ".")])
        s.text(st, bold=bold, color_=BLUE_DARK if level == 1 else None)

    # ---- quotations
    quote = s.style("Quotations")
    s.para(
        quote,
        fo_margin_left="0.5cm",
        fo_margin_right="0cm",
        fo_margin_top=pt_to_cm(6),
        fo_margin_bottom=pt_to_cm(6),
        fo_border_left=f"2.25pt solid {color(BLUE)}",
        fo_border_right="none",
        fo_border_top="none",
        fo_border_bottom="none",
        fo_padding_left="0.25cm",
    )
    s.text(quote, color_=GREY_TEXT)

    # ---- tables (cell borders are automatic styles pandoc writes in
    #      content.xml with fo:border="none": only paragraphs can be styled)
    contents = s.style("Table_20_Contents")
    s.para(
        contents,
        fo_margin_left="0.15cm",
        fo_margin_right="0.15cm",
        fo_margin_top="0.03cm",
        fo_margin_bottom="0.03cm",
        fo_line_height="95%",
        fo_text_align="start",
    )
    s.text(contents, size=TABLE_PT)
    table_heading = s.style("Table_20_Heading")
    s.para(
        table_heading,
        fo_background_color=color(BLUE_DARK),
        fo_padding_top="0.05cm",
        fo_padding_bottom="0.05cm",
        fo_padding_left="0.15cm",
        fo_padding_right="0.15cm",
        fo_margin_left="0cm",
        fo_margin_right="0cm",
        fo_margin_top="0cm",
        fo_margin_bottom="0cm",
    )
    s.text(table_heading, bold=True, color_="FFFFFF")

    # ---- captions
    caption = s.style("Caption")
    s.para(caption, fo_margin_top=pt_to_cm(6), fo_margin_bottom=pt_to_cm(4), fo_line_height="100%")
    s.text(caption, size=9, italic=True, color_=GREY)
    for name in ("TableCaption", "FigureCaption"):
        st = s.style(name, parent="Caption")
        s.text(st, size=9, italic=True, color_=GREY)
    s.para(s.style("TableCaption"), fo_keep_with_next="always")

    # ---- footnotes
    footnote = s.style("Footnote")
    s.para(footnote, fo_line_height="100%", fo_margin_bottom=pt_to_cm(2))
    s.text(footnote, size=9)

    # ---- links
    link = s.style("Internet_20_link", "text")
    s.text(link, color_=BLUE_DARK, underline=True)

    # ---- running header and footer
    header_style = s.style("Header", parent="Standard", cls="extra")
    footer_style = s.style("Footer", parent="Standard", cls="extra")
    for st, align in ((header_style, "end"), (footer_style, "center")):
        s.para(
            st,
            fo_text_align=align,
            style_justify_single_word="false",
            fo_line_height="100%",
            fo_margin_top="0cm",
            fo_margin_bottom="0cm",
            text_number_lines="false",
            text_line_number="0",
        )
        s.tabs(st, [(cm(TEXT_W_CM / 2), "center", None), (cm(TEXT_W_CM), "right", None)])
        s.text(st, size=8.5, color_=GREY_LIGHT)

    # ---- page layout: A4, margins; ODF counts the header inside the top margin
    for old in s.auto.findall(q("style:style")):
        if old.get(q("style:name")) == "MP1":
            s.auto.remove(old)
    layout = s.auto.find(q("style:page-layout"))
    lp = layout.find(q("style:page-layout-properties"))
    s.set(
        lp,
        fo_page_width=cm(PAGE_W_CM),
        fo_page_height=cm(PAGE_H_CM),
        style_print_orientation="portrait",
        fo_margin_top=cm(HF_DIST_CM),
        fo_margin_bottom=cm(HF_DIST_CM),
        fo_margin_left=cm(MARGIN_LR_CM),
        fo_margin_right=cm(MARGIN_LR_CM),
    )
    for old in layout.findall(q("style:header-style")) + layout.findall(q("style:footer-style")):
        layout.remove(old)
    # LibreOffice counts the spacing (0.4 cm) inside the header's min-height:
    # body text starts at margin + min-height = 1 + 1 = 2 cm, as in the DOCX.
    band = cm(MARGIN_TB_CM - HF_DIST_CM)
    hs = etree.SubElement(layout, q("style:header-style"))
    hp = etree.SubElement(hs, q("style:header-footer-properties"))
    s.set(
        hp,
        fo_min_height=band,
        fo_margin_left="0cm",
        fo_margin_right="0cm",
        fo_margin_bottom="0.4cm",
        style_dynamic_spacing="false",
    )
    fs = etree.SubElement(layout, q("style:footer-style"))
    fpp = etree.SubElement(fs, q("style:header-footer-properties"))
    s.set(
        fpp, fo_min_height=band, fo_margin_left="0cm", fo_margin_right="0cm", fo_margin_top="0.4cm", style_dynamic_spacing="false"
    )

    # ---- master page: header "STSPD", footer "Page X sur Y"
    master = s.masters.find(q("style:master-page"))
    for child in list(master):
        master.remove(child)
    header = etree.SubElement(master, q("style:header"))
    hpar = etree.SubElement(header, q("text:p"))
    hpar.set(q("text:style-name"), "Header")
    hpar.text = HEADER_PLACEHOLDER
    footer = etree.SubElement(master, q("style:footer"))
    fpar = etree.SubElement(footer, q("text:p"))
    fpar.set(q("text:style-name"), "Footer")
    fpar.text = "Page "
    page = etree.SubElement(fpar, q("text:page-number"))
    page.set(q("text:select-page"), "current")
    page.text = "1"
    page.tail = " sur "
    count = etree.SubElement(fpar, q("text:page-count"))
    count.text = "1"

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def build_odt_meta(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    meta = root.find(q("office:meta"))
    for tag in ("meta:creation-date", "dc:date", "dc:title", "dc:language"):
        for old in meta.findall(q(tag)):
            meta.remove(old)
    for tag, value in (
        ("dc:title", "Modèle de référence STSPD"),
        ("dc:language", "fr-FR"),
        ("meta:creation-date", FIXED_DOC_DATE_ISO),
        ("dc:date", FIXED_DOC_DATE_ISO),
    ):
        el = etree.SubElement(meta, q(tag))
        el.text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def build_odt() -> bytes:
    transforms: dict[str, Callable[[bytes], bytes]] = {
        "styles.xml": build_odt_styles,
        "meta.xml": build_odt_meta,
    }
    entries = []
    with zipfile.ZipFile(io.BytesIO(pandoc_default("reference.odt"))) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            if name in transforms:
                data = transforms[name](data)
            entries.append((name, data))
    # ODF: "mimetype" first and stored; then the manifest; then the rest, sorted.
    rank = {"mimetype": 0, "META-INF/manifest.xml": 1}
    entries.sort(key=lambda e: (rank.get(e[0], 2), e[0]))
    return zip_bytes(entries, stored=frozenset({"mimetype"}))


# ==========================================================================


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--outdir",
        type=Path,
        default=Path(__file__).resolve().parent.parent / "templates",
        help="folder receiving reference.docx and reference.odt (default: templates/)",
    )
    args = parser.parse_args(argv)
    for name, build in (("reference.docx", build_docx), ("reference.odt", build_odt)):
        path = args.outdir / name
        changed = write_if_changed(path, build())
        print(f"{path}: {'written' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
