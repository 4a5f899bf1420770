"""Texts still to write: `stspd init` fills every text it cannot know with « À rédiger : … ». Each one left is a
warning, where it stands; the report's summary counts them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.schema import field_name
from stspd.load.document import Document, shortened, source_line
from stspd.load.project import Project
from stspd.problems import TO_WRITE, WARNING, Problem

NAME = TO_WRITE
PLACEHOLDER = re.compile(r"\s*[AÀaà]\s+r[ée]diger\b", re.IGNORECASE)


def check(project: Project, index: Index) -> Iterator[Problem]:
    documents = [project.strategie] if project.strategie else []
    for doc in [*documents, *project.diagnostics, *project.fiches, *project.evaluations]:
        for path, value in _texts(doc.data, ()):
            if PLACEHOLDER.match(value):
                yield _placeholder(doc, path, value)


def _texts(value, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, path + (index,))


def _placeholder(doc: Document, path: tuple, value: str) -> Problem:
    name = field_name(path)
    quoted = f"« {shortened(value.strip().splitlines()[0], 50)} »"
    message = f"{name} : encore à rédiger ({quoted})" if name else f"encore à rédiger ({quoted})"
    line, column = _text_start(doc, path)
    return Problem(doc.display, line, column, NAME, message, source_line(doc.text, line), severity=WARNING)


def _text_start(doc: Document, path: tuple) -> tuple[int, int]:
    """Where the text itself begins: below a block scalar's « | » or « > », on the line of the value otherwise."""
    node = doc.node(path)
    if node is None or getattr(node, "style", None) not in ("|", ">"):
        return doc.mark(path)
    lines = doc.text.splitlines()
    for number in range(node.start_mark.line + 2, min(node.end_mark.line + 1, len(lines)) + 1):
        content = lines[number - 1]
        if content.strip():
            return number, len(content) - len(content.lstrip()) + 1
    return doc.mark(path)
