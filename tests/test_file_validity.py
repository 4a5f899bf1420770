"""Every DOCX, ODT and XLSX stspd writes is valid for openxml-audit (the Open XML SDK's schemas and rules, ODF 1.3's):
Word repairs, or refuses, what those rules reject, and LibreOffice reads it with its own guesses."""

from __future__ import annotations

import zipfile
from functools import cache
from pathlib import Path

import pytest
from conftest import REPO, SAMPLE, run
from openxml_audit import FileFormat, OdfValidator, OpenXmlValidator, ValidationSeverity

# What `stspd … --sortie` writes from the sample, and the reference documents that `templates export` hands out.
WRITTEN = [
    "strategie.docx",
    "strategie.odt",
    "bilan-2025.docx",
    "bilan-2025.odt",
    "grille-2025.docx",
    "grille-2025.xlsx",
    "collecte-2025.xlsx",
    "collecte-par-pilote.xlsx",
]
REFERENCES = [REPO / "templates" / "reference.docx", REPO / "templates" / "reference.odt"]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    for command in (
        ("build", SAMPLE, "--format", "docx,odt", "--sortie", out),
        ("bilan", SAMPLE, "--annee", "2025", "--format", "docx,odt", "--sortie", out),
        ("grid", "export", SAMPLE, "--annee", "2025", "--format", "docx,xlsx", "--sortie", out),
        ("grid", "template", SAMPLE, "--annee", "2025", "--sortie", out / "collecte-2025.xlsx"),
        ("grid", "template", SAMPLE, "--annee", "2025", "--par-pilote", "--sortie", out / "collecte-par-pilote.xlsx"),
    ):
        result = run(*command)
        assert result.exit_code == 0, result.output
    return out


@cache  # made once, when first needed: the Relax NG schemas take a quarter of a second to load
def validator(odf: bool) -> OdfValidator | OpenXmlValidator:
    """The command's defaults (Office 2019; ODF 1.3 with its semantic checks), and for ODF its Relax NG schema too,
    on every part it has one for (manifest.rdf is RDF: no ODF schema routes it)."""
    if odf:
        return OdfValidator(FileFormat.ODF_1_3, relaxng_validation=True, require_schema_routes=False)
    return OpenXmlValidator(FileFormat.OFFICE_2019)


def errors_of(path: Path) -> list[str]:
    """openxml-audit's errors on `path` (its warnings aside), each with the part it is in."""
    result = validator(path.suffix == ".odt").validate(path)
    return [f"{e.part_uri}: {e.description}" for e in result.errors if e.severity == ValidationSeverity.ERROR]


@pytest.mark.parametrize("name", WRITTEN)
def test_written_file_has_no_error(written, name):
    path = written / name
    assert path.is_file(), f"{name} was not written"
    errors = errors_of(path)
    assert not errors, f"{name}: " + "\n".join(errors)


@pytest.mark.parametrize("path", REFERENCES, ids=lambda path: path.name)
def test_reference_document_has_no_error(path):
    errors = errors_of(path)
    assert not errors, f"{path.name}: " + "\n".join(errors)


def test_the_audit_sees_an_error(written, tmp_path):
    """The audit is no rubber stamp: the strategy with its manifest as pandoc writes it fails."""
    broken = tmp_path / "strategie.odt"
    with zipfile.ZipFile(written / "strategie.odt") as source, zipfile.ZipFile(broken, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "META-INF/manifest.xml":
                data = data.replace(b'"text/xml"', b'"application/xml"')
            target.writestr(entry, data)
    assert any("media-type" in error for error in errors_of(broken))
