"""Years lie in the strategy's period: schedules, milestones, targets and evaluations."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "periode"


def check(project: Project, index: Index) -> Iterator[Problem]:
    if index.period is None or project.strategie is None:  # the period comes from a strategie.yaml that was read
        return
    first, last = index.period
    if first > last:
        yield project.strategie.problem(("periode", "fin"), NAME, f"la période finit ({last}) avant de commencer ({first})")
        return
    span = f"la période de la stratégie ({first}-{last})"
    for doc in project.fiches:
        yield from _schedule(doc, first, last, span)
        for i, indicator in enumerate(doc.data.get("indicateurs", [])):
            target, baseline = indicator.get("cible"), indicator.get("reference")
            if target and not first <= target["annee"] <= last:
                yield doc.problem(
                    ("indicateurs", i, "cible", "annee"), NAME, f"cible : l'année {target['annee']} est hors de {span}"
                )
            if target and baseline and baseline["annee"] > target["annee"]:
                yield doc.problem(
                    ("indicateurs", i, "reference", "annee"),
                    NAME,
                    f"reference : l'année {baseline['annee']} est postérieure à celle de la cible ({target['annee']})",
                )
    for doc in project.evaluations:
        year = doc.data["annee"]
        if not first <= year <= last:
            yield doc.problem(("annee",), NAME, f"annee : {year} est hors de {span}")
        if doc.path.stem != str(year):
            yield doc.problem(
                ("annee",), NAME, f"annee : le fichier {doc.path.name} évalue {year} ; nommez-le {year}{doc.path.suffix}"
            )


def _schedule(doc, first: int, last: int, span: str) -> Iterator[Problem]:
    schedule = doc.data.get("calendrier")
    if not schedule:
        return
    start, end = schedule["debut"], schedule.get("fin", last)
    for key, year in (("debut", start), ("fin", end)):
        if key in schedule and not first <= year <= last:
            yield doc.problem(("calendrier", key), NAME, f"calendrier : l'année {year} est hors de {span}")
    if start > end:
        yield doc.problem(("calendrier", "fin"), NAME, f"calendrier : la fin ({end}) précède le début ({start})")
    for i, milestone in enumerate(schedule.get("jalons", [])):
        year = int(milestone["date"][:4])
        if not start <= year <= end:
            yield doc.problem(
                ("calendrier", "jalons", i, "date"),
                NAME,
                f"jalon : {milestone['date']} est hors du calendrier de l'action ({start}-{end})",
            )
