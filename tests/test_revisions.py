"""Revisions as data: checked against the period, the fiches and the evaluations, printed as the document's history."""

from __future__ import annotations

from conftest import edit, problems_of, run

REVISION = "revisions:\n  - date: 2025-12-10\n"


def _add(root, text: str) -> None:
    edit(root / "strategie.yaml", "    fiches_abandonnees: [3.4.2]\n", "    fiches_abandonnees: [3.4.2]\n" + text)


def test_the_sample_s_revision_is_printed_as_the_document_s_history(sample_copy, tmp_path):
    from docx import Document

    assert run("build", sample_copy, "--format", "docx", "--sortie", tmp_path).exit_code == 0
    document = Document(str(tmp_path / "strategie.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Date" and len(t.columns) == 4)
    cells = [c.text.replace("\u00a0", " ") for c in table.rows[1].cells]
    assert cells[::3] == ["10 décembre 2025", "Fiche abandonnée : 3.4.2"]
    assert "(délibération 2025-118)" in table.rows[1].cells[1].text


def test_a_prolongation_must_be_the_period_s_end(sample_copy):
    _add(
        sample_copy,
        "  - date: 2026-06-30\n    instance: Conseil municipal\n    objet: Prolongation\n    prolongation: {de: 2028, a: 2029}\n",
    )
    problem = next(p for p in problems_of(sample_copy) if p.rule == "revisions")
    assert "prolonge la stratégie jusqu'en 2029 : écrivez « fin: 2029 »" in problem.message and problem.line > 1
    edit(sample_copy / "strategie.yaml", "  fin: 2028", "  fin: 2029")
    assert [p for p in problems_of(sample_copy) if p.rule == "revisions"] == []


def test_revisions_name_existing_fiches_in_date_order(sample_copy):
    _add(sample_copy, "  - date: 2025-01-05\n    instance: CLSPD\n    objet: Ajout\n    fiches_ajoutees: [9.9.9]\n")
    messages = [p.message for p in problems_of(sample_copy) if p.rule == "revisions"]
    assert any("2025-01-05 précède 2025-12-10" in m for m in messages)
    assert any("la fiche 9.9.9 n'existe pas" in m for m in messages)


def test_an_evaluation_after_the_revision_that_still_runs_an_abandoned_fiche_is_warned(sample_copy):
    edit(sample_copy / "strategie.yaml", "  - date: 2025-12-10\n", "  - date: 2024-12-10\n")
    edit(sample_copy / "evaluations" / "2025.yaml", "etat: abandonnee", "etat: en_cours")
    from stspd.check.validation import validate_project

    warning = next(p for p in validate_project(sample_copy, strict=True)[1] if p.rule == "revisions")
    assert warning.is_warning and "la dit « en_cours »" in warning.message and warning.file.endswith("2025.yaml")


def test_the_readme_s_revisions_example_is_valid_and_printed(sample_copy, tmp_path):
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme[readme.index("```yaml\nrevisions:") + len("```yaml\n") :]
    example = example[: example.index("```")]
    strategy = sample_copy / "strategie.yaml"
    text = strategy.read_text(encoding="utf-8")
    text = text[: text.index("revisions:\n")] + example + text[text.index("\ngouvernance:") :]
    strategy.write_text(text, encoding="utf-8")
    edit(strategy, "  fin: 2028", "  fin: 2029")  # as the example's prolongation says periode.fin must be
    assert problems_of(sample_copy) == []
    assert run("build", sample_copy, "--format", "md", "--sortie", tmp_path).exit_code == 0
    printed = " ".join((tmp_path / "strategie.md").read_text(encoding="utf-8").split())  # French spaces are unbreakable
    assert "| Période prolongée de 2028 à 2029 ; fiche ajoutée : 4.3.1 ; fiches 1.5.1, 1.5.2 réunies en 1.5.1 |" in printed
