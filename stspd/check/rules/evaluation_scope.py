"""An evaluation speaks only of fiches that exist and of indicators those fiches declare."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import items, mapping, text
from stspd.check.suggest import did_you_mean
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "evaluations"


def check(project: Project, index: Index) -> Iterator[Problem]:
    fiches = index.ids("fiche")
    for doc in project.evaluations:
        for i, entry in items(mapping(doc.data).get("fiches")):
            fiche = text(entry.get("fiche"))
            if fiche is None:
                continue
            if not index.complete("fiche"):
                index.skip("les fiches actions des évaluations", index.why("fiche"))
                return
            if fiche not in fiches:
                yield doc.problem(
                    ("fiches", i, "fiche"), NAME, f"fiche : fiche action inconnue « {fiche} »{did_you_mean(fiche, fiches)}"
                )
                continue
            values = [(j, value_id) for j, value in items(entry.get("indicateurs")) if (value_id := text(value.get("id")))]
            if values and (unknown := index.indicators_unknown(fiche)):
                index.skip("les indicateurs des évaluations", unknown)
                continue
            indicators = index.indicators(fiche)
            for j, value_id in values:
                if value_id not in indicators:
                    known = ", ".join(indicators) or "aucun"
                    message = f"indicateurs : la fiche {fiche} n'a pas d'indicateur « {value_id} »{did_you_mean(value_id, indicators)} (les siens : {known})"
                    yield doc.problem(("fiches", i, "indicateurs", j, "id"), NAME, message)
