"""Statistics tables are rectangular: one value per year on every row."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "tableaux"


def check(project: Project, index: Index) -> Iterator[Problem]:
    for doc in project.diagnostics:
        for i, table in enumerate(doc.data.get("statistiques", [])):
            years = len(table["annees"])
            for j, row in enumerate(table["lignes"]):
                if len(row["valeurs"]) != years:
                    message = (
                        f"valeurs : {len(row['valeurs'])} valeurs pour {years} années ({', '.join(map(str, table['annees']))}) ; "
                        "mettez ~ pour une année sans donnée"
                    )
                    yield doc.problem(("statistiques", i, "lignes", j, "valeurs"), NAME, message)
