"""An evaluation file is named by the year it evaluates (evaluations/2025.yaml), and a year has one evaluation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import integer, mapping
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "evaluations"
_YEAR = re.compile(r"[0-9]{4}")


def check(project: Project, index: Index) -> Iterator[Problem]:
    by_year: dict[int, list] = {}
    for doc in project.evaluations:
        year = integer(mapping(doc.data).get("annee"))
        if year is not None:
            by_year.setdefault(year, []).append(doc)
    for doc in project.evaluations:
        stem, year = doc.path.stem, integer(mapping(doc.data).get("annee"))
        if year is None:  # the schema says what is wrong with annee; the name may still be said wrong
            if not _YEAR.fullmatch(stem):
                yield Problem(
                    doc.display,
                    0,
                    0,
                    NAME,
                    f"le fichier {doc.path.name} n'est pas nommé par une année : une évaluation se nomme par l'année "
                    "qu'elle évalue, ex. « 2025.yaml »",
                )
            continue
        if stem == str(year):
            continue
        right = f"{year}{doc.path.suffix.lower()}"
        others = [other for other in by_year[year] if other is not doc]
        if others:
            named = next((o for o in others if o.path.stem == str(year)), others[0])
            message = (
                f"annee : le fichier {doc.path.name} évalue {year}, comme {project.name(named.path)} : une seule "
                f"évaluation par année ; réunissez-les dans {right}"
            )
        else:
            message = f"annee : le fichier {doc.path.name} évalue {year} ; nommez-le {right}"
        yield doc.problem(("annee",), NAME, message)
