"""Ids are unique: two partners, objectives, constats or fiches with one id would make references ambiguous."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Declared, Index
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "ids-uniques"


def check(project: Project, index: Index) -> Iterator[Problem]:
    first: dict[tuple, Declared] = {}
    for declared in index.declared:
        seen = first.setdefault(declared.key, declared)
        if seen is not declared:
            line, _ = seen.document.mark(seen.path)
            scope = (
                f" dans l'{declared.scope}"
                if declared.scope.startswith("é")
                else f" dans la {declared.scope}"
                if declared.scope
                else ""
            )
            message = f"{declared.kind} « {declared.id} » en double{scope} (déjà : {seen.document.display}, ligne {line})"
            yield declared.document.problem(declared.path, NAME, message)
