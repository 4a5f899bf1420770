"""The command line: exit codes, output formats, init, schema, and the schema a file declares."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import edit, run


def test_valid_project_exits_0_with_a_summary(project):
    result = run("validate", project)
    assert result.exit_code == 0  # the texts « À rédiger » of a new project are warnings
    assert result.output.splitlines()[-2:] == [
        "11 textes restent à rédiger (À rédiger : actions/1.1.1.yaml ×5, diagnostic.yaml ×3, strategie.yaml ×3).",
        "Projet valide : 1 axe, 1 objectif, 1 fiche action ; 11 avertissements.",
    ]
    strict = run("validate", project, "--strict")
    assert strict.exit_code == 1 and "mode strict" in strict.output.splitlines()[-1]


def test_invalid_project_exits_1_with_file_line_column_and_the_quoted_line(project):
    edit(project / "actions" / "1.1.1.yaml", "pilote: ville", "pilote: vile")
    result = run("validate", project)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        lines[0]
        == f"{project}/actions/1.1.1.yaml:13:9: pilote : partenaire inconnu « vile » ; vouliez-vous dire « ville » ? [references]"
    )
    assert lines[1] == "   13 | pilote: vile"
    assert lines[2] == "      |         ^"
    assert lines[-1] == "1 erreur et 11 avertissements dans 3 fichiers : le projet n'est pas valide."


def test_json_format(project):
    edit(project / "actions" / "1.1.1.yaml", "type: realisation", "type: réalisation")
    result = run("validate", project, "--format", "json")
    report = json.loads(result.output)
    assert result.exit_code == 1 and report["valide"] is False
    (error,) = report["erreurs"]
    assert (error["line"], error["column"], error["rule"]) == (29, 11, "schema")
    assert (
        "vouliez-vous dire « realisation » ?" in error["message"]
        and "valeurs admises : realisation, resultat, impact" in error["message"]
    )


def test_github_format(project):
    edit(project / "actions" / "1.1.1.yaml", "pilote: ville", "pilot: ville")
    result = run("validate", project, "--format", "github")
    lines = result.output.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert result.exit_code == 1 and len(errors) == 2 and len(warnings) == 11 and len(lines) == 15
    assert (
        f"::error file={project}/actions/1.1.1.yaml,line=4,col=1,title=stspd schema::clé obligatoire « pilote » manquante"
        in lines
    )
    assert any(
        line.startswith(f"::error file={project}/actions/1.1.1.yaml,line=13,col=1,title=stspd schema::clé inconnue « pilot »")
        for line in lines
    )


def test_missing_folder_is_misuse(tmp_path):
    result = run("validate", tmp_path / "absent")
    assert result.exit_code == 2 and "n'existe pas" in result.output


def test_folder_without_strategy_is_misuse(tmp_path):
    result = run("validate", tmp_path)
    assert result.exit_code == 2 and "pas de strategie.yaml" in result.output


def test_unknown_option_is_misuse(project):
    assert run("validate", project, "--stricte").exit_code == 2
    assert run("validate", project, "--format", "xml").exit_code == 2


def test_init_refuses_a_folder_that_is_not_empty(project):
    before = (project / "strategie.yaml").read_bytes()
    result = run("init", project, "--territoire", "X", "--periode", "2025-2030")
    assert result.exit_code == 2 and "n'est pas vide" in result.output
    assert (project / "strategie.yaml").read_bytes() == before


def test_init_checks_the_period(tmp_path):
    result = run("init", tmp_path / "p", "--territoire", "X", "--periode", "2030-2025")
    assert result.exit_code == 2 and not (tmp_path / "p").exists()


def test_init_writes_a_valid_project_with_schema_lines(tmp_path):
    result = run("init", tmp_path / "p", "--territoire", 'Saint-Ouen "Nord": bourg', "--periode", "2025-2030", "--type", "epci")
    assert result.exit_code == 0, result.output
    assert run("validate", tmp_path / "p").exit_code == 0
    for name in ("strategie.yaml", "diagnostic.yaml", "actions/1.1.1.yaml"):
        assert (tmp_path / "p" / name).read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=")
    assert (tmp_path / "p" / "schemas" / "fiche.schema.json").is_file()


def test_schema_prints_and_lists():
    listing = run("schema")
    assert listing.exit_code == 0 and "fiche" in listing.output
    printed = run("schema", "fiche")
    assert json.loads(printed.output)["$id"].endswith("/fiche.schema.json")
    assert run("schema", "inconnu").exit_code == 2


def test_declared_local_schema_adds_its_constraints(project):
    (project / "strict.schema.json").write_text(
        json.dumps(
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$ref": "https://stspd.fr/schemas/1/fiche.schema.json",
                "required": ["contexte"],
            }
        ),
        encoding="utf-8",
    )
    edit(project / "actions" / "1.1.1.yaml", "$schema=../schemas/fiche.schema.json", "$schema=../strict.schema.json")
    result = run("validate", project)
    assert result.exit_code == 1 and "clé obligatoire « contexte » manquante" in result.output


def test_declared_schema_of_another_kind(project):
    edit(project / "actions" / "1.1.1.yaml", "$schema=../schemas/fiche.schema.json", "$schema=../schemas/evaluation.schema.json")
    result = run("validate", project)
    assert result.exit_code == 1 and "déclare le schéma « evaluation »" in result.output


def test_declared_remote_schema_is_not_fetched(project):
    edit(project / "actions" / "1.1.1.yaml", "$schema=../schemas/fiche.schema.json", "$schema=https://example.org/x.json")
    result = run("validate", project)
    assert result.exit_code == 1 and "stspd ne télécharge rien" in result.output


def test_declared_bundled_id_is_used_offline(project):
    edit(
        project / "actions" / "1.1.1.yaml",
        "$schema=../schemas/fiche.schema.json",
        "$schema=https://stspd.fr/schemas/1/fiche.schema.json",
    )
    assert run("validate", project).exit_code == 0


def test_validate_does_not_import_the_rendering_stack(project):
    code = (
        "import sys\n"
        "from stspd.cli import main\n"
        f"try:\n    main(['validate', {str(project)!r}])\n"
        "except SystemExit as e:\n    assert e.code == 0, e.code\n"
        "heavy = {'pypandoc', 'docx', 'openpyxl', 'PIL', 'typst', 'babel', 'jinja2'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.splitlines()[-1] == "[]"
