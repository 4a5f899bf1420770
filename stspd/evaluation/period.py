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
    # the decisions that postponed or abandoned it, in words (compute.state_text): « abandonnée (date, instance :
    # motif) », said under the table, whose narrow year cells would not hold them
    decisions: list[str]


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

    @property
    def counted(self) -> bool:
        """In the verdict counts, as in the yearly grid: not abandoned, and a measure was due."""
        return self.verdict not in compute.NOT_EXPECTED


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
    verdict_comptes: dict[str, int]  # verdict's words → indicators counted, at their last value
    hors_comptes: dict[str, int]  # verdict's words → indicators out of the counts (compute.NOT_EXPECTED)
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
        "verdict_comptes": compute.count_verdicts(o.verdict for o in outcomes if o.counted),
        "hors_comptes": compute.count_verdicts(o.verdict for o in outcomes if not o.counted),
        "lecons": [_lesson(view["fiches"], e) for e in evaluations],
    }


def _trajectories(axes: list[Axis], evaluations: list[Evaluation]) -> list[FicheTrajectory]:
    """Each fiche's état each year, as the grid and the yearly bilan have it (compute.entries: an abandonment holds
    in the years whose evaluation leaves the fiche out)."""
    entries_by_year = [(e["annee"], compute.entries(evaluations, e["annee"])) for e in evaluations]
    result: list[FicheTrajectory] = []
    for axe in axes:
        for fiche in axe["fiches"]:
            found = [(year, entries.get(fiche["id"])) for year, entries in entries_by_year]
            states = [entry["etat"] if entry else NOT_EVALUATED for _, entry in found]
            decisions: list[str] = []
            for _, entry in found:
                # an abandonment carried into the later years (compute.entries) repeats its decision: said once
                said = compute.state_text(entry) if entry and "decision" in entry else None
                if said and said not in decisions:
                    decisions.append(said)
            result.append(
                {
                    "fiche": fiche,
                    "axe": axe,
                    "etats": states,
                    "final": states[-1] if states else NOT_EVALUATED,
                    "decisions": decisions,
                }
            )
    return result


def _year_states(year: int, states: list[str]) -> YearStates:
    counted = {s: n for s in STATE_ORDER if (n := states.count(s))}
    return {"annee": year, "etats": counted, "deployees": _share(counted, DEPLOYED)}


def _share(counted: dict[str, int], states: tuple[str, ...]) -> float | None:
    total = sum(counted.values())
    return sum(counted.get(s, 0) for s in states) / total if total else None


def _outcomes(fiches: list[Fiche], evaluations: list[Evaluation]) -> list[IndicatorOutcome]:
    """Each indicator with a target at the end of the period, by the yearly grid's rule (compute.indicator_years)
    applied to each year of the period, so that the two never disagree.

    The last value of an indicator is the last one measured in the period, judged in its year: a biennial or
    triennial indicator is measured only in the years its cycle expects a value, and the years between (« pas de
    mesure prévue cette année ») neither carry a value nor erase it. The baseline is not a measure of the period.
    An indicator never measured in the period is « non renseigné » if some year expected a value of it, otherwise
    « pas de mesure prévue cette année » as in the last year's grid. The indicators of a fiche abandoned by the end
    of the period are « fiche abandonnée », whatever they last measured: out of the counts, as in the grid."""
    by_year = [compute.indicator_years(fiches, evaluations, e["annee"]) for e in evaluations]
    outcomes = []
    for k, last in enumerate(by_year[-1] if by_year else []):  # the same indicators, in the same order, each year
        if not last.indicator.get("cible"):
            continue
        rows = [year_rows[k] for year_rows in by_year]
        measured = [r for r in rows if r.value is not None]
        shown = measured[-1] if measured else last
        if last.verdict == "abandonne":
            verdict = last.verdict
        elif measured:
            verdict = shown.verdict
        else:
            verdict = "non_renseigne" if any(r.verdict == "non_renseigne" for r in rows) else last.verdict
        year = shown.year if measured else None
        outcomes.append(IndicatorOutcome(last.fiche, last.indicator, year, shown.value, shown.attainment, verdict))
    return outcomes


def _lesson(fiches: list[Fiche], evaluation: Evaluation) -> Lesson:
    entries = {e["fiche"]: e for e in evaluation["fiches"]}
    reported = [
        (fiche, entries[fiche["id"]])
        for fiche in fiches
        if fiche["id"] in entries and (entries[fiche["id"]].get("difficultes") or entries[fiche["id"]].get("suite_detail"))
    ]
    return {"annee": evaluation["annee"], "synthese": evaluation.get("synthese"), "fiches": reported}
