"""Frames (référentiels): the shipped ones valid, a project's own read and checked, a fiche pointing to two of them,
`stspd referentiels` listing them, and the move of a strategy's links from one frame to another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import edit, only_problem, problems_of, run
from docx import Document

from stspd.check import schemas
from stspd.check.validation import validate
from stspd.load.catalogue import shipped_frames
from stspd.resources import data_dir

FICHE = "actions/1.1.1.yaml"
PDPD = """\
# yaml-language-server: $schema=../schemas/referentiel.schema.json
id: pdpd-loire
titre: Plan départemental de prévention de la délinquance de la Loire 2024-2027
titre_court: PDPD Loire
type: departemental
periode: {debut: 2024, fin: 2027}
statut: publie
source: Arrêté préfectoral du 12 mars 2024
axes:
  - numero: 1
    titre: Prévenir la délinquance des mineurs
    mesures:
      - {numero: 1, titre: Des ateliers citoyens dans chaque école}
  - numero: 2
    titre: Protéger les victimes de violences intrafamiliales
"""


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _with_frame(root: Path, text: str = PDPD, name: str = "pdpd-loire.yaml") -> Path:
    (root / "referentiels").mkdir(exist_ok=True)
    path = root / "referentiels" / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("path", sorted((data_dir() / "referentiels").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shipped_frame_passes_its_schema_and_is_named_after_its_id(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(schemas.validator("referentiel").iter_errors(data)) == []
    assert data["id"] == path.stem


def test_the_shipped_frames_are_the_snpd_2020_2024_and_the_provisional_2025_2030():
    old, new = shipped_frames()["snpd-2020-2024"], shipped_frames()["snpd-2025-2030"]
    assert (old.statut, old.nombre_mesures, sorted(old.axes)) == ("publie", 40, [1, 2, 3, 4])
    assert sorted(old.mesures) == list(range(1, 15)) and {axe for axe, _ in old.mesures.values()} == {1}
    assert old.measure_title(14) == "Évaluer" and not old.complete
    assert new.provisoire and new.mesures == {} and new.complete
    assert new.axes[1] == "Restaurer l'autorité pour mieux prévenir la délinquance des jeunes" and len(new.axes) == 5


def test_a_project_frame_is_read_and_a_fiche_may_point_to_it(project):
    _with_frame(project)
    edit(project / FICHE, "pilote: ville", "pilote: ville\nmesures_nationales: [{strategie: pdpd-loire, axe: 1, mesure: 1}]")
    assert problems_of(project) == []


def test_a_project_frame_with_a_schema_error_is_said_at_its_line_and_column_in_french(project):
    _with_frame(project, PDPD.replace("statut: publie", "statut: adopte"))
    edit(project / FICHE, "pilote: ville", "pilote: ville\nmesures_nationales: [{strategie: pdpd-loire, axe: 1}]")
    result = validate(project)
    [problem] = result.errors  # the link to it is not checked, rather than said unknown
    assert (Path(problem.file).name, problem.line, problem.column) == ("pdpd-loire.yaml", 7, 9)
    assert "« adopte » n'est pas une valeur admise" in problem.message and "publie, provisoire" in problem.message
    assert any("pdpd-loire" in skipped.check for skipped in result.skipped)


def test_a_project_frame_may_not_take_a_shipped_id(project):
    _with_frame(project, PDPD.replace("id: pdpd-loire", "id: snpd-2025-2030"), "snpd-2025-2030.yaml")
    p = only_problem(project, "referentiels")
    assert (p.line, p.column) == (2, 5)
    assert "« snpd-2025-2030 » est celui d'un référentiel livré avec stspd" in p.message


def test_two_project_frames_with_one_id_and_a_measure_numbered_twice(project):
    _with_frame(project)
    twice = PDPD.replace(
        "    titre: Protéger les victimes de violences intrafamiliales",
        "    titre: Protéger\n    mesures: [{numero: 1, titre: Un double}]",
    )
    _with_frame(project, twice, "pdpd-copie.yaml")
    messages = sorted(p.message for p in problems_of(project))
    assert messages == [
        "mesure 1 en double dans ce référentiel (déjà dans l'axe 1) : une mesure porte un numéro unique dans tout le référentiel",
        f"référentiel « pdpd-loire » en double (déjà : {project / 'referentiels' / 'pdpd-copie.yaml'})",
    ]


def test_a_fiche_pointing_to_two_frames_shows_both_in_its_table_and_in_the_annex(sample_copy, tmp_path):
    _with_frame(sample_copy)
    edit(
        sample_copy / "actions" / "1.1.1.yaml",
        "  - {strategie: snpd-2020-2024, axe: 1, mesure: 4}",
        "  - {strategie: snpd-2020-2024, axe: 1, mesure: 4}\n  - {strategie: pdpd-loire, axe: 1, mesure: 1}",
    )
    assert run("build", sample_copy, "--format", "docx", "--sortie", tmp_path).exit_code == 0
    document = Document(str(tmp_path / "strategie.docx"))
    cells = [[_plain(c.text) for c in row.cells] for table in document.tables for row in table.rows]
    assert ["PDPD Loire", "Axe 1, mesure 1 : Des ateliers citoyens dans chaque école"] in cells
    assert any(row[0] == "SNPD 2020–2024" and "mesure 4" in row[1] for row in cells)
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    start = headings.index(("Heading 2", "Articulation avec les stratégies et plans de référence"))
    annex = headings[start + 1 :]
    assert annex[0] == ("Heading 3", "Stratégie nationale de prévention de la délinquance 2020–2024")
    assert ("Heading 3", "Plan départemental de prévention de la délinquance de la Loire 2024–2027") in annex
    assert annex[-1] == ("Heading 4", "Axe départemental 1 · Prévenir la délinquance des mineurs")
    text = _plain(" ".join(p.text for p in document.paragraphs))
    assert "Son axe sans déclinaison locale : axe 2 · Protéger les victimes de violences intrafamiliales." in text
    assert "Chacun de ses 4 axes a au moins une déclinaison locale." in text
    assert ["Mesure 1 : Des ateliers citoyens dans chaque école", "Fiche 1.1.1"] in cells


def test_the_command_lists_the_shipped_frames_and_the_projects(project):
    _with_frame(project)
    result = run("referentiels", project)
    assert result.exit_code == 0
    assert "pdpd-loire · Plan départemental de prévention de la délinquance de la Loire 2024-2027" in result.output
    assert "  plan départemental, 2024-2027, publié ; referentiels/pdpd-loire.yaml" in result.output
    assert "    14. Évaluer\n" in result.output and "  40 mesures, dont 14 de titre connu" in result.output
    listed = json.loads(run("referentiels", "liste", project, "--format", "json").output)
    assert [f["id"] for f in listed["referentiels"]] == ["snpd-2020-2024", "snpd-2025-2030", "pdpd-loire"]
    assert listed["referentiels"][1]["statut"] == "provisoire" and listed["problemes"] == []


def test_the_command_says_a_project_frame_it_cannot_list(project):
    _with_frame(project, PDPD.replace("type: departemental", "type: regional"))
    result = run("referentiels", project)
    assert "pdpd-loire ·" not in result.output and "1 erreur : ces référentiels du projet ne sont pas listés." in result.output
    assert "pdpd-loire.yaml:5:7" in result.output
    assert result.exit_code == 1
    listed = json.loads(run("referentiels", "liste", project, "--format", "json").output)
    assert [(Path(p["file"]).name, p["line"]) for p in listed["problemes"]] == [("pdpd-loire.yaml", 5)]


@pytest.mark.parametrize(
    ("text", "place", "said"),
    [
        (PDPD.replace("statut: publie", "statut: [publie"), "pdpd-loire.yaml:7:9:", "crochet"),
        (PDPD.replace("Loire 2024", "Loire\x00 2024"), "pdpd-loire.yaml:3:", "NUL"),
    ],
    ids=["yaml", "nul"],
)
def test_a_project_frame_that_cannot_be_read_is_said_and_fails_the_listing(project, text, place, said):
    _with_frame(project, text)
    result = run("referentiels", project)
    assert result.exit_code == 1, result.output
    assert place in result.output and "1 erreur : ces référentiels du projet ne sont pas listés." in result.output
    assert said in result.output
    assert run("referentiels", "liste", project, "--format", "json").exit_code == 1


MAPPING = """\
# De la SNPD 2020-2024 à la 2025-2030 (axes annoncés)
de: snpd-2020-2024
vers: snpd-2025-2030
correspondances:
  - ancien: {axe: 1}
    nouveau: [{axe: 1}]
  - ancien: {axe: 1, mesure: 7}
    nouveau: [{axe: 1}, {axe: 4}]
  - ancien: {axe: 4}
    nouveau: [{axe: 5}]
"""


def _sample_links(root: Path) -> dict[str, list]:
    found = {}
    for path in sorted((root / "actions").glob("*.yaml")):
        found[path.name] = yaml.safe_load(path.read_text(encoding="utf-8")).get("mesures_nationales", [])
    return found


def test_a_dry_run_says_each_link_and_writes_nothing(sample_copy, tmp_path):
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    before = {p: p.read_bytes() for p in sample_copy.rglob("*.yaml")}
    result = run("referentiels", "migrer", sample_copy, "--correspondance", mapping, "--simulation")
    assert result.exit_code == 0, result.output
    assert {p: p.read_bytes() for p in sample_copy.rglob("*.yaml")} == before
    lines = result.output.splitlines()
    fiche = f"{sample_copy / 'actions' / '1.3.2.yaml'}, ligne 6 : "
    assert fiche + "snpd-2020-2024 axe 1 mesure 7 → snpd-2025-2030 axe 1 et snpd-2025-2030 axe 4" in lines
    assert (
        f"{sample_copy / 'actions' / '1.1.2.yaml'}, ligne 6 : snpd-2020-2024 axe 1 mesure 4 → snpd-2025-2030 axe 1 (par la correspondance de son axe)"
        in lines
    )
    unmapped = [line for line in lines if line.endswith("aucune correspondance, lien laissé tel quel")]
    assert (
        f"{sample_copy / 'actions' / '3.1.1.yaml'}, ligne 6 : snpd-2020-2024 axe 3 : aucune correspondance, lien laissé tel quel"
        in unmapped
    )
    assert lines[-1].endswith("liens sans correspondance ; --simulation : rien n'a été écrit.")


def test_the_move_rewrites_exactly_the_links_and_keeps_the_rest_of_the_text(sample_copy, tmp_path):
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    fiche = sample_copy / "actions" / "1.3.2.yaml"
    edit(
        fiche,
        "  - {strategie: snpd-2020-2024, axe: 1, mesure: 7}",
        "  - strategie: snpd-2020-2024  # parentalité\n    axe: 1\n    mesure: 7",
    )
    before = {p: p.read_text(encoding="utf-8") for p in sample_copy.rglob("*.yaml")}
    old_links = _sample_links(sample_copy)
    result = run("referentiels", "migrer", sample_copy, "--correspondance", mapping)
    assert result.exit_code == 0, result.output
    after = {p: p.read_text(encoding="utf-8") for p in sample_copy.rglob("*.yaml")}
    changed = {p.name for p in after if after[p] != before[p]}
    new_links = _sample_links(sample_copy)
    for name, links in old_links.items():
        for link in links:
            assert link["axe"] in (1, 2, 3, 4)
        kept = [link for link in links if link["axe"] in (2, 3)]
        assert [link for link in new_links[name] if link["strategie"] == "snpd-2020-2024"] == kept, name
    # the fiches with a link to axe 1 or 4, and the strategy's axes 1 and 4
    assert {name for name, links in old_links.items() if any(link["axe"] in (1, 4) for link in links)} | {
        "strategie.yaml"
    } == changed
    # a block-style link keeps its comment; the added link follows it as a list item
    assert "  - strategie: snpd-2025-2030  # parentalité\n    axe: 1\n  - {strategie: snpd-2025-2030, axe: 4}\n" in after[fiche]
    # only the links' lines changed
    for path, text in after.items():
        old_lines, new_lines = before[path].splitlines(), text.splitlines()
        assert [line for line in old_lines if "snpd" not in line and "mesure:" not in line and "axe:" not in line] == [
            line for line in new_lines if "snpd" not in line and "mesure:" not in line and "axe:" not in line
        ]
    assert "liens réécrits et 12 doublons retirés dans 16 fichiers" in result.output
    assert validate(sample_copy).errors == []


def test_a_mapping_to_an_axe_the_new_frame_lacks_is_refused_at_its_line(sample_copy, tmp_path):
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(MAPPING.replace("nouveau: [{axe: 5}]", "nouveau: [{axe: 6}]"), encoding="utf-8")
    before = {p: p.read_bytes() for p in sample_copy.rglob("*.yaml")}
    result = run("referentiels", "migrer", sample_copy, "--correspondance", mapping)
    assert result.exit_code == 1
    assert "correspondance.yaml:10:" in result.output and "n'a pas d'axe 6" in result.output
    assert {p: p.read_bytes() for p in sample_copy.rglob("*.yaml")} == before


def test_links_that_become_one_are_kept_once_and_the_removal_is_said(sample_copy, tmp_path):
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    fiche = sample_copy / "actions" / "1.1.1.yaml"
    # a block list (1.1.1) and a flow list holding a link to the new frame already (1.1.2)
    edit(
        fiche,
        "  - {strategie: snpd-2020-2024, axe: 1, mesure: 5}",
        "  - strategie: snpd-2020-2024  # note\n    axe: 1\n    mesure: 5",
    )
    other = sample_copy / "actions" / "1.1.2.yaml"
    text = other.read_text(encoding="utf-8")
    start = text.index("mesures_nationales:")
    end = text.index("\n", text.index("mesure: 6}", start)) + 1
    other.write_text(
        text[:start]
        + "mesures_nationales: [{strategie: snpd-2020-2024, axe: 1, mesure: 4}, {strategie: snpd-2025-2030, axe: 1}]\n"
        + text[end:],
        encoding="utf-8",
    )
    result = run("referentiels", "migrer", sample_copy, "--correspondance", mapping)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(fiche.read_text(encoding="utf-8"))["mesures_nationales"] == [{"strategie": "snpd-2025-2030", "axe": 1}]
    assert "# note" not in fiche.read_text(encoding="utf-8")
    assert "mesures_nationales:\n  - {strategie: snpd-2025-2030, axe: 1}\nconstats:" in fiche.read_text(encoding="utf-8")
    assert "mesures_nationales: [{strategie: snpd-2025-2030, axe: 1}]\n" in other.read_text(encoding="utf-8")
    lines = result.output.splitlines()
    assert (
        f"{fiche}, ligne 10 : snpd-2020-2024 axe 1 mesure 5 → snpd-2025-2030 axe 1 (par la correspondance de son axe),"
        " déjà ligne 9 : lien retiré"
    ) in lines
    assert f"{other}, ligne 5 : snpd-2025-2030 axe 1 répète après réécriture celui de la ligne 5 : lien retiré" in lines
    assert "; snpd-2025-2030 axe 1, déjà ligne 356, n'est pas répété" in result.output  # 1.3: measures 6 and 7
    assert " et 12 doublons retirés dans " in lines[-1]
    assert validate(sample_copy).errors == []


def test_a_mapping_giving_one_old_axe_twice_is_refused_at_its_line(sample_copy, tmp_path):
    mapping = tmp_path / "correspondance.yaml"
    mapping.write_text(MAPPING + "  - ancien: {axe: 1, mesure: 7}\n    nouveau: [{axe: 2}]\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in sample_copy.rglob("*.yaml")}
    result = run("referentiels", "migrer", sample_copy, "--correspondance", mapping)
    assert result.exit_code == 1, result.output
    assert "correspondance.yaml:11:13: snpd-2020-2024 axe 1 mesure 7 a déjà sa correspondance ligne 7" in result.output
    assert {p: p.read_bytes() for p in sample_copy.rglob("*.yaml")} == before
