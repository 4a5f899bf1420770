"""The round trip with the pilots: template → filled (as a pilot would, with openpyxl) → import → valid project."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import problems_of, run
from openpyxl import load_workbook


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
    fill(path, {(fiche, "État d'avancement"): "en cours", (fiche, "Valeur 2026"): "12,5", (fiche, "Dépenses (€)"): 1500,
                (fiche, "Réalisé en 2026"): "Douze séances."})
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
    old, new = yaml.safe_load(before), yaml.safe_load(target.read_text(encoding="utf-8"))
    changed = [e for e in new["fiches"] if e["fiche"] == "3.1.1"][0]
    assert changed["difficultes"] == "Nouveaux lieux de rodéos."
    assert [e for e in new["fiches"] if e["fiche"] != "3.1.1"] == [e for e in old["fiches"] if e["fiche"] != "3.1.1"]
    assert problems_of(sample_copy) == []


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"Valeur 2026": "douze"}, "cellule L2 : un nombre est attendu, « douze » trouvé"),
        ({"État d'avancement": "presque fini"}, "cellule J2 : un état de la liste est attendu"),
        ({"Suite proposée": "continuer"}, "cellule Q2 : une suite de la liste est attendue"),
        ({"Dépenses (€)": 100, "dont FIPD (€)": 200, "État d'avancement": "en cours"}, "cellule O2 : la part FIPD (200) dépasse les dépenses (100)"),
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
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profil", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=120)
    result = run("grid", "import", sample_copy, out / path.name)
    assert result.exit_code == 0, result.output
    written = yaml.safe_load((sample_copy / "evaluations" / "2026.yaml").read_text(encoding="utf-8"))
    assert written["fiches"][0]["etat"] == "realisee" and written["fiches"][0]["indicateurs"][0]["valeur"] == 7
