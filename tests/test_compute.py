"""The evaluation's arithmetic: attainment, verdicts and rollups, each case by hand."""

from __future__ import annotations

import pytest

from stspd.evaluation.compute import attainment, indicator_years, rollup, verdict


def indicator(baseline=(10, 2023), target=(20, 2027), direction="hausse", ident="i"):
    result = {
        "id": ident,
        "type": "resultat",
        "libelle": "x",
        "sens": direction,
        "cible": {"valeur": target[0], "annee": target[1]},
    }
    if baseline:
        result["reference"] = {"valeur": baseline[0], "annee": baseline[1]}
    return result


@pytest.mark.parametrize(
    ("value", "baseline", "target", "direction", "expected"),
    [
        (15, 10, 20, "hausse", 0.5),  # increase, half way
        (20, 10, 20, "hausse", 1.0),  # met
        (25, 10, 20, "hausse", 1.5),  # beyond
        (5, 10, 20, "hausse", -0.5),  # the wrong way
        (150, 200, 100, "baisse", 0.5),  # decrease aimed, half way
        (90, 200, 100, "baisse", 1.1),  # decrease beyond
        (None, 10, 20, "hausse", None),  # missing stays missing
        (12, None, 20, "hausse", None),  # no baseline: no share
        (5, 5, 5, "hausse", 1.0),  # baseline = target, held
        (4, 5, 5, "hausse", 0.0),  # baseline = target, lost
        (4, 5, 5, "baisse", 1.0),  # a level to keep down, kept
    ],
)
def test_attainment(value, baseline, target, direction, expected):
    result = attainment(value, baseline, target, direction)
    assert result == pytest.approx(expected) if expected is not None else result is None


@pytest.mark.parametrize(
    ("value", "ind", "year", "expected"),
    [
        (20, indicator(), 2025, "atteint"),
        (16, indicator(), 2025, "en_bonne_voie"),  # 60 % covered, 50 % of the delay elapsed
        (13, indicator(), 2025, "en_retard"),  # 30 % covered, 50 % elapsed
        (None, indicator(), 2025, "non_renseigne"),
        (130, indicator((200, 2023), (100, 2027), "baisse"), 2025, "en_bonne_voie"),
        (190, indicator((200, 2023), (100, 2027), "baisse"), 2025, "en_retard"),
        (95, indicator((200, 2023), (100, 2027), "baisse"), 2025, "atteint"),
        (12, indicator(None), 2025, "en_bonne_voie"),  # no baseline, target not yet due
        (12, indicator(None), 2027, "en_retard"),  # no baseline, target due and missed
        (5, indicator((5, 2023), (5, 2027)), 2025, "atteint"),  # baseline = target
    ],
)
def test_verdict(value, ind, year, expected):
    assert verdict(value, ind, year) == expected


def test_rollup_counts_states_and_weights_objectives():
    f1 = {"id": "1.1.1", "indicateurs": [indicator(ident="a"), indicator(ident="b")]}
    f2 = {"id": "1.2.1", "indicateurs": [indicator(ident="c")]}
    f3 = {"id": "1.2.2", "indicateurs": [indicator(ident="d")]}
    axes = [{"id": "1", "objectifs": [{"id": "1.1", "fiches": [f1]}, {"id": "1.2", "poids": 3, "fiches": [f2, f3]}]}]
    evaluation = {
        "annee": 2025,
        "fiches": [
            {"fiche": "1.1.1", "etat": "en_cours", "indicateurs": [{"id": "a", "valeur": 15}, {"id": "b", "valeur": 30}]},
            {"fiche": "1.2.1", "etat": "realisee", "indicateurs": [{"id": "c", "valeur": 20}]},
            {"fiche": "1.2.2", "etat": "en_cours", "indicateurs": [{"id": "d", "valeur": None}]},
        ],
    }
    rows = indicator_years([f1, f2, f3], evaluation, None)
    result = rollup(axes, rows, evaluation)
    assert result["fiche:1.1.1"].attainment == pytest.approx(0.75)  # 0.5 and 1.5 capped at 1
    assert result["fiche:1.2.2"].attainment is None  # missing data: no mean, not zero
    assert result["objectif:1.2"].attainment == pytest.approx(1.0)
    assert result["axe:1"].attainment == pytest.approx((0.75 * 1 + 1.0 * 3) / 4)
    assert result["axe:1"].states == {"en_cours": 2, "realisee": 1}
    assert result["strategie"].states == {"en_cours": 2, "realisee": 1}


def test_indicator_years_carry_last_years_value_and_the_gap():
    fiche = {"id": "1", "indicateurs": [indicator((200, 2023), (100, 2027), "baisse")]}
    previous = {"annee": 2024, "fiches": [{"fiche": "1", "etat": "en_cours", "indicateurs": [{"id": "i", "valeur": 180}]}]}
    current = {"annee": 2025, "fiches": [{"fiche": "1", "etat": "en_cours", "indicateurs": [{"id": "i", "valeur": 150}]}]}
    (row,) = indicator_years([fiche], current, previous)
    assert (row.value, row.previous, row.gap, row.verdict) == (150, 180, 50, "en_bonne_voie")
