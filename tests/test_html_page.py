"""The HTML page a town puts on its website as it is, read back: its markup (tables a phone can read, the contents'
links, the images' text, the landmark and the skip link) and its stylesheet (captions above tables, text colours
that read, a rule for phones, one for print).

The sample's strategy and bilan are built once, in HTML only; the stylesheet is read from the page itself.
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SAMPLE, run

from stspd.commands.build import Settings, build_documents
from stspd.render.documents import HTML_PAGE
from stspd.render.pandoc import READER, pandoc_path


class _Page(HTMLParser):
    """Every element with its attributes, and each table's classes, column titles and rows of (data-colonne, text)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.tables: list[dict] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "table":
            self.tables.append({"classes": (attributes.get("class") or "").split(), "th": [], "rows": []})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td"):
            self._cell = [tag, attributes.get("data-colonne"), ""]

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell:
            kind, label, text = self._cell
            text = " ".join(text.split())
            if kind == "th":
                self.tables[-1]["th"].append(text)
            else:
                self.tables[-1]["rows"][-1].append((label, text))
            self._cell = None

    def handle_data(self, data):
        if self._cell:
            self._cell[2] += data


def _parse(path: Path) -> tuple[str, _Page]:
    text = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    return text, page


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, tuple[str, _Page]]:
    out = tmp_path_factory.mktemp("html")
    build_documents(Settings(SAMPLE, ("html",), out))
    assert run("bilan", str(SAMPLE), "--format", "html", "--output", str(out)).exit_code == 0
    return {"strategie": _parse(out / "strategie.html"), "bilan": _parse(out / "bilan-2025.html")}


@pytest.fixture(scope="module")
def strategy(pages):
    return pages["strategie"]


def _stylesheet(text: str) -> str:
    """stspd's stylesheet as the page carries it (the last <style>: pandoc's few rules come first), comments out."""
    return re.sub(r"/\*.*?\*/", "", re.findall(r"<style>(.*?)</style>", text, re.DOTALL)[-1], flags=re.DOTALL)


def _rules(css: str, media: str | None = None) -> list[tuple[str, dict[str, str]]]:
    """(selector, declarations) of the rules outside any @media block, or of those inside the @media blocks whose
    condition holds `media`."""
    rules = []
    for block, inside in _media_blocks(css):
        if (media is None) == (block is None) and (media is None or media in block):
            for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", inside):
                declarations = {
                    name.strip(): value.strip() for name, _, value in (d.partition(":") for d in body.split(";") if d.strip())
                }
                rules.append((" ".join(selector.split()), declarations))
    return rules


def _media_blocks(css: str) -> list[tuple[str | None, str]]:
    """The stylesheet cut into its @media blocks (condition, content) and what lies outside them (None, content)."""
    blocks, outside, position = [], [], 0
    for match in re.finditer(r"@media([^{]*)\{", css):
        if match.start() < position:
            continue
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        outside.append(css[position : match.start()])
        blocks.append((" ".join(match.group(1).split()), css[match.end() : end - 1]))
        position = end
    outside.append(css[position:])
    return [(None, "".join(outside)), *blocks]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# The tables
def test_wide_tables_stack_on_a_phone_each_value_beside_its_column_title(strategy):
    text, page = strategy
    wide = [t for t in page.tables if len(t["th"]) >= 3]
    assert len(wide) >= 60  # statistics, synthesis, each fiche's funding and indicators
    for table in wide:
        assert "empilable" in table["classes"], table["th"]
        for row in table["rows"]:
            if row:  # the header row holds th only
                assert [label for label, _ in row] == table["th"]
    assert [("large" in t["classes"]) for t in wide] == [len(t["th"]) >= 4 for t in wide]
    statistics = next(t for t in wide if t["th"][:3] == ["Indicateur", "Unité de compte", "2019"])
    assert ("2019", "262") in statistics["rows"][1]  # the first row is the header
    narrow = [t for t in page.tables if len(t["th"]) < 3]
    assert narrow and not any("empilable" in t["classes"] for t in narrow)  # two columns fit a phone
    phone = {selector: rule for selector, rule in _rules(_stylesheet(text), "max-width")}
    assert phone["table.empilable, table.empilable > tbody, table.empilable > tbody > tr, table.empilable > caption"] == {
        "display": "block"
    }
    assert phone["table.empilable td::before"]["content"] == "attr(data-colonne)"
    # pandoc right-aligns the figures' column in an inline style, which only !important overrides
    assert '<td style="text-align: right;" data-colonne="2019">262</td>' in text
    assert phone["table.empilable td"]["text-align"] == "left !important"


def test_a_table_of_merged_cells_or_of_two_columns_is_left_a_table(tmp_path):
    """A merged cell would be given a title that is not its own, and two columns fit a phone: neither is stacked."""
    source = tmp_path / "in.md"
    source.write_text(
        "+---+---+---+\n| a | b | c |\n+===+===+===+\n| 1     | 2 |\n+---+---+---+\n\n"
        "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        encoding="utf-8",
    )
    written = subprocess.run(
        [pandoc_path(), "-f", READER, "-t", "html5", "--lua-filter", str(HTML_PAGE), str(source)],
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout
    spanned, plain, two = re.findall(r"<table.*?</table>", written, re.DOTALL)
    assert 'colspan="2"' in spanned and "empilable" not in spanned and "data-colonne" not in spanned
    assert '<table class="empilable">' in plain and '<td data-colonne="c">3</td>' in plain
    assert "empilable" not in two and "data-colonne" not in two


def test_captions_are_above_their_tables_as_in_the_other_formats(strategy):
    text, _ = strategy
    captions = [rule for selector, rule in _rules(_stylesheet(text)) if selector == "caption"]
    assert captions and all(rule.get("caption-side") == "top" for rule in captions)
    assert "bottom" not in re.findall(r"caption-side:\s*(\w+)", text)
    assert re.findall(r"<table[^>]*>\s*<caption>", text)  # pandoc's caption, the table's first child


def test_paragraphs_keep_a_reading_measure_while_wide_tables_take_the_screen(strategy):
    text, _ = strategy
    rules = dict(_rules(_stylesheet(text)))
    measure = next(rule["max-width"] for selector, rule in rules.items() if selector.startswith("p,"))
    assert float(rules["body"]["max-width"].removesuffix("rem")) > 1.5 * float(measure.removesuffix("rem"))
    assert rules["table.large"]["max-width"] == "none"


# What every reader gets
def test_every_text_colour_reads_at_4_5_to_1_on_its_background(strategy):
    text, _ = strategy
    css = _stylesheet(text)
    page_background = dict(_rules(css))["html"]["background"]
    checked = 0
    for media in (None, "max-width"):
        for selector, rule in _rules(css, media):
            if "color" in rule:
                background = rule.get("background", page_background)
                assert _contrast(rule["color"], background) >= 4.5, (selector, rule["color"], background)
                checked += 1
    assert checked >= 10  # text, headings, subtitle, dates, captions, links, table headers, the skip link


def test_every_image_says_what_it_shows(pages):
    for name, (_, page) in pages.items():
        images = [attributes for tag, attributes in page.tags if tag == "img"]
        assert images, name
        for attributes in images:
            assert (attributes.get("alt") or "").strip(), (name, attributes.get("class"))
    _, strategy = pages["strategie"]
    assert next(a for t, a in strategy.tags if t == "img")["alt"] == "Logo de Valmont-sur-Loire"


def test_the_contents_link_to_every_part_and_the_links_look_like_links(strategy):
    text, page = strategy
    ids = {attributes["id"] for _, attributes in page.tags if "id" in attributes}
    nav = text[text.index('<nav id="TOC"') : text.index("</nav>")]
    targets = re.findall(r'<a\s+href="#([^"]+)"', nav)
    assert set(targets) <= ids
    assert {"édito", "les-données-statistiques", "tableau-de-synthèse-des-fiches-actions", "fiche-1-1-1", "annexes"} <= set(
        targets
    )
    css = _stylesheet(text)
    assert dict(_rules(css))["a"]["text-decoration"] == "underline"
    for media in (None, "max-width", "min-width"):  # on screen, wide or narrow: no link loses its underline
        assert not [selector for selector, rule in _rules(css, media) if rule.get("text-decoration") == "none"]


def test_the_page_is_french_with_a_skip_link_to_its_main_content(strategy):
    text, page = strategy
    assert 'lang="fr-FR"' in text
    body = page.tags[[tag for tag, _ in page.tags].index("body") + 1 :]
    first_tag, first = body[0]
    assert first_tag == "a" and first["href"].startswith("#")
    main = [attributes for tag, attributes in body if tag == "main"]
    assert len(main) == 1 and main[0]["id"] == first["href"][1:]
    inside = text[text.index("<main") : text.index("</main>")]
    assert '<h1 id="édito">' in inside and '<nav id="TOC"' not in inside and "title-block-header" not in inside


def test_a_browser_prints_it_on_a4_headers_coloured_and_repeated(strategy):
    text, _ = strategy
    printed = dict(_rules(_stylesheet(text), "print"))
    assert printed["@page"]["size"] == "A4"
    assert printed["thead"]["display"] == "table-header-group"
    assert printed["th"]["print-color-adjust"] == "exact"  # white on blue, never white on white
    assert any(rule.get("break-before") == "page" and ".nouvelle-page" in s for s, rule in printed.items())
    phones = [condition for condition, _ in _media_blocks(_stylesheet(text)) if condition and "max-width" in condition]
    assert phones and all(condition.startswith("screen") for condition in phones)  # a printed table stays a table


def test_a_towns_stylesheet_replaces_stspds_and_its_filter_keeps_the_pages_markup(sample_copy, tmp_path):
    """The town's stspd.css (--modeles) is the page's; one left in the project folder is not. Its own stspd.lua
    does not take away what the stylesheet and the readers rely on: html_page.lua runs after it."""
    own = tmp_path / "modeles"
    own.mkdir()
    (own / "stspd.css").write_text("h1 { color: #6A1B1B; }\n", encoding="utf-8")
    (own / "stspd.lua").write_text("-- la commune ne change rien\n", encoding="utf-8")
    (sample_copy / "stspd.css").write_text("body { background: #FF0000; }\n", encoding="utf-8")
    result = run("build", sample_copy, "--format", "html", "--output", tmp_path / "dist", "--templates", own)
    assert result.exit_code == 0, result.output
    assert "stspd.css n'est pas utilisé" in result.output
    text, page = _parse(tmp_path / "dist" / "strategie.html")
    assert _rules(_stylesheet(text)) == [("h1", {"color": "#6A1B1B"})]
    assert any("empilable" in table["classes"] for table in page.tables)
    assert [tag for tag, _ in page.tags].count("main") == 1
