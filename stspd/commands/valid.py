"""The valid project every writing command starts from: read, checked, then modelled (never the other way)."""

from __future__ import annotations

from pathlib import Path

from stspd.check.validation import validate_project
from stspd.commands.errors import InvalidProject, Misuse
from stspd.load.project import Project
from stspd.model.types import DocumentModel


def valid_model(root: Path) -> tuple[Project, DocumentModel]:
    """The project and its document model; InvalidProject with every problem when its data are not valid."""
    from stspd.model.strategy import document_model

    project, problems = validate_project(root)
    if problems:
        raise InvalidProject(problems)
    return project, document_model(project)


def year_in_period(view: DocumentModel, year: int) -> int:
    """`year`, when the strategy's period holds it."""
    period = view["periode"]
    if not period["debut"] <= year <= period["fin"]:
        raise Misuse(f"--annee {year} est hors de la période de la stratégie ({period['debut']}-{period['fin']})")
    return year
