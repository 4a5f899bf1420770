"""What a reader of the strategy document sees, read back from the files: the cover, the contents' page numbers,
the signature page, the fiches' layout, figures aligned and written with one precision, one typeface.

The sample is built once in every format (conftest's `built`)."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from stspd import fr
from stspd.render.filters import stat_row
from stspd.render.markdown_syntax import grid_table, typography

STRATEGY = yaml.safe_load((SAMPLE / "strategie.yaml").read_text(encoding="utf-8"))
SIGNATORIES = STRATEGY["adoption"]["signataires"]
FICHE_COUNT = len(list((SAMPLE / "actions").glob("*.yaml")))
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def _odt(built: Path, name: str):
    with zipfile.ZipFile(built / "strategie.odt") as z:
        return etree.fromstring(z.read(name))


def _pdf_pages(built: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(built / "strategie.pdf").pages]


# The cover


def test_the_cover_says_the_period_once(built):
    cover = _pdf_pages(built)[0]
    assert STRATEGY["titre"].endswith("2024-2028")
    assert len(re.findall(r"2024\W2028", cover)) == 1


def test_the_cover_lists_institutions_without_repeating_roles(built):
    document = Document(str(built / "strategie.docx"))
    abstract = "\n".join(p.text for p in document.paragraphs if p.style.name == "Abstract")
    for s in SIGNATORIES:
        assert s["institution"].replace("'", "’") in abstract
    assert "Le Préfet du Loiret" not in abstract and "Val Habitat, Val Habitat" not in abstract


def test_no_header_nor_page_number_on_the_cover(built):
    first_section = next(Document(str(built / "strategie.docx")).element.body.iter(qn("w:sectPr")))
    assert first_section.find(qn("w:titlePg")) is not None  # a title page: no header or footer of its own
    pages = _pdf_pages(built)
    assert "STSPD" not in pages[0] and not re.search(r"^\s*1\s*$", pages[0], re.MULTILINE)
    assert "STSPD" in pages[1] and re.search(r"^\s*2\s*$", pages[1], re.MULTILINE)
    styles, content = _odt(built, "styles.xml"), _odt(built, "content.xml")
    cover = next(m for m in styles.iter(f"{{{STYLE}}}master-page") if m.get(f"{{{STYLE}}}name") == "StspdCover")
    assert len(cover) == 0 and cover.get(f"{{{STYLE}}}next-style-name") == "Standard"
    first = next(iter(content.find(f"{{{OFFICE}}}body/{{{OFFICE}}}text").iterchildren(f"{{{TEXT}}}p")))
    style = next(s for s in content.iter(f"{{{STYLE}}}style") if s.get(f"{{{STYLE}}}name") == first.get(f"{{{TEXT}}}style-name"))
    assert style.get(f"{{{STYLE}}}master-page-name") == "StspdCover"


def test_the_odt_cover_has_the_logo_with_a_text(built):
    content = _odt(built, "content.xml")
    frame = next(content.iter("{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame"))
    target = frame[0].get("{http://www.w3.org/1999/xlink}href")
    assert frame.findtext("{urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0}title") == "Logo de Valmont-sur-Loire"
    with zipfile.ZipFile(built / "strategie.odt") as z:
        assert z.read(target) == (SAMPLE / "logo.png").read_bytes()
        assert f'manifest:full-path="{target}" manifest:media-type="image/png"' in z.read("META-INF/manifest.xml").decode()


# The signature page


def test_the_signature_page_gives_each_role_its_institution_and_a_place_to_sign(built):
    document = Document(str(built / "strategie.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings.index("Signatures") == headings.index("Annexes") - 1
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Signataire")
    assert len(table.rows) == len(SIGNATORIES) + 1
    préfet = next(r for r in table.rows if r.cells[0].paragraphs[0].text == "Le Préfet du Loiret")
    assert [p.text for p in préfet.cells[0].paragraphs] == ["Le Préfet du Loiret", "État"]
    assert préfet.cells[1].paragraphs[0].text.startswith("Fait à ") and len(préfet.cells[1].paragraphs) >= 4
    habitat = next(r for r in table.rows if "Val Habitat" in r.cells[0].text)
    assert [p.text for p in habitat.cells[0].paragraphs] == ["Le Directeur général de Val Habitat"]  # named once


def test_a_grid_table_escapes_what_would_open_a_list_and_fits_every_line():
    text = grid_table(["A", "B"], [30, 70], [[["1. premier", "- tiret"], ["x" * 150]]])
    assert "1\\. premier" in text and "\\- tiret" in text
    lines = text.strip().splitlines()
    assert len({len(line) for line in lines}) == 1  # every line as wide: pandoc reads the grid
    assert all(line.count("|") == 3 for line in lines if line.startswith("|"))


# The contents


def test_docx_contents_give_a_page_reference_to_a_bookmark_inside_each_heading(built):
    body = Document(str(built / "strategie.docx")).element.body
    entries = [
        p
        for p in body.iter(qn("w:p"))
        if (p.pPr is not None and p.pPr.pStyle is not None and p.pPr.pStyle.val in ("TOC1", "TOC2"))
    ]
    names = {b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))}
    instructions = ["".join(t.text for t in e.iter(qn("w:instrText"))).split() for e in entries]
    assert len(entries) > 40 and all(i[0] == "PAGEREF" and i[1] in names for i in instructions)
    assert not any("TOC" in (t.text or "") for t in body.iter(qn("w:instrText")))  # no TOC field: LibreOffice would freeze it


def test_odt_contents_give_a_page_reference_to_each_heading(built):
    content = _odt(built, "content.xml")
    bookmarks = {b.get(f"{{{TEXT}}}name") for b in content.iter(f"{{{TEXT}}}bookmark-start")}
    references = list(content.find(f".//{{{TEXT}}}index-body").iter(f"{{{TEXT}}}bookmark-ref"))
    assert len(references) > 40
    assert all(r.get(f"{{{TEXT}}}reference-format") == "page" and r.get(f"{{{TEXT}}}ref-name") in bookmarks for r in references)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed here")
@pytest.mark.parametrize("kind", ["docx", "odt"])
def test_libreoffice_shows_the_contents_page_numbers_and_a_fiche_a_page(built, tmp_path, kind):
    from pypdf import PdfReader

    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/profil", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path), str(built / f"strategie.{kind}")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pages = [page.extract_text() for page in PdfReader(tmp_path / "strategie.pdf").pages]
    contents = [line for line in pages[1].splitlines() if line.startswith(("Édito", "Le territoire", "Gouvernance"))]
    assert len(contents) == 3
    for line in contents:
        title, number = re.fullmatch(r"(.+?)[ .…]*(\d+)", line).groups()
        assert re.search(rf"^{re.escape(title)}$", pages[int(number) - 1], re.MULTILINE)
    spans = _fiche_spans(pages)
    assert sum(span == 1 for span in spans) >= 0.65 * len(spans), spans  # LibreOffice sets Word's text a little looser


# The fiches


def _fiche_spans(pages: list[str]) -> list[int]:
    """How many pages each fiche but the last takes, from the pages' text."""
    chapter = next(i for i, page in enumerate(pages) if re.search(r"^Fiches actions$", page, re.MULTILINE))
    heading = re.compile(r"^Fiche \d+\.\d+\.\d+ · ", re.MULTILINE)
    first = [i for i in range(chapter, len(pages)) if heading.search(pages[i])]
    assert len(first) == FICHE_COUNT
    return [b - a for a, b in itertools.pairwise(first)]


def test_an_ordinary_fiche_holds_on_one_page_of_the_pdf(built):
    spans = _fiche_spans(_pdf_pages(built))
    assert sum(span == 1 for span in spans) >= 0.75 * len(spans), spans  # the long ones flow onto a second page


def test_each_fiche_but_the_first_starts_a_page_of_the_odt(built):
    content = _odt(built, "content.xml")
    breaking = {
        s.get(f"{{{STYLE}}}name")
        for s in content.iter(f"{{{STYLE}}}style")
        if any(p.get("{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}break-before") == "page" for p in s)
    }
    fiches = [h for h in content.iter(f"{{{TEXT}}}h") if "".join(h.itertext()).startswith("Fiche ")]
    assert [h.get(f"{{{TEXT}}}style-name") in breaking for h in fiches] == [False] + [True] * (FICHE_COUNT - 1)
    assert not [p for p in content.iter(f"{{{TEXT}}}p") if p.get(f"{{{TEXT}}}style-name") == "StspdPageBreak"]


def test_the_fiche_identity_has_no_header_row_and_says_each_fact_once(built):
    document = Document(str(built / "strategie.docx"))
    identity = next(t for t in document.tables if t.rows[0].cells[0].text == "Axe et objectif")
    assert identity.rows[0]._tr.trPr is None or identity.rows[0]._tr.trPr.find(qn("w:tblHeader")) is None
    labels = [row.cells[0].text for row in identity.rows]
    assert labels[:8] == [
        "Axe et objectif",
        "Objectifs opérationnels",  # the fiche's own aims, next to the strategy's it serves
        "Pilote",
        "Partenaires",
        "Public cible",
        "Territoire",
        "Calendrier",
        "Budget",
    ]
    assert len(labels) == len(set(labels))
    territory = identity.rows[labels.index("Territoire")].cells[1].text
    assert territory.count("Hauts de Loire") == 1 and "QPV" in territory


# Figures


def test_a_statistics_row_shows_one_precision_and_a_change_with_one_decimal():
    assert stat_row({"indicateur": "Taux", "valeurs": [0.19, 0.15, 0.2]})[1:] == ["0,19", "0,15", "0,20", "+5,3\u202f%"]
    assert stat_row({"indicateur": "Faits", "valeurs": [50, 49, None]})[1:] == ["50", "49", "—", "—"]
    assert stat_row({"indicateur": "Faits", "valeurs": [50, 49]})[-1] == "\u22122,0\u202f%"


def test_figures_are_right_aligned_in_the_docx(built):
    document = Document(str(built / "strategie.docx"))
    table = next(t for t in document.tables if t.rows[0].cells[-1].text.startswith("Évolution"))
    figures = [i for i, cell in enumerate(table.rows[0].cells) if cell.text not in ("Indicateur", "Unité de compte")]
    assert len(figures) == 6  # five years and the evolution
    for row in table.rows[1:]:
        for i in figures:
            paragraph = row.cells[i].paragraphs[0]
            assert paragraph.alignment is not None and paragraph.alignment.name == "RIGHT"
    assert table.rows[0].cells[-1].text == "Évolution 2019–2023"  # a span of years takes an en dash


def test_a_survey_table_says_its_question_once(built):
    document = Document(str(built / "strategie.docx"))
    answers = [t for t in document.tables if t.rows[0].cells[0].text == "Réponse"]
    assert answers and all(t.rows[0].cells[1].text == "Part des répondants" for t in answers)


def test_pilots_are_named_in_full_in_the_summary(built):
    document = Document(str(built / "strategie.docx"))
    summary = next(t for t in document.tables if [c.text for c in t.rows[0].cells][:3] == ["Axe", "Objectif", "N°"])
    pilots = {row.cells[4].text for row in summary.rows[1:]}
    assert not any(re.fullmatch(r"[A-Z]{2,6}", p) for p in pilots) and len(pilots) > 3


def test_spans_of_years_take_an_en_dash_but_addresses_stay_as_typed():
    assert typography("la stratégie 2021-2024.") == "la stratégie 2021\u20132024."
    assert typography("https://ville.fr/plan-2021-2024/?p=2021-2024") == "https://ville.fr/plan-2021-2024/?p=2021-2024"
    assert typography("fichier 2021-2024.pdf, 2028-2024") == "fichier 2021-2024.pdf, 2028-2024"


def test_one_typeface_in_every_format(built):
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(built / "strategie.pdf").pages[:3]:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    assert fonts and all(f.startswith("Carlito") for f in fonts), fonts
    with zipfile.ZipFile(built / "strategie.docx") as z:
        assert 'w:ascii="Calibri"' in z.read("word/styles.xml").decode()  # Carlito has Calibri's metrics


def test_the_euro_amounts_keep_their_sign_on_the_line():
    assert fr.euros(30000) == "30\u202f000\u00a0€"
