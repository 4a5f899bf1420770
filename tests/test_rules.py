"""Each cross-check: a failing case located at file and line, and the passing case beside it."""

from __future__ import annotations

import struct
import zlib

from conftest import edit, only_problem, problems_of

from stspd.check.validation import validate

FICHE = "actions/1.1.1.yaml"


def test_the_new_project_is_valid(project):
    assert problems_of(project) == []


# ids-uniques
def test_duplicate_fiche_id_across_files(project):
    (project / "actions" / "copie.yaml").write_text((project / FICHE).read_text(encoding="utf-8"), encoding="utf-8")
    p = only_problem(project, "ids-uniques")
    assert p.file.endswith("copie.yaml") and p.line == 4
    assert "fiche « 1.1.1 » en double" in p.message and "1.1.1.yaml, ligne 4" in p.message


def test_distinct_fiche_ids(project):
    text = (project / FICHE).read_text(encoding="utf-8").replace("id: 1.1.1", "id: 1.1.2")
    (project / "actions" / "1.1.2.yaml").write_text(text, encoding="utf-8")
    assert problems_of(project) == []


def test_duplicate_partner_id(project):
    edit(project / "strategie.yaml", "  - id: pm\n", "  - id: ville\n")
    lines = (project / "strategie.yaml").read_text(encoding="utf-8").splitlines()
    line = [n for n, text in enumerate(lines, 1) if text == "  - id: ville"][-1]  # the second one, the pm renamed
    p = only_problem(project, "ids-uniques")
    assert p.file.endswith("strategie.yaml") and p.line == line and "partenaire « ville » en double" in p.message


def test_indicator_ids_are_unique_within_a_fiche_only(project):
    edit(project / FICHE, "indicateurs:\n", "indicateurs:\n  - {id: realisations, type: resultat, libelle: x}\n")
    p = only_problem(project, "ids-uniques")
    assert p.line == 29 and "dans la fiche 1.1.1" in p.message


# references
def test_unknown_objective_suggests_the_closest(project):
    edit(project / FICHE, 'objectifs: ["1.1"]', 'objectifs: ["1.2"]')
    p = only_problem(project, "references")
    assert (p.line, p.column) == (6, 13) and "objectif inconnu « 1.2 » ; vouliez-vous dire « 1.1 » ?" in p.message


def test_unknown_pilot(project):
    edit(project / FICHE, "pilote: ville", "pilote: vile")
    p = only_problem(project, "references")
    assert p.line == 13 and "« vile » ; vouliez-vous dire « ville » ?" in p.message


def test_unknown_partner_and_constat(project):
    edit(project / FICHE, "partenaires: [pm]", "partenaires: [pm, pn]")
    edit(project / FICHE, "constats: [C-tranquillite-1]", "constats: [C-tranquilite-1]")
    lines = sorted((p.line, p.message.split(" ;")[0]) for p in problems_of(project))
    assert lines == [
        (8, "constats : constat du diagnostic inconnu « C-tranquilite-1 »"),
        (15, "partenaires : partenaire inconnu « pn »"),
    ]


def test_unknown_qpv(project):
    edit(project / FICHE, "territoire: Ensemble de la commune", "territoire: Quartier\nqpv: [QN04701M]")
    assert only_problem(project, "references").line == 13


def test_declared_qpv_resolves(project):
    edit(project / "strategie.yaml", "  # qpv:", "  qpv: [{code: QN04701M, nom: Les Hauts}]")
    edit(project / FICHE, "territoire: Ensemble de la commune", "territoire: Quartier\nqpv: [QN04701M]")
    assert problems_of(project) == []


def test_references_are_checked_despite_a_schema_error_in_the_strategy(project):
    edit(project / "strategie.yaml", "titre: Stratégie", "titre:\n  - Stratégie")
    edit(project / FICHE, "pilote: ville", "pilote: vile")
    assert sorted((p.file.rsplit("/", 1)[-1], p.rule) for p in problems_of(project)) == [
        ("1.1.1.yaml", "references"),
        ("strategie.yaml", "schema"),
    ]


def test_references_to_an_unreadable_strategy_are_not_reported(project):
    edit(project / "strategie.yaml", "titre: Stratégie", "titre: [Stratégie")
    edit(project / FICHE, "pilote: ville", "pilote: vile")
    assert [p.rule for p in problems_of(project)] == ["yaml"]


# mesures-nationales
def test_measure_of_another_axe(project):
    edit(project / FICHE, "pilote: ville", "pilote: ville\nmesures_nationales: [{strategie: snpd-2020-2024, axe: 2, mesure: 4}]")
    p = only_problem(project, "mesures-nationales")
    assert p.line == 14 and "relève de l'axe 1, pas de l'axe 2" in p.message


def test_unknown_national_strategy_and_axe(project):
    edit(
        project / "strategie.yaml",
        "        # mesures_nationales: [{strategie: snpd-2025-2030, axe: 1}]",
        "        mesures_nationales: [{strategie: snpd-2020-2042, axe: 1}, {strategie: snpd-2020-2024, axe: 7}]",
    )
    messages = sorted(p.message for p in problems_of(project))
    assert len(messages) == 2
    assert "pas d'axe 7" in messages[0] and "inconnu « snpd-2020-2042 » ; vouliez-vous dire « snpd-2020-2024 »" in messages[1]


def test_measure_beyond_the_catalogue(project):
    edit(project / FICHE, "pilote: ville", "pilote: ville\nmesures_nationales: [{strategie: snpd-2020-2024, axe: 3, mesure: 41}]")
    assert "compte 40 mesures" in only_problem(project, "mesures-nationales").message


def test_a_measure_whose_title_is_not_known_is_a_warning(project):
    edit(
        project / FICHE,
        "pilote: ville",
        "pilote: ville\nmesures_nationales: [{strategie: snpd-2020-2024, axe: 1, mesure: 14}, {strategie: snpd-2020-2024, axe: 3, mesure: 25}]",
    )
    result = validate(project)
    assert result.errors == []
    [warning] = [p for p in result.warnings if p.rule == "mesures-nationales"]
    assert warning.line == 14 and warning.column > 60
    assert "le titre de la mesure 25 du référentiel « snpd-2020-2024 » n'est pas connu" in warning.message


def test_a_frame_whose_measures_are_all_listed_knows_no_other(project):
    edit(project / FICHE, "pilote: ville", "pilote: ville\nmesures_nationales: [{strategie: snpd-2025-2030, axe: 2, mesure: 3}]")
    p = only_problem(project, "mesures-nationales")
    assert p.message == "le référentiel « snpd-2025-2030 » ne liste aucune mesure : pas de mesure 3"


# periode
def test_schedule_outside_the_period(project):
    edit(project / FICHE, "  fin: 2030", "  fin: 2031")
    p = only_problem(project, "periode")
    assert (
        p.file.endswith("1.1.1.yaml") and p.line == 26 and "2031 est hors de la période de la stratégie (2025-2030)" in p.message
    )


def test_schedule_ending_before_it_starts(project):
    edit(project / FICHE, "  fin: 2030", "  fin: 2025\n  jalons: [{date: 2026-05, libelle: x}]")
    edit(project / FICHE, "  debut: 2025", "  debut: 2026")
    messages = [p.message for p in problems_of(project)]
    # said once: no milestone is judged against a schedule that ends before it starts
    assert messages == ["calendrier : la fin (2025) précède le début (2026)"]


def test_milestone_outside_the_schedule(project):
    edit(project / FICHE, "  fin: 2030", "  fin: 2027\n  jalons: [{date: 2028-05, libelle: x}]")
    p = only_problem(project, "periode")
    assert p.line == 27 and p.message == "jalon : 2028-05 est hors du calendrier de l'action (2025-2027)"


def test_target_year_outside_the_period(project):
    edit(project / FICHE, "cible: {valeur: 20, annee: 2030}", "cible: {valeur: 20, annee: 2035}")
    assert only_problem(project, "periode").line == 33


def test_evaluation_year_outside_the_period_and_misnamed(project):
    (project / "evaluations" / "2031.yaml").write_text("annee: 2032\nfiches: []\n", encoding="utf-8")
    messages = sorted(p.message for p in problems_of(project))
    assert messages == [
        "annee : 2032 est hors de la période de la stratégie (2025-2030)",
        "annee : le fichier 2031.yaml évalue 2032 ; nommez-le 2032.yaml",
    ]


def test_evaluation_within_the_period(project):
    (project / "evaluations" / "2026.yaml").write_text(
        "annee: 2026\nfiches: [{fiche: 1.1.1, etat: en_cours}]\n", encoding="utf-8"
    )
    assert problems_of(project) == []


# financements
def test_funding_above_budget(project):
    edit(project / FICHE, "    statut: prevu", "    statut: prevu\n  - {source: fipd, montant: 2500}")
    p = only_problem(project, "financements")
    assert p.line == 20 and "12\u202f500 €" in p.message and "10\u202f000 €" in p.message


def test_fipd_above_spending(project):
    (project / "evaluations" / "2026.yaml").write_text(
        "annee: 2026\nfiches:\n  - fiche: 1.1.1\n    etat: en_cours\n    moyens: {montant: 100, dont_fipd: 200}\n",
        encoding="utf-8",
    )
    p = only_problem(project, "financements")
    assert p.line == 5 and "part FIPD" in p.message


# tableaux
def test_statistics_row_with_a_missing_year(project):
    edit(
        project / "diagnostic.yaml",
        "statistiques: []",
        "statistiques:\n  - id: ssmsi\n    titre: T\n    annees: [2021, 2022, 2023]\n    lignes:\n      - {indicateur: Vols, valeurs: [1, 2]}\n      - {indicateur: Cambriolages, valeurs: [1, ~, 3]}",
    )
    p = only_problem(project, "tableaux")
    assert p.line == 28 and "2 valeurs pour 3 années" in p.message


# evaluations
def test_evaluation_of_an_unknown_fiche_and_indicator(project):
    (project / "evaluations" / "2026.yaml").write_text(
        "annee: 2026\nfiches:\n  - {fiche: 1.1.2, etat: en_cours}\n  - fiche: 1.1.1\n    etat: en_cours\n"
        "    indicateurs: [{id: realisation, valeur: 3}]\n",
        encoding="utf-8",
    )
    found = sorted((p.line, p.message) for p in problems_of(project))
    assert found[0] == (3, "fiche : fiche action inconnue « 1.1.2 » ; vouliez-vous dire « 1.1.1 » ?")
    assert found[1][0] == 6 and "n'a pas d'indicateur « realisation » ; vouliez-vous dire « realisations » ?" in found[1][1]


def test_a_fiche_evaluated_twice_in_a_year(project):
    (project / "evaluations" / "2026.yaml").write_text(
        "annee: 2026\nfiches:\n  - {fiche: 1.1.1, etat: en_cours}\n  - {fiche: 1.1.1, etat: realisee}\n", encoding="utf-8"
    )
    p = only_problem(project, "ids-uniques")
    assert p.line == 4 and "dans l'évaluation 2026" in p.message


# diagnostic
def test_diagnostic_split_over_files(project):
    (project / "diagnostic.yaml").rename(project / "diag-a.yaml")
    (project / "diagnostic").mkdir()
    (project / "diag-a.yaml").rename(project / "diagnostic" / "a.yaml")
    edit(project / "diagnostic" / "a.yaml", "$schema=schemas/", "$schema=../schemas/")
    (project / "diagnostic" / "b.yaml").write_text(
        "themes:\n  - id: jeunesse\n    titre: Jeunesse\n    constats: [{id: C-j, texte: x}]\n", encoding="utf-8"
    )
    assert problems_of(project) == []
    (project / "diagnostic" / "c.yaml").write_text("methode:\n  presentation: encore\n", encoding="utf-8")
    p = only_problem(project, "diagnostic")
    assert p.file.endswith("c.yaml") and p.line == 1 and "figure déjà dans" in p.message


# logo
def test_missing_or_wrong_logo(project):
    edit(project / "strategie.yaml", "titre: Stratégie", "logo: logo.png\ntitre: Stratégie")
    p = only_problem(project, "logo")
    assert p.line == 6 and "introuvable" in p.message
    (project / "logo.png").write_text("pas une image", encoding="utf-8")
    assert "ni un PNG ni un JPEG" in only_problem(project, "logo").message
    (project / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 20)  # the signature, and nothing of an image
    assert "est abîmé" in only_problem(project, "logo").message
    (project / "logo.png").write_bytes(_PNG_1X1)
    assert problems_of(project) == []


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


# The smallest PNG: one grey pixel (IHDR, one IDAT row with its filter byte, IEND).
_PNG_1X1 = (
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _chunk(b"IDAT", zlib.compress(b"\0\x80"))
    + _chunk(b"IEND", b"")
)


# decisions
ABANDONED = "annee: 2026\nfiches:\n  - fiche: 1.1.1\n    etat: {}\n{}"
DECISION = "    decision:\n      date: 2026-11-18\n      instance: CLSPD en formation restreinte\n      motif: {}\n"


def _decided(project, state: str, decision: str = "") -> None:
    (project / "evaluations" / "2026.yaml").write_text(ABANDONED.format(state, decision), encoding="utf-8")


def test_an_abandoned_fiche_with_its_decision_is_valid(project):
    _decided(project, "abandonnee", DECISION.format("Pas de volontaires."))
    assert problems_of(project) == []


def warning(project, rule: str):
    """The single warning of `rule` (which only a strict validation fails on)."""
    from stspd.check.validation import validate

    (found,) = [p for p in validate(project).problems if p.rule == rule]
    return found


def test_a_postponed_or_abandoned_fiche_without_a_decision_is_a_warning(project):
    _decided(project, "reportee")
    assert problems_of(project) == []
    p = warning(project, "decisions")
    assert p.is_warning and p.line == 4 and "la fiche 1.1.1 est reportée sans décision" in p.message


def test_a_decision_beside_another_state_is_an_error(project):
    _decided(project, "en_cours", DECISION.format("Pas de volontaires."))
    p = only_problem(project, "decisions")
    assert not p.is_warning and p.line == 5 and "la fiche 1.1.1 est « en cours »" in p.message


def test_a_decision_says_its_date_instance_and_motif(project):
    _decided(project, "abandonnee", "    decision:\n      date: 2026-11-31\n      instance: CLSPD\n")
    found = sorted((p.line, p.rule, p.message) for p in problems_of(project))
    assert [(line, rule) for line, rule, _ in found] == [(5, "schema"), (6, "schema")]
    assert "« motif »" in found[0][2] and "novembre 2026 compte 30 jours" in found[1][2]


# frequences
def test_a_triennial_indicator_is_placed_by_its_first_measure_or_its_reference(project):
    edit(project / FICHE, "    sens: hausse\n", "    sens: hausse\n    frequence: triennale\n    premiere_mesure: 2026\n")
    assert problems_of(project) == []
    edit(project / FICHE, "    reference: {valeur: 0, annee: 2025}\n", "")
    assert problems_of(project) == []  # premiere_mesure alone places it
    edit(project / FICHE, "    premiere_mesure: 2026\n", "")
    p = warning(project, "frequences")
    assert p.is_warning and p.line == 34 and "mesuré tous les trois ans, sans dire depuis quand" in p.message


def test_an_unknown_frequency_is_refused_at_its_line(project):
    edit(project / FICHE, "    sens: hausse\n", "    sens: hausse\n    frequence: quadriennale\n")
    p = only_problem(project, "schema")
    assert p.line == 35 and "triennale" in p.message and "« quadriennale »" in p.message
