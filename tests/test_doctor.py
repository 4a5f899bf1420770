"""`stspd doctor`: each piece an output needs, found or said missing with what that disables."""

from __future__ import annotations

import shutil

from conftest import run

from stspd.commands import doctor
from stspd.resources import resource_dir


def test_doctor_names_pandoc_typst_and_the_fonts_with_their_versions():
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert "ok        pandoc : 3.9" in result.output and "ok        Typst : 0.15" in result.output
    assert "Carlito (fournie, pour le PDF) : 4 fichiers" in result.output
    # the fonts of the reference DOCX and ODT's styles, each said, with the fonts of the same measures
    assert "Calibri ou Carlito sur cette machine" in result.output and "Consolas sur cette machine" in result.output
    assert "Courier New ou Liberation Mono sur cette machine" in result.output


def test_a_missing_piece_says_what_it_disables_and_only_a_needed_one_fails(monkeypatch):
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)  # no LibreOffice, no fc-list
    reading_only = run("doctor")
    assert reading_only.exit_code == 0
    assert "absent    LibreOffice" in reading_only.output and "sans : rien pour stspd" in reading_only.output
    # without fc-list, the machine's fonts are not known to be missing: said unchecked, not absent
    assert (
        "inconnu   Calibri ou Carlito sur cette machine — lire les DOCX et ODT avec leur mise en page (pas nécessaire pour"
        " les produire) ; non vérifié : fc-list (fontconfig) n'est pas sur cette machine"
    ) in reading_only.output
    assert "absent    Calibri" not in reading_only.output
    monkeypatch.setattr(doctor, "_package", lambda name: None)
    no_typst = run("doctor")
    assert no_typst.exit_code == 1 and "absent    Typst — le PDF ; sans : le PDF ne peut pas être produit" in no_typst.output


def test_each_font_the_pdf_template_names_is_looked_for_among_the_shipped_ones(monkeypatch, tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("reference.docx", "reference.odt"):
        shutil.copy(resource_dir("templates") / name, templates / name)
    (templates / "style.typ").write_text('#set text(lang: "fr", font: ("Marianne", "Carlito"), size: 10pt)\n', encoding="utf-8")
    monkeypatch.setattr(doctor, "resource_dir", lambda name: templates)
    result = run("doctor")
    assert result.exit_code == 1  # the PDF would not have its font
    assert (
        "absent    Marianne (fournie, pour le PDF) — la police du PDF ; sans : le PDF prendrait une police de Typst"
        in result.output
    )
    assert "ok        Carlito (fournie, pour le PDF) : 4 fichiers" in result.output
