"""Markdown written safely: user text escaped for the place it goes, tables, French spacing.

User text is data, never template: it is inserted, not evaluated. Single-line fields are escaped so that
they cannot open a heading, a table cell or a link; Markdown fields keep the Markdown of a report (paragraphs,
emphasis, lists, links, tables) and lose the syntax of everything else (attributes, divs, images, raw HTML).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# What could open Markdown syntax in an inline place; apostrophes and dashes stay for smart typography.
_MARKUP = re.compile(r"([\\`*_\[\]#|<>!$~^@{}&])")


# Runs of spaces and line ends become one space; the no-break spaces French typography puts in « 30 000 € »,
# « 12 % » or « 6 février 2024 » stay (str.split() would take them for spaces and let a line break there).
_LINE_BREAKS = re.compile(r"[ \t\r\n\v\f]+")


def inline(value: object) -> str:
    """Text for an inline place (heading, table cell, list item): one line, every Markdown character escaped."""
    text = _LINE_BREAKS.sub(" ", str(value)).strip(" ")
    return _MARKUP.sub(r"\\\1", text)


# In a user's Markdown, the characters that open what a report's text may not hold: attributes ({…}), images
# (![…]), raw HTML and autolinks other than web and mail ones (<…>), citations (@), and fenced divs (:::) that
# would close the template's own blocks.
_NOT_REPORT_MARKDOWN = re.compile(r"[{}@]|!(?=\[)|<(?!(?:https?://|mailto:)[^\s<>]*>)|(?<=^)[ \t]*(?=:::)", re.MULTILINE)


def report_markdown(value: object) -> str:
    """A user's Markdown, with only a report's syntax left: the rest is escaped, to print as typed."""
    return _NOT_REPORT_MARKDOWN.sub(_escaped, str(value).strip())


def _escaped(found: re.Match) -> str:
    text = found.group(0)
    return text + "\\" if not text or text.isspace() else "\\" + text  # a fence's indent stays before the escape


# The deepest heading level the documents use: their own headings go down to 3 (a fiche's « Description »), a
# sub-heading a town writes in a text one level below that at most.
DEEPEST_HEADING = 4


def block(value: object, level: int = DEEPEST_HEADING - 1) -> str:
    """A user's Markdown paragraph(s), ended by a blank line so that what follows starts afresh. The text stands under
    a heading of `level`: its own headings go below it (see `headings_under`)."""
    return headings_under(report_markdown(value), level) + "\n\n"


@dataclass(frozen=True)
class Heading:
    """A heading in a user's text, as pandoc reads it: lines `first` to `last` (two for an underlined one)."""

    first: int
    last: int
    level: int
    container: str  # what opens the line before the heading: a quote's « > », a list item's « - » or indent
    title: str


# What may open a line before a heading: quotes, list markers, indentation (pandoc reads « - # Titre » as a heading
# inside a list item).
_CONTAINER = r"(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*"
_CONTAINER_START = re.compile(_CONTAINER)
_ATX = re.compile(rf"({_CONTAINER})(#{{1,6}})(?:[ \t]+(.*))?")
_UNDERLINE = re.compile(r"[ \t>]*(=+|-+)[ \t]*")  # under a line after a blank one: « = » level 1, « - » level 2
_OPENS_CONTAINER = re.compile(r"[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])")
_FENCE = re.compile(r"[ \t>]*(`{3,}|~{3,})")


def headings(text: str) -> list[Heading]:
    """The headings of a user's text: « # Titre » to « ###### Titre », and a line underlined with « === » or « --- »
    that starts a paragraph; none inside a fenced code block. A « # » line right after text is one too: the
    rendering puts a blank line before it (templates.render)."""
    lines = text.split("\n")
    found: list[Heading] = []
    fence = ""
    for number, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        atx = _ATX.fullmatch(line)
        underline = _UNDERLINE.fullmatch(line) if number else None
        if atx:
            found.append(Heading(number, number, len(atx.group(2)), atx.group(1), (atx.group(3) or "").strip()))
        elif underline and _starts_paragraph(lines, number - 1):
            above = lines[number - 1]
            container = _container(above)
            level = 1 if underline.group(1)[0] == "=" else 2
            found.append(Heading(number - 1, number, level, container, above[len(container) :].strip()))
    return found


def _container(line: str) -> str:
    opening = _CONTAINER_START.match(line)
    return opening.group() if opening else ""


def _starts_paragraph(lines: list[str], number: int) -> bool:
    """Whether the line can be the text of an underlined heading: a line of its own, first of its block."""
    line = lines[number]
    if not line.strip() or _ATX.fullmatch(line) or _UNDERLINE.fullmatch(line):
        return False
    return number == 0 or not lines[number - 1].strip() or _OPENS_CONTAINER.match(line) is not None


def headings_under(text: str, level: int) -> str:
    """A user's text with its headings under a heading of `level`: the levels it uses, in their order, become
    `level` + 1, + 2…, down to DEEPEST_HEADING; an underlined heading is written with « # »."""
    found = headings(text)
    if not found:
        return text
    ranks = {written: rank for rank, written in enumerate(sorted({h.level for h in found}), start=level + 1)}
    lines = text.split("\n")
    for heading in reversed(found):  # from the end: an underline removed leaves the lines above where they were
        marks = "#" * min(ranks[heading.level], DEEPEST_HEADING)
        lines[heading.first : heading.last + 1] = [f"{heading.container}{marks} {heading.title}".rstrip()]
    return "\n".join(lines)


def list_item(value: object) -> str:
    """A user's Markdown inside a list item: following lines indented to stay in the item."""
    return report_markdown(value).replace("\n", "\n  ")


def table(
    headers: list[str], widths: list[int], rows: list[list[str]], caption: str | None = None, right: tuple[int, ...] = ()
) -> str:
    """A pipe table. `widths` are relative; the separator is long enough that pandoc honours them. The columns
    numbered in `right` (from 0) hold figures: aligned right, units under units."""
    total = sum(widths)
    rules = ["-" * max(3, w * 100 // total) + (":" if i in right else "") for i, w in enumerate(widths)]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(rules) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    if caption:
        lines += ["", f": {caption}"]
    return "\n" + "\n".join(lines) + "\n\n"


# What would open a list or a quotation at the start of a paragraph in a grid table's cell, where cells hold blocks.
_BLOCK_START = re.compile(r"^(\d+)([.)])(?= )|^([-+>])(?= )")


def grid_table(headers: list[str], widths: list[int], rows: list[list[list[str]]]) -> str:
    """A grid table, for cells of several paragraphs (`rows` of cells, a cell a list of one-line paragraphs, each
    already escaped). Columns are as many characters wide as `widths` asks, scaled so that each line fits its cell:
    pandoc takes the relative widths from them."""
    cells = [[[_BLOCK_START.sub(r"\1\\\2\3", line) or "\\ " for line in cell] for cell in row] for row in rows]
    head = [[header] for header in headers]
    scale = max(
        100 / sum(widths),  # at least 100 characters wide: pandoc narrows a grid table narrower than its 72 columns
        *((len(line) + 2) / width for row in [head, *cells] for cell, width in zip(row, widths, strict=True) for line in cell),
    )
    chars = [max(3, math.ceil(width * scale)) for width in widths]

    def rule(mark: str) -> str:
        return "+" + "+".join(mark * n for n in chars) + "+"

    def lines(row: list[list[str]]) -> list[str]:
        stacked = [[part for i, line in enumerate(cell) for part in ([""] if i else []) + [line]] for cell in row]
        height = max(len(cell) for cell in stacked)
        return [
            "|" + "|".join(f" {(cell[i] if i < len(cell) else ''):<{n - 2}} " for cell, n in zip(stacked, chars)) + "|"
            for i in range(height)
        ]

    out = [rule("-"), *lines(head), rule("="), *(line for row in cells for line in [*lines(row), rule("-")])]
    return "\n" + "\n".join(out) + "\n\n"


def slug(value: object) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", str(value)).strip("-").lower()


# Each pattern starts with a plain character and looks behind only where one is found: a pattern that starts with
# a look-behind is tried at every position of the document's 175,000 characters (10 ms instead of 3).
_SPACE_BEFORE_COLON = re.compile(r" (?<=\S )([:»])")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" (?<=\S )([;?!])")
_SPACE_AFTER_GUILLEMET = re.compile(r"« ")


# A date typed in a text (« le 6 février 2024 »): its three parts on one line. Starts with a digit (see above).
_TYPED_DATE = re.compile(
    r"(\d{1,2}|1er) (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) (\d{4})\b"
)


# A span of years typed with a hyphen (« 2024-2028 »), which French typesetting writes with an en dash. Starts
# with a digit (see above); a span inside a web address or an identifier is left as typed (see _year_span).
_YEAR_SPAN = re.compile(r"(1[89]\d\d|2\d\d\d)-(1[89]\d\d|2\d\d\d)(?![\w/-])(?!\.\w)")


def _year_span(found: re.Match) -> str:
    before = found.string[found.start() - 1 : found.start()]
    first, last = found.group(1), found.group(2)
    if (before and (before.isalnum() or before in "/.-_=?&#%:")) or last <= first:
        return found.group(0)
    return f"{first}\u2013{last}"


def typography(text: str) -> str:
    """French spacing made non-breaking where the author typed a space: « a : b ; c ? » keeps its lines together,
    and so does a date; a span of years takes an en dash."""
    text = _YEAR_SPAN.sub(_year_span, text)
    text = _TYPED_DATE.sub("\\1\u00a0\\2\u00a0\\3", text)
    text = _SPACE_BEFORE_COLON.sub("\u00a0\\1", text)
    text = _SPACE_BEFORE_PUNCTUATION.sub("\u202f\\1", text)
    return _SPACE_AFTER_GUILLEMET.sub("«\u00a0", text)
