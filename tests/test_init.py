"""`stspd init`: a commune's or an EPCI's project that validates as it is, whatever name and period it accepted;
the options it refuses, at once; the .gitignore; and the bundled example, copied out of the installed package."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO, SAMPLE, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stspd.check import schemas
from stspd.check.validation import validate_project
from stspd.commands.errors import Misuse
from stspd.commands.init import create_example, create_project, example_dir

_WARNINGS = {"warning", "warnings", "avertissement", "avertissements", "attention"}


def errors_of(root: Path) -> list:
    """The project's problems but the warnings, if problems come to have a severity (« À rédiger » left in place)."""
    return [p for p in validate_project(root)[1] if str(getattr(p, "severity", "erreur")).lower() not in _WARNINGS]


def _yaml_texts(root: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.yaml")))


def _strategie(root: Path) -> dict:
    return yaml.safe_load((root / "strategie.yaml").read_text(encoding="utf-8"))


# --- What the scaffold says, for a commune and for an EPCI ---------------------------------------------------


def test_an_epci_gets_an_intercommunal_strategy(tmp_path):
    root = tmp_path / "cc"
    create_project(root, territoire="Communauté de communes du Val d'Oise", periode="2025-2030", kind="epci")
    assert errors_of(root) == []
    strategie = _strategie(root)
    territoire = strategie["territoire"]
    assert territoire["type"] == "epci" and len(territoire["communes"]) >= 2
    assert strategie["adoption"]["instance"] == "Conseil communautaire"
    assert strategie["adoption"]["signataires"][0] == {
        "institution": "Communauté de communes du Val d'Oise",
        "qualite": "Le Président de l'EPCI",
    }
    (pleniere,) = strategie["gouvernance"]["instances"]
    assert pleniere["nom"] == "CISPD en séance plénière" and pleniere["presidence"] == "Le Président de l'EPCI"
    assert {"id": "epci", "nom": "Communauté de communes du Val d'Oise", "type": "intercommunalite"} in strategie["partenaires"]
    assert "Président de l'EPCI" in strategie["textes"]["edito"]
    fiche = yaml.safe_load((root / "actions" / "1.1.1.yaml").read_text(encoding="utf-8"))
    assert fiche["pilote"] == "epci" and fiche["financements"][0]["source"] == "intercommunalite"
    # Nothing of a commune's wording, but where a member commune's mayor may be added (a comment).
    values = "\n".join(line.split("#")[0] for line in _yaml_texts(root).splitlines())
    for commune_only in ("Maire", "municipal", "CLSPD", "Commune de", "de la commune", "ville"):
        assert commune_only not in values, commune_only


def test_a_commune_keeps_its_clspd_and_its_mayor(tmp_path):
    root = tmp_path / "ville"
    create_project(root, territoire="Valmont", periode="2025-2030", kind="commune")
    assert errors_of(root) == []
    strategie = _strategie(root)
    assert "communes" not in strategie["territoire"]
    assert strategie["adoption"]["instance"] == "Conseil municipal"
    assert strategie["adoption"]["signataires"][0] == {"institution": "Commune de Valmont", "qualite": "Le Maire"}
    assert strategie["gouvernance"]["instances"][0]["nom"] == "CLSPD en séance plénière"
    text = _yaml_texts(root)
    for epci_only in ("EPCI", "CISPD", "communautaire", "intercommunalite", "communes membres"):
        assert epci_only not in text, epci_only


def test_the_default_kind_is_a_commune(tmp_path):
    create_project(tmp_path / "p", territoire="Valmont", periode="2025-2030")
    assert _strategie(tmp_path / "p")["territoire"]["type"] == "commune"


# --- Accepted inputs: the project validates and keeps the name as typed --------------------------------------

NAMES = [
    "Valmont-sur-Loire",
    "L'Haÿ-les-Roses",
    "Saint-Étienne-du-Rouvray",
    "Communauté d'agglomération « Cœur d'Essonne »",
    'Saint-Ouen "Nord": bourg',
    "Bourg: centre # ancien",
    "#1 Île-de-Ré",
    "- Tiret : deux-points",
    "'apostrophe' et \"guillemets\" \\ barre",
    "{{ jinja }} {% raw %} *Markdown* [lien](x)",
    "yes",
    "null",
    "2025",
    "Ωmega 東京 😀",
    "Nom\u00a0insécable\u202fet fine",
    "x" * 150,
]
PERIODS = {"2025-2030": (2025, 2030), "2025-2025": (2025, 2025), "1990-2100": (1990, 2100), " 2024 – 2028 ": (2024, 2028)}


@pytest.mark.parametrize("kind", ["commune", "epci"])
@pytest.mark.parametrize("name", NAMES)
def test_every_accepted_name_gives_a_valid_project(tmp_path, kind, name):
    root = tmp_path / "p"
    create_project(root, territoire=name, periode="2025-2030", kind=kind)
    assert errors_of(root) == []
    assert _strategie(root)["territoire"]["nom"] == name


@pytest.mark.parametrize("kind", ["commune", "epci"])
@pytest.mark.parametrize("periode", PERIODS)
def test_every_accepted_period_gives_a_valid_project(tmp_path, kind, periode):
    root = tmp_path / "p"
    create_project(root, territoire="Valmont", periode=periode, kind=kind)
    assert errors_of(root) == []
    assert tuple(_strategie(root)["periode"].values()) == PERIODS[periode]


def test_spaces_around_the_name_are_dropped(tmp_path):
    create_project(tmp_path / "p", territoire="  Valmont \u00a0", periode="2025-2030", kind="commune")
    assert _strategie(tmp_path / "p")["territoire"]["nom"] == "Valmont"


def test_a_folder_name_with_a_line_break_stays_in_its_comment(tmp_path):
    root = tmp_path / "a\ntitre: piege #"
    create_project(root, territoire="Valmont", periode="2025-2030", kind="epci")
    assert errors_of(root) == []
    assert _strategie(root)["titre"].startswith("Stratégie territoriale")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(max_size=160), kind=st.sampled_from(["commune", "epci"]))
def test_any_name_is_refused_at_once_or_validates(name, kind):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "p"
        try:
            create_project(root, territoire=name, periode="2025-2030", kind=kind)
        except Misuse as refusal:
            assert str(refusal).startswith("--territoire ") and not root.exists()
            return
        assert errors_of(root) == []
        assert _strategie(root)["territoire"]["nom"] == name.strip()


@settings(max_examples=60, deadline=None)
@given(first=st.integers(1900, 2200), last=st.integers(1900, 2200))
def test_any_period_is_refused_at_once_or_validates(first, last):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "p"
        accepted = 1990 <= first <= last <= 2100
        try:
            create_project(root, territoire="Valmont", periode=f"{first}-{last}", kind="commune")
        except Misuse as refusal:
            assert not accepted and str(refusal).startswith("--periode ") and not root.exists()
            return
        assert accepted and errors_of(root) == []


# --- Refused inputs: at once, in French, nothing written ------------------------------------------------------


@pytest.mark.parametrize(
    ("territoire", "said"),
    [
        ("", "--territoire est vide"),
        ("   ", "--territoire est vide"),
        ("\u00a0\u3000", "--territoire est vide"),
        ("x" * 151, "--territoire a 151 caractères : 150 au plus"),
        ("  " + "x" * 151 + "  ", "--territoire a 151 caractères"),
        ("Val\nmont", "caractère invisible ou de contrôle (U+000A, en position 4)"),
        ("Val\tmont", "(U+0009, en position 4)"),
        ("\x1b[31mRouge", "(U+001B, en position 1)"),
        ("Val\x85mont", "(U+0085"),
        ("Val\u2028mont", "(U+2028"),
        ("Val\u202emont", "(U+202E"),
        ("Val\u200bmont", "(U+200B"),
        ("\ufeffValmont", "(U+FEFF"),
        ("Val\udcffmont", "(U+DCFF"),  # a byte the terminal could not decode
        ("Val\uffffmont", "(U+FFFF"),
    ],
)
def test_a_bad_name_is_refused_before_anything_is_written(tmp_path, territoire, said):
    with pytest.raises(Misuse) as refusal:
        create_project(tmp_path / "p", territoire=territoire, periode="2025-2030", kind="epci")
    assert said in str(refusal.value)
    assert not (tmp_path / "p").exists()


@pytest.mark.parametrize(
    ("periode", "said"),
    [
        ("2030-2025", "--periode attend deux années dans l'ordre, ex. 2025-2030 : la fin (2025) précède le début (2030)"),
        ("1900-2100", "--periode : l'année 1900 est hors des années admises (1990 à 2100)"),
        ("2000-2200", "l'année 2200 est hors des années admises (1990 à 2100)"),
        ("1989-1995", "l'année 1989 est hors"),
        ("2095-2101", "l'année 2101 est hors"),
        ("2025", "--periode attend deux années AAAA-AAAA, ex. 2025-2030 (reçu « 2025 »)"),
        ("25-30", "(reçu « 25-30 »)"),
        ("", "--periode est vide : indiquez deux années AAAA-AAAA, ex. 2025-2030"),
        (" ", "--periode est vide"),
        ("2025-2030-2035", "attend deux années AAAA-AAAA"),
        ("２０２５-２０３０", "attend deux années AAAA-AAAA"),
        ("٢٠٢٥-٢٠٣٠", "attend deux années AAAA-AAAA"),
        ("2025-\x1b[2J2030", "(reçu « 2025-U+001B[2J2030 »)"),
    ],
)
def test_a_bad_period_is_refused_before_anything_is_written(tmp_path, periode, said):
    with pytest.raises(Misuse) as refusal:
        create_project(tmp_path / "p", territoire="Valmont", periode=periode, kind="commune")
    assert said in str(refusal.value)
    assert not (tmp_path / "p").exists()


def test_an_unknown_kind_is_refused(tmp_path):
    with pytest.raises(Misuse, match="--type attend « commune » \\(CLSPD\\) ou « epci » \\(CISPD\\), pas « ville »"):
        create_project(tmp_path / "p", territoire="Valmont", periode="2025-2030", kind="ville")
    assert not (tmp_path / "p").exists()


def test_the_command_line_says_a_refusal_and_exits_2(tmp_path):
    result = run("init", tmp_path / "p", "--territoire", " ", "--periode", "2025-2030", "--type", "epci")
    assert result.exit_code == 2 and "--territoire est vide" in result.output
    result = run("init", tmp_path / "p", "--territoire", "Valmont", "--periode", "1900-2100")
    assert result.exit_code == 2 and "hors des années admises (1990 à 2100)" in result.output
    assert not (tmp_path / "p").exists()


def test_the_bounds_are_the_schemas():
    common = schemas.load("commun")["$defs"]
    assert (common["annee"]["minimum"], common["annee"]["maximum"], common["nom"]["maxLength"]) == (1990, 2100, 150)


# --- The files written: .gitignore, evaluations/ kept in git -------------------------------------------------


def test_init_writes_a_gitignore_and_keeps_evaluations_and_frames(tmp_path):
    root = tmp_path / "p"
    written = create_project(root, territoire="Valmont", periode="2025-2030", kind="commune")
    assert {p.relative_to(root).as_posix() for p in written} == {
        "strategie.yaml",
        "diagnostic.yaml",
        "actions/1.1.1.yaml",
        ".gitignore",
        "evaluations/.gitkeep",
        "referentiels/.gitkeep",
        *(f"schemas/{name}.schema.json" for name in schemas.names()),
    }
    assert "schemas/referentiel.schema.json" in {p.relative_to(root).as_posix() for p in written}
    # the frame a strategy written from now on follows, where the file shows how to point to one
    assert "# mesures_nationales: [{strategie: snpd-2025-2030, axe: 1}]" in (root / "strategie.yaml").read_text(encoding="utf-8")
    lines = (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "dist/" in lines and "collecte-*.xlsx" in lines


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_leaves_out_the_documents_and_workbooks_and_keeps_evaluations(tmp_path):
    root = tmp_path / "p"
    create_project(root, territoire="Valmont", periode="2025-2030", kind="commune")
    (root / "dist").mkdir()
    (root / "dist" / "strategie.docx").write_bytes(b"x")
    (root / "collecte-2026.xlsx").write_bytes(b"x")
    (root / "~$collecte-2026.xlsx").write_bytes(b"x")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    status = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"], check=True, capture_output=True, text=True
    ).stdout
    listed = {line[3:] for line in status.splitlines()}
    assert "evaluations/.gitkeep" in listed and ".gitignore" in listed and "strategie.yaml" in listed
    assert not any("dist/" in name or "xlsx" in name for name in listed), listed


# --- The bundled example ---------------------------------------------------------------------------------------


def test_the_example_is_the_bundled_sample():
    assert example_dir().resolve() == SAMPLE.resolve()


def test_the_example_is_copied_whole_and_validates(tmp_path):
    root = tmp_path / "exemple"
    written = create_example(root)
    assert errors_of(root) == []
    sample_files = {p.relative_to(SAMPLE) for p in SAMPLE.rglob("*") if p.is_file()}
    copied = {p.relative_to(root) for p in written}
    assert sample_files <= copied
    assert copied - sample_files == {Path(".gitignore"), *(Path("schemas") / f"{n}.schema.json" for n in schemas.names())}
    assert (root / "logo.png").read_bytes() == (SAMPLE / "logo.png").read_bytes()
    assert _strategie(root) == yaml.safe_load((SAMPLE / "strategie.yaml").read_text(encoding="utf-8"))


def test_the_example_points_its_editor_to_its_own_schemas(tmp_path):
    root = tmp_path / "exemple"
    create_example(root)
    for path in root.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        declared = first.removeprefix("# yaml-language-server: $schema=")
        assert declared != first and (path.parent / declared).resolve().is_file(), path
        assert (path.parent / declared).resolve().parent == (root / "schemas").resolve()


def test_the_example_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("à garder", encoding="utf-8")
    with pytest.raises(Misuse, match="n'est pas vide : stspd init --exemple ne remplace aucun fichier"):
        create_example(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    (tmp_path / "fichier").write_text("", encoding="utf-8")
    with pytest.raises(Misuse):
        create_example(tmp_path / "fichier")


def test_the_example_goes_into_an_empty_folder(tmp_path):
    create_example(tmp_path)
    assert errors_of(tmp_path) == []


def test_the_wheel_ships_the_example_where_the_package_looks_for_it():
    """The wheel carries samples/valmont as stspd/samples/valmont, where resources.resource_dir looks first."""
    force_include = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]["targets"][
        "wheel"
    ]["force-include"]
    relative = SAMPLE.relative_to(REPO).as_posix()
    assert force_include[relative] == f"stspd/{relative}"
