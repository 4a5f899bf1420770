"""`stspd export json`: the whole validated project as one JSON document, of the shape schemas/export.schema.json
describes (each part as the YAML file it comes from), for other tools: an open-data portal, a dashboard. It is
public as the document is: what the document leaves out (a confidential instance's role and members) it leaves out."""

from __future__ import annotations

import json
from pathlib import Path

from stspd.check.validation import validate_project
from stspd.commands.errors import InvalidProject
from stspd.model.strategy import published

SCHEMA_ID = "https://stspd.fr/schemas/1/export.schema.json"


def export_json(root: Path) -> bytes:
    """The project's data, validated first; sorted keys and parts, so that the same project gives the same bytes."""
    project, problems = validate_project(root)
    if problems:
        raise InvalidProject(problems)
    document = {
        "$schema": SCHEMA_ID,
        "format": "stspd-export",
        "version": 1,
        "strategie": published(project.strategie.data) if project.strategie else {},
        "diagnostic": [doc.data for doc in project.diagnostics],
        "fiches": sorted((doc.data for doc in project.fiches), key=lambda fiche: _number(fiche["id"])),
        "evaluations": sorted((doc.data for doc in project.evaluations), key=lambda evaluation: evaluation["annee"]),
        "referentiels": sorted((doc.data for doc in project.referentiels), key=lambda frame: frame["id"]),
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _number(identifier: str) -> tuple:
    """« 1.10.2 » after « 1.9.2 »: each part compared as a number where it is one."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in identifier.split("."))
