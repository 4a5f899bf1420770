"""A statistics table's columns are years or periods that run forward (« 2022-2023 », never « 2023-2022 »), and a
note on a value names one of its table's columns: else its mark would sit on no value."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import items, mapping, text
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "notes"


def check(project: Project, index: Index) -> Iterator[Problem]:
    for doc in project.diagnostics:
        for i, table in items(mapping(doc.data).get("statistiques")):
            columns = table.get("annees")
            if not isinstance(columns, list):
                continue
            for k, column in enumerate(columns):
                first, _, last = (text(column) or "").partition("-")
                if last and first >= last:
                    message = f"annees : la période « {column} » doit aller d'une année à une année postérieure (« 2023-2024 »)"
                    yield doc.problem(("statistiques", i, "annees", k), NAME, message)
            shown = ", ".join(map(str, columns))
            for j, row in items(table.get("lignes")):
                for n, note in items(row.get("notes")):
                    if "annee" in note and note["annee"] not in columns:
                        said = str(note["annee"])
                        # « "2021" » for the column 2021: the same characters, but a text against a number
                        how = (
                            f"écrivez {said} sans guillemets, comme dans annees"
                            if said in map(str, columns)
                            else "écrivez-la comme dans annees"
                        )
                        message = f"annee : « {said} » n'est pas une colonne du tableau « {table.get('id')} » ({shown}) ; {how}"
                        yield doc.problem(("statistiques", i, "lignes", j, "notes", n, "annee"), NAME, message)
