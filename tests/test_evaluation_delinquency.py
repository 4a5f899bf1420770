"""The year's recorded delinquency attached to the evaluation (`delinquance` in evaluations/AAAA.yaml): its schema,
its rule, its import from the SSMSI's file (`stspd diagnostic import-ssmsi … --evaluation AAAA`), and the bilan that
shows it beside the diagnostic's years, read back from the Markdown and the DOCX."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE, edit, only_problem, problems_of, run

DATA = Path(__file__).resolve().parent / "data" / "ssmsi"
NEXT = DATA / "base-communale-2026.csv"  # the current layout, with 2024
CURRENT = DATA / "base-communale-2025.csv"  # to 2023 only
OLDER = DATA / "base-communale-2024.csv"  # the older layout, to 2023


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def _without_block(root: Path) -> tuple[Path, bytes]:
    """evaluations/2024.yaml without its delinquance block (the last in the sample's file), and its bytes."""
    target = root / "evaluations" / "2024.yaml"
    text = target.read_bytes()
    target.write_bytes(text[: text.index(b"delinquance:")])
    return target, target.read_bytes()


def _entry(target: Path) -> dict:
    return yaml.safe_load(target.read_text(encoding="utf-8"))["delinquance"][0]


def _line(entry: dict, indicator: str) -> dict:
    return next(line for line in entry["lignes"] if line["indicateur"] == indicator)


def _import(root: Path, source: Path, *options: str):
    return run("diagnostic", "import-ssmsi", root, source, "--commune", "45999", "--evaluation", "2024", *options)


# The schema


def test_the_sample_s_year_figures_are_valid_and_a_missing_figure_is_allowed(sample_copy):
    target = sample_copy / "evaluations" / "2024.yaml"
    edit(target, "sexuelles\n    valeur: 104\n    taux: 1.71\n", "sexuelles\n    valeur: ~\n    taux: ~\n")
    assert problems_of(sample_copy) == []


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("Violences sexuelles\n    valeur: 104\n", "Violences sexuelles\n    valeur: -4\n", "valeur"),
        ("Violences sexuelles\n    valeur: 104\n", 'Violences sexuelles\n    valeur: "n.d."\n', "valeur"),
        ("valeur: 104\n    taux: 1.71\n", "valeur: 104\n    taux: -1.71\n", "taux"),
        ("valeur: 104\n    taux: 1.71\n", "valeur: 104\n    taux: 1.71\n    unite: Victime\n", "clé inconnue « unite »"),
    ],
)
def test_the_schema_refuses_a_negative_or_unknown_figure_at_its_line(sample_copy, old, new, said):
    target = sample_copy / "evaluations" / "2024.yaml"
    edit(target, old, new)
    problem = only_problem(sample_copy, "schema")
    assert problem.file.endswith("evaluations/2024.yaml") and said in problem.message
    assert problem.line in (_line_of(target, new.splitlines()[-1].strip()), _line_of(target, new.splitlines()[-1].strip()) - 1)


# The rule


def test_an_unknown_table_is_said_at_its_line_with_the_closest_id(sample_copy):
    target = sample_copy / "evaluations" / "2024.yaml"
    edit(target, "- tableau: ssmsi-import\n", "- tableau: ssmsi-imprt\n")
    problem = only_problem(sample_copy, "delinquance")
    assert (problem.line, problem.column) == (_line_of(target, "tableau: ssmsi-imprt"), 12)
    assert "pas de tableau statistique « ssmsi-imprt » ; vouliez-vous dire « ssmsi-import » ?" in problem.message


def test_a_row_not_in_the_table_and_a_row_given_twice_are_said_at_their_lines(sample_copy):
    target = sample_copy / "evaluations" / "2024.yaml"
    edit(target, "  - indicateur: Cambriolages de logement\n", "  - indicateur: Cambriolage de logements\n")
    edit(target, "  - indicateur: Vols de véhicule\n", "  - indicateur: Violences sexuelles\n")
    found = sorted((p for p in problems_of(sample_copy) if p.rule == "delinquance"), key=lambda p: p.line)
    assert [p.line for p in found] == [
        _line_of(target, "indicateur: Cambriolage de logements"),
        [n for n, line in enumerate(target.read_text(encoding="utf-8").splitlines(), 1) if "Violences sexuelles" in line][1],
    ]
    assert "n'est pas une ligne du tableau « ssmsi-import » du diagnostic ; vouliez-vous dire « Cambriolages de logement » ?" in (
        found[0].message
    )
    first = _line_of(target, "indicateur: Violences sexuelles")
    assert f"« Violences sexuelles » est déjà donné ligne {first} ; une ligne par indicateur" in found[1].message


def test_a_table_given_twice_is_said(sample_copy):
    target = sample_copy / "evaluations" / "2024.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text + "- tableau: ssmsi-import\n  lignes:\n  - {indicateur: Violences sexuelles, valeur: 1}\n")
    problem = only_problem(sample_copy, "delinquance")
    assert problem.line == len(text.splitlines()) + 1
    assert f"déjà donnés ligne {_line_of(target, 'tableau: ssmsi-import')}" in problem.message


# The import into an evaluation


def test_the_import_writes_the_year_s_block_and_keeps_the_rest_of_the_file_byte_for_byte(sample_copy):
    target, before = _without_block(sample_copy)
    diagnostic = (sample_copy / "diagnostic" / "ssmsi.yaml").read_bytes()
    result = _import(sample_copy, NEXT)
    assert result.exit_code == 0, result.output
    assert "15 indicateurs en 2024 (tableau « ssmsi-import »)" in result.output
    assert target.read_bytes().startswith(before)
    assert (sample_copy / "diagnostic" / "ssmsi.yaml").read_bytes() == diagnostic  # the adopted diagnostic unchanged
    entry = _entry(target)
    assert entry["tableau"] == "ssmsi-import" and "base-communale-2026.csv" in entry["source"]
    assert _line(entry, "Violences physiques intrafamiliales") == {
        "indicateur": "Violences physiques intrafamiliales",
        "valeur": 392,
        "taux": 6.46,
    }
    # withheld: secret, never the département's mean the file gives in its place (3,9 ; 0,33)
    assert _line(entry, "Vols avec armes") == {"indicateur": "Vols avec armes", "valeur": "secret", "taux": "secret"}
    assert _line(entry, "Cambriolages de logement")["taux"] == 7.26  # per 1,000 dwellings
    assert problems_of(sample_copy) == []


def test_the_older_layout_gives_the_same_reading(sample_copy, tmp_path):
    target, before = _without_block(sample_copy)
    lines = OLDER.read_text(encoding="utf-8").splitlines()
    year_2024 = [line.replace('"45999";"23"', '"45999";"24"') for line in lines if line.startswith('"45999";"23"')]
    edition = tmp_path / "base-communale-2024-bis.csv"
    edition.write_text("\n".join([*lines, *year_2024]) + "\n", encoding="utf-8")
    result = _import(sample_copy, edition)
    assert result.exit_code == 0, result.output
    entry = _entry(target)
    assert target.read_bytes().startswith(before) and len(entry["lignes"]) == 14  # that layout has no AFD
    assert _line(entry, "Violences sexuelles") == {"indicateur": "Violences sexuelles", "valeur": 97, "taux": 1.6}
    assert _line(entry, "Vols avec armes")["valeur"] == "secret"


def test_a_re_import_needs_force_shows_its_changes_and_keeps_the_town_s_comment(sample_copy):
    target = sample_copy / "evaluations" / "2024.yaml"
    block = target.read_text(encoding="utf-8").index("delinquance:")
    # the block moved before the fiches, with a comment line after it: what follows it stays as it is too
    text = target.read_text(encoding="utf-8")
    head, tail = text[: text.index("fiches:\n")], text[text.index("fiches:\n") : block]
    moved = (
        head
        + text[block:].replace("intrafamiliales\n    valeur: 392\n", "intrafamiliales\n    valeur: 390\n")
        + "# Les fiches\n"
        + tail
    )
    target.write_text(moved, encoding="utf-8")
    before = target.read_bytes()
    dry = _import(sample_copy, NEXT, "--simulation")
    assert dry.exit_code == 0 and "Violences physiques intrafamiliales, 2024 : 390 → 392" in dry.output
    assert "rien n'a été écrit" in dry.output and target.read_bytes() == before
    refused = _import(sample_copy, NEXT)
    assert refused.exit_code == 2 and "--force" in refused.output and "Traceback" not in refused.output
    assert target.read_bytes() == before
    forced = _import(sample_copy, NEXT, "--force")
    assert forced.exit_code == 0 and "1 changement enregistré" in forced.output
    after = target.read_text(encoding="utf-8")
    assert after.startswith(head) and after.endswith("# Les fiches\n" + tail)
    line = _line(_entry(target), "Violences physiques intrafamiliales")
    assert line["valeur"] == 392 and line["commentaire"].startswith("La hausse traduit aussi")
    assert problems_of(sample_copy) == []
    again = _import(sample_copy, NEXT)
    assert again.exit_code == 0 and "Rien à changer" in again.output


@pytest.mark.parametrize(
    ("arguments", "code", "said"),
    [
        ((NEXT, "--evaluation", "2026"), 2, "evaluations/2026.yaml n'existe pas"),
        ((CURRENT, "--evaluation", "2024"), 1, "pas de chiffres de 2024 dans ce fichier (ses années : 2019–2023)"),
        ((NEXT, "--evaluation", "2024", "--departement", DATA / "base-departementale-2025.csv"), 2, "--departement"),
    ],
)
def test_what_cannot_be_imported_into_an_evaluation_is_said_and_nothing_written(sample_copy, arguments, code, said):
    before = {p: p.read_bytes() for p in sample_copy.rglob("*.yaml")}
    result = run("diagnostic", "import-ssmsi", sample_copy, *arguments, "--commune", "45999")
    assert result.exit_code == code and said in result.output and "Traceback" not in result.output
    assert {p: p.read_bytes() for p in sample_copy.rglob("*.yaml")} == before


def test_other_communes_than_the_diagnostic_s_are_refused(sample_copy):
    result = run("diagnostic", "import-ssmsi", sample_copy, NEXT, "--commune", "45001", "--evaluation", "2024", "--force")
    assert result.exit_code == 2 and "celui de 45999" in result.output


# The bilan


def _section(text: str) -> str:
    text = text.replace("\u202f", " ").replace("\u00a0", " ")
    return text[text.index("## Délinquance enregistrée") : text.index("# Les indicateurs")]


@pytest.fixture(scope="module")
def bilans(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bilans")
    for year in ("2024", "2025"):
        result = run("bilan", SAMPLE, "--annee", year, "--format", "md,docx", "--sortie", out)
        assert result.exit_code == 0, result.output
    return out


def test_the_bilan_2024_shows_the_evaluation_s_year_after_the_diagnostic_s(bilans):
    section = _section((bilans / "bilan-2024.md").read_text(encoding="utf-8"))
    assert (
        "les chiffres publiés jusqu'en 2024 ; ceux de 2024 viennent de l'évaluation annuelle, les précédents du diagnostic"
        in section
    )
    assert "ne le sont pas encore" not in section
    assert "| Indicateur | Unité de compte | 2019 | 2020 | 2021 | 2022 | 2023 | 2024 | Évolution 2019–2024 |" in section
    assert "| Vols avec armes | Infraction | 11 | 8 | 9 | n.d. | n.d. | n.d. | — |" in section
    assert "| Cambriolages de logement | Infraction | 264 | 208 | 192 | 221 | 239 | 231 | −12,5 % |" in section
    assert "| Violences physiques intrafamiliales | Victime | 262 | 291 | 318 | 347 | 375 | 392^1^ | +49,6 % |" in section
    assert "^1^ 2024, Violences physiques intrafamiliales : La hausse traduit aussi" in section
    assert "2024 : SSMSI, base statistique communale de la délinquance enregistrée, séries 2019–2024" in section


def test_the_bilan_2025_says_its_year_is_not_yet_published(bilans):
    section = _section((bilans / "bilan-2025.md").read_text(encoding="utf-8"))
    assert "les chiffres publiés jusqu'en 2024 (ceux de 2025 ne le sont pas encore) ; ceux de 2024 viennent" in section
    assert "| 2023 | 2024 | Évolution 2019–2024 |" in section and "| 2025 |" not in section


def test_the_bilan_docx_shows_the_2024_column_with_its_figures(bilans):
    from docx import Document

    document = Document(str(bilans / "bilan-2024.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Indicateur")
    header = [c.text for c in table.rows[0].cells]
    assert header[-2:] == ["2024", "Évolution 2019–2024"]
    rows = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert rows["Vols avec armes"][-2] == "n.d." and rows["Cambriolages de logement"][-2] == "231"
    assert rows["Violences physiques intrafamiliales"][-2].startswith("392")
    text = "\n".join(p.text for p in document.paragraphs).replace("\u202f", " ").replace("\u00a0", " ").replace("\u2019", "'")
    assert "ceux de 2024 viennent de l'évaluation annuelle, les précédents du diagnostic" in text


def test_the_strategy_s_diagnostic_chapter_does_not_show_the_evaluation_s_year(tmp_path):
    assert run("build", SAMPLE, "--format", "md", "--sortie", tmp_path).exit_code == 0
    text = next(tmp_path.glob("*.md")).read_text(encoding="utf-8")
    assert (
        "| 2019 | 2020 | 2021 | 2022 | 2023 | Évolution 2019–2023 |" in text and "392" not in text.split("Délinquance")[1][:4000]
    )


def test_a_local_table_of_periods_continues_with_the_period_ending_in_the_evaluated_year(sample_copy, tmp_path):
    target = sample_copy / "evaluations" / "2024.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(
        text
        + "- tableau: colleges\n  source: DSDEN, Faits établissement\n  lignes:\n"
        + "  - {indicateur: Exclusions temporaires de l'établissement, valeur: 377, commentaire: Un collège en travaux}\n",
        encoding="utf-8",
    )
    assert problems_of(sample_copy) == []
    assert run("bilan", sample_copy, "--annee", "2024", "--format", "md", "--sortie", tmp_path).exit_code == 0
    bilan = (tmp_path / "bilan-2024.md").read_text(encoding="utf-8").replace("\u202f", " ").replace("\u00a0", " ")
    section = bilan[bilan.index("## Incidents") :]
    assert (
        "En regard des actions de l'année : les chiffres jusqu'en 2023–2024 ; ceux de 2023–2024 viennent de l'évaluation annuelle, les précédents du diagnostic."
        in section
    )
    assert "| 2022–2023 | 2023–2024 | Évolution 2019–2020 à 2023–2024 |" in section
    assert "2023–2024, Exclusions temporaires de l'établissement : Un collège en travaux" in section
