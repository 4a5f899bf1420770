"""A diagnostic split over diagnostic/*.yaml says each section once: lists add up, other sections do not."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import mapping
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "diagnostic"


def check(project: Project, index: Index) -> Iterator[Problem]:
    first: dict[str, str] = {}
    for doc in project.diagnostics:
        for key, value in mapping(doc.data).items():
            if isinstance(value, list):
                continue
            seen = first.setdefault(key, doc.display)
            if seen != doc.display:
                yield doc.problem(
                    (key,),
                    NAME,
                    f"la rubrique « {key} » figure déjà dans {seen} : une rubrique ne se répartit pas sur deux fichiers",
                    key=True,
                )
