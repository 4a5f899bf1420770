"""The bilan of the whole period: the strategy from its first year to a given one, what a town presents when it
ends and what the next one is built on.

Each fiche's état year by year and where it ended, the share of fiches deployed each year, each indicator's last
measured value against its target, and the lessons each year's evaluation recorded. Pure functions over the
document model (compute.py's arithmetic, used as it is); the document is templates/bilan-periode.md.j2.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from stspd.evaluation import compute
from stspd.model.types import Axis, DocumentModel, Evaluation, EvaluationEntry, Fiche, Indicator
from stspd.model.vocabulary import STATE_LABELS, STATE_ORDER

NOT_EVALUATED = "non_evaluee"
# A fiche is deployed once it is under way or done; one not started, postponed or abandoned is not.
DEPLOYED = ("realisee", "en_cours")


class FicheTrajectory(TypedDict):
    """A fiche's état each year of the period (a key of STATE_LABELS), the last one its final état."""

    fiche: Fiche
    axe: Axis
    etats: list[str]
    final: str


class YearStates(TypedDict):
    """The fiches per état in a year, and the share deployed."""

    annee: int
    etats: dict[str, int]
    deployees: float | None


@dataclass(frozen=True)
class IndicatorOutcome:
    """An indicator at the end of the period: its last measured value, and how far it went to its target."""

    fiche: Fiche
    indicator: Indicator
    year: int | None  # of the last value; None: never measured
    value: float | None
    attainment: float | None
    verdict: str


class Lesson(TypedDict):
    """What a year's evaluation recorded: its synthesis, and each fiche's difficulties and next step."""

    annee: int
    synthese: str | None
    fiches: list[tuple[Fiche, EvaluationEntry]]


class PeriodContent(DocumentModel):
    """The document model with what the bilan of the period shows: what the template reads."""

    debut: int  # the strategy's first year
    annee: int  # the last year the bilan covers
    annees: list[int]  # the years evaluated, from debut to annee
    derniere: Evaluation  # the last evaluation of the period
    etats_ordre: list[str]  # the états that occur, in STATE_ORDER
    etat_libelles: dict[str, str]
    trajectoires: list[FicheTrajectory]
    etats_par_annee: list[YearStates]
    etats_finaux: dict[str, int]
    deployees: float | None  # the share of fiches deployed in the last year
    realisees: float | None  # the share of fiches done in the last year
    indicateurs: list[IndicatorOutcome]
    verdict_regle: str
    verdict_comptes: dict[str, int]  # verdict's words → indicators, at their last value
    lecons: list[Lesson]


def period_content(view: DocumentModel, year: int) -> PeriodContent:
    """What the bilan of the period up to `year` (an evaluated year) shows, added to the document model."""
    start = view["periode"]["debut"]
    evaluations = sorted((e for e in view["evaluations"] if start <= e["annee"] <= year), key=lambda e: e["annee"])
    years = [e["annee"] for e in evaluations]
    trajectories = _trajectories(view["axes"], evaluations)
    per_year = [_year_states(year, [t["etats"][k] for t in trajectories]) for k, year in enumerate(years)]
    final = per_year[-1]
    outcomes = _outcomes(view["fiches"], evaluations)
    occurring = {state for row in per_year for state in row["etats"]}
    return {
        **view,
        "debut": start,
        "annee": year,
        "annees": years,
        "derniere": evaluations[-1],
        "etats_ordre": [s for s in STATE_ORDER if s in occurring],
        "etat_libelles": STATE_LABELS,
        "trajectoires": trajectories,
        "etats_par_annee": per_year,
        "etats_finaux": final["etats"],
        "deployees": final["deployees"],
        "realisees": _share(final["etats"], ("realisee",)),
        "indicateurs": outcomes,
        "verdict_regle": compute.VERDICT_RULE,
        "verdict_comptes": {
            label: n for key, label in compute.VERDICTS.items() if (n := sum(o.verdict == key for o in outcomes))
        },
        "lecons": [_lesson(view["fiches"], e) for e in evaluations],
    }


def _trajectories(axes: list[Axis], evaluations: list[Evaluation]) -> list[FicheTrajectory]:
    """Each fiche's état each year, as the grid and the yearly bilan have it (compute.entries: an abandonment holds
    in the years whose evaluation leaves the fiche out)."""
    states_by_year = [
        {fiche: entry["etat"] for fiche, entry in compute.entries(evaluations, e["annee"]).items()} for e in evaluations
    ]
    result: list[FicheTrajectory] = []
    for axe in axes:
        for fiche in axe["fiches"]:
            states = [year_states.get(fiche["id"], NOT_EVALUATED) for year_states in states_by_year]
            result.append({"fiche": fiche, "axe": axe, "etats": states, "final": states[-1] if states else NOT_EVALUATED})
    return result


def _year_states(year: int, states: list[str]) -> YearStates:
    counted = {s: n for s in STATE_ORDER if (n := states.count(s))}
    return {"annee": year, "etats": counted, "deployees": _share(counted, DEPLOYED)}


def _share(counted: dict[str, int], states: tuple[str, ...]) -> float | None:
    total = sum(counted.values())
    return sum(counted.get(s, 0) for s in states) / total if total else None


def _outcomes(fiches: list[Fiche], evaluations: list[Evaluation]) -> list[IndicatorOutcome]:
    """Each indicator with a target, at its last value of the period, judged in the year it was measured."""
    values = [(e["annee"], compute.values_of(e)) for e in evaluations]
    outcomes = []
    for fiche in fiches:
        for indicator in fiche.get("indicateurs", []):
            target = indicator.get("cible")
            if not target:
                continue
            key = (fiche["id"], indicator["id"])
            measured = [(year, v[key]) for year, v in values if v.get(key) is not None]
            year, value = measured[-1] if measured else (None, None)
            baseline = indicator.get("reference")
            share = compute.attainment(value, baseline and baseline["valeur"], target["valeur"], indicator.get("sens", "hausse"))
            verdict = compute.verdict(value, indicator, year) if year is not None else "non_renseigne"
            outcomes.append(IndicatorOutcome(fiche, indicator, year, value, share, verdict))
    return outcomes


def _lesson(fiches: list[Fiche], evaluation: Evaluation) -> Lesson:
    entries = {e["fiche"]: e for e in evaluation["fiches"]}
    reported = [
        (fiche, entries[fiche["id"]])
        for fiche in fiches
        if fiche["id"] in entries and (entries[fiche["id"]].get("difficultes") or entries[fiche["id"]].get("suite_detail"))
    ]
    return {"annee": evaluation["annee"], "synthese": evaluation.get("synthese"), "fiches": reported}
