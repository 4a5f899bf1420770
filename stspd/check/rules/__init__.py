"""Cross-checks beyond the schema: one module per rule, each yielding located problems.

A rule runs on every document read, those with schema problems too, so that one run finds every problem: it reads
data through check/shapes.py and skips what has not the shape it needs (the schema's problems say why). Where it
cannot check at all without ids that could not be read, it says so (`index.skip`) instead of reporting false problems.
"""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.rules import (
    adoption,
    decisions,
    diagnostic_fragments,
    evaluation_calendar,
    evaluation_delinquency,
    evaluation_files,
    evaluation_scope,
    frames,
    funding,
    governance,
    headings,
    logo,
    measure_schedule,
    national_measures,
    objectives_served,
    period,
    placeholders,
    posts,
    references,
    revisions,
    survey,
    table_notes,
    table_shape,
    unique_ids,
)
from stspd.load.project import Project
from stspd.problems import Problem

RULES = (
    unique_ids,
    references,
    posts,
    frames,
    national_measures,
    period,
    revisions,
    adoption,
    governance,
    evaluation_files,
    evaluation_calendar,
    funding,
    table_shape,
    table_notes,
    survey,
    evaluation_scope,
    evaluation_delinquency,
    decisions,
    measure_schedule,
    diagnostic_fragments,
    headings,
    logo,
    objectives_served,
    placeholders,
)


_SHAPE_ERRORS = (KeyError, IndexError, TypeError, AttributeError, ValueError)


def check_all(project: Project, index: Index | None = None, *, well_formed: bool = True) -> Iterator[Problem]:
    """Every rule's problems. `well_formed`: every document passed its schema. When one did not, a rule that still
    stumbles on its data is noted as not made, rather than ending the validation in a traceback."""
    index = index or Index(project)
    for rule in RULES:
        found: list[Problem] = []
        try:
            found.extend(rule.check(project, index))
        except _SHAPE_ERRORS:  # what a value of the wrong type or a missing key raises; anything else is a bug
            if well_formed:
                raise
            index.skip(f"la vérification « {rule.NAME} »", "données mal formées : corrigez d'abord les erreurs de schéma")
        yield from found
