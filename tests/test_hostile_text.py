"""Hostile text in every text field of the sample, through every format: it prints as text and nothing else.

A partner's pull request may put anything in any text of the project, and the HTML goes on the town's website.
Every string of every file gets a payload (Markdown with attributes, scripts, raw code, metadata blocks,
citations, fenced divs, images of local files, links of every scheme); the fields where the data would no longer
validate (ids, dates, lists of values) get it back without. Then the documents are read back.
"""

from __future__ import annotations

import html.parser
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE, run

from stspd.check.validation import validate_project
from stspd.render.pandoc import GUARD, READER, pandoc_path

LINE = " [j](javascript:alert(1)) [s]{onmouseover=alert(2)} <script>alert(3)</script> @cite {{7*7}}"
BLOCK = (
    LINE
    + """

---
title: PIRATE
header-includes: <link rel="stylesheet" href="https://evil.example/x.css">
---

::: {onclick=alert(4)}
div
:::

[t]{typst:text:fill="red"} [l](https://ok.example){onclick=alert(5)} [ref][r] ![img](/etc/passwd) <javascript:alert(6)>

[r]: javascript:alert(7)
"""
)
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


def _strings(data, path=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))
    elif isinstance(data, str) and data != "secret":  # a withheld figure's mark is a value, not a text
        yield path


def _set(data, path, value):
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _lines_of(text: str) -> dict[int, tuple]:
    """The path of the scalar starting on each line of a YAML text."""
    found: dict[int, tuple] = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, (*path, key.value))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                walk(value, (*path, index))
        else:
            found[node.start_mark.line + 1] = path

    walk(yaml.compose(text), ())
    return found


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """The sample with a payload in every text that can hold one and still validate."""
    root = Path(shutil.copytree(SAMPLE, tmp_path_factory.mktemp("hostile") / "valmont"))
    files = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(root.rglob("*.yaml"))}
    originals = {(path, leaf): _get(data, leaf) for path, data in files.items() for leaf in _strings(data)}
    payloads = {key: BLOCK for key in originals}
    for _ in range(10):  # each round takes the payload (or its longer form) back where validation refuses it
        for (path, leaf), payload in payloads.items():
            _set(files[path], leaf, originals[(path, leaf)] + (payload or ""))
        for path, data in files.items():
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6), encoding="utf-8")
        problems = validate_project(root)[1]
        if not problems:
            break
        lines: dict[Path, dict[int, tuple]] = {}  # each file composed once a round, not once per problem
        for problem in problems:
            path = root / Path(problem.file).relative_to(root) if Path(problem.file).is_absolute() else Path(problem.file)
            if path not in lines:
                lines[path] = _lines_of(path.read_text(encoding="utf-8"))
            leaf = lines[path].get(problem.line)
            if (path, leaf) in payloads:
                payloads[(path, leaf)] = LINE if payloads[(path, leaf)] == BLOCK else None
    assert not problems, problems
    assert sum(payload == BLOCK for payload in payloads.values()) > 40  # the Markdown texts hold the whole payload
    return root


def _get(data, path):
    for key in path:
        data = data[key]
    return data


@pytest.fixture(scope="module")
def outputs(hostile, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = run("build", hostile, "--format", "docx,odt,pdf,html,md", "--output", out)
    assert result.exit_code == 0, result.output
    result = run("bilan", hostile, "--year", "2025", "--format", "docx,html,md", "--output", out)
    assert result.exit_code == 0, result.output
    return out


class _Attributes(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("stem", ["strategie", "bilan-2025"])
def test_the_html_has_no_live_script_handler_or_foreign_metadata(outputs, stem):
    page = (outputs / f"{stem}.html").read_text(encoding="utf-8")
    parser = _Attributes()
    parser.feed(page)
    assert "script" not in {tag for tag, _ in parser.tags}
    for tag, attributes in parser.tags:
        assert not [name for name in attributes if name.startswith("on")], (tag, attributes)
        for name in ("href", "src"):
            target = (attributes.get(name) or "#").strip().lower()
            assert target.startswith((*SAFE_SCHEMES, "data:image/")), (tag, attributes)
        assert tag != "link", attributes  # no stylesheet but stspd's own, which is inline
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1)
    assert not title.startswith("PIRATE") and 'lang="fr-FR"' in page  # the text's --- block set no metadata
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page  # the text is still there, as text
    assert "{{7*7}}" in page and "@cite" in page


def _targets(package: Path, pattern: bytes) -> list[str]:
    with zipfile.ZipFile(package) as archive:
        return [
            m.decode()
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
            for m in re.findall(pattern, archive.read(name))
        ]


@pytest.mark.parametrize("stem", ["strategie", "bilan-2025"])
def test_docx_links_go_only_to_the_web_or_mail(outputs, stem):
    relationships = _targets(outputs / f"{stem}.docx", rb'<Relationship [^>]*TargetMode="External"[^>]*>')
    links = [re.search(r'Target="([^"]*)"', relationship).group(1) for relationship in relationships]
    assert links and all(link.lower().startswith(SAFE_SCHEMES) for link in links), links
    with zipfile.ZipFile(outputs / f"{stem}.docx") as archive:
        media = [archive.read(name) for name in archive.namelist() if name.startswith("word/media/")]
        assert all(image.startswith(b"\x89PNG") for image in media)  # the logo and the bilan's charts only


def test_odt_links_go_only_to_the_web_or_mail(outputs):
    links = _targets(outputs / "strategie.odt", rb'xlink:href="([^"]*)"')
    with zipfile.ZipFile(outputs / "strategie.odt") as archive:
        pictures = [name for name in archive.namelist() if name.startswith("Pictures/")]
        # the cover's logo and the charts of the imported statistics, which stspd puts there itself
        assert "Pictures/stspd-logo.png" in pictures and all(archive.read(name).startswith(b"\x89PNG") for name in pictures)
        assert b"<dc:title>PIRATE" not in archive.read("meta.xml")
    assert all(link.lower().startswith(SAFE_SCHEMES) or link in pictures for link in links), links


def test_the_pdf_has_only_web_links_and_its_own_title(outputs):
    from pypdf import PdfReader

    reader = PdfReader(outputs / "strategie.pdf")
    assert not str(reader.metadata.get("/Title")).startswith("PIRATE")
    uris = [
        str(annotation.get_object()["/A"].get("/URI"))
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    assert all(uri.lower().startswith(SAFE_SCHEMES) for uri in uris), uris
    assert "@cite" in "".join(page.extract_text() for page in reader.pages[:30])


@pytest.mark.parametrize("stem", ["strategie", "bilan-2025"])
def test_the_markdown_output_carries_no_raw_script(outputs, stem):
    text = (outputs / f"{stem}.md").read_text(encoding="utf-8")
    assert not re.search(r"(?<!\\)<script", text)
    assert not re.search(r"(?<!\\)\{on", text)
    assert not re.search(r"^[ \t]*::: \{on", text, re.MULTILINE)


@pytest.mark.parametrize("writer", ["html5", "typst", "docx"])
def test_the_guard_alone_strips_what_the_reader_lets_through(tmp_path, writer):
    """The second line: Markdown that did not go through stspd's escaping, read and written by pandoc with the guard."""
    source = tmp_path / "in.md"
    source.write_text(
        '::: {.fiche onclick=x}\n[a](javascript:x){onclick=y} [b]{typst:text:fill="red"} `c`{=html} '
        "![d](/etc/passwd) [e](https://ok.example){style=x}\n\n# T {#t onclick=z}\n:::\n",
        encoding="utf-8",
    )
    out = tmp_path / f"out.{writer}"
    subprocess.run(
        [
            pandoc_path(),
            "-f",
            READER + "+bracketed_spans+raw_attribute",
            "-t",
            writer,
            "-s",
            "-o",
            str(out),
            "--lua-filter",
            str(GUARD),
            str(source),
        ],
        check=True,
        timeout=60,
        capture_output=True,
    )
    if writer == "docx":
        with zipfile.ZipFile(out) as archive:
            written = b"".join(archive.read(name) for name in archive.namelist() if name.endswith((".xml", ".rels")))
    else:
        written = out.read_bytes()
    for forbidden in (b"javascript", b"onclick", b'fill: "red"', b'fill="red"', b'passwd"', b"style="):
        assert forbidden not in written, forbidden
    assert b"https://ok.example" in written
