"""Table cells of the document: a number keeps its unit, on its line."""

from __future__ import annotations

import pytest

from stspd import fr
from stspd.render.filters import indicator_row


def _indicator(unit: str | None) -> dict:
    indicator = {"id": "i", "type": "realisation", "libelle": "Séances", "reference": {"valeur": 60, "annee": 2023}}
    indicator["cible"] = {"valeur": 1000, "annee": 2028}
    if unit is not None:
        indicator["unite"] = unit
    return indicator


def test_a_value_and_its_unit_are_kept_together_by_a_no_break_space():
    row = indicator_row(_indicator("séances"))
    assert "60\u00a0séances (2023)" in row and "1\u202f000\u00a0séances (2028)" in row


def test_a_percentage_takes_a_narrow_no_break_space():
    assert "60\u202f% (2023)" in indicator_row(_indicator("%"))


def test_without_a_unit_the_value_stands_alone():
    assert "60 (2023)" in indicator_row(_indicator(None))


def test_the_fiche_says_how_often_an_indicator_is_measured():
    survey = _indicator("%") | {"source": "Enquête", "frequence": "triennale"}
    assert indicator_row(survey)[-1] == "Enquête ; mesure tous les trois ans depuis 2023"
    assert (
        indicator_row(_indicator("%") | {"frequence": "ponctuelle", "premiere_mesure": 2026})[-1] == "Mesure ponctuelle en 2026"
    )
    assert indicator_row(_indicator("%"))[-1] == "—"  # neither source nor frequency given


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (lambda: fr.number(-0.04), "0"),
        (lambda: fr.number(-0.0), "0"),
        (lambda: fr.number(-0.04, 1, fixed=True), "0,0"),
        (lambda: fr.percent(-0.0001), "0\u202f%"),
        (lambda: fr.percent(-0.0001, signed=True), "0\u202f%"),
        (lambda: fr.percent(-0.0004, digits=1), "0,0\u202f%"),
        (lambda: fr.number(-0.06), "\u22120,1"),  # a value that does not round to zero keeps its sign, a minus sign
        (lambda: fr.percent(-0.404), "\u221240,4\u202f%"),
    ],
)
def test_what_rounds_to_zero_is_written_without_a_sign(written, expected):
    assert written() == expected


def test_readers_see_a_constat_s_number_never_its_id(tmp_path):
    from conftest import SAMPLE, run

    assert run("build", SAMPLE, "--format", "md", "--sortie", tmp_path).exit_code == 0
    text = (tmp_path / "strategie.md").read_text(encoding="utf-8")
    assert "C-preados" not in text and "C-video" not in text
    assert "- **Constat 3.2** · " in text and "*(constat 1.1)*" in text  # 3.2 has no title: number, then text


def test_a_schedule_is_a_span_with_an_en_dash(tmp_path):
    from conftest import SAMPLE, run

    assert run("build", SAMPLE, "--format", "md", "--sortie", tmp_path).exit_code == 0
    text = (tmp_path / "strategie.md").read_text(encoding="utf-8")
    assert "| **Calendrier** | 2024\u20132028 |" in text and "2024-2028 |" not in text


def test_the_summary_table_says_an_axe_and_an_objective_once_per_group():
    from stspd.render.filters import summary_rows

    def fiche(axe: str, objective: str, number: str) -> dict:
        return {
            "id": number,
            "titre": f"Fiche {number}",
            "axe": {"id": axe},
            "objectif": {"id": objective, "titre": f"Objectif {objective}"},
            "pilote_detail": {"nom": "Ville"},
        }

    rows = summary_rows(
        [fiche("1", "1.1", "1.1.1"), fiche("1", "1.1", "1.1.2"), fiche("1", "1.2", "1.2.1"), fiche("2", "2.1", "2.1.1")]
    )
    assert [row[:3] for row in rows] == [
        ["1", "1.1 Objectif 1.1", "1.1.1"],
        ["", "", "1.1.2"],
        ["", "1.2 Objectif 1.2", "1.2.1"],
        ["2", "2.1 Objectif 2.1", "2.1.1"],
    ]


def test_a_fiche_s_measures_of_one_frame_share_one_row_named_after_it(tmp_path):
    from conftest import SAMPLE, run

    assert run("build", SAMPLE, "--format", "md", "--sortie", tmp_path).exit_code == 0
    text = (tmp_path / "strategie.md").read_text(encoding="utf-8")
    fiche = text[text.index("## Fiche 1.1.1") : text.index("## Fiche 1.1.2")]
    assert fiche.count("**SNPD 2020–2024**") == 1 and fiche.count("SNPD") == 1
    assert "Axe 1, mesure 4\u00a0: Réinvestir la prévention primaire" in fiche and "Axe 1, mesure 5\u00a0:" in fiche


def test_requested_funding_is_never_added_to_secured_funding(tmp_path):
    from conftest import SAMPLE, run

    assert run("build", SAMPLE, "--format", "md", "--sortie", tmp_path).exit_code == 0
    text = (tmp_path / "strategie.md").read_text(encoding="utf-8").replace("\u202f", " ").replace("\u00a0", " ")
    fiche = text[text.index("## Fiche 1.1.1") : text.index("## Fiche 1.1.2")]
    assert "| **Budget** | 30 000 € |" in fiche  # the funding table below details it
    assert "| **Total acquis ou prévu** | **18 000 €** |  |" in fiche and "| **Total demandé** | **12 000 €** |  |" in fiche
    assert "**Total**" not in fiche


def test_vocabulary_words_start_their_cells_with_a_capital():
    from stspd.render.filters import funding_row

    assert indicator_row(_indicator(None))[0] == "Réalisation"
    assert funding_row({"source": "commune", "montant": 100, "statut": "demande", "annees_detail": [], "total": 100})[::2] == [
        "Commune",
        "Demandé",
    ]
    assert funding_row({"source": "fipd", "montant": 100, "annees_detail": [], "total": 100})[::2] == ["FIPD", "Prévu"]


def test_a_date_typed_in_a_text_stays_on_one_line():
    from stspd.render.markdown_syntax import typography

    assert (
        typography("réuni le 6 février 2024 ; le 1er mars 2025")
        == "réuni le 6\u00a0février\u00a02024\u202f; le 1er\u00a0mars\u00a02025"
    )
