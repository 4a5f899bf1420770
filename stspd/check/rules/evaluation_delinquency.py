"""An evaluation's recorded delinquency (`delinquance`) gives the year's figures of statistics tables of the
diagnostic: each table is one the diagnostic declares, given once; each row is one of that table's rows, named by its
label as the diagnostic writes it, given once. Else the bilan would print a figure beside no row, or two for one.

For a table whose columns are periods (« 2023-2024 »), the evaluated year stands for the period that ends in it,
as a bilan cuts such a table (stspd.model.types.end_year): nothing to check here, the year is the file's."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import items, mapping, text
from stspd.check.suggest import did_you_mean
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "delinquance"
KIND = "tableau statistique"


def check(project: Project, index: Index) -> Iterator[Problem]:
    tables = index.ids(KIND)
    for doc in project.evaluations:
        seen_tables: dict[str, int] = {}
        for i, given in items(mapping(doc.data).get("delinquance")):
            table_id = text(given.get("tableau"))
            if table_id is None:
                continue
            if table_id in seen_tables:
                message = (
                    f"tableau : les chiffres du tableau « {table_id} » sont déjà donnés ligne {seen_tables[table_id]} ; "
                    "réunissez-les en une seule entrée"
                )
                yield doc.problem(("delinquance", i, "tableau"), NAME, message)
                continue
            seen_tables[table_id] = doc.mark(("delinquance", i, "tableau"))[0]
            if not index.complete(KIND):
                index.skip("les tableaux de la délinquance des évaluations", index.why(KIND))
                return
            if table_id not in tables:
                known = ", ".join(tables) or "aucun"
                message = (
                    f"tableau : le diagnostic n'a pas de tableau statistique « {table_id} »{did_you_mean(table_id, tables)} "
                    f"(les siens : {known}) ; écrivez l'id d'un tableau de « statistiques » du diagnostic"
                )
                yield doc.problem(("delinquance", i, "tableau"), NAME, message)
                continue
            yield from _rows(doc, i, given, table_id, mapping(tables[table_id].value))


def _rows(doc, i: int, given: dict, table_id: str, table: dict) -> Iterator[Problem]:
    labels = [label for _, row in items(table.get("lignes")) if (label := text(row.get("indicateur")))]
    seen: dict[str, int] = {}
    for j, line in items(given.get("lignes")):
        label = text(line.get("indicateur"))
        if label is None:
            continue
        path = ("delinquance", i, "lignes", j, "indicateur")
        if label in seen:
            message = f"indicateur : « {label} » est déjà donné ligne {seen[label]} ; une ligne par indicateur"
            yield doc.problem(path, NAME, message)
            continue
        seen[label] = doc.mark(path)[0]
        if label not in labels:
            message = (
                f"indicateur : « {label} » n'est pas une ligne du tableau « {table_id} » du diagnostic"
                f"{did_you_mean(label, labels)} ; écrivez le libellé comme dans le diagnostic"
            )
            yield doc.problem(path, NAME, message)
