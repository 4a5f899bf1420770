"""Cross-checks beyond the schema: one module per rule, each yielding located problems.

A rule runs on the documents that passed their schema, so it may trust their shape.
"""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.rules import (
    diagnostic_fragments,
    evaluation_scope,
    funding,
    logo,
    national_measures,
    period,
    references,
    table_shape,
    unique_ids,
)
from stspd.load.project import Project
from stspd.problems import Problem

RULES = (unique_ids, references, national_measures, period, funding, table_shape, evaluation_scope, diagnostic_fragments, logo)


def check_all(project: Project) -> Iterator[Problem]:
    index = Index(project)
    for rule in RULES:
        yield from rule.check(project, index)
