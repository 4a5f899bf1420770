"""The SSMSI import: both commune layouts, the département file, BOM and gzip, withheld figures, zeros, dwellings'
rates, an EPCI, a re-import; and withheld figures printed apart from missing ones in every format."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE, edit, run

from stspd.exchange import ssmsi

DATA = Path(__file__).resolve().parent / "data" / "ssmsi"
CURRENT, OLDER, DEPARTMENTS = (
    DATA / n for n in ("base-communale-2025.csv", "base-communale-2024.csv", "base-departementale-2025.csv")
)


def _project(tmp_path: Path) -> Path:
    root = Path(shutil.copytree(SAMPLE, tmp_path / "valmont"))
    (root / "diagnostic" / "ssmsi.yaml").unlink()  # the sample's own import, made again by the tests
    return root


def _table(root: Path) -> dict:
    return yaml.safe_load((root / "diagnostic" / "ssmsi.yaml").read_text(encoding="utf-8"))["statistiques"][0]


def _row(table: dict, indicator: str) -> dict:
    return next(row for row in table["lignes"] if row["indicateur"] == indicator)


def test_a_commune_is_kept_with_its_withheld_figures_secret_and_its_rates(tmp_path):
    root = _project(tmp_path)
    result = run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "45999")
    assert result.exit_code == 0, result.output
    assert "15 indicateurs sur 5 années (2019–2023)" in result.output and "écrit" in result.output
    table = _table(root)
    assert table["annees"] == [2019, 2020, 2021, 2022, 2023] and table["origine"]["codes"] == ["45999"]
    assert table["populations"][2] == 60412 and table["logements"][0] == 31200
    arms = _row(table, "Vols avec armes")
    assert arms["valeurs"] == [11, 8, 9, "secret", "secret"] and arms["taux"][3:] == ["secret", "secret"]
    burglaries = _row(table, "Cambriolages de logement")
    assert burglaries["base_taux"] == "logements" and burglaries["taux"][0] == round(264 * 1000 / 31200, 2)
    assert _row(table, "Violences sexuelles")["unite"] == "Victime"
    assert _row(table, "Usage de stupéfiants (AFD)")["valeurs"][:2] == [None, None]  # not yet published: missing
    assert [row["indicateur"] for row in table["lignes"]][:3] == list(ssmsi.ORDER[:3])
    assert run("validate", root).exit_code == 0


def test_the_older_layout_gzip_and_a_bom_read_the_same_figures(tmp_path):
    root = _project(tmp_path)
    packed = tmp_path / "base.csv.gz"
    packed.write_bytes(gzip.compress(b"\xef\xbb\xbf" + OLDER.read_bytes()))
    assert run("diagnostic", "import-ssmsi", root, packed, "--commune", "45999").exit_code == 0
    older = _table(root)
    assert older["annees"] == [2019, 2020, 2021, 2022, 2023]  # « 19 » read as 2019
    assert _row(older, "Vols avec armes")["valeurs"] == [11, 8, 9, "secret", "secret"]
    assert "Usage de stupéfiants (AFD)" not in [row["indicateur"] for row in older["lignes"]]


def test_an_epci_sums_its_communes_and_a_withheld_part_withholds_the_sum(tmp_path):
    root = _project(tmp_path)
    edit(root / "strategie.yaml", '  type: commune\n  code_insee: "45999"', '  type: epci\n  code_insee: "244500000"')
    result = run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "45999", "--commune", "45001", "--commune", "45002")
    assert result.exit_code == 0, result.output
    # an EPCI's SIREN names no commune: what was read is said, for the town to check
    assert "Communes lues : 45999, 45001, 45002 (strategie.yaml ne donne pas le code INSEE d'une commune" in result.output
    table = _table(root)
    arms = _row(table, "Vols avec armes")
    assert arms["valeurs"][2:] == ["secret", "secret", "secret"]  # 45002 withheld from 2021: never its département mean
    assert table["populations"][0] == 60120 + 4120 + 2210
    assert "(3 communes)" in table["titre"]


def test_a_published_zero_stays_zero():
    extract = ssmsi.read(ssmsi.stream(CURRENT), {"45001"})
    series = extract.series["Trafic de stupéfiants"]
    assert series.count(2021, 1) == 0 and series.rate(2021, 1) == 0


def test_the_department_s_rates_are_set_beside(tmp_path):
    root = _project(tmp_path)
    assert run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "45999", "--departement", DEPARTMENTS).exit_code == 0
    comparison = _table(root)["comparaison"]
    assert comparison["territoire"] == "département 45" and len(comparison["lignes"]) == 15
    assert all(isinstance(rate, float) for row in comparison["lignes"] for rate in row["taux"])


def test_a_re_import_shows_what_changes_needs_force_and_keeps_the_town_s_comments(tmp_path):
    root = _project(tmp_path)
    assert run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "45999").exit_code == 0
    target = root / "diagnostic" / "ssmsi.yaml"
    text = target.read_text(encoding="utf-8").replace(
        "        valeurs: [57, 63, 76, 89, 97]\n", '        valeurs: [57, 63, 76, 89, 90]\n        commentaire: "Série revue"\n'
    )
    target.write_text(text + '    commentaire: "Notre lecture du tableau"\n', encoding="utf-8")
    before = target.read_bytes()
    dry = run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "45999", "--simulation")
    assert dry.exit_code == 0 and "Violences sexuelles, 2023 : 90 → 97" in dry.output and "rien n'a été écrit" in dry.output
    refused = run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "45999")
    assert refused.exit_code == 2 and "--force" in refused.output and target.read_bytes() == before
    assert run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "45999", "--force").exit_code == 0
    table = _table(root)
    assert _row(table, "Violences sexuelles")["valeurs"][-1] == 97
    assert (
        _row(table, "Violences sexuelles")["commentaire"] == "Série revue" and table["commentaire"] == "Notre lecture du tableau"
    )


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b'"a";"b"\n"1";"2"\n', "n'est pas celui d'un fichier du SSMSI"),
        (CURRENT.read_bytes().replace(b'"45999";"2021"', b'"45999";"deux"', 1), "ligne"),
        (gzip.compress(CURRENT.read_bytes())[:300], "le fichier compressé s'arrête avant sa fin (ligne"),
    ],
)
def test_a_file_that_is_not_the_ssmsi_s_is_refused_in_french(tmp_path, content, said):
    root = _project(tmp_path)
    bad = tmp_path / "base.csv"
    bad.write_bytes(content)
    result = run("diagnostic", "import-ssmsi", root, bad, "--commune", "45999")
    assert result.exit_code == 1 and said in result.output and "Traceback" not in result.output
    assert not (root / "diagnostic" / "ssmsi.yaml").exists()


def test_a_commune_absent_or_a_malformed_code_is_said(tmp_path):
    root = _project(tmp_path)
    absent = run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "12345")
    assert absent.exit_code == 1 and "aucune ligne pour 12345" in absent.output
    malformed = run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "4599")
    assert malformed.exit_code == 2 and "code INSEE" in malformed.output


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ssmsi")
    assert run("build", SAMPLE, "--format", "docx,odt,html,pdf,md", "--sortie", out).exit_code == 0
    return out


def test_withheld_figures_are_printed_apart_from_missing_ones_in_every_format(rendered):
    import zipfile

    from docx import Document
    from pypdf import PdfReader

    document = Document(str(rendered / "strategie.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "Unité de compte")
    arms = next(row for row in table.rows if row.cells[0].text == "Vols avec armes")
    assert [c.text for c in arms.cells[2:]] == ["11", "8", "9", "n.d.", "n.d.", "—"]
    texts = {
        "odt": zipfile.ZipFile(rendered / "strategie.odt").read("content.xml").decode(),
        "html": (rendered / "strategie.html").read_text(encoding="utf-8"),
        "md": (rendered / "strategie.md").read_text(encoding="utf-8"),
        "pdf": " ".join(page.extract_text() for page in PdfReader(rendered / "strategie.pdf").pages),
        "docx": "\n".join(p.text for p in document.paragraphs),
    }
    for kind, text in texts.items():
        assert "n.d." in text and "secret statistique" in text, kind
        assert "3,6" not in text.split("Taux pour 1")[0][-3000:], kind  # the département's mean never shown


def test_the_rates_print_as_published_with_the_populations_they_are_computed_on(rendered):
    """Two decimals where the SSMSI publishes two (0,18 / 0,13 / 0,15, not 0,2 / 0,1 / 0,2), the département's rate
    of the last year beside, and the inhabitants and dwellings of each year under the rates."""
    from docx import Document

    document = Document(str(rendered / "strategie.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text.startswith("Département"))
    rows = {row.cells[0].text: [c.text.replace("\u202f", " ") for c in row.cells[1:]] for row in table.rows[1:]}
    assert rows["Vols avec armes"] == ["0,18", "0,13", "0,15", "n.d.", "n.d.", "0,06"]
    assert rows["Cambriolages de logement (pour 1 000 logements)"][-2:] == ["7,54", "6,48"]
    assert rows["Vols sans violence contre des personnes"][-1] == "6,40"  # the département's at the row's precision
    assert rows["Population de référence (habitants)"] == ["60 120", "60 230", "60 412", "60 510", "60 600", ""]
    assert rows["Logements de référence"][0] == "31 200"


def test_the_diagnostic_draws_each_imported_indicator(rendered):
    from docx import Document

    html = (rendered / "strategie.html").read_text(encoding="utf-8").replace("\u00a0", " ").replace("\u202f", " ")
    assert html.count('alt="Évolution de « ') == 15  # every row has two published years or more
    assert 'alt="Évolution de « Vols avec armes » de 2019 à 2021"' in html  # the withheld years are not drawn
    assert len(Document(str(rendered / "strategie.docx")).inline_shapes) == 15 + 1  # and the cover's logo


def test_the_bilan_shows_the_recorded_delinquency_up_to_its_year(tmp_path):
    from stspd.render.filters import up_to

    assert run("bilan", SAMPLE, "--annee", "2024", "--format", "md", "--sortie", tmp_path).exit_code == 0
    text = (tmp_path / "bilan-2024.md").read_text(encoding="utf-8")
    section = text[text.index("## Délinquance enregistrée") : text.index("# Les indicateurs")]
    # 2024's figures come from evaluations/2024.yaml (tests/test_evaluation_delinquency.py), the diagnostic's stop in 2023
    assert "les chiffres publiés jusqu'en 2024\u202f; ceux de 2024 viennent de l'évaluation annuelle" in section
    assert "| Violences sexuelles | Victime | 57 | 63 | 76 | 89 | 97 | 104 | +82,5\u202f% |" in section
    table = {
        "annees": [2022, 2023, 2024],
        "lignes": [{"indicateur": "A", "valeurs": [1, "secret", 3], "taux": [0.1, "secret", 0.3]}],
        "comparaison": {"territoire": "département 45", "lignes": [{"indicateur": "A", "taux": [1.0, 2.0, 3.0]}]},
    }
    cut = up_to(table, 2023)
    assert cut["annees"] == [2022, 2023] and cut["lignes"][0]["taux"] == [0.1, "secret"]
    assert cut["comparaison"]["lignes"][0]["taux"] == [1.0, 2.0] and up_to(table, 2021) is None


def _padded(lines: int) -> bytes:
    """The current file with `lines` rows of another commune first: a failure far in, past the decoder's blocks."""
    header, _, rows = CURRENT.read_bytes().partition(b"\n")
    filler = b'"93048";"2019";"Violences physiques intrafamiliales";"Victime";"236";"2,15";"diff";"110000";"2021";"52000";"2021";"NA";"NA"\n'
    return header + b"\n" + filler * lines + rows


def test_a_gzip_cut_short_is_said_in_french_with_the_line_reached(tmp_path):
    root = _project(tmp_path)
    packed = gzip.compress(_padded(20_000))
    cut = tmp_path / "base.csv.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    result = run("diagnostic", "import-ssmsi", root, cut, "--commune", "45999")
    assert result.exit_code == 1 and "Traceback" not in result.output
    [said] = [line for line in result.output.splitlines() if "compressé" in line]
    reached = int(
        re.search(r"\(ligne ([\d\u202f\u00a0 ]+)\)", said).group(1).replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    )
    assert 2 < reached < 20_000  # within the file, where the archive ends: not the header, not the whole file
    assert said.startswith("le fichier compressé s'arrête avant sa fin") and "téléchargez-le à nouveau" in said
    assert "end-of-stream" not in result.output
    assert not (root / "diagnostic" / "ssmsi.yaml").exists()


def test_a_file_not_in_utf8_is_said_at_the_line_of_its_first_such_character(tmp_path):
    root = _project(tmp_path)
    text = _padded(1_000).decode("utf-8")
    expected = next(n for n, line in enumerate(text.splitlines(), start=1) if not line.isascii())
    latin = tmp_path / "base.csv"
    latin.write_bytes(text.encode("latin-1"))
    result = run("diagnostic", "import-ssmsi", root, latin, "--commune", "45999")
    assert result.exit_code == 1 and "codec" not in result.output and "Traceback" not in result.output
    said = next(line for line in result.output.splitlines() if "UTF-8" in line)
    assert re.match(r"ligne 1[\u202f\u00a0 ]?\d{3} : caractère non UTF-8 \(octet 0xE9, « é » en Windows-1252\)", said), said
    assert said.replace("\u202f", "").replace("\u00a0", "").startswith(f"ligne {expected} :")
    assert said.endswith("enregistrez le fichier en UTF-8")


def test_the_department_file_given_as_the_commune_file_and_the_reverse_are_named(tmp_path):
    root = _project(tmp_path)
    swapped = run("diagnostic", "import-ssmsi", root, DEPARTMENTS, "--commune", "45999")
    assert swapped.exit_code == 1 and "c'est la base départementale" in swapped.output
    assert "donnez-la avec --departement FICHIER" in swapped.output and "aucune ligne" not in swapped.output
    reverse = run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "45999", "--departement", CURRENT)
    assert reverse.exit_code == 1 and "c'est la base communale" in reverse.output
    assert not (root / "diagnostic" / "ssmsi.yaml").exists()


def test_a_commune_that_is_not_the_project_s_is_warned_of_and_named_in_the_title(tmp_path):
    root = _project(tmp_path)
    result = run("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "45001")
    assert result.exit_code == 0, result.output
    assert (
        "Attention : commune lue : 45001, mais le territoire de strategie.yaml est Valmont-sur-Loire (code_insee 45999)"
        in result.output
    )
    assert _table(root)["titre"] == "Délinquance enregistrée par la police et la gendarmerie nationales à la commune 45001"
    own = _project(tmp_path / "own")
    result = run("diagnostic", "import-ssmsi", own, CURRENT, "--commune", "45999")
    assert "Attention" not in result.output and "lue" not in result.output
    assert _table(own)["titre"].endswith(" à Valmont-sur-Loire")


def test_communes_of_two_departements_compared_with_one_are_warned_of(tmp_path):
    root = _project(tmp_path)
    edit(root / "strategie.yaml", '  type: commune\n  code_insee: "45999"', '  type: epci\n  code_insee: "244500000"')
    args = ("diagnostic", "import-ssmsi", root, CURRENT, "--commune", "45999", "--commune")
    result = run(*args, "93048", "--departement", DEPARTMENTS)
    assert result.exit_code == 0, result.output
    assert "Attention : les communes sont de 2 départements (45, 93) : leurs chiffres additionnés" in result.output
    assert _table(root)["comparaison"]["territoire"] == "département 45"
    same = run(*args, "45001", "--departement", DEPARTMENTS, "--force")
    assert same.exit_code == 0 and "départements" not in same.output
