"""The annex « Articulation avec la stratégie nationale », one group per national axe; and text that starts a table
cell, a caption or a link with a number or a dash, which stays text in the PDF (never a Typst list or heading)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import typst
from conftest import SAMPLE
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from stspd.commands.build import Settings, build_documents
from stspd.load.catalogue import shipped_frames
from stspd.render.filters import alignment_groups
from stspd.render.pandoc import GUARD, READER, pandoc_path

NATIONAL = shipped_frames()["snpd-2020-2024"]
AXES = [NATIONAL.axes[n] for n in sorted(NATIONAL.axes)]


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'").split())


def _words(element) -> str:
    """The text a reader sees in a DOCX element: its runs' text only (not field codes)."""
    return _plain("".join(t.text or "" for t in element.iter(qn("w:t"))))


def _row(axe: int, measure: int | None, elements: list[str]) -> dict:
    return {
        "strategie": "Stratégie a",
        "strategie_id": "a",
        "strategie_court": "A",
        "axe": axe,
        "axe_titre": f"Titre {axe}",
        "mesure": measure,
        "mesure_titre": f"Mesure titre {measure}" if measure else None,
        "elements": elements,
    }


def test_the_rows_are_grouped_by_axe_named_after_the_frames_kind():
    rows = [_row(1, None, ["Axe 1"]), _row(1, 3, ["Fiche 1.1.1"]), _row(2, 1, ["Axe 2"])]
    groups = alignment_groups({"type": "national", "lignes": rows})
    assert [g["titre"] for g in groups] == ["Axe national 1 · Titre 1", "Axe national 2 · Titre 2"]
    assert groups[0]["lignes"] == [["L'axe dans son ensemble", "Axe\u00a01"], ["Mesure 3 : Mesure titre 3", "Fiche\u00a01.1.1"]]
    assert [g["titre"] for g in alignment_groups({"type": "departemental", "lignes": rows[:1]})] == [
        "Axe départemental 1 · Titre 1"
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build_documents(Settings(SAMPLE, ("docx", "pdf"), out))
    return out


def test_docx_annex_says_each_national_axe_once_then_its_measures(built):
    body = Document(str(built / "strategie.docx")).element.body
    children = list(body)
    texts = [_words(child) for child in children]
    annex = children[texts.index("Articulation avec la stratégie nationale") :]
    headings = [
        _words(c)
        for c in annex
        if c.tag == qn("w:p")
        and c.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
        and c.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "Heading3"
    ]
    assert headings == [_plain(f"Axe national {n} · {title}") for n, title in enumerate(AXES, start=1)]
    annex_text = " ".join(_words(c) for c in annex)
    for title in AXES:
        assert annex_text.count(_plain(title)) == 1, title  # in its heading, never again on the rows
    tables = [c for c in annex if c.tag == qn("w:tbl")]
    rows = [[[_words(cell) for cell in row.iter(qn("w:tc"))] for row in t.iter(qn("w:tr"))] for t in tables]
    assert len(tables) == 4 and all(len(cells) == 2 for table in rows for cells in table)
    assert rows[0][1] == ["L'axe dans son ensemble", "Axe 1"]
    assert rows[0][2] == ["Mesure 1 : Identifier les facteurs de fragilité", "Objectif 1.2, Fiche 1.2.1"]
    assert len(rows[0]) == 1 + 1 + 12  # the header, the axe as a whole, its 12 measures the sample serves


def test_pdf_annex_groups_are_bookmarks(built):
    reader = PdfReader(built / "strategie.pdf")
    entries: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, _plain(item.title)))

    walk(reader.outline, 1)
    start = entries.index((2, "Articulation avec la stratégie nationale"))
    assert entries[start + 1 :] == [(3, _plain(f"Axe national {n} · {t}")) for n, t in enumerate(AXES, start=1)]


MARKERS = ["1. Les jeunes", "- tiret", "+ plus", "= égal", "/ terme : x", "2024. Une année"]


def _typst(tmp_path: Path, markdown: str) -> Path:
    """`markdown` as stspd's PDF gets it: read and guarded by pandoc, written as Typst."""
    made = subprocess.run(
        [pandoc_path(), "-f", READER, "-t", "typst", "--lua-filter", str(GUARD)],
        input=markdown,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    source = tmp_path / "document.typ"
    source.write_text(made.stdout, encoding="utf-8")
    return source


def _functions(node, found: set) -> set:
    if isinstance(node, dict):
        found.add(node.get("func"))
        for value in node.values():
            _functions(value, found)
    elif isinstance(node, list):
        for value in node:
            _functions(value, found)
    return found


def test_a_cell_a_caption_or_a_link_starting_with_a_marker_stays_text_in_typst(tmp_path):
    rows = "".join(f"| {text} | {text} |\n" for text in MARKERS)
    markdown = f"| A | B |\n|---|---|\n{rows}\n: 1. Légende\n\n[2. Lien](https://exemple.fr) et [- lien](https://exemple.fr)\n"
    source = _typst(tmp_path, markdown)
    made = {kind: json.loads(typst.query(str(source), kind)) for kind in ("enum", "list", "terms", "heading")}
    assert made == {"enum": [], "list": [], "terms": [], "heading": []}
    kinds = _functions(json.loads(typst.query(str(source), "table")), set())
    assert not kinds & {"enum", "list", "terms", "heading", "item"}, kinds
    typst.compile(str(source), output=str(tmp_path / "out.pdf"))
    text = _plain(PdfReader(tmp_path / "out.pdf").pages[0].extract_text())
    assert all(text.count(_plain(marker)) == 2 for marker in MARKERS), text  # printed as typed
    assert "1. Légende" in text and "2. Lien" in text


def test_a_paragraph_starting_with_a_number_is_escaped_once(tmp_path):
    """pandoc escapes a paragraph's start itself: the guard adds nothing there, which would print a backslash."""
    source = _typst(tmp_path, "1\\. Les jeunes\n\n*1. emphase*\n")
    typst.compile(str(source), output=str(tmp_path / "out.pdf"))
    text = _plain(PdfReader(tmp_path / "out.pdf").pages[0].extract_text())
    assert text == "1. Les jeunes 1. emphase"
    assert json.loads(typst.query(str(source), "enum")) == []
