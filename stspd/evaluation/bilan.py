"""The multi-year bilan for the CLSPD plenary: synthesis per axe, what changed, difficulties, next steps.

Pure functions over the document model; charts are drawn by render/charts.py, the document by the bilan template.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from stspd.evaluation import compute, grid
from stspd.model.types import Axis, DocumentModel, Evaluation, EvaluationEntry, Fiche
from stspd.model.vocabulary import STATE_LABELS, STATE_ORDER


class AxisSynthesis(TypedDict):
    """A row of the synthesis: an axe's fiches per état and its mean attainment."""

    axe: Axis
    etats: dict[str, int]
    fiches: int
    atteinte: float | None


class Change(TypedDict):
    """A fiche whose état or indicators' verdicts moved since the year before."""

    fiche: Fiche
    avant: str | None
    apres: str | None
    etat_change: bool
    verdicts: list[tuple[str, str, str]]  # (indicator, verdict before, verdict now)


class BilanContent(DocumentModel):
    """The document model with what the bilan of a year shows: what the bilan template reads."""

    annee: int
    evaluation: Evaluation
    precedente: Evaluation | None
    annees: list[int]  # the years evaluated, up to this one
    etats_ordre: list[str]  # the états the synthesis shows, in vocabulary.STATE_ORDER
    etat_libelles: dict[str, str]
    synthese_axes: list[AxisSynthesis]
    strategie_rollup: compute.Rollup
    indicateurs_annee: list[compute.IndicatorYear]
    verdict_regle: str
    verdict_comptes: dict[str, int]  # verdict's words → indicators
    changements: list[Change]
    remontees: list[tuple[Fiche, EvaluationEntry]]  # the fiches whose pilot reports difficulties or a next step
    grille: grid.Grid


def years(view: DocumentModel) -> list[int]:
    return [e["annee"] for e in view["evaluations"]]


def bilan_content(view: DocumentModel, year: int) -> BilanContent:
    """What the bilan of `year` shows, added to the document model."""
    return _content(view, year)


def _content(view: DocumentModel, year: int) -> BilanContent:
    evaluations = {e["annee"]: e for e in view["evaluations"]}
    evaluation = evaluations[year]
    previous = evaluations.get(year - 1)
    rows = compute.indicator_years(view["fiches"], evaluation, previous)
    rollups = compute.rollup(view["axes"], rows, evaluation)
    synthesis: list[AxisSynthesis] = [
        {
            "axe": axe,
            "etats": rollups[f"axe:{axe['id']}"].states,
            "fiches": len(axe["fiches"]),
            "atteinte": rollups[f"axe:{axe['id']}"].attainment,
        }
        for axe in view["axes"]
    ]
    entries = {e["fiche"]: e for e in evaluation["fiches"]}
    before = {e["fiche"]: e for e in previous["fiches"]} if previous else {}
    verdicts_before = (
        {
            (r.fiche["id"], r.indicator["id"]): r.verdict
            for r in compute.indicator_years(view["fiches"], previous, evaluations.get(year - 2))
        }
        if previous
        else {}
    )
    return {
        **view,
        "annee": year,
        "evaluation": evaluation,
        "precedente": previous,
        "annees": [y for y in years(view) if y <= year],
        "etats_ordre": [s for s in STATE_ORDER if any(s in row["etats"] for row in synthesis)],
        "etat_libelles": STATE_LABELS,
        "synthese_axes": synthesis,
        "strategie_rollup": rollups["strategie"],
        "indicateurs_annee": rows,
        "verdict_regle": compute.VERDICT_RULE,
        "verdict_comptes": _count(r.verdict for r in rows),
        "changements": _changes(view["fiches"], entries, before, rows, verdicts_before) if previous else [],
        "remontees": [
            (f, entries[f["id"]])
            for f in view["fiches"]
            if f["id"] in entries and (entries[f["id"]].get("difficultes") or entries[f["id"]].get("suite_detail"))
        ],
        "grille": grid.rows(view, year),
    }


def _count(values: Iterable[str]) -> dict[str, int]:
    counted: dict[str, int] = {}
    for value in values:
        counted[value] = counted.get(value, 0) + 1
    return {compute.VERDICTS[k]: counted[k] for k in compute.VERDICTS if k in counted}


def _changes(
    fiches: list[Fiche],
    entries: dict[str, EvaluationEntry],
    before: dict[str, EvaluationEntry],
    rows: list[compute.IndicatorYear],
    verdicts_before: dict[tuple[str, str], str],
) -> list[Change]:
    """Per fiche: its état and its indicators' verdicts, where they moved since last year."""
    result: list[Change] = []
    for fiche in fiches:
        entry, earlier = entries.get(fiche["id"]), before.get(fiche["id"])
        now, then = entry and entry["etat"], earlier and earlier["etat"]
        moved = [
            (
                r.indicator["libelle"],
                compute.VERDICTS[verdicts_before[(fiche["id"], r.indicator["id"])]],
                compute.VERDICTS[r.verdict],
            )
            for r in rows
            if r.fiche["id"] == fiche["id"]
            and (fiche["id"], r.indicator["id"]) in verdicts_before
            and verdicts_before[(fiche["id"], r.indicator["id"])] != r.verdict
        ]
        if now != then or moved:
            result.append(
                {
                    "fiche": fiche,
                    "avant": STATE_LABELS.get(then or "non_evaluee"),
                    "apres": STATE_LABELS.get(now or "non_evaluee"),
                    "etat_change": now != then,
                    "verdicts": moved,
                }
            )
    return result
