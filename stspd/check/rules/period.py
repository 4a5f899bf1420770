"""Years lie in the strategy's period: schedules (by year or by month), milestones, annual funding, targets and
evaluations; and in their own order. A baseline may precede the period: it is measured before the action starts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import integer, items, mapping, text
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "periode"
CHECK = "les années au regard de la période de la stratégie"


def check(project: Project, index: Index) -> Iterator[Problem]:
    period = index.period  # None when strategie.yaml, or its period, could not be read
    if period is not None and period[0] > period[1]:
        assert project.strategie is not None
        yield project.strategie.problem(
            ("periode", "fin"), NAME, f"la période finit ({period[1]}) avant de commencer ({period[0]})"
        )
        period = None  # said: no year is measured against it
    within = _Within(period)
    for doc in project.fiches:
        data = mapping(doc.data)
        yield from _schedule(doc, data, within)
        for i, indicator in items(data.get("indicateurs")):
            target = integer(mapping(indicator.get("cible")).get("annee"))
            baseline = integer(mapping(indicator.get("reference")).get("annee"))
            if target is not None and not within(target):
                yield doc.problem(("indicateurs", i, "cible", "annee"), NAME, f"cible : l'année {target} est hors de {within}")
            if target is not None and baseline is not None and baseline > target:
                yield doc.problem(
                    ("indicateurs", i, "reference", "annee"),
                    NAME,
                    f"reference : l'année {baseline} est postérieure à celle de la cible ({target})",
                )
    for doc in project.evaluations:
        year = integer(mapping(doc.data).get("annee"))
        if year is not None and not within(year):
            yield doc.problem(("annee",), NAME, f"annee : {year} est hors de {within}")
    if within.missed and not (index.period and index.period[0] > index.period[1]):
        index.skip(CHECK, index.why_no_period())


class _Within:
    """Whether a year lies in the period; when the period is unknown, every year passes, and that is noted."""

    def __init__(self, period: tuple[int, int] | None):
        self.period = period
        self.missed = False

    def __call__(self, year: int) -> bool:
        if self.period is None:
            self.missed = True
            return True
        return self.period[0] <= year <= self.period[1]

    def __str__(self) -> str:
        assert self.period is not None
        return f"la période de la stratégie ({self.period[0]}-{self.period[1]})"


def _schedule(doc, data: dict, within: _Within) -> Iterator[Problem]:
    schedule = mapping(data.get("calendrier"))
    start, end = _bound(schedule.get("debut"), first=True), _bound(schedule.get("fin"), first=False)
    for key, bound in (("debut", start), ("fin", end)):
        if bound is not None and not within(bound[0]):
            yield doc.problem(("calendrier", key), NAME, f"calendrier : {_said(schedule[key])} est hors de {within}")
    for i, line in items(data.get("financements")):
        years = line.get("annees")
        for j, year in enumerate(years if isinstance(years, list) else []):
            if integer(year) is not None and not within(year):
                yield doc.problem(("financements", i, "annees", j), NAME, f"financements : l'année {year} est hors de {within}")
    if "fin" not in schedule and within.period is not None:
        end = (within.period[1], 12)  # an action without an end runs to the strategy's
    if start is None or end is None:
        return
    first, last = schedule["debut"], schedule.get("fin", end[0])
    # « 2025-2030 », but « de 2025-03 à 2028-06 »: two months joined by a hyphen read as one date
    span = f"de {first} à {last}" if isinstance(first, str) or isinstance(last, str) else f"{first}-{last}"
    if start > end:  # no milestone can lie between: the schedule is said wrong, once
        yield doc.problem(
            ("calendrier", "fin"), NAME, f"calendrier : la fin ({schedule['fin']}) précède le début ({schedule['debut']})"
        )
        return
    for i, milestone in items(schedule.get("jalons")):
        date = text(milestone.get("date"))
        month = _bound(date, first=True)
        if date is not None and month is not None and not start <= month <= end:
            yield doc.problem(
                ("calendrier", "jalons", i, "date"),
                NAME,
                f"jalon : {date} est hors du calendrier de l'action ({span})",
            )


_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def _bound(value: object, *, first: bool) -> tuple[int, int] | None:
    """A schedule's bound as (year, month): a year starts in January and ends in December; a month (« 2024-09 »,
    or a day in it) is itself."""
    year = integer(value)
    if year is not None:
        return (year, 1 if first else 12)
    match = _MONTH.match(value) if isinstance(value, str) else None
    return (int(match[1]), int(match[2])) if match else None


def _said(value: object) -> str:
    return f"l'année {value}" if integer(value) is not None else f"le mois {value}"
