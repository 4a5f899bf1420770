"""What a real fiche records (issue 12): its own aims, the pilot's service, posts in FTE, annual funding over its
years and more sources, schedules by month, indicator comments; accepted, refused with a located French error,
computed and printed where a reader expects them."""

from __future__ import annotations

import json

import pytest
from conftest import SAMPLE, edit, only_problem, problems_of, run
from docx import Document
from test_build import plain

from stspd.check.validation import validate
from stspd.commands.valid import valid_model

FICHE = "actions/1.1.1.yaml"  # the fiche `stspd init` writes (period 2025-2030)


@pytest.fixture(scope="module")
def sample_model():
    return valid_model(SAMPLE)[1]


def _fiche(model, identifier: str) -> dict:
    return next(f for f in model["fiches"] if f["id"] == identifier)


def _annual(project) -> None:
    """The init's funding line made annual: 2 000 € each of the action's six years, its budget of 12 000 €."""
    edit(project / FICHE, "    montant: 10000\n", "    montant: 2000\n    recurrence: annuelle\n")
    edit(project / FICHE, "  budget: 10000\n", "  budget: 12000\n")


def _rows(document) -> list[list[str]]:
    return [[plain(cell.text) for cell in row.cells] for table in document.tables for row in table.rows]


# Accepted and refused


def test_the_new_fields_of_init_and_the_sample_are_valid(project):
    assert [p for p in problems_of(project) if p.severity == "error"] == []
    assert [p for p in problems_of(SAMPLE) if p.severity == "error"] == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("etp: 0.5", "etp: 0", "etp : "),
        ("structure: ville, ", "", "clé obligatoire « structure » manquante"),
        ("    statut: prevu", "    recurrence: mensuelle\n    statut: prevu", "recurrence : "),
        ("  debut: 2025\n", "  debut: 2025-13\n", "le mois 13 n'existe pas"),
        ("  debut: 2025\n", "  debut: 2025-9\n", "debut : "),
        (
            'service_pilote: "À rédiger : la direction ou le service qui pilote l\'action."',
            "service_pilote: [Direction]",
            "service_pilote : ",
        ),
    ],
)
def test_the_schema_refuses_a_wrong_value_where_it_stands(project, old, new, message):
    edit(project / FICHE, old, new)
    problem = only_problem(project, "schema")
    assert problem.file.endswith(FICHE) and message in problem.message, problem.message


@pytest.mark.parametrize(
    ("structure", "said"),
    [
        ("vile", "vouliez-vous dire « ville » ?"),
        ("mairie", "écrivez l'identifiant d'un partenaire ou le nom de la structure"),
        ("CSAPA", None),  # a name, for a structure that is no partner
        ('"Association Trait d\'union"', None),
    ],
)
def test_a_post_s_structure_that_reads_as_an_unknown_partner_is_warned(project, structure, said):
    """A typo in a partner's id would count the post under a structure of its own in the staffing table."""
    edit(project / FICHE, "structure: ville, ", f"structure: {structure}, ")
    found = [p for p in validate(project).problems if p.rule == "postes"]
    if said is None:
        assert found == []
        return
    assert [(p.severity, p.line) for p in found] == [("warning", 18)]
    assert found[0].message.startswith(f"structure « {structure} » : ce n'est pas un partenaire de strategie.yaml")
    assert found[0].message.endswith(said)


def test_full_time_equivalents_written_in_the_free_text_are_warned(project):
    """« 0,3 ETP » in `humains` is printed but counted in no total: the warning says where they are counted."""
    edit(project / FICHE, "moyens:\n", "moyens:\n  humains: Un juriste du CIDFF, 0,3 ETP de travailleur social\n")
    found = [p for p in validate(project).problems if p.rule == "postes"]
    assert [(p.severity, p.line) for p in found] == [("warning", 17)]
    assert found[0].message.startswith("humains : « 0,3 ETP » écrit dans le texte n'entre dans aucun total")


def test_a_start_by_month_is_read_against_the_period_and_its_milestones(project):
    edit(project / FICHE, "  debut: 2025\n", "  debut: 2025-09\n  jalons: [{date: 2025-06, libelle: Trop tôt}]\n")
    problem = only_problem(project, "periode")
    assert (problem.line, problem.message) == (
        26,
        "jalon : 2025-06 est hors du calendrier de l'action (de 2025-09 à 2030)",
    )
    edit(project / FICHE, "  debut: 2025-09\n  jalons: [{date: 2025-06, libelle: Trop tôt}]\n", "  debut: 2024-12\n")
    assert only_problem(project, "periode").message == (
        "calendrier : le mois 2024-12 est hors de la période de la stratégie (2025-2030)"
    )


def test_an_end_by_month_before_the_start_is_said_once(project):
    edit(project / FICHE, "  fin: 2030", "  fin: 2025-08")
    edit(project / FICHE, "  debut: 2025\n", "  debut: 2025-09\n")
    assert only_problem(project, "periode").message == "calendrier : la fin (2025-08) précède le début (2025-09)"


def test_a_baseline_before_the_period_is_accepted(project):
    edit(project / FICHE, "reference: {valeur: 0, annee: 2025}", "reference: {valeur: 0, annee: 2019}")
    assert [p for p in problems_of(project) if p.severity == "error"] == []


def test_an_annual_line_counts_each_of_its_years_against_the_budget(project):
    _annual(project)  # 2 000 € a year over the action's six years is its budget, 12 000 €: a euro more a year goes over
    assert [p for p in problems_of(project) if p.rule == "financements"] == []
    edit(project / FICHE, "    montant: 2000\n", "    montant: 2001\n")
    problem = only_problem(project, "financements")
    assert problem.message.startswith("financements : leur total (12\u202f006 €) dépasse le budget de l'action (12\u202f000 €")
    edit(project / FICHE, "    montant: 2001\n", "    montant: 4000\n    annees: [2026, 2027, 2028]\n")
    assert [p for p in problems_of(project) if p.rule == "financements"] == []  # 3 × 4 000 € is the budget


@pytest.mark.parametrize(
    ("old", "new", "line_text", "message"),
    [
        (
            "    recurrence: annuelle",
            "    recurrence: annuelle\n    annee: 2026",
            "    annee: 2026",
            "annee : une ligne annuelle donne ses années dans « annees »",
        ),
        (
            "    recurrence: annuelle",
            "    annees: [2026]",
            "    annees: [2026]",
            "annees : seule une ligne annuelle (recurrence: annuelle) court sur plusieurs années",
        ),
        (
            "  - source: commune",
            "  - source: autre",
            "  - source: autre",
            "precision : nommez le financeur de la source « autre »",
        ),
    ],
)
def test_a_funding_line_says_its_years_as_its_recurrence_reads_them_and_names_another_funder(
    project, old, new, line_text, message
):
    _annual(project)
    edit(project / FICHE, old, new)
    problem = only_problem(project, "financements")
    assert problem.message.startswith(message) and problem.source_line.startswith(line_text)


def test_an_annual_line_s_years_lie_in_the_period(project):
    _annual(project)
    edit(project / FICHE, "    recurrence: annuelle", "    recurrence: annuelle\n    annees: [2026, 2031]")
    problem = only_problem(project, "periode")
    assert problem.message == "financements : l'année 2031 est hors de la période de la stratégie (2025-2030)"


# Computed


def test_an_annual_line_is_its_amount_times_its_years(sample_model):
    fiche = _fiche(sample_model, "3.2.2")  # 18 000 € a year over the action's years 2024-2028, none named
    line = next(line for line in fiche["financements_detail"] if line["source"] == "commune")
    assert (line["annees_detail"], line["total"]) == ([2024, 2025, 2026, 2027, 2028], 90000)
    assert fiche["financement_acquis"] == 400000 == fiche["moyens"]["budget"]


def test_the_posts_add_up_per_fiche_axe_and_structure(sample_model):
    assert _fiche(sample_model, "3.2.2")["etp"] == 4.5
    staffing = sample_model["moyens_humains"]
    assert [round(etp, 2) for etp in staffing["axes"]] == [4.5, 2, 5.3, 0.6] and round(staffing["total"], 2) == 12.4
    by_name = {row["structure"]: row for row in staffing["lignes"]}
    dtpp = by_name["Direction de la tranquillité publique et de la prévention (coordination du CLSPD)"]
    assert [round(etp, 2) for etp in dtpp["etp"]] == [0.8, 0, 0.1, 0.6] and round(dtpp["total"], 2) == 1.5  # across three axes
    assert by_name["Régie de quartier des Hauts de Loire"]["total"] == 0.5  # a structure that is no partner


# Printed


def test_the_docx_prints_the_new_fields_where_a_reader_looks(built):
    rows = _rows(Document(str(built / "strategie.docx")))
    assert ["Pilote", "Ville de Valmont-sur-Loire (Direction des sports)"] in rows
    assert [
        "Objectifs opérationnels",
        (
            "Recevoir chaque victime de violences intrafamiliales signalée dans les huit jours ; "
            "Orienter quatre victimes sur cinq vers un accompagnement"
        ),
    ] in rows
    assert ["Commune, 8 000 € par an sur 5 ans (2024–2028)", "40 000 €", "Prévu"] in rows
    assert ["Total acquis ou prévu", "70 000 €", ""] in rows  # 40 000 + 30 000, the FIPD asked for apart
    assert ["Opérateur de transport (Valmobi, convention de médiation sur le réseau)", "40 000 €", "Prévu"] in rows
    assert ["ARS (Fonds de lutte contre les addictions)", "8 000 €", "Demandé"] in rows
    assert ["Calendrier", "mars 2025 – juin 2028"] in rows
    means = next(row[1] for row in rows if row[0] == "Moyens" and "Médiaval" in row[1])
    assert means.startswith("Humains : 4,5 ETP — Médiateurs de soirée (adultes-relais), Médiaval")
    pupils = next(row for row in rows if len(row) == 5 and row[1].startswith("Nombre d'élèves sensibilisés"))
    assert pupils[1:4] == [
        "Nombre d'élèves sensibilisés dans l'année (Un élève qui suit le cycle deux années de suite compte une fois)",
        "0 élèves (2023)",  # a baseline before the period (2024-2028), printed with its year
        "1 000 élèves (2028)",
    ]
    assert any(row[1].endswith("(Part des victimes reçues dans l'année, hors simples demandes d'information)") for row in rows)
    assert ["Structure", "Axe 1", "Axe 2", "Axe 3", "Axe 4", "Total"] in rows
    assert ["Total", "4,5", "2", "5,3", "0,6", "12,4"] in rows
    assert ["Régie de quartier des Hauts de Loire", "", "", "0,5", "", "0,5"] in rows
    summary = next(row for row in rows if len(row) == 7 and row[2] == "1.5.2")
    assert summary[5:] == ["03/2025", "06/2028"]


def test_the_html_prints_the_staff_table_and_the_indicator_comment(built):
    html = plain((built / "strategie.html").read_text(encoding="utf-8"))
    assert '<h2 id="les-moyens-humains">Les moyens humains</h2>' in html or "Les moyens humains</h2>" in html
    assert "<em>(Un élève qui suit le cycle deux années de suite compte une fois)</em>" in html


def test_a_diff_says_the_new_fields_in_words(tmp_path):
    import shutil

    before, after = tmp_path / "avant", tmp_path / "apres"
    shutil.copytree(SAMPLE, before)
    shutil.copytree(SAMPLE, after)
    fiche = after / "actions" / "1.1.2.yaml"
    edit(fiche, "service_pilote: Direction des sports", "service_pilote: Direction de la jeunesse")
    edit(fiche, "structure: ville, etp: 1.5}", "structure: ville, etp: 2}")
    edit(fiche, "    montant: 8000\n", "    montant: 9000\n")
    said = json.loads(run("diff", before, after, "--format", "json").output)["changements"]
    post = "Éducateurs sportifs (3 à temps partiel), Ville de Valmont-sur-Loire"
    years = "(2024, 2025, 2026, 2027, 2028)"
    expected = (
        f"Fiche 1.1.2 : service pilote : Direction des sports → Direction de la jeunesse ; personnels : + {post}, 2 ETP, "
        f"− {post}, 1,5 ETP ; financement commune : 8 000 € par an {years} (prévu) → 9 000 € par an {years} (prévu)"
    )
    assert [plain(change["phrase"]) for change in said] == [expected]
