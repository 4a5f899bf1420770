"""The rendered documents, read back: DOCX with python-docx, ODT and HTML parsed, the PDF's text extracted.

The sample is built once per session in every format; the tests read those files.
"""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser

import pytest
import yaml
from conftest import SAMPLE, edit
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from stspd.commands.build import FORMATS, Settings, build_documents

FICHES = sorted(
    (yaml.safe_load(p.read_text(encoding="utf-8")) for p in (SAMPLE / "actions").glob("*.yaml")), key=lambda f: f["id"]
)
SECTIONS = [
    "Édito",
    "Cadre de la stratégie",
    "Le territoire",
    "Le diagnostic local de sécurité",
    "Gouvernance",
    "Orientations stratégiques",
    "Fiches actions",
    "Suivi et évaluation",
    "Révisions de la stratégie",
    "Signatures",
    "Annexes",
]
NNBSP, NBSP = "\u202f", "\u00a0"


@pytest.fixture(scope="session")
def docx(built):
    return Document(str(built / "strategie.docx"))


def _headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def fiche_heading(fiche: dict) -> str:
    return f"Fiche {fiche['id']} · {fiche['titre']}"


def plain(text: str) -> str:
    """Text as typed: French spaces back to spaces, typographic apostrophes back to straight ones."""
    return " ".join(text.replace(NBSP, " ").replace(NNBSP, " ").replace("’", "'").split())


def test_every_format_is_written(built):
    assert sorted(p.name for p in built.iterdir()) == sorted(f"strategie.{f}" for f in FORMATS)


# DOCX
def test_docx_has_every_section(docx):
    assert [h for h in _headings(docx, 1)] == SECTIONS


def test_docx_has_every_fiche_heading(docx):
    headings = [plain(h) for h in _headings(docx, 2)]
    assert [h for h in headings if h.startswith("Fiche ")] == [plain(fiche_heading(f)) for f in FICHES]


def test_docx_fiche_has_its_indicators_table(docx):
    indicator_tables = [
        t for t in docx.tables if [c.text for c in t.rows[0].cells] == ["Type", "Indicateur", "Référence", "Cible", "Source"]
    ]
    with_indicators = [f for f in FICHES if f.get("indicateurs")]
    assert len(indicator_tables) == len(with_indicators)
    for table, fiche in zip(indicator_tables, with_indicators):
        assert len(table.rows) == 1 + len(fiche["indicateurs"])
        assert plain(table.rows[1].cells[1].text).startswith(plain(fiche["indicateurs"][0]["libelle"]))


def test_docx_has_a_filled_table_of_contents(docx):
    body = docx.element.body
    toc = next(e for e in body.iterchildren(qn("w:sdt")) if "PAGEREF" in "".join(t.text or "" for t in e.iter(qn("w:instrText"))))
    entries = [
        "".join(t.text for t in p.iter(qn("w:t")))
        for p in toc.iter(qn("w:p"))
        if "TOC" in (p.find(f".//{qn('w:pStyle')}").get(qn("w:val")) if p.find(f".//{qn('w:pStyle')}") is not None else "")
    ]
    assert "Fiches actions" in entries and len(entries) >= len(FICHES) + len(SECTIONS)


def test_docx_starts_each_fiche_but_the_first_on_a_new_page(docx):
    fiches = [p for p in docx.paragraphs if p.style.name == "Heading 2" and p.text.startswith("Fiche ")]
    starts = [p._p.pPr.find(qn("w:pageBreakBefore")) is not None for p in fiches]
    assert starts == [False] + [True] * (len(FICHES) - 1)  # no empty paragraph left at the top of the page
    breaks = docx.element.body.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")
    assert len(breaks) == 1  # before the contents


def test_docx_header_names_the_territory(docx):
    assert "Valmont-sur-Loire · STSPD 2024\u20132028 · version 1.1" in [p.text for p in docx.sections[0].header.paragraphs]


def test_docx_wide_table_in_a_landscape_section_keeping_headers(docx):
    landscape = [s for s in docx.sections if s.page_width > s.page_height]
    assert len(landscape) == 1
    assert landscape[0]._sectPr.find(qn("w:headerReference")) is not None


def test_docx_tables_have_a_shaded_repeated_header_row(docx):
    headed = [t for t in docx.tables if t.rows[0].cells[0].text not in ("Axe et objectif",)]  # a fiche's identity has none
    assert len(headed) < len(docx.tables)
    for table in headed:
        first = table.rows[0]._tr
        assert first.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
        assert first.find(f".//{qn('w:shd')}").get(qn("w:fill")) == "1F3864"
        assert table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:type")) == "pct"


def test_docx_french_conventions(docx):
    text = "\n".join(p.text for p in docx.paragraphs) + "\n".join(c.text for t in docx.tables for r in t.rows for c in r.cells)
    assert f"60{NNBSP}412 habitants" in text
    assert re.search(rf"\d{NNBSP}\d{{3}}{NBSP}€", text) and re.search(rf"\d{NNBSP}%", text)
    assert f"14{NBSP}mars{NBSP}2024" in text  # the amounts, percentages and dates stspd writes are never broken
    assert f"{NBSP}:" in text and f"{NNBSP};" in text
    assert " :" not in text.replace("\n", "")


# ODT
def _odt(built, name: str):
    with zipfile.ZipFile(built / "strategie.odt") as z:
        return etree.fromstring(z.read(name))


TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def test_odt_headings_and_contents(built):
    content = _odt(built, "content.xml")
    headings = ["".join(h.itertext()) for h in content.iter(f"{TEXT_NS}h")]
    assert all(s in headings for s in SECTIONS)
    assert sum(h.startswith("Fiche ") for h in headings) == len(FICHES)
    entries = ["".join(p.itertext()) for p in content.iter(f"{TEXT_NS}index-body") for p in p.iter(f"{TEXT_NS}p")]
    assert "Annexes" in entries


def test_odt_header_names_the_territory(built):
    styles = _odt(built, "styles.xml")
    assert "Valmont-sur-Loire · STSPD 2024\u20132028 · version 1.1" in ["".join(p.itertext()) for p in styles.iter(f"{TEXT_NS}p")]


# HTML
class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.h2: list[str] = []
        self._in_h2 = False
        self.lang = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.lang = self.lang or (dict(attrs).get("lang") if tag == "html" else None)
        if tag == "h2":
            self._in_h2, self.h2 = True, [*self.h2, ""]

    def handle_endtag(self, tag):
        self._in_h2 = self._in_h2 and tag != "h2"

    def handle_data(self, data):
        if self._in_h2:
            self.h2[-1] += data


@pytest.fixture(scope="session")
def html(built):
    collector = _Collector()
    collector.feed((built / "strategie.html").read_text(encoding="utf-8"))
    return collector


def test_html_is_french_readable_on_a_phone_with_real_table_headers(html):
    assert html.lang == "fr-FR"
    assert any(t == "meta" and a.get("name") == "viewport" for t, a in html.tags)
    assert sum(t == "th" for t, _ in html.tags) > 50 and any(t == "thead" for t, _ in html.tags)


def test_html_has_every_fiche(html):
    headings = [" ".join(h.split()) for h in html.h2]
    assert [plain(h) for h in headings if h.startswith("Fiche ")] == [plain(fiche_heading(f)) for f in FICHES]


# PDF
def test_pdf_holds_every_fiche_title(built):
    from pypdf import PdfReader

    reader = PdfReader(built / "strategie.pdf")
    assert reader.pages[0].mediabox.width == pytest.approx(595.3, abs=1)  # A4
    text = plain(" ".join(page.extract_text() for page in reader.pages))
    for fiche in FICHES:
        assert plain(fiche["titre"]) in text
    assert "Sommaire" in reader.pages[1].extract_text() and "Table des matières" not in text  # as in the other formats


def test_pdf_margins_are_the_ones_asked_for(built):
    from pypdf import PdfReader

    page = PdfReader(built / "strategie.pdf").pages[5]
    lefts = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: lefts.append(tm[4] * cm[0] + cm[4]) if text.strip() else None)
    assert min(lefts) == pytest.approx(2.2 / 2.54 * 72, abs=2)  # 2.2 cm: pandoc's -V margin.x never reached Typst


# Markdown
def test_markdown_has_metadata_and_fiches(built):
    text = (built / "strategie.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: ")
    assert sum(line.startswith("## Fiche ") for line in text.splitlines()) == len(FICHES)


# Same input, same bytes
def test_two_builds_are_byte_identical(built, tmp_path):
    build_documents(Settings(SAMPLE, FORMATS, tmp_path))
    for fmt in FORMATS:
        assert (tmp_path / f"strategie.{fmt}").read_bytes() == (built / f"strategie.{fmt}").read_bytes(), fmt


def test_formats_made_one_after_the_other_come_out_as_in_parallel(built, tmp_path, monkeypatch):
    monkeypatch.setattr("stspd.render.documents._cores", lambda: 1)
    build_documents(Settings(SAMPLE, ("docx", "html"), tmp_path))
    for fmt in ("docx", "html"):
        assert (tmp_path / f"strategie.{fmt}").read_bytes() == (built / f"strategie.{fmt}").read_bytes(), fmt


def test_source_date_epoch_sets_the_document_dates(sample_copy, tmp_path, monkeypatch):
    edit(sample_copy / "strategie.yaml", "  date: 2024-03-14\n", "")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01
    build_documents(Settings(sample_copy, ("docx", "md"), tmp_path))
    assert "Document de travail du 1er\u00a0janvier\u00a02025" in (tmp_path / "strategie.md").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "strategie.docx") as z:
        assert b"2025-01-01T00:00:00Z" in z.read("docProps/core.xml")
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_logo_is_on_the_cover(docx, built):
    cover = docx.paragraphs[0]
    assert cover._p.find(f".//{qn('w:drawing')}") is not None and docx.paragraphs[1].style.name == "Title"
    html = (built / "strategie.html").read_text(encoding="utf-8")
    assert html.index('<img class="logo" src="data:image/png;base64,') < html.index('<h1 class="title">')


def test_pdf_keeps_a_caption_and_a_heading_with_what_follows(built):
    from pypdf import PdfReader

    for number, page in enumerate(PdfReader(built / "strategie.pdf").pages, start=1):
        lines = [line for line in page.extract_text().splitlines() if line.strip()][:-1]  # the page number last
        assert lines and not lines[-1].startswith("Tableau"), f"page {number} ends on a caption: {lines[-1]!r}"
        assert lines[-1] not in ("Indicateurs", "Financements", "Calendrier"), f"page {number} ends on a heading"


def test_pdf_turns_the_summary_table_s_pages(built):
    from pypdf import PdfReader

    pages = PdfReader(built / "strategie.pdf").pages
    turned = [page for page in pages if float(page.mediabox.width) > float(page.mediabox.height)]
    assert turned and "Tableau de synthèse des fiches actions" in turned[0].extract_text()
    assert all("Fiche 1.1.1" not in page.extract_text() for page in turned)  # back to portrait after it


def test_odt_turns_the_summary_table_s_pages_and_back(built):
    style_ns = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
    fo_ns = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
    styles, content = _odt(built, "styles.xml"), _odt(built, "content.xml")
    masters = {m.get(f"{style_ns}name"): m.get(f"{style_ns}page-layout-name") for m in styles.iter(f"{style_ns}master-page")}
    layout = next(x for x in styles.iter(f"{style_ns}page-layout") if x.get(f"{style_ns}name") == masters["StspdLandscape"])
    page = layout.find(f"{style_ns}page-layout-properties")
    assert (page.get(f"{fo_ns}page-width"), page.get(f"{fo_ns}page-height")) == ("29.700cm", "21cm")
    turning = {s.get(f"{style_ns}name"): s.get(f"{style_ns}master-page-name") for s in content.iter(f"{style_ns}style")}
    body = [e for e in content.iter(f"{TEXT_NS}p", f"{TEXT_NS}h")]
    start = next(i for i, e in enumerate(body) if turning.get(e.get(f"{TEXT_NS}style-name")) == "StspdLandscape")
    back = next(i for i, e in enumerate(body) if i > start and turning.get(e.get(f"{TEXT_NS}style-name")) == "Standard")
    assert "".join(body[start].itertext()) == "Tableau de synthèse des fiches actions"  # the page turns with its heading
    assert "".join(body[back].itertext()) == "Fiches actions"  # the page turns back with the next heading


def _contrast_on_white(colour: str) -> float:
    """WCAG's contrast ratio of a #RRGGBB text on white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_the_running_header_and_footer_are_readable(built):
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(built / "strategie.docx") as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    found = {
        s.get(f"{w}styleId"): s.find(f"{w}rPr/{w}color").get(f"{w}val")
        for s in styles.iter(f"{w}style")
        if s.get(f"{w}styleId") in ("Header", "Footer")
    }
    assert len(found) == 2 and all(_contrast_on_white(c) >= 4.5 for c in found.values()), found
    fo = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
    style_ns = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
    odt_styles = _odt(built, "styles.xml")
    found = {
        s.get(f"{style_ns}name"): s.find(f"{style_ns}text-properties").get(f"{fo}color")
        for s in odt_styles.iter(f"{style_ns}style")
        if s.get(f"{style_ns}name") in ("Header", "Footer")
    }
    assert len(found) == 2 and all(_contrast_on_white(c) >= 4.5 for c in found.values()), found


def test_the_logo_has_a_text_for_screen_readers(built):
    with zipfile.ZipFile(built / "strategie.docx") as z:
        document = z.read("word/document.xml").decode("utf-8")
    assert 'descr="Logo de Valmont-sur-Loire"' in document
    assert 'alt="Logo de Valmont-sur-Loire"' in (built / "strategie.html").read_text(encoding="utf-8")
