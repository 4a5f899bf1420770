"""`stspd doctor`: each piece an output needs, found or said missing with what that disables."""

from __future__ import annotations

from conftest import run

from stspd.commands import doctor


def test_doctor_names_pandoc_typst_and_the_fonts_with_their_versions():
    result = run("doctor")
    assert result.exit_code == 0, result.output
    assert "ok        pandoc : 3.9" in result.output and "ok        Typst : 0.15" in result.output
    assert "Carlito (fournie) : 4 fichiers" in result.output


def test_a_missing_piece_says_what_it_disables_and_only_a_needed_one_fails(monkeypatch):
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None)  # no LibreOffice, no fc-list
    reading_only = run("doctor")
    assert reading_only.exit_code == 0
    assert "absent    LibreOffice" in reading_only.output and "sans : rien pour stspd" in reading_only.output
    monkeypatch.setattr(doctor, "_package", lambda name: None)
    no_typst = run("doctor")
    assert no_typst.exit_code == 1 and "absent    Typst — le PDF ; sans : le PDF ne peut pas être produit" in no_typst.output
