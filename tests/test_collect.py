"""The round trip with the pilots: template → filled (as a pilot would, with openpyxl) → import → valid project."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE, edit, problems_of, run
from openpyxl import load_workbook

from stspd.load.document import parse_document


def template(project: Path, tmp_path: Path, year: int, *extra: str) -> Path:
    path = tmp_path / f"collecte-{year}.xlsx"
    result = run("grid", "template", project, "--year", str(year), "--output", path, *extra)
    assert result.exit_code == 0, result.output
    return path


def fill(path: Path, edits: dict[tuple[str, str], object]) -> None:
    """Write values as a pilot would: (fiche id, column title) → value, on the fiche's first row."""
    workbook = load_workbook(path)
    for sheet in workbook.worksheets[1:]:
        titles = [c.value for c in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            for (fiche, title), value in list(edits.items()):
                if row[0].value == fiche and title in titles:
                    row[titles.index(title)].value = value
                    del edits[(fiche, title)]
    assert not edits, f"not placed: {edits}"
    workbook.save(path)


def test_template_layout(sample_copy, tmp_path):
    path = template(sample_copy, tmp_path, 2026, "--par-pilote")
    workbook = load_workbook(path)
    guide = workbook.worksheets[0]
    assert guide.title == "Mode d'emploi" and guide["B3"].value == 2026 and guide.protection.sheet
    sheet = workbook.worksheets[1]
    titles = [c.value for c in sheet[1]]
    assert titles[:3] == ["N° fiche", "Fiche action", "Pilote"] and "Valeur 2026" in titles and "Valeur 2025" in titles
    assert sheet.protection.sheet and sheet.freeze_panes == "C2"
    identity, value = sheet.cell(2, 1), sheet.cell(2, titles.index("Valeur 2026") + 1)
    assert identity.protection.locked and not value.protection.locked
    kinds = sorted(v.type for v in sheet.data_validations.dataValidation)
    assert kinds == ["decimal", "decimal", "decimal", "list", "list"]
    assert len(workbook.worksheets) > 5  # one sheet per pilot


def test_template_of_one_pilot(sample_copy, tmp_path):
    workbook = load_workbook(template(sample_copy, tmp_path, 2026, "--pilote", "pm"))
    (sheet,) = workbook.worksheets[1:]
    assert {row[2].value for row in sheet.iter_rows(min_row=2)} == {"Police municipale de Valmont-sur-Loire"}
    assert run("grid", "template", sample_copy, "--year", "2026", "--pilote", "pmm").exit_code == 2


def test_round_trip_writes_a_valid_year_and_twice_changes_nothing(sample_copy, tmp_path):
    path = template(sample_copy, tmp_path, 2026)
    first = load_workbook(path).worksheets[1]
    titles = [c.value for c in first[1]]
    fiche = first.cell(2, 1).value
    fill(
        path,
        {
            (fiche, "État d'avancement"): "en cours",
            (fiche, "Valeur 2026"): "12,5",
            (fiche, "Dépenses (€)"): 1500,
            (fiche, "Réalisé en 2026"): "Douze séances.",
        },
    )
    assert titles.index("Valeur 2026") > 0
    result = run("grid", "import", sample_copy, path)
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((sample_copy / "evaluations" / "2026.yaml").read_text(encoding="utf-8"))
    (entry,) = written["fiches"]
    assert entry["fiche"] == fiche and entry["etat"] == "en_cours" and entry["moyens"] == {"montant": 1500}
    assert entry["indicateurs"][0]["valeur"] == 12.5 and entry["realise"] == "Douze séances."
    assert (sample_copy / "evaluations" / "2026.yaml").read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert problems_of(sample_copy) == []
    before = (sample_copy / "evaluations" / "2026.yaml").read_bytes()
    again = run("grid", "import", sample_copy, path)
    assert again.exit_code == 0 and "Rien à changer" in again.output
    assert (sample_copy / "evaluations" / "2026.yaml").read_bytes() == before


def test_existing_year_needs_force_and_merge_keeps_other_values(sample_copy, tmp_path):
    path = template(sample_copy, tmp_path, 2025)
    fill(path, {("3.1.1", "Difficultés"): "Nouveaux lieux de rodéos."})
    target = sample_copy / "evaluations" / "2025.yaml"
    before = target.read_bytes()
    dry = run("grid", "import", sample_copy, path, "--dry-run")
    assert dry.exit_code == 0 and "fiche 3.1.1 › difficultes" in dry.output and target.read_bytes() == before
    refused = run("grid", "import", sample_copy, path)
    assert refused.exit_code == 2 and "--force" in refused.output and target.read_bytes() == before
    forced = run("grid", "import", sample_copy, path, "--force")
    assert forced.exit_code == 0 and "1 changement" in forced.output
    # read as stspd reads them: a date typed unquoted (a decision's) is its text, as the file written quotes it
    old, new = (parse_document(raw, target, target.name).data for raw in (before, target.read_bytes()))
    changed = next(e for e in new["fiches"] if e["fiche"] == "3.1.1")
    assert changed["difficultes"] == "Nouveaux lieux de rodéos."
    assert [e for e in new["fiches"] if e["fiche"] != "3.1.1"] == [e for e in old["fiches"] if e["fiche"] != "3.1.1"]
    assert problems_of(sample_copy) == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"Valeur 2026": "douze"}, "cellule L2 : un nombre est attendu, « douze » trouvé"),
        ({"État d'avancement": "presque fini"}, "cellule J2 : un état de la liste est attendu"),
        ({"Suite proposée": "continuer"}, "cellule Q2 : une suite de la liste est attendue"),
        (
            {"Dépenses (€)": 100, "dont FIPD (€)": 200, "État d'avancement": "en cours"},
            "cellule O2 : la part FIPD (200\u00a0€) dépasse les dépenses (100\u00a0€)",
        ),
        ({"Réalisé en 2026": "Fait."}, "cellule J2 : l'état d'avancement de la fiche"),
    ],
)
def test_each_problem_names_its_sheet_and_cell(sample_copy, tmp_path, edit, message):
    path = template(sample_copy, tmp_path, 2026)
    fiche = load_workbook(path).worksheets[1].cell(2, 1).value
    fill(path, {(fiche, title): value for title, value in edit.items()})
    result = run("grid", "import", sample_copy, path)
    assert result.exit_code == 1 and f"Feuille Collecte, {message}" in result.output and "rien n'a été écrit" in result.output
    assert not (sample_copy / "evaluations" / "2026.yaml").exists()


def test_altered_or_unknown_ids_are_refused(sample_copy, tmp_path):
    path = template(sample_copy, tmp_path, 2026)
    workbook = load_workbook(path)
    sheet = workbook.worksheets[1]
    sheet["A2"], sheet["A5"] = "9.9.9", sheet["A8"].value  # an unknown fiche; a row moved to another fiche's id
    sheet["D11"] = "inconnu"
    sheet["J2"] = sheet["J5"] = sheet["J11"] = "en cours"
    workbook.save(path)
    result = run("grid", "import", sample_copy, path)
    assert result.exit_code == 1
    assert "cellule A2 : fiche action inconnue « 9.9.9 »" in result.output
    assert "cellule B5 : l'intitulé ne correspond pas à la fiche" in result.output
    assert "cellule D11 : la fiche" in result.output and "n'a pas d'indicateur « inconnu »" in result.output


def test_a_workbook_not_made_by_stspd_is_refused(sample_copy, tmp_path):
    from openpyxl import Workbook

    Workbook().save(tmp_path / "autre.xlsx")
    result = run("grid", "import", sample_copy, tmp_path / "autre.xlsx")
    assert result.exit_code == 1 and "ne vient pas de « stspd grid template »" in result.output
    (tmp_path / "faux.xlsx").write_text("pas un classeur", encoding="utf-8")
    assert run("grid", "import", sample_copy, tmp_path / "faux.xlsx").exit_code == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_workbook_resaved_by_libreoffice_imports(sample_copy, tmp_path):
    path = template(sample_copy, tmp_path, 2026)
    fiche = load_workbook(path).worksheets[1].cell(2, 1).value
    fill(path, {(fiche, "État d'avancement"): "réalisée", (fiche, "Valeur 2026"): 7})
    out = tmp_path / "libreoffice"
    converted = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profil",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    if not (out / path.name).exists() and b"could not be loaded" in converted.stderr:
        pytest.skip("LibreOffice is installed without Calc (libreoffice-calc), which reads workbooks")
    result = run("grid", "import", sample_copy, out / path.name)
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((sample_copy / "evaluations" / "2026.yaml").read_text(encoding="utf-8"))
    assert written["fiches"][0]["etat"] == "realisee" and written["fiches"][0]["indicateurs"][0]["valeur"] == 7


# The workbook comes back from outside: every hostile shape is refused at its cell, and nothing is written.


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    """The bytes of the sample's collection workbooks, by year (2025 is prefilled from its evaluation file)."""
    folder = tmp_path_factory.mktemp("templates")
    return {year: template(SAMPLE, folder, year).read_bytes() for year in (2025, 2026)}


def workbook(blank, tmp_path: Path, year: int = 2026) -> Path:
    path = tmp_path / f"collecte-{year}.xlsx"
    path.write_bytes(blank[year])
    return path


def edited(path: Path, change=None, **cells: object) -> Path:
    """The workbook after `change(sheet)` on its collection sheet, then `cells` typed (J2="en cours"), saved as a
    pilot's spreadsheet would save it."""
    book = load_workbook(path)
    sheet = book.worksheets[1]
    if change:
        change(sheet)
    for coordinate, value in cells.items():
        sheet[coordinate] = value
    book.save(path)
    return path


def rewrite_part(path: Path, part: str, change) -> Path:
    """The workbook with one part of its zip rewritten (`change` takes and gives bytes; None drops the part)."""
    with zipfile.ZipFile(path) as old:
        parts = [(name, old.read(name)) for name in old.namelist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts:
            data = change(data) if name == part else data
            if data is not None:
                new.writestr(name, data)
    return path


def raw_cell(path: Path, coordinate: str, xml: str, part: str = "xl/worksheets/sheet2.xml") -> Path:
    """A cell written as no openpyxl call writes it: a formula with its saved result, 1E999, NaN, an error."""

    def change(data: bytes) -> bytes:
        new, count = re.subn(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % coordinate.encode(), xml.encode(), data, count=1)
        assert count == 1, coordinate
        return new

    return rewrite_part(path, part, change)


def evaluation_files(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((project / "evaluations").iterdir())}


def refused(project: Path, path: Path, *messages: str):
    """The import (--force: an existing year may change) exits 1 with each French message and « rien n'a été
    écrit », no traceback, no file changed."""
    before = evaluation_files(project)
    result = run("grid", "import", project, path, "--force")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "rien n'a été écrit" in result.output and "Traceback" not in result.output
    for message in messages:
        assert message in result.output, result.output
    assert evaluation_files(project) == before
    return result


def test_template_writes_every_text_as_text_never_a_formula(sample_copy, tmp_path):
    title = '=HYPERLINK("http://exemple.invalid/","cliquez")'
    edit(
        sample_copy / "actions" / "1.1.1.yaml",
        "titre: Ateliers « Citoyens en herbe » dans les écoles élémentaires",
        f"titre: '{title}'",
    )
    edit(sample_copy / "evaluations" / "2025.yaml", "      Cycle complet", '      =WEBSERVICE("http://exemple.invalid/") Cycle')
    edit(
        sample_copy / "evaluations" / "2025.yaml",
        "difficultes: ",
        "difficultes: '@SUM(1) ' # ",
    )
    path = template(sample_copy, tmp_path, 2025)
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(re.search(rb"<(\w+:)?f[ >]", xml) for xml in sheets)
    sheet = load_workbook(path).worksheets[1]
    assert (sheet["B2"].value, sheet["B2"].data_type) == (title, "s")
    assert sheet["K2"].value.startswith('=WEBSERVICE("http://exemple.invalid/") Cycle') and sheet["K2"].data_type == "s"
    assert any(c.value == "@SUM(1)" for row in sheet.iter_rows() for c in row)
    assert run("grid", "import", sample_copy, path).exit_code == 0  # and such a title still reads back as itself


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("L", "nan"),
        ("L", "inf"),
        ("L", "1e999"),
        ("N", "NaN"),
        ("N", "-inf"),
        ("O", "1e999"),
        ("L", "1_000"),
        ("N", "1e20"),
        ("L", "2 000 000 000 000"),
    ],
)
def test_a_number_that_is_not_finite_is_refused_at_its_cell_as_text(blank, sample_copy, tmp_path, column, value):
    path = edited(workbook(blank, tmp_path), J2="en cours", **{f"{column}2": value})
    refused(sample_copy, path, f"Feuille Collecte, cellule {column}2 : un nombre est attendu")


@pytest.mark.parametrize("column", ["L", "N", "O"])
def test_a_number_that_is_not_finite_is_refused_at_its_cell_as_a_number(blank, sample_copy, tmp_path, column):
    path = edited(workbook(blank, tmp_path), J2="en cours")
    raw_cell(path, f"{column}2", f'<c r="{column}2" t="n"><v>1E999</v></c>')  # what Python reads as infinity
    refused(sample_copy, path, f"Feuille Collecte, cellule {column}2 : un nombre est attendu, « inf » trouvé")


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            {"N2": None, "O2": 9000},
            "cellule O2 : la part FIPD (9\u202f000\u00a0€) dépasse les dépenses déjà enregistrées (6\u202f800\u00a0€)",
        ),
        (
            {"N2": 500, "O2": None},
            "cellule N2 : les dépenses (500\u00a0€) sont inférieures à la part FIPD déjà enregistrée (2\u202f400\u00a0€)",
        ),
    ],
)
def test_fipd_above_the_recorded_spending_is_refused_at_its_cell(blank, sample_copy, tmp_path, cells, message):
    def prefilled(sheet):
        assert (sheet["A2"].value, sheet["N2"].value, sheet["O2"].value) == ("1.1.1", 6800, 2400)  # from 2025.yaml

    path = edited(workbook(blank, tmp_path, 2025), prefilled, **cells)  # an empty cell keeps the recorded amount
    refused(sample_copy, path, f"Feuille Collecte, {message}")


def test_a_formula_without_its_result_is_refused_and_one_with_its_result_is_read(blank, sample_copy, tmp_path):
    path = edited(workbook(blank, tmp_path), J2="en cours", L2="=12+1")  # openpyxl saves no result: it would read as empty
    refused(sample_copy, path, "Feuille Collecte, cellule L2 : une formule sans résultat")
    path = edited(workbook(blank, tmp_path), J2="en cours")
    raw_cell(path, "L2", '<c r="L2"><f>10+2</f><v>12</v></c>')  # as Excel or LibreOffice save it: with its result
    result = run("grid", "import", sample_copy, path)
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((sample_copy / "evaluations" / "2026.yaml").read_text(encoding="utf-8"))
    assert written["fiches"][0]["indicateurs"] == [{"id": "classes", "valeur": 12}]


def test_a_calculation_error_is_refused_at_its_cell(blank, sample_copy, tmp_path):
    path = edited(workbook(blank, tmp_path), J2="en cours")
    raw_cell(path, "N2", '<c r="N2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    refused(sample_copy, path, "Feuille Collecte, cellule N2 : la cellule affiche une erreur de calcul (« #DIV/0! »)")


def test_a_duplicated_row_is_refused_not_last_wins(blank, sample_copy, tmp_path):
    def copy_row_2(sheet):
        copy = sheet.max_row + 1
        for column in range(1, sheet.max_column + 1):
            sheet.cell(copy, column, sheet.cell(2, column).value)
        sheet.cell(copy, 12, 7)

    result = refused(
        sample_copy,
        edited(workbook(blank, tmp_path), copy_row_2, J2="en cours", L2=5),
        "la fiche 1.1.1, indicateur « classes », a déjà sa ligne (Feuille Collecte, ligne 2)",
    )
    assert re.search(r"Feuille Collecte, cellule A\d+ : la fiche 1\.1\.1", result.output)


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("E2", "Nombre d'élèves", "cellule E2 : le libellé de l'indicateur ne correspond pas à la fiche 1.1.1 : « Nombre de"),
        (
            "F2",
            "élèves",
            "cellule F2 : l'unité de l'indicateur ne correspond pas à la fiche 1.1.1 : « classes » attendu, « élèves »",
        ),
        ("B2", "Autre action", "cellule B2 : l'intitulé ne correspond pas à la fiche 1.1.1"),
        ("D2", None, "cellule D2 : la fiche 1.1.1 a des indicateurs : l'identifiant est effacé"),
        ("E1", "Libellé", "cellule E1 : la colonne « Indicateur » est attendue, « Libellé » trouvé"),
        ("J3", "réalisée", "cellule J3 : « État d'avancement » se saisit une fois par fiche, sur sa première ligne"),
    ],
)
def test_an_edited_locked_cell_is_refused_at_its_cell(blank, sample_copy, tmp_path, cell, value, message):
    path = edited(workbook(blank, tmp_path), J2="en cours", L2=5, **{cell: value})
    refused(sample_copy, path, f"Feuille Collecte, {message}")


def test_a_value_for_a_fiche_without_indicators_is_refused_not_lost(project, tmp_path):
    fiche = project / "actions" / "1.1.1.yaml"
    fiche.write_text(fiche.read_text(encoding="utf-8").split("indicateurs:")[0], encoding="utf-8")
    path = template(project, tmp_path, 2025)
    edited(path, J2="en cours", L2=12, M2="Estimé.")
    refused(
        project,
        path,
        "Feuille Collecte, cellule L2 : la fiche 1.1.1 n'a pas d'indicateur : cette saisie",
        "Feuille Collecte, cellule M2 : la fiche 1.1.1 n'a pas d'indicateur",
    )


def test_a_cell_text_never_reaches_the_terminal_raw(blank, sample_copy, tmp_path):
    flipped = "\u202ecinq\u202c"  # a bidirectional override reorders what the terminal shows

    result = refused(sample_copy, edited(workbook(blank, tmp_path), J2="en cours", L2=flipped), "« \\u202ecinq\\u202c » trouvé")
    assert "\u202e" not in result.output
    dry = run("grid", "import", sample_copy, edited(workbook(blank, tmp_path), J2="en cours", K2=f"Fait. {flipped}"), "--dry-run")
    assert dry.exit_code == 0 and "Fait. \\u202ecinq\\u202c" in dry.output and "\u202e" not in dry.output


def test_an_empty_value_keeps_the_recorded_one_even_with_a_comment(blank, sample_copy, tmp_path):
    def prefilled(sheet):
        assert (sheet["D2"].value, sheet["L2"].value) == ("classes", 24)

    path = edited(workbook(blank, tmp_path, 2025), prefilled, L2=None, M2="Chiffre de l'inspection.")
    result = run("grid", "import", sample_copy, path, "--force")
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((sample_copy / "evaluations" / "2025.yaml").read_text(encoding="utf-8"))
    assert written["fiches"][0]["indicateurs"][0] == {"id": "classes", "valeur": 24, "commentaire": "Chiffre de l'inspection."}


def test_the_merged_year_must_pass_the_whole_validation(blank, sample_copy, tmp_path):
    # A commune's stricter schema, named by the year file's first line, is part of the project's validation.
    strict = {
        "type": "object",
        "properties": {
            "fiches": {
                "type": "array",
                "items": {"type": "object", "properties": {"realise": {"type": "string", "maxLength": 1000}}},
            }
        },
    }
    (sample_copy / "evaluations" / "commune.schema.json").write_text(json.dumps(strict), encoding="utf-8")
    edit(
        sample_copy / "evaluations" / "2025.yaml",
        "$schema=../../../schemas/evaluation.schema.json",
        "$schema=commune.schema.json",
    )
    assert problems_of(sample_copy) == []
    path = edited(workbook(blank, tmp_path, 2025), K2="Des ateliers. " * 100)
    refused(sample_copy, path, "Feuille Collecte, cellule K2 : ")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("text", "ce n'est pas une archive .xlsx"),
        ("no workbook part", "une de ses parties manque (xl/workbook.xml)"),
        ("no sheet part", "le classeur n'a aucune feuille de collecte"),
        ("not a workbook", "le classeur n'est pas un fichier Excel (.xlsx) lisible"),
        ("truncated", "le classeur n'est pas un fichier Excel (.xlsx) lisible"),
        ("NaN", "Feuille Collecte, après la ligne 1 : le classeur n'est pas un fichier Excel (.xlsx) lisible"),
        ("year", "Feuille Mode d'emploi, cellule B3 : une année de la stratégie (2024-2028) est attendue, « inf » trouvé"),
    ],
)
def test_an_unreadable_workbook_is_said_in_french(blank, sample_copy, tmp_path, damage, message):
    path = workbook(blank, tmp_path)
    if damage == "text":
        path.write_text("N° fiche;Valeur\n1.1.1;12\n", encoding="utf-8")
    elif damage.startswith("no "):
        rewrite_part(path, "xl/workbook.xml" if damage == "no workbook part" else "xl/worksheets/sheet2.xml", lambda data: None)
    elif damage == "not a workbook":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("lisez-moi.txt", "bonjour")
    elif damage == "truncated":
        rewrite_part(path, "xl/worksheets/sheet2.xml", lambda data: data[: len(data) // 2])
    elif damage == "NaN":
        raw_cell(path, "L2", '<c r="L2" t="n"><v>NaN</v></c>')  # valid XML Schema, unreadable by openpyxl
    else:
        raw_cell(path, "B3", '<c r="B3" t="n"><v>1E999</v></c>', part="xl/worksheets/sheet1.xml")
    result = refused(sample_copy, path, message)
    assert not re.search(r"\b(File is|There is no|Error|error|Exception)\b", result.output)


def test_a_path_that_is_not_a_workbook_is_misuse(sample_copy, tmp_path):
    (tmp_path / "collecte.csv").write_text("N° fiche;Valeur\n", encoding="utf-8")
    result = run("grid", "import", sample_copy, tmp_path / "collecte.csv")
    assert result.exit_code == 2 and "n'est pas un classeur Excel (.xlsx)" in result.output
    assert run("grid", "import", sample_copy, tmp_path / "absent.xlsx").exit_code == 2


def bounded(project: Path, path: Path, message: str) -> None:
    """Refused in well under a second and a few MB: nothing the size of the sheet's declared extent is built."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        refused(project, path, message)
        elapsed, peak = time.perf_counter() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 2 and peak < 64 * 1024 * 1024, (elapsed, peak)  # before the bounds: 110 s and 4 GB


@pytest.mark.parametrize("dimension", ["declared", "lying", "missing"])
def test_a_cell_at_the_last_row_is_refused_at_once(blank, sample_copy, tmp_path, dimension):
    path = edited(workbook(blank, tmp_path), lambda sheet: sheet.cell(1_048_576, 1, "x"))
    assert path.stat().st_size < 32 * 1024
    if dimension != "declared":  # a dimension is optional, and nothing makes it true: the rows themselves are bounded
        ref = b"" if dimension == "missing" else b'<dimension ref="A1:R61"/>'
        rewrite_part(path, "xl/worksheets/sheet2.xml", lambda data: data.replace(b'<dimension ref="A1:R1048576"/>', ref))
    message = "s'étend sur A1:R1048576" if dimension == "declared" else "a des lignes au-delà de la ligne"
    bounded(sample_copy, path, f"Feuille Collecte : la feuille {message}")


def test_a_cell_at_the_last_column_is_refused_at_once(blank, sample_copy, tmp_path):
    path = edited(workbook(blank, tmp_path), lambda sheet: sheet.cell(2, 16_384, "x"))
    bounded(sample_copy, path, "Feuille Collecte : la feuille s'étend sur A1:XFD82")


@pytest.mark.parametrize("part", ["xl/worksheets/sheet2.xml", "xl/media/image1.png"])
def test_a_zip_bomb_is_refused_before_it_is_unpacked(blank, sample_copy, tmp_path, part):
    padding = b" " * (16 * 1024 * 1024)  # 16 MB that pack into 16 KB

    def inflate(data: bytes | None) -> bytes:
        return data.replace(b"</worksheet>", padding + b"</worksheet>") if data else padding

    path = workbook(blank, tmp_path)
    if part.endswith(".png"):
        with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(part, inflate(None))
    else:
        rewrite_part(path, part, inflate)
    assert path.stat().st_size < 200 * 1024
    bounded(sample_copy, path, "le classeur est trop volumineux (16,")


# What the import says: problems in the order of the cells, amounts and numbers the French way, choices read
# whatever their case and accents, counts agreed.


def test_problems_are_sorted_by_sheet_row_and_column_each_said_once():
    from stspd.exchange.collection import in_cell_order

    sheets = ["Mode d'emploi", "Zeta", "Alpha, cellule B2"]  # the workbook's order, not the alphabet's
    said = [
        "Feuille Alpha, cellule B2, cellule A2 : c",
        "Feuille Zeta, cellule AA2 : b",
        "Feuille Zeta, cellule B10 : e",
        "Feuille Zeta, cellule Z2 : a",
        "Feuille Zeta, cellule B9 : d",
        "Feuille Zeta, cellule Z2 : a",
        "Feuille Mode d'emploi, cellule B3 : année",
        "Feuille Zeta, après la ligne 9 : f",
        "Feuille Alpha, cellule B2 : toute la feuille",
        "le classeur est trop volumineux (40,0 Mo ; au plus 5,0 Mo pour cette collecte) : retirez-en les images",
        "Feuille Zeta, cellule AA2 : b",
    ]
    assert in_cell_order(said, sheets) == [
        "le classeur est trop volumineux (40,0 Mo ; au plus 5,0 Mo pour cette collecte) : retirez-en les images",
        "Feuille Mode d'emploi, cellule B3 : année",
        "Feuille Zeta, cellule Z2 : a",
        "Feuille Zeta, cellule AA2 : b",
        "Feuille Zeta, cellule B9 : d",
        "Feuille Zeta, après la ligne 9 : f",
        "Feuille Zeta, cellule B10 : e",
        "Feuille Alpha, cellule B2 : toute la feuille",
        "Feuille Alpha, cellule B2, cellule A2 : c",
    ]


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("Feuille ")]


def test_the_import_says_its_problems_in_cell_order(sample_copy, tmp_path):
    """The checks run fiche by fiche, the missing states last: what the coordinator reads follows the workbook."""
    path = template(sample_copy, tmp_path, 2026, "--par-pilote")
    book = load_workbook(path)
    first, second = book.worksheets[1], book.worksheets[2]
    second["J2"] = "fini"
    first["K5"] = "Trois séances."  # no state for 1.3.1, said at the end of the reading, at J5
    first["J2"], first["Q2"], first["N2"], first["O2"] = "en cours", "continuer", 100, 200
    first["L3"] = "douze"
    book.save(path)
    result = run("grid", "import", sample_copy, path)
    assert result.exit_code == 1, result.output
    cells = [re.match(r"Feuille (.+), cellule ([A-Z]+\d+) :", line).groups() for line in problem_lines(result.output)]
    assert cells == [
        (first.title, "O2"),
        (first.title, "Q2"),
        (first.title, "L3"),
        (first.title, "J5"),
        (second.title, "J2"),
    ]
    assert "5 problèmes dans" in result.output


def test_a_refused_state_is_said_once_at_its_cell(blank, sample_copy, tmp_path):
    result = refused(
        sample_copy,
        edited(workbook(blank, tmp_path), J2="realisé"),
        "Feuille Collecte, cellule J2 : un état de la liste est attendu (non engagée, en cours, réalisée, reportée, "
        "abandonnée), « realisé » trouvé ; vouliez-vous dire « réalisée » ?",
        "1 problème dans",
    )
    assert problem_lines(result.output) == [next(line for line in result.output.splitlines() if "cellule J2" in line)]


def test_a_choice_is_read_whatever_its_case_accents_and_spaces(sample_copy, tmp_path):
    path = template(sample_copy, tmp_path, 2026)
    typed = {
        "1.1.1": ("En cours", "Poursuivre"),
        "1.1.2": ("EN COURS", "ADAPTER"),
        "1.1.3": ("realisee", "arreter"),
        "1.2.1": ("réalisée", "Arrêter"),
        "1.2.2": ("Realisee", " poursuivre "),
        "1.3.1": ("Non-Engagée", None),
        "1.3.2": ("non_engagee", None),
        "1.4.1": ("  REPORTEE ", None),
        "1.4.2": ("Abandonnee", None),
    }
    edits: dict[tuple[str, str], object] = {(fiche, "État d'avancement"): state for fiche, (state, _) in typed.items()}
    edits |= {(fiche, "Suite proposée"): step for fiche, (_, step) in typed.items() if step}
    fill(path, edits)
    result = run("grid", "import", sample_copy, path)
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((sample_copy / "evaluations" / "2026.yaml").read_text(encoding="utf-8"))
    read = {e["fiche"]: (e["etat"], e.get("suite")) for e in written["fiches"]}
    assert read == {
        "1.1.1": ("en_cours", "poursuivre"),
        "1.1.2": ("en_cours", "adapter"),
        "1.1.3": ("realisee", "arreter"),
        "1.2.1": ("realisee", "arreter"),
        "1.2.2": ("realisee", "poursuivre"),
        "1.3.1": ("non_engagee", None),
        "1.3.2": ("non_engagee", None),
        "1.4.1": ("reportee", None),
        "1.4.2": ("abandonnee", None),
    }


def test_an_unknown_next_step_is_refused_with_a_suggestion(blank, sample_copy, tmp_path):
    refused(
        sample_copy,
        edited(workbook(blank, tmp_path), J2="en cours", Q2="poursuite"),
        "cellule Q2 : une suite de la liste est attendue (poursuivre, adapter, arrêter), « poursuite » trouvé ; "
        "vouliez-vous dire « poursuivre » ?",
    )


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({"N2": -15000}, "cellule N2 : un montant positif est attendu, « \u221215\u202f000\u00a0€ » trouvé"),
        ({"N2": "-1 200,5"}, "cellule N2 : un montant positif est attendu, « \u22121\u202f200,50\u00a0€ » trouvé"),
        ({"L2": 2e12}, "cellule L2 : un nombre est attendu, « 2\u202f000\u202f000\u202f000\u202f000 » trouvé"),
        (
            {"L2": "douze"},
            (
                "cellule L2 : un nombre est attendu, « douze » trouvé : écrivez-le en chiffres, sans unité (12 ou 12,5), "
                "entre \u22121\u202f000\u202f000\u202f000\u202f000 et 1\u202f000\u202f000\u202f000\u202f000"
            ),
        ),
        (
            {"N2": 15000, "O2": 15000.25},
            "cellule O2 : la part FIPD (15\u202f000,25\u00a0€) dépasse les dépenses (15\u202f000\u00a0€)",
        ),
    ],
)
def test_amounts_and_numbers_are_written_the_french_way_in_problems(blank, sample_copy, tmp_path, cells, message):
    result = refused(sample_copy, edited(workbook(blank, tmp_path), J2="en cours", **cells), f"Feuille Collecte, {message}")
    assert not re.search(r"\d\.\d|\d{4}", " ".join(problem_lines(result.output)).replace("2026", ""))


def test_changes_write_amounts_numbers_and_states_the_french_way(blank, sample_copy, tmp_path):
    path = edited(workbook(blank, tmp_path), J2="EN COURS", L2=12.5, N2=15000, O2="4 000,5", Q2="Arreter")
    result = run("grid", "import", sample_copy, path, "--simulation")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:6] == [
        "fiche 1.1.1 › etat : (vide) → « en cours »",
        "fiche 1.1.1 › indicateur classes › valeur : (vide) → « 12,5 »",
        "fiche 1.1.1 › moyens › dont_fipd : (vide) → « 4\u202f000,50\u00a0€ »",
        "fiche 1.1.1 › moyens › montant : (vide) → « 15\u202f000\u00a0€ »",
        "fiche 1.1.1 › suite : (vide) → « arrêter »",
        "5 changements ; --simulation : rien n'a été écrit.",
    ]


def test_changes_of_a_recorded_year_show_both_amounts_the_french_way(blank, sample_copy, tmp_path):
    path = edited(workbook(blank, tmp_path, 2025), N2=12500, L2=24.75)  # recorded: 6800 and 24
    result = run("grid", "import", sample_copy, path, "--simulation")
    assert result.exit_code == 0, result.output
    assert "fiche 1.1.1 › moyens › montant : « 6\u202f800\u00a0€ » → « 12\u202f500\u00a0€ »" in result.output
    assert "fiche 1.1.1 › indicateur classes › valeur : « 24 » → « 24,75 »" in result.output
    assert "2 changements ; --simulation" in result.output


def test_the_counts_the_import_says_are_agreed(blank, sample_copy, tmp_path):
    one = run("grid", "import", sample_copy, edited(workbook(blank, tmp_path), J2="en cours"))
    assert one.exit_code == 0 and "1 changement enregistré. Vérifiez" in one.output, one.output
    (sample_copy / "evaluations" / "2026.yaml").unlink()
    two = run("grid", "import", sample_copy, edited(workbook(blank, tmp_path), J2="en cours", N2=10))
    assert two.exit_code == 0 and "2 changements enregistrés. Vérifiez" in two.output, two.output
    refused(sample_copy, edited(workbook(blank, tmp_path), J2="x"), "\n1 problème dans")
    refused(sample_copy, edited(workbook(blank, tmp_path), J2="x", J5="y"), "\n2 problèmes dans")


def test_a_zip_bomb_of_one_part_is_said_in_the_singular(sample_copy, tmp_path):
    path = tmp_path / "collecte.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b" " * (16 * 1024 * 1024))
    refused(sample_copy, path, "une fois décompressé, en 1 partie ; au plus")


def test_how_an_indicator_is_counted_is_a_note_on_its_name(sample_copy, tmp_path):
    """The fiche's comment on an indicator reaches the pilot who measures it, as a note on the indicator's name (the
    columns stay where a returned workbook is read), and the workbook still imports."""
    path = template(sample_copy, tmp_path, 2026)
    sheet = load_workbook(path).worksheets[1]
    notes = {(row[0].value, cell.value): cell.comment.text for row in sheet.iter_rows(min_row=2) for cell in row if cell.comment}
    assert notes == {
        ("1.1.1", "Nombre d'élèves sensibilisés dans l'année"): "Un élève qui suit le cycle deux années de suite compte une fois",
        ("2.1.1", "Part des victimes de violences intrafamiliales reçues orientées vers un accompagnement"): (
            "Part des victimes reçues dans l'année, hors simples demandes d'information"
        ),
        ("2.2.1", "Nombre de seniors sensibilisés dans l'année"): (
            "Chaque senior compte une fois dans l'année, quel que soit le nombre de réunions suivies"
        ),
    }
    fill(path, {("1.1.1", "État d'avancement"): "en cours", ("1.1.1", "Valeur 2026"): 32})
    imported = run("grid", "import", sample_copy, path)
    assert imported.exit_code == 0, imported.output
