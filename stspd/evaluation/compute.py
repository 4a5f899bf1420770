"""The yearly evaluation computed: each indicator's gap, attainment and verdict, rolled up fiche → objective → axe.

Pure functions over the document model. Missing data stays missing (None), never zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from stspd import fr
from stspd.model.types import Axis, Decision, Evaluation, EvaluationEntry, Fiche, Indicator, IndicatorValue
from stspd.model.vocabulary import CYCLE_YEARS, ETATS, FREQUENCIES

VERDICTS = {
    "atteint": "atteint",
    "en_bonne_voie": "en bonne voie",
    "en_retard": "en retard",
    "non_renseigne": "non renseigné",
    "non_prevu": "pas de mesure prévue cette année",
    "abandonne": "fiche abandonnée",
}
# No value is expected of these indicators this year: they leave the verdict counts, the averages and the regressions.
NOT_EXPECTED = frozenset({"non_prevu", "abandonne"})
VERDICT_RULE = (
    "Atteint : la valeur de l'année atteint la cible, dans le sens souhaité. "
    "En bonne voie : l'atteinte, (valeur − référence) / (cible − référence), est au moins la part écoulée du délai "
    "entre l'année de référence et l'année cible ; sans valeur de référence, la cible n'est pas encore échue. "
    "En retard : sinon. Non renseigné : aucune valeur une année où une mesure est prévue. "
    "Pas de mesure prévue cette année : un indicateur relevé tous les deux ou trois ans, ou une seule fois, sans "
    "valeur une année où sa fréquence n'attend pas de mesure (l'année de la cible en attend toujours une). "
    "Fiche abandonnée : les indicateurs d'une fiche abandonnée, dès l'année de l'abandon. "
    "Ces deux derniers cas sortent des comptes, des moyennes et des régressions. "
    "Moyennes : chaque atteinte est ramenée entre 0 et 100\u202f% (une régression compte 0, un dépassement 100\u202f%) ; "
    "une fiche fait la moyenne de ses indicateurs renseignés, un objectif celle de ses fiches, un axe celle de ses "
    "objectifs (pondérés par leur poids), la stratégie celle de ses axes. "
    "Régression : une valeur plus éloignée de la cible que la référence ; les régressions sont comptées et nommées "
    "à part, car la moyenne les compte pour 0."
)


def count_verdicts(verdicts: Iterable[str]) -> dict[str, int]:
    """Verdict's words → how many of `verdicts` (keys of VERDICTS), in VERDICTS' order: the sentences that count."""
    found = list(verdicts)
    return {words: n for key, words in VERDICTS.items() if (n := found.count(key))}


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


def measure_due(indicator: Indicator, year: int) -> bool:
    """Whether the indicator's `frequence` expects a value in `year` (fiche.schema.json says the rule).

    The cycle of a biennial or triennial measure starts at `premiere_mesure`, else at the baseline's year; without
    either it cannot be placed, and every year expects a value (a warning says so: check/rules/measure_schedule.py).
    """
    target = indicator.get("cible")
    if target and target["annee"] == year:  # a target not measured in its year could never be said met
        return True
    baseline = indicator.get("reference")
    first = indicator.get("premiere_mesure", baseline["annee"] if baseline else None)
    frequency = indicator.get("frequence", "annuelle")
    if first is None:
        return frequency != "ponctuelle"
    if year < first:
        return False
    if frequency == "ponctuelle":
        return year == first
    return (year - first) % CYCLE_YEARS.get(frequency, 1) == 0


def label(indicator: Indicator) -> str:
    """The indicator's name as every table prints it: a decrease aimed at is said, the reader cannot guess it."""
    return indicator["libelle"] + (" (baisse visée)" if indicator.get("sens") == "baisse" else "")


def schedule(indicator: Indicator) -> str | None:
    """How often the indicator is measured, as a fiche prints it: « mesure tous les trois ans depuis 2023 »."""
    frequency = indicator.get("frequence")
    if frequency is None:
        return None
    baseline = indicator.get("reference")
    first = indicator.get("premiere_mesure", baseline["annee"] if baseline else None)
    if frequency in CYCLE_YEARS and first is not None:
        return f"mesure {FREQUENCIES[frequency]} depuis {first}"
    if frequency == "ponctuelle" and "premiere_mesure" in indicator:
        return f"mesure ponctuelle en {first}"
    return f"mesure {FREQUENCIES[frequency]}"


def decision_text(decision: Decision) -> str:
    """« 18 novembre 2025, CLSPD en formation restreinte : motif »."""
    return f"{fr.date(decision['date'])}, {decision['instance']} : {decision['motif']}"


def state_text(entry: EvaluationEntry) -> str:
    """A fiche's state in words, with the decision that postponed or abandoned it: « abandonnée (date, instance : motif) »."""
    words = ETATS[entry["etat"]]
    return f"{words} ({decision_text(entry['decision'])})" if "decision" in entry else words


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
    comment: str | None  # the pilot's note on the value: how it is counted, why it is missing

    @property
    def counted(self) -> bool:
        """Expected this year: in the verdict counts and the averages."""
        return self.verdict not in NOT_EXPECTED

    @property
    def regressed(self) -> bool:
        """The value moved away from the target since the baseline: worse than the baseline, in the direction aimed at.

        The averages count it 0, as they count an indicator that did not move: it is said apart."""
        baseline = self.indicator.get("reference")
        if not self.counted or self.value is None or baseline is None:
            return False
        worse = self.value - baseline["valeur"]
        return worse > 0 if self.indicator.get("sens") == "baisse" else worse < 0

    @property
    def gap(self) -> float | None:
        """What remains to the target, in the indicator's unit (0 or less: met)."""
        target = self.indicator.get("cible")
        if self.value is None or target is None:
            return None
        remaining = target["valeur"] - self.value
        # + 0.0: a target met exactly leaves 0, not the −0.0 that negating a float zero gives (« −0,0 »)
        return (-remaining if self.indicator.get("sens") == "baisse" else remaining) + 0.0


@dataclass
class Rollup:
    """Counts of fiches per état and mean attainment, for a fiche, an objective, an axe or the strategy."""

    states: dict[str, int] = field(default_factory=dict)
    attainment: float | None = None


def reported(entries: Iterable[EvaluationEntry]) -> dict[tuple[str, str], IndicatorValue]:
    """(fiche id, indicator id) → what the entries report of the indicator: its value and the pilot's comment."""
    return {(entry["fiche"], value["id"]): value for entry in entries for value in entry.get("indicateurs", [])}


def values_of(evaluation: Evaluation | None) -> dict[tuple[str, str], float | None]:
    """(fiche id, indicator id) → the value reported in an evaluation."""
    if not evaluation:
        return {}
    return {key: value.get("valeur") for key, value in reported(evaluation["fiches"]).items()}


def entries(evaluations: list[Evaluation], year: int) -> dict[str, EvaluationEntry]:
    """Fiche id → its entry in `year`: the year's evaluation's; for a fiche it leaves out that was abandoned in an
    earlier year (its last state before), that abandonment, carried with its decision and without values.

    An abandoned fiche is seldom evaluated again, and it would otherwise fall back to « non évaluée », its
    indicators to « non renseigné »."""
    result: dict[str, EvaluationEntry] = {}
    for evaluation in evaluations:  # by year (model/strategy.py)
        if evaluation["annee"] >= year:
            break
        for entry in evaluation["fiches"]:
            if entry["etat"] == "abandonnee":
                carried: EvaluationEntry = {"fiche": entry["fiche"], "etat": "abandonnee"}
                if "decision" in entry:
                    carried["decision"] = entry["decision"]
                result[entry["fiche"]] = carried
            else:
                result.pop(entry["fiche"], None)
    this_year = next((e for e in evaluations if e["annee"] == year), None)
    return result | {entry["fiche"]: entry for entry in this_year["fiches"]} if this_year else result


def indicator_years(fiches: list[Fiche], evaluations: list[Evaluation], year: int) -> list[IndicatorYear]:
    """Every indicator of every fiche, in fiche order, for `year` over the evaluations (by year)."""
    now = entries(evaluations, year)
    states = {fiche_id: entry["etat"] for fiche_id, entry in now.items()}
    values = reported(now.values())
    before = values_of(next((e for e in evaluations if e["annee"] == year - 1), None))
    rows = []
    for fiche in fiches:
        for indicator in fiche.get("indicateurs", []):
            key = (fiche["id"], indicator["id"])
            report = values.get(key)
            value = report.get("valeur") if report else None
            baseline, target = indicator.get("reference"), indicator.get("cible")
            share = attainment(
                value, baseline and baseline["valeur"], target and target["valeur"], indicator.get("sens", "hausse")
            )
            if states.get(fiche["id"]) == "abandonnee":
                judged = "abandonne"
            elif value is None and not measure_due(indicator, year):
                judged = "non_prevu"
            else:
                judged = verdict(value, indicator, year)
            comment = report.get("commentaire") if report else None
            rows.append(IndicatorYear(fiche, indicator, year, value, before.get(key), share, judged, comment))
    return rows


def _mean(values: list[float | None], weights: list[float] | None = None) -> float | None:
    pairs = [(v, w) for v, w in zip(values, weights or [1.0] * len(values)) if v is not None]
    if not pairs:
        return None
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total


def _bounded(value: float | None) -> float | None:
    """An attainment between 0 and 1, as the averages take it (VERDICT_RULE): a regression 0, beyond the target 1."""
    return None if value is None else min(1.0, max(0.0, value))


def rollup(axes: list[Axis], rows: list[IndicatorYear], year_entries: dict[str, EvaluationEntry]) -> dict[str, Rollup]:
    """Rollups keyed « fiche:ID », « objectif:ID », « axe:ID » and « strategie », over the year's `entries`."""
    states = {fiche_id: entry["etat"] for fiche_id, entry in year_entries.items()}
    by_fiche: dict[str, list[float | None]] = {}
    for row in rows:
        if row.counted:
            by_fiche.setdefault(row.fiche["id"], []).append(_bounded(row.attainment))
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
