"""The whole check of a project: read, schemas, then cross-checks. Imports nothing of the rendering stack."""

from __future__ import annotations

from pathlib import Path

from stspd.check import schema
from stspd.check.rules import check_all
from stspd.load.project import Project, load_project, paused_gc
from stspd.problems import Problem


def validate_project(root: Path) -> tuple[Project, list[Problem]]:
    """The project as read, and every problem found, sorted by file and position."""
    with paused_gc():
        project = load_project(root)
        return project, check_project(project)


def check_project(project: Project) -> list[Problem]:
    """Schemas, then the cross-checks on the documents that passed theirs (the others are set aside)."""
    problems = list(project.problems)
    if project.strategie and _failed(project.strategie, "strategie", project, problems):
        project.strategie = None
    project.diagnostics = [d for d in project.diagnostics if not _failed(d, "diagnostic", project, problems)]
    project.fiches = [d for d in project.fiches if not _failed(d, "fiche", project, problems)]
    project.evaluations = [d for d in project.evaluations if not _failed(d, "evaluation", project, problems)]
    problems.extend(check_all(project))
    return sorted(set(problems))


def _failed(document, kind: str, project: Project, problems: list[Problem]) -> bool:
    found = list(schema.check(document, kind, project.root))
    if found:
        problems.extend(found)
        project.failed_kinds.add(kind)
    return bool(found)
