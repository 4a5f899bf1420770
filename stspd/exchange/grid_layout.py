"""The grid's page layout: text measured with the font's own advance widths, so that a column is never narrower
than its longest word or number, and a spreadsheet row is as tall as its wrapped text.

The DOCX and XLSX name Calibri; Carlito, shipped in stspd/data/fonts, has the same advance widths."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from stspd.resources import data_dir

# Where Word, LibreOffice and Excel may break a line. A no-break space (U+00A0) or narrow no-break space (U+202F),
# as in « 1 000 » or « 64,4 % », is not one: a number is measured, and kept, whole.
BREAKS = (" ", "\t", "\n")
# Headroom for the renderers' rounding and hinting, which differ from the font's exact advances by a few tenths
SLACK = 1.04
_EM = 1000  # the size the font is loaded at: lengths are read in thousandths of an em, then scaled


@dataclass(frozen=True)
class Paper:
    """A sheet in landscape, in millimetres; `excel` is its paperSize number in SpreadsheetML."""

    width: int
    height: int
    excel: int


PAPERS = {"a4": Paper(297, 210, 9), "a3": Paper(420, 297, 8)}


@lru_cache(maxsize=2)
def _font(bold: bool):
    from PIL import ImageFont

    name = "Carlito-Bold.ttf" if bold else "Carlito-Regular.ttf"
    # the basic layout: the same lengths with or without libraqm on the machine
    return ImageFont.truetype(str(data_dir() / "fonts" / name), _EM, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=8192)
def length(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` on one line, in points, at `size` points. Carlito has no glyph for U+00A0, which every
    renderer draws as wide as a space."""
    return _font(bold).getlength(text.replace("\u00a0", " ")) * size / _EM


def words(text: str) -> list[str]:
    """`text` cut where a line may break."""
    for mark in BREAKS[1:]:
        text = text.replace(mark, " ")
    return [word for word in text.split(" ") if word]


def longest_word(text: str, size: float, bold: bool = False) -> float:
    """The narrowest a column can be (in points, without its cell margins) and show `text` without a word cut."""
    return max((length(word, size, bold) for word in words(text)), default=0.0) * SLACK


def one_line(text: str, size: float, bold: bool = False) -> float:
    """The width `text` takes when nothing wraps it, in points."""
    return length(" ".join(words(text)), size, bold) * SLACK


@lru_cache(maxsize=8192)  # a fiche's texts come again on each of its indicators' rows
def line_count(text: str, width: float, size: float, bold: bool = False) -> int:
    """How many lines `text` takes in a column `width` points wide (without margins), wrapped at spaces as a word
    processor or spreadsheet does, a word too long for the column cut where it overflows."""
    lines, used, space = 0, 0.0, length(" ", size, bold)
    for paragraph in text.split("\n"):
        lines, used = lines + 1, 0.0
        for word in words(paragraph):
            taken = length(word, size, bold) * SLACK
            if used and used + space + taken <= width:
                used += space + taken
                continue
            if used:
                lines += 1
            extra = max(0, math.ceil(taken / width) - 1) if width > 0 else 0
            lines, used = lines + extra, taken - extra * width
    return lines


def fit(least: list[float], natural: list[float], usable: float) -> list[float]:
    """Column widths over `usable`: each at least its longest word (`least`), the room left shared in proportion
    to what each lacks to show its text on one line (`natural`), as browsers lay out an automatic table. Room beyond
    every text on one line goes to the widest column (an indicator's label), so that the figures stay side by side.
    When even the least widths overflow, they are kept: a word is never cut (A3 paper gives the room)."""
    floor, whole = sum(least), sum(natural)
    if floor >= usable or not natural:
        return least
    if whole <= usable:
        widest = natural.index(max(natural))
        return [width + (usable - whole if index == widest else 0) for index, width in enumerate(natural)]
    share = (usable - floor) / (whole - floor)
    return [low + (high - low) * share for low, high in zip(least, natural)]
