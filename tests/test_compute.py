"""The evaluation's arithmetic: attainment, verdicts and rollups, each case by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from stspd.evaluation.compute import (
    VERDICT_RULE,
    attainment,
    entries,
    indicator_years,
    measure_due,
    rollup,
    schedule,
    verdict,
)


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
    rows = indicator_years([f1, f2, f3], [evaluation], 2025)
    result = rollup(axes, rows, entries([evaluation], 2025))
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
    (row,) = indicator_years([fiche], [previous, current], 2025)
    assert (row.value, row.previous, row.gap, row.verdict) == (150, 180, 50, "en_bonne_voie")


def test_a_target_met_exactly_leaves_a_gap_of_zero_not_minus_zero():
    fiche = {"id": "1", "indicateurs": [indicator((2.5, 2023), (1.5, 2027), "baisse")]}
    current = {"annee": 2025, "fiches": [{"fiche": "1", "etat": "en_cours", "indicateurs": [{"id": "i", "valeur": 1.5}]}]}
    (row,) = indicator_years([fiche], [current], 2025)
    assert row.gap == 0 and str(row.gap) == "0.0"  # not « -0.0 », which a grid would print « −0,0 »


def periodic(frequency, first=None, baseline_year=2023, target_year=2028):
    result = indicator((63, baseline_year), (70, target_year)) | {"frequence": frequency}
    return result | ({"premiere_mesure": first} if first else {})


@pytest.mark.parametrize(
    ("ind", "due_years"),
    [
        (indicator(), [2024, 2025, 2026, 2027, 2028]),  # annual by default
        (periodic("trimestrielle"), [2024, 2025, 2026, 2027, 2028]),
        (periodic("triennale"), [2026, 2028]),  # every three years from the baseline (2023), and the target's year
        (periodic("biennale"), [2025, 2027, 2028]),
        (periodic("biennale", first=2024), [2024, 2026, 2028]),  # the cycle set by the first measure
        (periodic("annuelle", first=2026), [2026, 2027, 2028]),  # a new indicator: nothing expected before
        (periodic("ponctuelle"), [2028]),  # once: the target's year
        (periodic("ponctuelle", first=2025), [2025, 2028]),
        (indicator(None) | {"frequence": "triennale"}, [2024, 2025, 2026, 2027, 2028]),  # cycle unplaced: every year
    ],
)
def test_the_years_a_measure_is_due(ind, due_years):
    assert [y for y in range(2024, 2029) if measure_due(ind, y)] == due_years


def test_a_fiche_says_how_often_its_indicator_is_measured():
    assert schedule(periodic("triennale")) == "mesure tous les trois ans depuis 2023"
    assert schedule(periodic("ponctuelle", first=2026)) == "mesure ponctuelle en 2026"
    assert schedule(periodic("trimestrielle")) == "mesure trimestrielle"
    assert schedule(indicator()) is None  # not said: annual, as the schema's default, and not printed


DECISION = {"date": "2024-11-18", "instance": "CLSPD en formation restreinte", "motif": "Pas de volontaires."}


def years_of_an_abandoned_fiche():
    """Fiche 1 abandoned in 2024 and absent from 2025; fiche 2 with a triennial survey not due in 2025."""
    f1 = {"id": "1", "indicateurs": [indicator(ident="a")]}
    f2 = {"id": "2", "indicateurs": [indicator(ident="b"), periodic("triennale") | {"id": "c"}]}
    axes = [{"id": "1", "objectifs": [{"id": "1.1", "fiches": [f1, f2]}]}]
    evaluations = [
        {
            "annee": 2024,
            "fiches": [
                {"fiche": "1", "etat": "abandonnee", "decision": DECISION, "indicateurs": [{"id": "a", "valeur": 11}]},
                {"fiche": "2", "etat": "en_cours", "indicateurs": [{"id": "b", "valeur": 12}]},
            ],
        },
        {"annee": 2025, "fiches": [{"fiche": "2", "etat": "en_cours", "indicateurs": [{"id": "b", "valeur": 16}]}]},
    ]
    return [f1, f2], axes, evaluations


def test_an_abandoned_fiche_stays_abandoned_and_leaves_the_counts_and_averages():
    fiches, axes, evaluations = years_of_an_abandoned_fiche()
    for year in (2024, 2025):  # the year of the abandonment, and the next one where the file no longer names it
        year_entries = entries(evaluations, year)
        assert year_entries["1"]["etat"] == "abandonnee" and year_entries["1"]["decision"] == DECISION
        rows = {r.indicator["id"]: r for r in indicator_years(fiches, evaluations, year)}
        assert rows["a"].verdict == "abandonne" and not rows["a"].counted
        result = rollup(axes, list(rows.values()), year_entries)
        assert result["fiche:1"].attainment is None  # out of the averages, not 0
        assert result["strategie"].states == {"abandonnee": 1, "en_cours": 1}
    assert "indicateurs" not in entries(evaluations, 2025)["1"]  # carried without the values of its last year
    assert result["objectif:1.1"].attainment == pytest.approx(0.6)  # fiche 2 alone: b at 60 %, c not due


def test_a_fiche_evaluated_again_after_its_abandonment_takes_its_new_state():
    *_, evaluations = years_of_an_abandoned_fiche()
    evaluations[1]["fiches"].append({"fiche": "1", "etat": "en_cours", "indicateurs": [{"id": "a", "valeur": 14}]})
    assert entries(evaluations, 2025)["1"]["etat"] == "en_cours"
    assert entries(evaluations + [{"annee": 2026, "fiches": []}], 2026) == {}


def test_a_periodic_indicator_without_a_measure_due_is_out_of_the_counts_but_missing_when_due():
    fiches, _, evaluations = years_of_an_abandoned_fiche()
    survey = {
        r.year: r
        for y in (2025, 2026)
        for r in indicator_years(fiches, evaluations + [{"annee": 2026, "fiches": []}], y)
        if r.indicator["id"] == "c"
    }
    assert (survey[2025].verdict, survey[2025].counted) == ("non_prevu", False)
    assert (survey[2026].verdict, survey[2026].counted) == ("non_renseigne", True)  # 2026 is due: missing is missing


def test_the_printed_rule_is_the_rule_computed_on_a_regression():
    """Attainments −50 %, 50 % and 150 %: the averages take them as 0, 50 % and 100 %, as the printed rule says, and
    the regression is said apart."""
    fiche = {"id": "1", "indicateurs": [indicator(ident="a"), indicator(ident="b"), indicator(ident="c")]}
    axes = [{"id": "1", "objectifs": [{"id": "1.1", "fiches": [fiche]}]}]
    values = [{"id": "a", "valeur": 5}, {"id": "b", "valeur": 15}, {"id": "c", "valeur": 25}]
    evaluation = {"annee": 2025, "fiches": [{"fiche": "1", "etat": "en_cours", "indicateurs": values}]}
    rows = indicator_years([fiche], [evaluation], 2025)
    assert [r.attainment for r in rows] == pytest.approx([-0.5, 0.5, 1.5])
    assert rollup(axes, rows, entries([evaluation], 2025))["fiche:1"].attainment == pytest.approx((0 + 0.5 + 1) / 3)
    said = "chaque atteinte est ramenée entre 0 et 100 % (une régression compte 0, un dépassement 100 %)"
    readme = " ".join((Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8").split())
    assert (
        said in VERDICT_RULE.replace("\u202f", " ") and said in readme
    )  # printed in the grid and the bilan, and documented, as computed
    assert [r.indicator["id"] for r in rows if r.regressed] == ["a"]


@pytest.mark.parametrize(
    ("value", "direction", "regressed"),
    [(9, "hausse", True), (10, "hausse", False), (11, "hausse", False), (210, "baisse", True), (190, "baisse", False)],
)
def test_a_regression_is_a_value_worse_than_the_baseline(value, direction, regressed):
    ind = indicator((10, 2023), (20, 2027)) if direction == "hausse" else indicator((200, 2023), (100, 2027), "baisse")
    evaluation = {"annee": 2025, "fiches": [{"fiche": "1", "etat": "en_cours", "indicateurs": [{"id": "i", "valeur": value}]}]}
    (row,) = indicator_years([{"id": "1", "indicateurs": [ind]}], [evaluation], 2025)
    assert row.regressed is regressed
