"""`stspd new-period`: the next strategy from the previous one and its last bilan, on the sample."""

from __future__ import annotations

import hashlib

import yaml
from conftest import SAMPLE, run

from stspd.check.validation import validate_project


def _digest(folder) -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())).hexdigest()


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_next_strategy_carries_the_fiches_to_continue_with_their_last_values(tmp_path):
    before = _digest(SAMPLE)
    target = tmp_path / "valmont-2029"
    result = run("new-period", target, "--depuis", SAMPLE, "--periode", "2029-2034")
    assert result.exit_code == 0, result.output
    assert "2.1.4 : laissée (« arrêter » au bilan 2025)" in result.output
    assert "3.4.2 : laissée (abandonnée en 2025)" in result.output and "27 fiches reprises sur 29" in result.output
    assert _digest(SAMPLE) == before  # the previous strategy is only read
    assert validate_project(target)[1] == []  # valid, the texts to write said as warnings
    checked = run("validate", target)
    assert checked.exit_code == 0 and "4 textes restent à rédiger" in checked.output
    strategy = _load(target / "strategie.yaml")
    assert strategy["periode"] == {"debut": 2029, "fin": 2034} and strategy["titre"].endswith("2029-2034")
    assert "adoption" not in strategy
    fiche = _load(target / "actions" / "1.1.2.yaml")
    assert fiche["origine"] == "Stratégie 2024–2028, fiche 1.1.2 : « poursuivre » au bilan 2025"
    sessions = next(i for i in fiche["indicateurs"] if i["id"] == "seances")
    assert sessions["reference"] == {"valeur": 118, "annee": 2025} and sessions["cible"]["annee"] == 2034
    assert fiche["calendrier"] == {"debut": 2029, "fin": 2034}  # the old milestones are past
    assert {line["statut"] for line in fiche["financements"]} == {"prevu"}
    assert not (target / "actions" / "2.1.4.yaml").exists() and not list((target / "evaluations").glob("*.yaml"))
    assert (target / "logo.png").read_bytes() == (SAMPLE / "logo.png").read_bytes()


def test_new_period_refuses_a_folder_in_use_a_period_that_does_not_follow_and_a_project_never_evaluated(tmp_path, project):
    used = tmp_path / "occupe"
    used.mkdir()
    (used / "notes.txt").write_text("x", encoding="utf-8")
    assert run("new-period", used, "--depuis", SAMPLE, "--periode", "2029-2034").exit_code == 2
    earlier = run("new-period", tmp_path / "a", "--depuis", SAMPLE, "--periode", "2020-2025")
    assert earlier.exit_code == 2 and "doit commencer après le début de la précédente (2024–2028)" in earlier.output
    reversed_period = run("new-period", tmp_path / "c", "--depuis", SAMPLE, "--periode", "2034-2029")
    assert reversed_period.exit_code == 2 and "la fin (2029) précède le début (2034)" in reversed_period.output
    never = run("new-period", tmp_path / "b", "--depuis", project, "--periode", "2031-2036")
    assert never.exit_code == 2 and "aucune évaluation" in never.output


def test_new_period_refuses_a_folder_inside_the_previous_project_and_writes_nothing(sample_copy):
    before = _digest(sample_copy)
    inside = run("new-period", sample_copy / "suivante", "--depuis", sample_copy, "--periode", "2029-2034")
    assert inside.exit_code == 2
    assert "est dans le projet précédent" in inside.output and "créez le nouveau projet à côté" in inside.output
    assert not (sample_copy / "suivante").exists() and _digest(sample_copy) == before


def test_a_period_overlapping_the_previous_one_is_made_and_said(tmp_path):
    target = tmp_path / "valmont-2026"
    result = run("new-period", target, "--depuis", SAMPLE, "--periode", "2026-2030")
    assert result.exit_code == 0, result.output
    assert "commence en 2026, avant la fin de la précédente (2024–2028)" in result.output
    assert "remplace l'ancienne dès 2026" in result.output and "prolongation" in result.output
    assert validate_project(target)[1] == []
    following = run("new-period", tmp_path / "valmont-2029", "--depuis", SAMPLE, "--periode", "2029-2034")
    assert following.exit_code == 0 and "Attention" not in following.output
