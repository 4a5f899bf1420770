"""The whole check of a project: read, schemas, then cross-checks. Imports nothing of the rendering stack."""

from __future__ import annotations

from pathlib import Path

from .problems import Problem
from .project import Project, load_project
from .rules import check_all


def validate_project(root: Path) -> tuple[Project, list[Problem]]:
    """The project as read, and every problem found, sorted by file and position."""
    project = load_project(root)
    problems = project.problems + list(check_all(project))
    return project, sorted(set(problems))
