"""The evaluation calendar agrees with the strategy: its steps fall within the period and before instances that
exist, and a yearly bilan planned for a year already past has its evaluation file. « Past » is measured against the
project, not the clock, so that validating the same files always says the same: a year is past when a later year
has been evaluated. The other way round, warnings too (the document prints both, so they must agree): an evaluation
whose year the calendar plans no yearly bilan for, and a bilan presented on another day than the calendar says."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import integer, items, mapping, text
from stspd.check.suggest import did_you_mean
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "calendrier"
CHECK = "les instances du calendrier d'évaluation"


def check(project: Project, index: Index) -> Iterator[Problem]:
    doc = project.strategie
    if doc is None:
        return
    steps = list(items(mapping(doc.data).get("calendrier_evaluation")))
    period = index.period
    evaluated = {year for e in project.evaluations if (year := integer(mapping(e.data).get("annee"))) is not None}
    for i, step in steps:
        year = integer(step.get("annee"))
        if year is None:
            continue
        if period and not period[0] <= year <= period[1]:
            yield doc.problem(
                ("calendrier_evaluation", i, "annee"),
                NAME,
                f"annee : {year} est hors de la période de la stratégie ({period[0]}–{period[1]})",
            )
        elif step.get("type") == "bilan_annuel" and year not in evaluated and any(later > year for later in evaluated):
            yield doc.problem(
                ("calendrier_evaluation", i, "annee"),
                NAME,
                f"annee : le bilan annuel {year} est prévu, {max(evaluated)} est déjà évalué, mais evaluations/{year}.yaml "
                "manque : ajoutez-le ou retirez ce bilan du calendrier",
            ).as_warning()
    yield from _against_evaluations(project, steps)
    named = [(i, ref) for i, step in steps if (ref := text(step.get("instance")))]
    if named and not index.complete("instance"):
        index.skip(CHECK, index.why("instance"))
        return
    known = index.ids("instance")
    for i, ref in named:
        if ref not in known:
            yield doc.problem(
                ("calendrier_evaluation", i, "instance"),
                NAME,
                f"instance : instance inconnue « {ref} » (gouvernance › instances){did_you_mean(ref, known)}",
            )


def _against_evaluations(project: Project, steps: list[tuple[int, dict]]) -> Iterator[Problem]:
    """Each evaluation file against the calendar's yearly bilans, once the calendar plans any."""
    planned = {integer(step.get("annee")): (i, step) for i, step in steps if step.get("type") == "bilan_annuel"}
    if not planned or project.strategie is None:
        return
    for evaluation in project.evaluations:
        data = mapping(evaluation.data)
        year = integer(data.get("annee"))
        if year is None:
            continue
        if year not in planned:
            yield evaluation.problem(
                ("annee",),
                NAME,
                f"annee : le calendrier d'évaluation (strategie.yaml) ne prévoit pas de bilan annuel {year} : "
                "ajoutez-le au calendrier",
            ).as_warning()
            continue
        i, step = planned[year]
        when, held = step.get("date"), data.get("date_bilan")
        if when is None or held is None:
            continue
        # a step dated by its month only agrees with any day of that month
        if str(held)[: len(str(when))] != str(when):
            yield project.strategie.problem(
                ("calendrier_evaluation", i, "date"),
                NAME,
                f"date : le bilan annuel {year} est prévu le {when}, evaluations/{year}.yaml donne {held} "
                "(date_bilan) : mettez à jour l'une des deux dates",
            ).as_warning()
