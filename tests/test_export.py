"""`stspd export json`: the whole project in one JSON document that its own schema validates."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import SAMPLE, edit, run

from stspd.check import schemas


def test_the_export_holds_every_file_and_its_schema_validates_it():
    result = run("export", "json", SAMPLE)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert not list(schemas.validator("export").iter_errors(document))
    assert len(document["fiches"]) == len(list((SAMPLE / "actions").glob("*.yaml")))
    assert [e["annee"] for e in document["evaluations"]] == [2024, 2025]
    assert len(document["diagnostic"]) == 3  # diagnostic.yaml, then diagnostic/ssmsi.yaml and statistiques-locales.yaml
    assert document["strategie"]["adoption"]["date"] == "2024-03-14"  # a date stays its text
    assert run("export", "json", SAMPLE).output == result.output  # same project, same bytes


def test_an_invalid_project_exports_nothing_and_a_file_is_replaced_only_with_force(sample_copy, tmp_path):
    target = tmp_path / "strategie.json"
    target.write_text("{}", encoding="utf-8")
    refused = run("export", "json", sample_copy, "--sortie", target)
    assert refused.exit_code == 2 and "--force" in refused.output and target.read_text(encoding="utf-8") == "{}"
    assert run("export", "json", sample_copy, "--sortie", target, "--force").exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "stspd-export"
    edit(sample_copy / "actions" / "1.1.1.yaml", "pilote: ", "pilote: inconnu-")
    invalid = run("export", "json", sample_copy)
    assert invalid.exit_code == 1 and "{" not in invalid.output.splitlines()[0]


def test_the_export_leaves_out_what_the_document_leaves_out_of_a_confidential_instance():
    document = json.loads(run("export", "json", SAMPLE).output)
    bodies = {body["id"]: body for body in document["strategie"]["gouvernance"]["instances"]}
    [secret] = [body for body in bodies.values() if body.get("confidentielle")]
    assert secret == {
        "id": secret["id"],
        "nom": "Cellule de veille et de suivi des situations individuelles",
        "confidentielle": True,
    }
    text = json.dumps(document, ensure_ascii=False)
    assert "secret partagé" not in text and "Examine des situations individuelles" not in text
    assert any(body.get("role") for body in bodies.values())  # the public instances keep theirs
    assert not list(schemas.validator("export").iter_errors(document))


def test_the_output_s_missing_folders_are_made_as_by_the_other_commands_and_a_file_in_the_way_is_said(tmp_path):
    target = tmp_path / "publication" / "2026" / "strategie.json"
    result = run("export", "json", SAMPLE, "--sortie", target)
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == run("export", "json", SAMPLE).output
    (tmp_path / "fichier").write_text("", encoding="utf-8")
    blocked = subprocess.run(
        [sys.executable, "-m", "stspd", "export", "json", str(SAMPLE), "--sortie", str(tmp_path / "fichier" / "x.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert blocked.returncode == 1 and blocked.stderr.startswith("Erreur : ") and "Traceback" not in blocked.stderr
    assert (tmp_path / "fichier").read_text(encoding="utf-8") == ""
