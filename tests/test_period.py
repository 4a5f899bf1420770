"""The bilan of the whole period: its content computed from the sample's evaluation files, and its documents
read back (one row per fiche with its état each year, the shares of fiches deployed, the indicators' last values)."""

from __future__ import annotations

import copy

import pytest
import yaml
from conftest import SAMPLE, run
from docx import Document

from stspd.commands.valid import valid_model
from stspd.evaluation import period
from stspd.model.vocabulary import STATE_LABELS


def _states_in_files() -> dict[int, dict[str, str]]:
    """Year → fiche → état, as the sample's evaluation files say it (read here without stspd's model)."""
    found = {}
    for path in sorted((SAMPLE / "evaluations").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found[data["annee"]] = {entry["fiche"]: entry["etat"] for entry in data["fiches"]}
    return found


@pytest.fixture(scope="module")
def view() -> dict:
    return valid_model(SAMPLE)[1]


@pytest.fixture(scope="module")
def content(view) -> dict:
    return period.period_content(view, 2025)


def test_each_fiche_has_its_state_each_year_as_the_files_say(view, content):
    files = _states_in_files()
    assert content["debut"] == 2024 and content["annees"] == [2024, 2025] == sorted(files)
    assert [t["fiche"]["id"] for t in content["trajectoires"]] == [f["id"] for a in view["axes"] for f in a["fiches"]]
    assert len(content["trajectoires"]) == 29
    for trajectory in content["trajectoires"]:
        fiche = trajectory["fiche"]["id"]
        assert trajectory["etats"] == [files[year].get(fiche, "non_evaluee") for year in (2024, 2025)]
        assert trajectory["final"] == trajectory["etats"][-1]


def test_the_shares_of_fiches_deployed_each_year(content):
    files = _states_in_files()
    for row in content["etats_par_annee"]:
        states = [files[row["annee"]].get(t["fiche"]["id"], "non_evaluee") for t in content["trajectoires"]]
        assert sum(row["etats"].values()) == 29
        assert row["deployees"] == pytest.approx(sum(s in ("realisee", "en_cours") for s in states) / 29)
    assert content["deployees"] == pytest.approx(27 / 29)  # 2025: 7 réalisées, 20 en cours
    assert content["realisees"] == pytest.approx(7 / 29)
    assert content["etats_finaux"] == {"realisee": 7, "en_cours": 20, "reportee": 1, "abandonnee": 1}


def test_an_abandoned_fiche_stays_abandoned_in_the_years_after(view):
    changed = copy.deepcopy(view)
    first, second = changed["evaluations"]
    fiche = second["fiches"][0]["fiche"]
    next(e for e in first["fiches"] if e["fiche"] == fiche)["etat"] = "abandonnee"  # abandoned in 2024, 2025 says nothing
    second["fiches"] = [e for e in second["fiches"] if e["fiche"] != fiche]
    trajectory = next(t for t in period.period_content(changed, 2025)["trajectoires"] if t["fiche"]["id"] == fiche)
    assert trajectory["etats"] == ["abandonnee", "abandonnee"] and trajectory["final"] == "abandonnee"


def test_an_indicator_is_judged_at_its_last_value(view, content):
    outcomes = {(o.fiche["id"], o.indicator["id"]): o for o in content["indicateurs"]}
    assert len(outcomes) == 81  # every indicator with a target
    # measured in 2024 and not in 2025: its 2024 value stands
    changed = copy.deepcopy(view)
    key = ("1.1.1", "classes")
    entry = next(e for e in changed["evaluations"][1]["fiches"] if e["fiche"] == key[0])
    entry["indicateurs"] = [v for v in entry["indicateurs"] if v["id"] != key[1]]
    later = {(o.fiche["id"], o.indicator["id"]): o for o in period.period_content(changed, 2025)["indicateurs"]}[key]
    assert (later.year, later.value) == (2024, 9) and (outcomes[key].year, outcomes[key].value) == (2025, 24)
    assert later.attainment == pytest.approx(9 / 40)  # from 0 (2023) to 40 (2028)
    assert later.verdict == "en_bonne_voie"  # 2024: 22.5 % of the way, 20 % of the time
    # abandoned 3.4.2's two and 4.3.1's triennial survey (no measure due in 2024 or 2025) are out of the counts
    assert sum(content["verdict_comptes"].values()) == 78
    assert content["hors_comptes"] == {"pas de mesure prévue cette année": 1, "fiche abandonnée": 2}


def test_the_period_judges_as_the_yearly_grid(view, content):
    """The same rule as the grid of the last year: an abandoned fiche's indicators abandoned, whatever they last
    measured; an indicator with no measure due not « non renseigné »; the others as the grid judged their value."""
    from stspd.evaluation import compute

    outcomes = {(o.fiche["id"], o.indicator["id"]): o for o in content["indicateurs"]}
    assert [(o.verdict, o.value) for k, o in outcomes.items() if k[0] == "3.4.2"] == [("abandonne", 8), ("abandonne", 4)]
    survey = outcomes["4.3.1", "sentiment"]
    assert (survey.verdict, survey.year, survey.value) == ("non_prevu", None, None)
    grid_2025 = {
        (r.fiche["id"], r.indicator["id"]): r.verdict for r in compute.indicator_years(view["fiches"], view["evaluations"], 2025)
    }
    differ = {k: (o.verdict, grid_2025[k]) for k, o in outcomes.items() if o.verdict != grid_2025[k]}
    # the one indicator measured in 2024 and not in 2025: judged at its 2024 value, where 2025's grid has none
    assert differ == {("2.2.1", "escroqueries"): ("en_retard", "non_renseigne")}
    assert outcomes["2.2.1", "escroqueries"].year == 2024


def test_the_period_up_to_the_first_year_holds_that_year_only(view):
    first = period.period_content(view, 2024)
    assert first["annees"] == [2024] and all(len(t["etats"]) == 1 for t in first["trajectoires"])
    assert [len(lesson["fiches"]) > 0 for lesson in first["lecons"]] == [True]


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    out = tmp_path_factory.mktemp("periode")
    result = run("bilan", SAMPLE, "--periode", "--format", "docx,pdf,html", "--sortie", out)
    assert result.exit_code == 0, result.output
    return out


def test_the_docx_has_a_row_per_fiche_with_its_state_each_year(documents):
    document = Document(str(documents / "bilan-periode-2024-2025.docx"))
    files = _states_in_files()
    rows = [
        [cell.text for cell in row.cells]
        for table in document.tables
        if [c.text for c in table.rows[0].cells] == ["N°", "Fiche", "2024", "2025"]
        for row in table.rows[1:]
    ]
    assert len(rows) == 29 and len({row[0] for row in rows}) == 29
    for fiche, _, in_2024, in_2025 in rows:
        assert in_2024 == STATE_LABELS[files[2024].get(fiche, "non_evaluee")]
        assert in_2025 == STATE_LABELS[files[2025].get(fiche, "non_evaluee")]
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "Synthèse",
        "Le parcours des fiches actions",
        "Les indicateurs en fin de période",
        "Les enseignements de chaque année",
    ]


def test_the_docx_says_the_shares_and_the_lessons(documents):
    document = Document(str(documents / "bilan-periode-2024-2025.docx"))
    text = "\n".join(p.text for p in document.paragraphs).replace("\u202f", " ").replace("\u00a0", " ")
    assert "En 2025, 93,1 % des fiches sont déployées (réalisées ou en cours), dont 24,1 % réalisées" in text
    per_year = next(t for t in document.tables if t.rows[0].cells[0].text == "Année")
    assert [[c.text.replace("\u202f", " ") for c in row.cells][-1] for row in per_year.rows[1:]] == ["82,8 %", "93,1 %"]
    # each year's synthesis, then the pilots' difficulties and next steps
    assert "Première année de mise en œuvre de la stratégie" in text and "Extension à l’ensemble des écoles" in text
    outcomes = [t for t in document.tables if t.rows[0].cells[-1].text == "Verdict"]
    assert sum(len(t.rows) - 1 for t in outcomes) == 81
    assert outcomes[0].rows[1].cells[4].text == "24 classes (2025)"  # the unit may go under its number…
    targets = [row.cells[3].text for row in outcomes[1].rows[1:]]
    assert "140 professionnels (2025)" in targets  # …which ran into the next column joined by a no-break space
    percent = next(row.cells[4].text for t in outcomes for row in t.rows[1:] if row.cells[4].text.startswith("78"))
    assert percent == "78\u202f% (2025)"  # « % » stays on its number's line
    verdicts = {row.cells[0].text + " " + row.cells[1].text: row.cells[-1].text for t in outcomes for row in t.rows[1:]}
    assert [v for k, v in verdicts.items() if k.startswith("3.4.2 ")] == ["fiche abandonnée"] * 2
    survey = next(v for k, v in verdicts.items() if k.startswith("4.3.1 ") and "se sentent en sécurité" in k)
    assert survey == "pas de mesure prévue cette année"
    counts = next(p.text for p in document.paragraphs if p.text.startswith("Indicateurs, à leur dernière valeur"))
    counts = counts.replace("\u202f", " ").replace("\u00a0", " ")
    assert "21 en retard ; 1 non renseigné." in counts
    assert "Hors des comptes : 1 indicateur « pas de mesure prévue cette année » ; 2 indicateurs « fiche abandonnée »." in counts
    # the abandonment's decision, under the table of its axe's fiches
    assert "3.4.2 : abandonnée (18 novembre 2025, CLSPD en formation restreinte : Refus du dispositif" in text, (
        "the decision is said"
    )


def test_the_period_bilan_comes_in_pdf_and_html(documents):
    from pypdf import PdfReader

    pages = [page.extract_text() for page in PdfReader(documents / "bilan-periode-2024-2025.pdf").pages]
    text = " ".join(pages)
    assert "Bilan 2024–2025" in text and "Le parcours des fiches actions" in text
    # the parts follow on the page: the synthesis and the fiches' course share one (it was 55 % blank)
    assert any("Synthèse" in page and "Le parcours des fiches actions" in page for page in pages[2:])
    html = (documents / "bilan-periode-2024-2025.html").read_text(encoding="utf-8")
    assert html.count('src="data:image/png;base64,') == 2  # the logo, the états per year


def test_the_period_bilan_is_byte_identical(documents, tmp_path):
    assert run("bilan", SAMPLE, "--periode", "--format", "docx,html", "--sortie", tmp_path).exit_code == 0
    for fmt in ("docx", "html"):
        name = f"bilan-periode-2024-2025.{fmt}"
        assert (tmp_path / name).read_bytes() == (documents / name).read_bytes()


def test_the_chart_has_a_bar_per_year_as_long_as_the_fiches(content):
    import io

    from PIL import Image
    from test_charts import _bars

    from stspd.render import charts

    image = Image.open(io.BytesIO(charts.states_per_year(content)))
    _, _, bars = _bars(image)
    assert len(bars) == 2  # 2024, 2025
    assert bars[0][1] == pytest.approx(bars[1][1], abs=3)  # 29 fiches each year, whatever their état
