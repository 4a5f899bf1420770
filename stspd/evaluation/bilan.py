"""The multi-year bilan for the CLSPD plenary: synthesis per axe, what changed, difficulties, next steps.

Pure functions over the document model; charts are drawn by render/charts.py, the document by the bilan template.
"""

from __future__ import annotations

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
    avant: str
    apres: str
    # its state with the decision that postponed or abandoned it, « abandonnée (date, instance : motif) » (user
    # text), said under the table: in the narrow year cell it took 18 lines
    decision: str | None
    etat_change: bool
    verdicts: list[tuple[str, str, str]]  # (indicator, verdict before, verdict now); none once abandoned


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
    verdict_comptes: dict[str, int]  # verdict's words → indicators expected this year
    hors_comptes: dict[str, int]  # verdict's words → indicators not expected this year (compute.NOT_EXPECTED)
    regressions: list[compute.IndicatorYear]  # expected indicators whose value moved away from the target
    changements: list[Change]
    # the fiches whose pilot reports difficulties, a next step, a decision or a comment on a value
    remontees: list[tuple[Fiche, EvaluationEntry]]
    decisions: dict[str, str]  # fiche id → the year's decision to postpone or abandon it, in words
    commentaires_valeurs: dict[str, list[tuple[str, str]]]  # fiche id → (indicator, the pilot's comment on its value)
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
    rows = compute.indicator_years(view["fiches"], view["evaluations"], year)
    entries = compute.entries(view["evaluations"], year)
    rollups = compute.rollup(view["axes"], rows, entries)
    synthesis: list[AxisSynthesis] = [
        {
            "axe": axe,
            "etats": rollups[f"axe:{axe['id']}"].states,
            "fiches": len(axe["fiches"]),
            "atteinte": rollups[f"axe:{axe['id']}"].attainment,
        }
        for axe in view["axes"]
    ]
    reported = {e["fiche"]: e for e in evaluation["fiches"]}  # this year's file: a decision carried is not news
    comments: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        if row.comment and row.fiche["id"] in reported:
            comments.setdefault(row.fiche["id"], []).append((row.indicator["libelle"], row.comment))
    decisions = {i: compute.decision_text(e["decision"]) for i, e in reported.items() if "decision" in e}
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
        "verdict_comptes": compute.count_verdicts(r.verdict for r in rows if r.counted),
        "hors_comptes": compute.count_verdicts(r.verdict for r in rows if not r.counted),
        "regressions": [r for r in rows if r.regressed],
        "changements": _changes(view, year, entries, rows) if previous else [],
        "remontees": [
            (f, reported[f["id"]])
            for f in view["fiches"]
            if f["id"] in reported
            and (
                reported[f["id"]].get("difficultes")
                or reported[f["id"]].get("suite_detail")
                or f["id"] in decisions
                or f["id"] in comments
            )
        ],
        "decisions": decisions,
        "commentaires_valeurs": comments,
        "grille": grid.rows(view, year),
    }


def _changes(
    view: DocumentModel, year: int, entries: dict[str, EvaluationEntry], rows: list[compute.IndicatorYear]
) -> list[Change]:
    """Per fiche: its état and its indicators' verdicts, where they moved since last year. A fiche abandoned this
    year says so, with the decision, rather than its indicators going « fiche abandonnée » one by one."""
    before = compute.entries(view["evaluations"], year - 1)
    verdicts_before = {
        (r.fiche["id"], r.indicator["id"]): r.verdict
        for r in compute.indicator_years(view["fiches"], view["evaluations"], year - 1)
    }
    result: list[Change] = []
    for fiche in view["fiches"]:
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
            and r.verdict != "abandonne"
            and verdicts_before[(fiche["id"], r.indicator["id"])] != r.verdict
        ]
        if now != then or moved:
            result.append(
                {
                    "fiche": fiche,
                    "avant": STATE_LABELS[then or "non_evaluee"],
                    "apres": STATE_LABELS[now or "non_evaluee"],
                    "decision": compute.state_text(entry) if entry and "decision" in entry else None,
                    "etat_change": now != then,
                    "verdicts": moved,
                }
            )
    return result
