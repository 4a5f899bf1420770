"""The diagnostic as real ones hold it: constats with a title, the survey's returns, profiles and bases, statistics
tables whose columns are school years and whose values carry notes. Accepted, refused at their line, and printed
where a reader looks for them."""

from __future__ import annotations

import pytest
from conftest import edit, only_problem, problems_of
from docx import Document

from stspd.render.filters import profile_rows, stat_notes, stat_rows, survey_caption, survey_returns, up_to

DIAGNOSTIC = "diagnostic.yaml"
SURVEY = (
    "methode:\n"
    "  enquete:\n"
    "    public: habitants\n"
    "    echantillon: 400\n"
    "    questionnaires_diffuses: 1000\n"
    "    questionnaires_retournes: 420\n"
    "    profils:\n"
    "      - critere: Sexe\n"
    "        effectifs: [{modalite: Femmes, nombre: 210}, {modalite: Hommes, nombre: 190}]\n"
)
SCHOOL = (
    "statistiques:\n"
    "  - id: colleges\n"
    "    titre: Incidents dans les collèges\n"
    '    annees: ["2021-2022", "2022-2023"]\n'
    "    lignes:\n"
    "      - indicateur: Exclusions\n"
    "        valeurs: [351, 412]\n"
    '        notes: [{annee: "2022-2023", texte: Un collège fermé en juin}]\n'
)
QUESTIONS = (
    "enquete_resultats:\n"
    "  - question: Nuisances ?\n"
    "    base: 390\n"
    "    reponses_multiples: true\n"
    "    reponses: [{modalite: Rodéos, part: 70}, {modalite: Bruit, part: 60}]\n"
)


@pytest.fixture
def diagnostic(project):
    """The new project with every new field of the diagnostic, valid."""
    edit(project / DIAGNOSTIC, "methode:\n", SURVEY)
    edit(project / DIAGNOSTIC, "statistiques: []\n", SCHOOL + QUESTIONS)
    return project / DIAGNOSTIC


# Accepted, refused by the schema
def test_every_new_field_is_accepted(diagnostic, project):
    edit(diagnostic, "titre: À rédiger", "titre: Des rodéos en hausse")
    assert problems_of(project) == []


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ('annees: ["2021-2022", "2022-2023"]', 'annees: ["2021/2022", "2022-2023"]', "annees"),
        ("    reponses_multiples: true", "    reponses_multiples: oui", "reponses_multiples"),
        ("{modalite: Femmes, nombre: 210}", "{modalite: Femmes, nombre: 210, part: 52}", "part"),
        ("questionnaires_diffuses: 1000", "questionnaires_diffuses: 0", "questionnaires_diffuses"),
        ('{annee: "2022-2023", texte: Un collège fermé en juin}', '{annee: "2022-2023"}', "texte"),
        # a rate is never negative, and is said to be too small rather than not « secret »
        (
            "        valeurs: [351, 412]\n",
            "        valeurs: [351, 412]\n        taux: [-0.13, secret]\n",
            "taux n° 1 : « -0.13 » trop petit",
        ),
    ],
)
def test_a_malformed_new_field_is_refused_by_the_schema(diagnostic, project, old, new, said):
    edit(diagnostic, old, new)
    p = only_problem(project, "schema")
    assert p.file.endswith(DIAGNOSTIC) and said in p.message


# The rules, each at its line
def test_a_period_runs_forward(diagnostic, project):
    edit(diagnostic, '"2021-2022", "2022-2023"', '"2022-2021", "2022-2023"')
    p = only_problem(project, "notes")
    assert p.line == 34 and "la période « 2022-2021 » doit aller d'une année à une année postérieure" in p.message


def test_a_note_names_a_column_of_its_table(diagnostic, project):
    edit(diagnostic, '{annee: "2022-2023", texte', '{annee: "2023-2024", texte')
    p = only_problem(project, "notes")
    assert p.line == 38 and "« 2023-2024 » n'est pas une colonne du tableau « colleges » (2021-2022, 2022-2023)" in p.message


def test_a_year_is_not_a_school_year(diagnostic, project):
    edit(diagnostic, '{annee: "2022-2023", texte', "{annee: 2023, texte")
    assert "n'est pas une colonne" in only_problem(project, "notes").message


def test_a_quoted_year_is_told_to_lose_its_quotes(diagnostic, project):
    edit(diagnostic, '["2021-2022", "2022-2023"]', "[2022, 2023]")
    edit(diagnostic, '{annee: "2022-2023", texte', '{annee: "2023", texte')
    message = only_problem(project, "notes").message
    assert message.endswith(
        "« 2023 » n'est pas une colonne du tableau « colleges » (2022, 2023) ; écrivez 2023 sans guillemets, comme dans annees"
    )


@pytest.mark.parametrize(
    ("old", "new", "line", "said"),
    [
        ("questionnaires_retournes: 420", "questionnaires_retournes: 1200", 10, "1 200 retournés pour 1 000 diffusés"),
        ("echantillon: 400", "echantillon: 430", 8, "430 répondants pour 420 questionnaires retournés"),
        ("nombre: 190", "nombre: 291", 13, "501 répondants comptés pour « Sexe », plus que les 400 répondants"),
        ("base: 390", "base: 401", 41, "401 répondants à la question, plus que les 400 de l'enquête"),
        ("    reponses_multiples: true\n", "", 42, "les parts totalisent 130 % ; si plusieurs réponses étaient possibles"),
    ],
)
def test_the_survey_s_counts_hold_together(diagnostic, project, old, new, line, said):
    edit(diagnostic, old, new)
    p = only_problem(project, "enquete")
    assert p.line == line and said in p.message.replace("\u202f", " ").replace("\u00a0", " ")


def test_rounded_shares_may_add_up_to_101_percent(diagnostic, project):
    edit(diagnostic, "    reponses_multiples: true\n", "")
    edit(diagnostic, "part: 70}, {modalite: Bruit, part: 60}", "part: 51}, {modalite: Bruit, part: 50}")
    assert problems_of(project) == []


# Computed and printed
def test_notes_are_numbered_in_reading_order_and_marked_on_their_value():
    table = {
        "annees": ["2021-2022", "2022-2023"],
        "lignes": [
            {
                "indicateur": "A",
                "valeurs": [1, 2],
                "notes": [{"annee": "2022-2023", "texte": "deux"}, {"annee": "2021-2022", "texte": "un"}],
            },
            {"indicateur": "B", "valeurs": [3, None], "notes": [{"annee": "2022-2023", "texte": "trois"}]},
        ],
    }
    assert [row[1:3] for row in stat_rows(table)] == [["1^1^", "2^2^"], ["3", "—^3^"]]
    assert stat_notes(table) == ["^1^ 2021-2022, A : un", "^2^ 2022-2023, A : deux", "^3^ 2022-2023, B : trois"]
    with_units = {**table, "lignes": [{**table["lignes"][0], "unite": "élèves"}]}
    assert stat_rows(with_units, True)[0][1:4] == ["élèves", "1^1^", "2^2^"]  # the mark follows the value, not the unit
    # a row's own comment (a series broken) follows the notes on values, after the row's name
    commented = {**table, "lignes": [{**table["lignes"][0], "commentaire": "Série interrompue en 2022"}, table["lignes"][1]]}
    assert stat_notes(commented)[3:] == ["*A* : Série interrompue en 2022"]


def test_a_bilan_cuts_a_school_year_table_at_the_year_it_ends():
    table = {"annees": ["2022-2023", "2023-2024", "2024-2025"], "lignes": [{"indicateur": "A", "valeurs": [1, 2, 3]}]}
    assert up_to(table, 2024)["annees"] == ["2022-2023", "2023-2024"]


def test_the_survey_s_returns_profiles_and_bases_are_computed():
    survey = {"echantillon": 612, "questionnaires_diffuses": 1500, "questionnaires_retournes": 640}
    assert survey_returns(survey) == "1\u202f500 questionnaires diffusés, 640 retournés (taux de retour : 42,7\u202f%)"
    assert survey_returns({"questionnaires_retournes": 640}) == "640 questionnaires retournés"
    profiles = {
        "echantillon": 612,
        "profils": [
            {"critere": "Sexe", "effectifs": [{"modalite": "Femmes", "nombre": 331}, {"modalite": "Hommes", "nombre": 281}]}
        ],
    }
    assert profile_rows(profiles) == [["**Sexe**", "Femmes", "331", "54,1\u202f%"], ["", "Hommes", "281", "45,9\u202f%"]]
    assert survey_caption({"question": "Q ?", "base": 1598, "reponses_multiples": True}) == (
        "Q ? (plusieurs réponses possibles, base n = 1\u202f598)"
    )
    assert survey_caption({"question": "Q ?"}) == "Q ?"


def _text(built) -> str:
    """The Markdown document with French spaces (before « : », in « 1 500 ») as plain ones."""
    return (built / "strategie.md").read_text(encoding="utf-8").replace("\u00a0", " ").replace("\u202f", " ")


def test_the_sample_s_school_years_and_notes_are_printed_under_their_table(built):
    document = Document(str(built / "strategie.docx"))
    table = next(
        t for t in document.tables if len(t.columns) > 2 and t.rows[0].cells[2].text.replace("\u2013", "-") == "2019-2020"
    )
    assert table.rows[0].cells[-1].text.replace("\u2013", "-") == "Évolution 2019-2020 à 2022-2023"
    facts = next(row for row in table.rows if row.cells[0].text.startswith("Faits graves"))
    superscripts = [r.text for r in facts.cells[2].paragraphs[0].runs if r.font.superscript]
    assert facts.cells[2].text == "1181" and superscripts == ["1"]
    notes = [" ".join(p.text.split()) for p in document.paragraphs if "Établissements fermés" in p.text]  # French spaces too
    assert notes == [
        "1 2019\u20132020, Faits graves signalés (Faits établissement) : Établissements fermés du 16 mars au 11 mai 2020 (confinement)"
    ]
    html = (built / "strategie.html").read_text(encoding="utf-8")
    assert "118<sup>1</sup>" in html and "52<sup>1</sup>" in html  # each table numbers its own notes


def test_the_sample_s_survey_is_printed_with_its_returns_profiles_and_bases(built):
    text = _text(built)
    assert "1 500 questionnaires diffusés, 640 retournés (taux de retour : 42,7 %)." in text
    assert "| **Sexe** | Femmes | 331 | 54,1 % |" in text and ": Le profil des répondants" in text
    assert ": Vous sentez-vous en sécurité dans votre quartier ? (base n = 606)" in text
    assert "(deux au plus) ? (plusieurs réponses possibles, base n = 598)" in text


def test_a_constat_s_title_is_printed_before_its_text_in_the_diagnostic_and_the_fiche(built):
    text = _text(built)
    assert "- **Constat 1.1 · Des rodéos motorisés en forte hausse**\\\n  Les rodéos motorisés" in text
    assert "- **Des rodéos motorisés en forte hausse** : Les rodéos motorisés (motos, quads)" in text
    assert "- **Constat 3.2** · L'été concentre les tensions" in text  # without a title, as before
