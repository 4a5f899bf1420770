"""Statistics tables are rectangular: one value per year on every row."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import items, mapping
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "tableaux"


def check(project: Project, index: Index) -> Iterator[Problem]:
    for doc in project.diagnostics:
        for i, table in items(mapping(doc.data).get("statistiques")):
            years = table.get("annees")
            if not isinstance(years, list):
                continue
            lists: list[tuple[tuple[str | int, ...], object]] = [
                (("statistiques", i, key), table.get(key)) for key in ("populations", "logements")
            ]
            for j, row in items(table.get("lignes")):
                lists += [(("statistiques", i, "lignes", j, key), row.get(key)) for key in ("valeurs", "taux")]
            for j, row in items(mapping(table.get("comparaison")).get("lignes")):
                lists.append((("statistiques", i, "comparaison", "lignes", j, "taux"), row.get("taux")))
            for path, values in lists:
                if isinstance(values, list) and len(values) != len(years):
                    message = (
                        f"{path[-1]} : {len(values)} valeurs pour {len(years)} années ({', '.join(map(str, years))}) ; "
                        "mettez ~ pour une année sans donnée"
                    )
                    yield doc.problem(path, NAME, message)
