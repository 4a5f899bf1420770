"""Sub-headings a town writes in its long texts: shifted under the section that holds the text, real headings in every
format (Word's Heading N styles, ODT outline levels, PDF bookmarks, HTML h2-h4), refused in any other text."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLE, edit, only_problem, problems_of
from docx import Document
from lxml import etree
from pypdf import PdfReader

from stspd.commands.build import FORMATS, Settings, build_documents
from stspd.render import templates
from stspd.render.markdown_syntax import DEEPEST_HEADING, headings, headings_under
from stspd.render.pandoc import READER, pandoc_path

CADRE = [
    "Le cadre légal",
    "La stratégie nationale de prévention de la délinquance 2020\u20132024",  # typography: an en dash
    "Le plan départemental de prévention de la délinquance du Loiret",
    "Le contrat de ville",
]


# The shift itself
@pytest.mark.parametrize(
    ("text", "level", "shifted"),
    [
        ("### A\n\ntexte", 1, "## A\n\ntexte"),  # the level written does not matter, only the order of the levels
        ("# A\n\n### B\n\n## C", 1, "## A\n\n#### B\n\n### C"),  # a level left out is not left out in the document
        ("# A\n\n## B\n\n### C\n\n#### D", 2, "### A\n\n#### B\n\n#### C\n\n#### D"),  # never deeper than 4
        ("## A ##\n\ntexte", 3, "#### A ##\n\ntexte"),  # pandoc drops the closing marks itself
        ("A\n===\n\nB\n---\n\ntexte", 1, "## A\n\n### B\n\ntexte"),  # underlined headings
        ("> # A\n\n- # B", 1, "> ## A\n\n- ## B"),  # in a quote or a list item too
        ("```\n# pas un titre\n```\n\n# A", 1, "```\n# pas un titre\n```\n\n## A"),  # code is left as typed
        ("#hashtag\n\nligne\nsuite\n---", 1, "#hashtag\n\nligne\nsuite\n---"),  # no heading: nothing changes
    ],
)
def test_a_texts_headings_go_under_the_section_that_holds_it(text, level, shifted):
    assert headings_under(text, level) == shifted


def _pandoc_levels(markdown: str) -> list[int]:
    """The level of each heading pandoc reads, in order (through the JSON AST)."""
    import json

    made = subprocess.run(
        [pandoc_path(), "-f", READER, "-t", "json"], input=markdown, capture_output=True, text=True, check=True, timeout=60
    )
    levels: list[int] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("t") == "Header":
                levels.append(node["c"][0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(made.stdout))
    return levels


@pytest.mark.parametrize(
    "text",
    [
        "texte\n# A\ntexte\n## B",  # a « # » line right after text: the rendering makes it a heading
        "Titre\n-----\n\n- a\n- b\n---\n\n> Cité\n> ===",
        "1. un\n\n   # Dans l'item\n\n   Souligné\n   ---\n\n```\n# code\n```",
        "l1\nl2\n---\n\n#sans espace\n\n# A",
    ],
)
def test_pandoc_reads_the_headings_stspd_finds_and_at_the_levels_it_sets(tmp_path, text):
    (tmp_path / "t.md.j2").write_text("# Partie\n\n{{ texte | md(1) }}\n# Suite\n", encoding="utf-8")
    rendered = templates.render({"texte": text}, "t.md.j2", tmp_path)
    levels = _pandoc_levels(rendered)
    assert levels[0] == 1 and levels[-1] == 1
    assert len(levels) - 2 == len(headings(text)) > 0
    assert all(2 <= level <= DEEPEST_HEADING for level in levels[1:-1]), levels


# The documents
@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample (its « cadre » has sub-headings) with sub-headings in a diagnostic theme and a fiche's description."""
    root = Path(shutil.copytree(SAMPLE, tmp_path_factory.mktemp("titres") / "valmont"))
    edit(
        root / "diagnostic.yaml",
        "    synthese: |\n      Les atteintes",
        "    synthese: |\n      # Les constats du terrain\n\n      Les atteintes",
    )
    edit(
        root / "actions" / "1.1.1.yaml",
        "description: |\n  Un cycle",
        "description: |\n  ## Le déroulé des ateliers\n\n  ### Première séance\n\n  Un cycle",
    )
    out = tmp_path_factory.mktemp("dist")
    build_documents(Settings(root, FORMATS, out))
    return out


# Each sub-heading and the level it must have: under « Cadre de la stratégie » (1), a diagnostic theme (2), a fiche's
# « Description » (3, so both levels of the fiche's text at 4).
EXPECTED = {**dict.fromkeys(CADRE, 2), "Les constats du terrain": 3, "Le déroulé des ateliers": 4, "Première séance": 4}


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'").split())


def test_docx_sub_headings_have_heading_styles(built):
    document = Document(str(built / "strategie.docx"))
    styles = {_plain(p.text): p.style.name for p in document.paragraphs}
    assert {title: styles.get(title) for title in EXPECTED} == {t: f"Heading {n}" for t, n in EXPECTED.items()}
    after = [_plain(p.text) for p in document.paragraphs]
    start = after.index("Cadre de la stratégie")
    assert [t for t in after[start : after.index("Le territoire")] if t in CADRE] == CADRE  # in order, once each


def test_odt_sub_headings_have_outline_levels(built):
    with zipfile.ZipFile(built / "strategie.odt") as archive:
        content = etree.fromstring(archive.read("content.xml"))
    namespace = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    levels = {_plain("".join(h.itertext())): h.get(f"{namespace}outline-level") for h in content.iter(f"{namespace}h")}
    assert {title: levels.get(title) for title in EXPECTED} == {t: str(n) for t, n in EXPECTED.items()}


def test_pdf_sub_headings_are_bookmarks_and_in_the_contents(built):
    reader = PdfReader(built / "strategie.pdf")
    levels: dict[str, int] = {}

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                levels[_plain(item.title)] = depth

    walk(reader.outline, 1)
    assert {title: levels.get(title) for title in EXPECTED} == EXPECTED
    contents = _plain(" ".join(page.extract_text() for page in reader.pages[1:4]))
    assert all(title in contents for title in CADRE)  # level 2: the contents show it
    assert "Première séance" not in contents  # level 4: they do not


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open, self._text = tag, ""

    def handle_endtag(self, tag):
        if tag == self._open:
            self.found[_plain(self._text)], self._open = tag, None

    def handle_data(self, data):
        if self._open:
            self._text += data


def test_html_sub_headings_are_h2_to_h4(built):
    parser = _Headings()
    parser.feed((built / "strategie.html").read_text(encoding="utf-8"))
    assert {title: parser.found.get(title) for title in EXPECTED} == {t: f"h{n}" for t, n in EXPECTED.items()}


def test_the_markdown_output_has_the_shifted_levels(built):
    lines = (built / "strategie.md").read_text(encoding="utf-8").splitlines()
    for title, level in EXPECTED.items():
        assert "#" * level + " " + title in [_plain(line) for line in lines], title


# Validation
def test_a_heading_in_a_title_is_refused_in_french(sample_copy):
    title = "Ateliers « Citoyens en herbe » dans les écoles élémentaires"
    edit(sample_copy / "actions" / "1.1.1.yaml", f"titre: {title}", f'titre: "## {title}"')
    problem = only_problem(sample_copy, "titres")
    assert problem.file.endswith("1.1.1.yaml") and problem.line == 3
    assert problem.message.startswith("titre : « ## Ateliers")
    assert "est un titre, admis seulement dans les textes longs" in problem.message
    assert "sans « # » au début de la ligne" in problem.message


def test_a_heading_in_a_text_printed_after_a_bold_lead_is_refused_where_it_stands(sample_copy):
    path = sample_copy / "evaluations" / "2025.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    difficultes: |\n") + len("    difficultes: |\n")
    path.write_text(text[:start] + "      Relogements\n      -----------\n\n" + text[start:], encoding="utf-8")
    problem = only_problem(sample_copy, "titres")
    assert problem.line == text[:start].count("\n") + 1  # the heading's own line, not the key's
    assert problem.message.startswith("difficultes : « Relogements » est un titre")
    assert "sans la ligne qui le souligne" in problem.message


def test_headings_in_every_long_text_of_the_sample_are_accepted(sample_copy):
    edit(sample_copy / "actions" / "1.1.1.yaml", "modalites: |\n", "modalites: |\n  # Organisation\n\n")
    edit(sample_copy / "evaluations" / "2025.yaml", "synthese: |\n", "synthese: |\n  ### Vue d'ensemble\n\n")
    assert [p for p in problems_of(sample_copy) if p.rule == "titres"] == []
