"""User text stays text; a failed or refused build writes nothing; towns override templates by name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import REPO, edit, run

FICHE = "actions/1.1.1.yaml"


def _build(project: Path, out: Path, *formats: str, extra=()):
    return run("build", project, "--format", ",".join(formats), "--output", out, *extra)


def _own_templates(tmp_path: Path, name: str, text: str) -> Path:
    """A town's templates folder holding one template, `name`."""
    folder = tmp_path / "modeles"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _own_images(root: Path) -> set[bytes]:
    """The pictures stspd itself puts in the strategy: the logo, and a chart per imported statistic."""
    from stspd.commands.valid import valid_model
    from stspd.render.charts import statistics_charts

    _, view = valid_model(root)
    imported = [table for table in view["diagnostic"].get("statistiques", []) if table.get("origine")]
    return {(root / "logo.png").read_bytes(), *statistics_charts(imported).values()}


def test_user_text_is_never_a_template_nor_raw_code(sample_copy, tmp_path):
    edit(
        sample_copy / FICHE,
        "description: |\n",
        "description: |\n  Calcul {{ 7*7 }} et {% raw %} <script>alert(1)</script> \\input{/etc/passwd} ![x](/etc/passwd)\n\n",
    )
    edit(sample_copy / FICHE, "\ntitre: ", "\ntitre: Ateliers | colonne {{ 7*7 }} ")
    result = _build(sample_copy, tmp_path, "html", "docx", "odt", "md")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "strategie.html").read_text(encoding="utf-8")
    assert "Calcul {{ 7*7 }} et {% raw %}" in html and "49" not in html.split("Calcul", 1)[1][:40]
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\\input{/etc/passwd}" in html and "root:" not in html
    assert "Ateliers | colonne {{ 7*7 }}" in html  # a pipe in a title does not break the table or heading
    with zipfile.ZipFile(tmp_path / "strategie.docx") as docx:
        media = {docx.read(name) for name in docx.namelist() if name.startswith("word/media/")}
        assert media == _own_images(sample_copy)  # the logo and stspd's charts, and /etc/passwd not pulled in
        assert "root:" not in docx.read("word/document.xml").decode()
    with zipfile.ZipFile(tmp_path / "strategie.odt") as odt:  # pandoc's ODT writer would embed it, sandbox or not
        pictures = {odt.read(name) for name in odt.namelist() if name.startswith("Pictures/")}
        assert pictures == _own_images(sample_copy)  # the cover's logo and stspd's charts, nothing else
        assert "root:" not in odt.read("content.xml").decode()


def test_invalid_project_builds_nothing(sample_copy, tmp_path):
    edit(sample_copy / FICHE, "pilote: ", "pilote: inconnu-")
    result = _build(sample_copy, tmp_path / "dist", "docx")
    assert result.exit_code == 1 and "partenaire inconnu" in result.output and "rien n'a été écrit" in result.output
    assert not (tmp_path / "dist").exists()


def test_a_failing_format_leaves_previous_outputs_untouched(sample_copy, tmp_path):
    out = tmp_path / "dist"
    assert _build(sample_copy, out, "md", "pdf").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = _own_templates(tmp_path, "style.typ", "#set page(\n")  # a Typst syntax error
    edit(sample_copy / FICHE, "\ntitre: ", "\ntitre: Nouveau ")
    result = _build(sample_copy, out, "md", "pdf", extra=("--templates", broken))
    assert result.exit_code == 1 and "le format pdf n'a pas pu être produit" in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_broken_pandoc_filter_names_the_format_and_writes_nothing(sample_copy, tmp_path):
    broken = _own_templates(tmp_path, "stspd.lua", "function Div(div)\n  return div +\nend\n")
    result = _build(sample_copy, tmp_path / "dist", "odt", "html", extra=("--templates", broken))
    assert result.exit_code == 1 and "n'a pas pu être produit" in result.output and "pandoc" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "dist").exists()


def test_a_town_filter_that_prints_while_debugging_still_builds(sample_copy, tmp_path):
    shipped = (REPO / "templates" / "stspd.lua").read_text(encoding="utf-8")
    own = _own_templates(
        tmp_path, "stspd.lua", shipped.replace("function Div(div)\n", "function Div(div)\n  io.write('docx')\n", 1)
    )
    result = _build(sample_copy, tmp_path / "dist", "docx", extra=("--templates", own))
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(tmp_path / "dist" / "strategie.docx")


def test_a_town_overrides_one_template_by_name(sample_copy, tmp_path):
    own = _own_templates(tmp_path, "annexes.md.j2", "# Annexes de la commune\n\nVersion locale.\n")
    assert _build(sample_copy, tmp_path / "dist", "md", extra=("--templates", own)).exit_code == 0
    text = (tmp_path / "dist" / "strategie.md").read_text(encoding="utf-8")
    assert "# Annexes de la commune" in text and "# Le diagnostic local de sécurité" in text


def test_templates_run_in_the_sandbox(sample_copy, tmp_path):
    own = _own_templates(tmp_path, "annexes.md.j2", "{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    result = _build(sample_copy, tmp_path / "dist", "md", extra=("--templates", own))
    assert result.exit_code == 1 and "un modèle a échoué" in result.output
    assert not (tmp_path / "dist").exists()


def test_a_template_syntax_error_is_located(sample_copy, tmp_path):
    own = _own_templates(tmp_path, "annexes.md.j2", "# Annexes\n\n{% if %}\n")
    result = _build(sample_copy, tmp_path / "dist", "md", extra=("--templates", own))
    assert result.exit_code == 1 and "ligne 3" in result.output


def test_the_reference_document_of_the_templates_folder_wins(sample_copy, tmp_path):
    from docx import Document

    reference = Document()
    reference.styles["Normal"].font.name = "Marianne"
    own = tmp_path / "modeles"
    own.mkdir()
    reference.save(own / "reference.docx")
    assert _build(sample_copy, tmp_path / "dist", "docx", extra=("--templates", own)).exit_code == 0
    assert Document(str(tmp_path / "dist" / "strategie.docx")).styles["Normal"].font.name == "Marianne"


def test_nothing_in_the_project_folder_runs_or_styles_the_build(sample_copy, tmp_path):
    """A partner's pull request may add any file to the project: only the command line names code."""
    from docx import Document

    marker = tmp_path / "ran"
    (sample_copy / "stspd.lua").write_text(
        f'os.execute("touch {marker}")\nfunction Pandoc(d) os.execute("touch {marker}") end\n', encoding="utf-8"
    )
    (sample_copy / "style.typ").write_text('#set text(fill: red)\n#panic("style du projet")\n', encoding="utf-8")
    reference = Document()
    reference.styles["Normal"].font.name = "Marianne"
    reference.save(sample_copy / "reference.docx")
    result = _build(sample_copy, tmp_path / "dist", "docx", "pdf", "odt")
    assert result.exit_code == 0, result.output
    assert not marker.exists()
    assert Document(str(tmp_path / "dist" / "strategie.docx")).styles["Normal"].font.name != "Marianne"
    assert "stspd.lua n'est pas utilisé" in result.output and "reference.docx n'est pas utilisé" in result.output


def test_templates_export_copies_and_never_overwrites(tmp_path):
    result = run("templates", "export", tmp_path / "modeles")
    assert result.exit_code == 0
    names = {p.name for p in (tmp_path / "modeles").iterdir()}
    assert {"strategie.md.j2", "fiche.md.j2", "reference.docx", "style.typ", "stspd.lua"} <= names
    again = run("templates", "export", tmp_path / "modeles")
    assert again.exit_code == 2 and "ne remplace aucun fichier" in again.output


def test_unknown_format_is_misuse(project, tmp_path):
    result = run("build", project, "--format", "docx,rtf", "--output", tmp_path)
    assert result.exit_code == 2 and "rtf" in result.output
