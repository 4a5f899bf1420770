"""Texts still to write: `stspd init` fills every text it cannot know with « À rédiger : … ». Each one left is a
warning, where it stands; the report's summary counts them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.schema import field_name
from stspd.check.shapes import texts
from stspd.load.document import Document, shortened, source_line
from stspd.load.project import Project
from stspd.problems import TO_WRITE, WARNING, Problem

NAME = TO_WRITE
PLACEHOLDER = re.compile(r"\s*[AÀaà]\s+r[ée]diger\b", re.IGNORECASE)


def check(project: Project, index: Index) -> Iterator[Problem]:
    documents = [project.strategie] if project.strategie else []
    for doc in [*documents, *project.diagnostics, *project.fiches, *project.evaluations]:
        for path, value in texts(doc.data):
            if PLACEHOLDER.match(value):
                yield _placeholder(doc, path, value)


def _placeholder(doc: Document, path: tuple, value: str) -> Problem:
    name = field_name(path)
    quoted = f"« {shortened(value.strip().splitlines()[0], 50)} »"
    message = f"{name} : encore à rédiger ({quoted})" if name else f"encore à rédiger ({quoted})"
    line, column = doc.text_mark(path)
    return Problem(doc.display, line, column, NAME, message, source_line(doc.text, line), severity=WARNING)
