"""The whole check of a project: read, schemas, then cross-checks, in one run that finds every problem.

`validate(root)` is the entry point: a `Validation` holds the errors (the project is invalid: nothing is built from
it), the warnings (said; they fail the validation only when strict) and the checks that could not be made.
`validate_project` and `check_project` keep the older shape: what makes the project invalid, and nothing else.
Imports nothing of the rendering stack.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stspd.check import schema
from stspd.check.index import Index
from stspd.check.rules import check_all
from stspd.load.project import Project, load_project, paused_gc
from stspd.problems import Problem, Skipped

EXIT_VALID, EXIT_INVALID = 0, 1


@dataclass
class Validation:
    """What a validation found in a project."""

    project: Project
    problems: list[Problem]  # the errors, then the warnings, each by file and position
    skipped: list[Skipped]  # the checks that could not be made, and why
    strict: bool = False  # warnings fail the validation too

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.is_warning]

    @property
    def failing(self) -> list[Problem]:
        """What makes the project invalid: its errors, and its warnings too when strict."""
        return list(self.problems) if self.strict else self.errors

    @property
    def valid(self) -> bool:
        return not self.failing

    @property
    def exit_code(self) -> int:
        """`stspd validate`'s: 0 valid, 1 invalid (2, a misuse, is the command line's)."""
        return EXIT_VALID if self.valid else EXIT_INVALID


def validate(root: Path, *, strict: bool = False) -> Validation:
    """Read the project in `root` and check it: every problem, in one run. Raises NotAProject."""
    with paused_gc():
        return examine(load_project(root), strict=strict)


def examine(project: Project, *, strict: bool = False) -> Validation:
    """Schemas, then the cross-checks on every document read, its schema's problems notwithstanding."""
    problems = list(project.problems)
    documents = [("strategie", project.strategie)] if project.strategie else []
    documents += [("diagnostic", d) for d in project.diagnostics]
    documents += [("fiche", d) for d in project.fiches]
    documents += [("evaluation", d) for d in project.evaluations]
    documents += [("referentiel", d) for d in project.referentiels]
    well_formed = True
    for kind, document in documents:
        found = list(schema.check(document, kind, project.root))
        problems.extend(found)
        well_formed = well_formed and not found
    index = Index(project)
    problems.extend(check_all(project, index, well_formed=well_formed))
    project.skipped = index.skipped
    unique = set(problems)
    errors = sorted(p for p in unique if not p.is_warning)
    warnings = sorted(p for p in unique if p.is_warning)
    return Validation(project, errors + warnings, project.skipped, strict)


def validate_project(root: Path, strict: bool = False) -> tuple[Project, list[Problem]]:
    """The project as read, and what makes it invalid (its errors; its warnings too when strict), sorted."""
    result = validate(root, strict=strict)
    return result.project, result.failing


def check_project(project: Project, strict: bool = False) -> list[Problem]:
    """What makes a project already read invalid (its errors; its warnings too when strict), sorted."""
    return examine(project, strict=strict).failing
