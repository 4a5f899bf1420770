"""The yearly evaluation computed: each indicator's gap, attainment and verdict, rolled up fiche → objective → axe.

Pure functions over the document model. Missing data stays missing (None), never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stspd.model.types import Axis, Evaluation, Fiche, Indicator

VERDICTS = {
    "atteint": "atteint",
    "en_bonne_voie": "en bonne voie",
    "en_retard": "en retard",
    "non_renseigne": "non renseigné",
}
VERDICT_RULE = (
    "Atteint : la valeur de l'année atteint la cible, dans le sens souhaité. "
    "En bonne voie : l'atteinte, (valeur − référence) / (cible − référence), est au moins la part écoulée du délai "
    "entre l'année de référence et l'année cible ; sans valeur de référence, la cible n'est pas encore échue. "
    "En retard : sinon. Non renseigné : aucune valeur pour l'année. "
    "Les moyennes plafonnent chaque atteinte à 100 % et ignorent les indicateurs non renseignés."
)


def reached(value: float, target: float, direction: str) -> bool:
    return value <= target if direction == "baisse" else value >= target


def attainment(value: float | None, baseline: float | None, target: float | None, direction: str = "hausse") -> float | None:
    """Share of the way from baseline to target covered by `value` (1 = target met; above 1 = beyond).

    A decrease aimed at is handled by the signs. A baseline equal to its target gives 1 when the target holds,
    0 when it does not: there is no way to cover, only a level to keep.
    """
    if value is None or baseline is None or target is None:
        return None
    return _share(value, baseline, target, direction)


def _share(value: float, baseline: float, target: float, direction: str) -> float:
    if target == baseline:
        return 1.0 if reached(value, target, direction) else 0.0
    return (value - baseline) / (target - baseline)


def expected_share(year: int, baseline_year: int, target_year: int) -> float:
    """The share of the delay elapsed in `year`, between 0 and 1."""
    if target_year <= baseline_year:
        return 1.0
    return min(1.0, max(0.0, (year - baseline_year) / (target_year - baseline_year)))


def verdict(value: float | None, indicator: Indicator, year: int) -> str:
    if value is None:
        return "non_renseigne"
    target, baseline = indicator.get("cible"), indicator.get("reference")
    direction = indicator.get("sens", "hausse")
    if target is None:
        return "non_renseigne"
    if reached(value, target["valeur"], direction):
        return "atteint"
    if baseline is None:
        return "en_bonne_voie" if year < target["annee"] else "en_retard"
    share = _share(value, baseline["valeur"], target["valeur"], direction)
    return "en_bonne_voie" if share >= expected_share(year, baseline["annee"], target["annee"]) else "en_retard"


@dataclass(frozen=True)
class IndicatorYear:
    """One indicator in one year: what the grid shows in a row."""

    fiche: Fiche
    indicator: Indicator
    year: int
    value: float | None
    previous: float | None  # the year before, when evaluated
    attainment: float | None
    verdict: str

    @property
    def gap(self) -> float | None:
        """What remains to the target, in the indicator's unit (0 or less: met)."""
        target = self.indicator.get("cible")
        if self.value is None or target is None:
            return None
        remaining = target["valeur"] - self.value
        return -remaining if self.indicator.get("sens") == "baisse" else remaining


@dataclass
class Rollup:
    """Counts of fiches per état and mean attainment, for a fiche, an objective, an axe or the strategy."""

    states: dict[str, int] = field(default_factory=dict)
    attainment: float | None = None


def values_of(evaluation: Evaluation | None) -> dict[tuple[str, str], float | None]:
    """(fiche id, indicator id) → the value reported in an evaluation."""
    if not evaluation:
        return {}
    return {
        (entry["fiche"], value["id"]): value.get("valeur")
        for entry in evaluation["fiches"]
        for value in entry.get("indicateurs", [])
    }


def indicator_years(fiches: list[Fiche], evaluation: Evaluation, previous: Evaluation | None) -> list[IndicatorYear]:
    """Every indicator of every fiche, in fiche order, for the evaluation's year."""
    year = evaluation["annee"]
    now, before = values_of(evaluation), values_of(previous)
    rows = []
    for fiche in fiches:
        for indicator in fiche.get("indicateurs", []):
            key = (fiche["id"], indicator["id"])
            value = now.get(key)
            baseline, target = indicator.get("reference"), indicator.get("cible")
            share = attainment(
                value, baseline and baseline["valeur"], target and target["valeur"], indicator.get("sens", "hausse")
            )
            rows.append(IndicatorYear(fiche, indicator, year, value, before.get(key), share, verdict(value, indicator, year)))
    return rows


def _mean(values: list[float | None], weights: list[float] | None = None) -> float | None:
    pairs = [(v, w) for v, w in zip(values, weights or [1.0] * len(values)) if v is not None]
    if not pairs:
        return None
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total


def _capped(value: float | None) -> float | None:
    return None if value is None else min(1.0, max(0.0, value))


def rollup(axes: list[Axis], rows: list[IndicatorYear], evaluation: Evaluation) -> dict[str, Rollup]:
    """Rollups keyed « fiche:ID », « objectif:ID », « axe:ID » and « strategie »."""
    states = {entry["fiche"]: entry["etat"] for entry in evaluation["fiches"]}
    by_fiche: dict[str, list[float | None]] = {}
    for row in rows:
        by_fiche.setdefault(row.fiche["id"], []).append(_capped(row.attainment))
    result: dict[str, Rollup] = {}

    def count(fiche_ids: list[str]) -> dict[str, int]:
        counted: dict[str, int] = {}
        for fiche_id in fiche_ids:
            state = states.get(fiche_id, "non_evaluee")
            counted[state] = counted.get(state, 0) + 1
        return counted

    axe_rollups = []
    for axe in axes:
        objective_means, weights, axe_fiches = [], [], []
        for objective in axe["objectifs"]:
            ids = [f["id"] for f in objective["fiches"]]
            for fiche_id in ids:
                result[f"fiche:{fiche_id}"] = Rollup(count([fiche_id]), _mean(by_fiche.get(fiche_id, [])))
            mean = _mean([result[f"fiche:{i}"].attainment for i in ids])
            result[f"objectif:{objective['id']}"] = Rollup(count(ids), mean)
            objective_means.append(mean)
            weights.append(objective.get("poids", 1))
            axe_fiches.extend(ids)
        result[f"axe:{axe['id']}"] = Rollup(count(axe_fiches), _mean(objective_means, weights))
        axe_rollups.append((axe_fiches, result[f"axe:{axe['id']}"].attainment))
    all_fiches = [i for ids, _ in axe_rollups for i in ids]
    result["strategie"] = Rollup(count(all_fiches), _mean([mean for _, mean in axe_rollups]))
    return result
