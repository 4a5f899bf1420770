"""`stspd export json`: the whole project in one JSON document that its own schema validates."""

from __future__ import annotations

import json

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
