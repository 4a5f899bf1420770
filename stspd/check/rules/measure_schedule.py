"""An indicator measured every two or three years says from which year: `premiere_mesure`, else its reference's year.

Without either, the years of its measures cannot be told (evaluation/compute.py `measure_due`): every year then
expects a value, and a year without one is « non renseigné ». A warning, since nothing is false, only unplaced.
"""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import items, mapping, text
from stspd.load.project import Project
from stspd.model.vocabulary import CYCLE_YEARS, FREQUENCIES
from stspd.problems import Problem

NAME = "frequences"


def check(project: Project, index: Index) -> Iterator[Problem]:
    for doc in project.fiches:
        for j, indicator in items(mapping(doc.data).get("indicateurs")):
            frequency = text(indicator.get("frequence"))
            if frequency in CYCLE_YEARS and "premiere_mesure" not in indicator and "reference" not in indicator:
                message = (
                    f"frequence : l'indicateur « {text(indicator.get('id')) or '?'} » est mesuré "
                    f"{FREQUENCIES[frequency]}, sans dire depuis quand : donnez premiere_mesure (l'année d'une mesure) "
                    "ou une référence ; d'ici là, chaque année attend une valeur"
                )
                yield doc.problem(("indicateurs", j, "frequence"), NAME, message).as_warning()
