"""An evaluation speaks only of fiches that exist and of indicators those fiches declare."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.suggest import did_you_mean
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "evaluations"


def check(project: Project, index: Index) -> Iterator[Problem]:
    if not index.complete("fiche"):
        return
    fiches = index.ids("fiche")
    for doc in project.evaluations:
        for i, entry in enumerate(doc.data["fiches"]):
            if entry["fiche"] not in fiches:
                yield doc.problem(
                    ("fiches", i, "fiche"),
                    NAME,
                    f"fiche : fiche action inconnue « {entry['fiche']} »{did_you_mean(entry['fiche'], fiches)}",
                )
                continue
            indicators = index.indicators(entry["fiche"])
            for j, value in enumerate(entry.get("indicateurs", [])):
                if value["id"] not in indicators:
                    known = ", ".join(indicators) or "aucun"
                    message = f"indicateurs : la fiche {entry['fiche']} n'a pas d'indicateur « {value['id']} »{did_you_mean(value['id'], indicators)} (les siens : {known})"
                    yield doc.problem(("fiches", i, "indicateurs", j, "id"), NAME, message)
