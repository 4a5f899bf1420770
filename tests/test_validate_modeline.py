"""The schema a file declares on its first line: a bundled one, or a file of the project; nothing else is read."""

from __future__ import annotations

import json
import os

import pytest
from conftest import edit, only_problem, problems_of, run

from stspd.check import schema

FICHE = "actions/1.1.1.yaml"
LINE = "$schema=../schemas/fiche.schema.json"
COLUMN = len("# yaml-language-server: $schema=") + 1


def declare(project, target: str) -> None:
    edit(project / FICHE, LINE, f"$schema={target}")


def refusal(project, target: str):
    declare(project, target)
    p = only_problem(project)
    assert (p.file, p.line, p.column, p.rule) == (str(project / FICHE), 1, COLUMN, "schema")
    assert p.source_line == f"# yaml-language-server: $schema={target}"
    return p.message


WHERE = "indiquez un schéma de stspd (../schemas/fiche.schema.json) ou un fichier du projet, par un chemin relatif au fichier"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/dev/zero", "schéma déclaré « /dev/zero » refusé : un chemin absolu mène hors du projet ; " + WHERE),
        ("/etc/passwd", "schéma déclaré « /etc/passwd » refusé : un chemin absolu mène hors du projet ; " + WHERE),
        (
            "C:\\schemas\\x.json",
            "schéma déclaré « C:\\schemas\\x.json » refusé : un chemin absolu mène hors du projet ; " + WHERE,
        ),
        ("file:///etc/passwd", "schéma déclaré « file:///etc/passwd » refusé : stspd ne lit pas d'adresse file:// ; " + WHERE),
        (
            "https://example.org/x.json",
            "schéma déclaré « https://example.org/x.json » inconnu : stspd ne télécharge rien ; " + WHERE,
        ),
        (
            "http://localhost/fiche.schema.json",
            "schéma déclaré « http://localhost/fiche.schema.json » inconnu : stspd ne télécharge rien ; " + WHERE,
        ),
        (
            "../absent.json",
            "schéma déclaré « ../absent.json » introuvable (stspd schema --output DOSSIER écrit les schémas de stspd)",
        ),
    ],
)
def test_a_declaration_outside_the_project_is_refused_at_its_line(project, target, message):
    assert refusal(project, target) == message


def test_a_file_outside_the_project_is_not_read(project, tmp_path):
    (tmp_path / "dehors.json").write_text('{"required": ["inconnu"]}', encoding="utf-8")
    assert refusal(project, "../../dehors.json").startswith(
        "schéma déclaré « ../../dehors.json » refusé : chemin qui mène hors du dossier du projet"
    )


def test_a_link_in_the_project_to_a_device_is_not_read(project):
    (project / "lien.json").symlink_to("/dev/zero")
    assert "lien symbolique qui mène hors du dossier du projet" in refusal(project, "../lien.json")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_not_opened(project):
    os.mkfifo(project / "tube.json")
    assert "ni fichier ni dossier (tube nommé" in refusal(project, "../tube.json")


def test_a_project_schema_is_bounded(project, monkeypatch):
    monkeypatch.setattr(schema, "MAX_SCHEMA_BYTES", 100_000)  # the bundled schemas' copies weigh up to 16 kB
    (project / "gros.json").write_text(json.dumps({"description": "x" * 200_000}), encoding="utf-8")
    assert refusal(project, "../gros.json") == "schéma déclaré « ../gros.json » refusé : trop volumineux : 100 ko au plus"


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (
            {"$ref": "https://example.org/s.json"},
            "refusé : il renvoie ($ref) à « https://example.org/s.json », que stspd ne télécharge ni ne lit",
        ),
        ({"properties": {"titre": {"$ref": "file:///etc/passwd#/x"}}}, "refusé : il renvoie ($ref) à « file:///etc/passwd#/x »"),
        # a relative reference resolved against the schema's $id: found only when the data reaches it
        (
            {"$id": "https://example.org/mine.json", "properties": {"titre": {"$ref": "autre.json"}}},
            "refusé : il renvoie ($ref) à « autre.json »",
        ),
        ([1], "illisible : un objet JSON ({…}) est attendu"),
        ({"type": 12}, "invalide : le mot-clé « anyOf » ne convient pas à JSON Schema 2020-12 (à type)"),
    ],
)
def test_a_project_schema_refers_to_nothing_foreign(project, schema, message):
    (project / "mien.json").write_text(json.dumps(schema), encoding="utf-8")
    assert refusal(project, "../mien.json").startswith(f"schéma déclaré « ../mien.json » {message}")


def test_a_project_schema_that_refers_to_itself_without_end(project):
    (project / "mien.json").write_text('{"$ref": "#"}', encoding="utf-8")
    assert refusal(project, "../mien.json") == "schéma déclaré « ../mien.json » refusé : il renvoie à lui-même sans fin ($ref)"


def test_a_project_schema_that_is_not_json(project):
    (project / "mien.json").write_text('{"type": \n', encoding="utf-8")
    assert refusal(project, "../mien.json") == "schéma déclaré « ../mien.json » illisible : JSON invalide à la ligne 2, colonne 1"


def test_a_project_schema_too_deep_for_python(project):
    (project / "mien.json").write_text('{"not": ' * 50_000 + "{}" + "}" * 50_000, encoding="utf-8")
    assert "imbriqué trop profondément" in refusal(project, "../mien.json")


def test_a_project_schema_may_use_the_bundled_ones(project):
    (project / "mien.json").write_text(
        json.dumps(
            {
                "$ref": "https://stspd.fr/schemas/1/fiche.schema.json",
                "properties": {"titre": {"$ref": "https://stspd.fr/schemas/1/commun.schema.json#/$defs/nom"}},
                "required": ["contexte"],
            }
        ),
        encoding="utf-8",
    )
    declare(project, "../mien.json")
    assert only_problem(project).message == "clé obligatoire « contexte » manquante"


@pytest.mark.parametrize(
    "target",
    [
        "../schemas/fiche.schema.json",
        "https://stspd.fr/schemas/1/fiche.schema.json",
        "../../../../schemas/fiche.schema.json",
        "fiche.schema.json",
    ],
)
def test_bundled_schemas_by_name_are_used_without_reading(project, target):
    declare(project, target)
    assert problems_of(project) == []


def test_a_bundled_name_pointing_out_of_the_project_is_not_read(project, tmp_path):
    (tmp_path / "fiche.schema.json").write_text('{"required": ["inconnu"]}', encoding="utf-8")
    declare(project, "../../fiche.schema.json")
    assert problems_of(project) == []


def test_a_declared_schema_problem_never_shows_a_traceback(project):
    declare(project, "/dev/zero")
    result = run("validate", project)
    assert result.exit_code == 1 and "Traceback" not in result.output and "refusé" in result.output
