"""The document in each format from its Markdown: one pandoc run per format, in parallel under a time limit,
then what finishes pandoc's output (Typst for the PDF, the DOCX and ODT finishing)."""

from __future__ import annotations

import datetime
import hashlib
import html
import os
import sys
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

from stspd import fr
from stspd.model.types import DocumentModel
from stspd.output.stamp import BadSetting
from stspd.render import templates
from stspd.render.children import ChildError, Children, time_limit
from stspd.render.pandoc import Conversion, convert
from stspd.resources import resource_dir

# The HTML page's first link, for the keyboard: past the cover and the contents to the <main> that html_page.lua
# makes of the document's body (its id is MAIN_ID there).
SKIP_LINK = '<a class="evitement" href="#contenu-principal">Aller au contenu</a>'
HTML_PAGE = Path(__file__).resolve().parent / "html_page.lua"
VERDICTS = Path(__file__).resolve().parent / "verdicts.lua"

# Long tables must break across pages; Typst would keep a table's figure on one page and let it run off.
# A caption stays with its table (sticky: it moves with the block after it), as a heading does with what follows;
# a table's row is never split across two pages.
TYPST_PREAMBLE = (
    "#show figure: set block(breakable: true)\n"
    "#show figure.caption: it => block(sticky: true, it)\n"
    "#show heading: it => block(sticky: true, it)\n"
    "#set table.cell(breakable: false)"
)


class FormatFailure(Exception):
    """A format could not be made: said in French, naming the format."""


@dataclass(frozen=True)
class Source:
    """What pandoc converts: the Markdown, the Markdown for Typst when they differ, the files Typst reads, and
    the sources of the images stspd put in the Markdown (the only ones the text guard lets through)."""

    stem: str
    text: str
    typst_text: str
    files: dict[str, bytes]
    images: tuple[str, ...] = ()


# Files a town may adapt. They are code or layout, so they are taken only from the folder the command line names
# (--modeles), never from the project folder, which receives changes from partners.
COVER_FILE = "couverture.typ"
TEMPLATE_FILES = (
    "stspd.lua",
    "style.typ",
    COVER_FILE,
    "stspd.css",
    "reference.docx",
    "reference.odt",
    "strategie.opendocument",
)


def find_template_file(name: str, templates: Path | None = None) -> Path:
    """The town's own file from --modeles, else the one shipped."""
    if templates is not None and (templates / name).is_file():
        return templates / name
    return resource_dir("templates") / name


# What can go wrong in one format once the Markdown is made: a converter (pandoc, Typst) failing or out of time,
# a town's reference document that is not a document, a disk refusing a temporary file.
_FORMAT_FAILURES = (ChildError, OSError, zipfile.BadZipFile, SyntaxError)


def running_header(view: DocumentModel) -> str:
    """Each page's header: the territory and the period, the version when there is one, and « PROJET » first on a
    draft, so that a page printed alone cannot pass for the adopted strategy."""
    strategy = view["strategie"]
    parts = ["PROJET"] if strategy.get("statut") == "projet" else []
    parts.append(f"{view['territoire']['nom']} · STSPD {fr.years(view['periode']['debut'], view['periode']['fin'])}")
    if strategy.get("version"):
        parts.append(f"version {strategy['version']}")
    return " · ".join(parts)


class Formats:
    """Each format as pandoc's conversion and what finishes pandoc's output, run in parallel."""

    def __init__(self, view: DocumentModel, source: Source, stamp: datetime.datetime, project: Path, templates: Path | None):
        self.source = source
        self.stamp = stamp
        self.templates = templates
        self.header = running_header(view)
        self.iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        logo = view["strategie"].get("logo")
        self.logo = project / logo if logo else None
        self.logo_text = f"Logo de {view['territoire']['nom']}"

    def make(self, formats: tuple[str, ...], done: Callable[[str], None] = lambda fmt: None) -> dict[str, bytes]:
        """Every format's bytes; `done` is told of each format as it is made. Leaving early (an error, Ctrl-C) kills
        the converters, then removes their files."""
        try:
            limit = time_limit()
        except ChildError as error:
            raise BadSetting(str(error)) from None
        front, body = templates.split_front_matter(self.source.text)
        with (
            tempfile.TemporaryDirectory(prefix="stspd-") as name,
            ThreadPoolExecutor(max_workers=_cores()) as pool,
            Children(limit) as children,
        ):
            self.folder, self.children = Path(name), children
            (self.folder / "in.md").write_text(body, encoding="utf-8")
            self.sources = {"": self.folder / "in.md"}
            if self.source.typst_text != self.source.text:  # the bilan's Typst names its charts by file
                (self.folder / "in-typst.md").write_text(
                    templates.split_front_matter(self.source.typst_text)[1], encoding="utf-8"
                )
                self.sources["pdf"] = self.folder / "in-typst.md"
            images = "".join(f"  - {hashlib.sha1(src.encode()).hexdigest()}\n" for src in self.source.images)
            (self.folder / "meta.yaml").write_text(
                front + "stspd-images:\n" + (images or "  []\n") + _verdict_colours(), encoding="utf-8"
            )
            # The longest chains first (pandoc then Typst; ODT's writer is pandoc's slowest): with a few cores the
            # last one to start then ends about when the others do.
            futures = {fmt: pool.submit(self._one, fmt, done) for fmt in sorted(formats, key=_LONGEST_FIRST.index)}
            try:
                pending = set(futures.values())
                while pending:
                    # Waited for a while at a time, never without end: Ctrl-C or SIGTERM may be taken by a worker
                    # thread, and then only the main thread's next bytecode raises it (a lock held forever would not).
                    finished, pending = wait(pending, timeout=_SIGNAL_LATENCY, return_when=FIRST_EXCEPTION)
                    for future in finished:
                        future.result()  # the first failure ends the build
                return {fmt: future.result() for fmt, future in futures.items()}
            except BaseException:
                children.kill_all()  # the others are of no use now; the pool then ends quickly
                for future in futures.values():
                    future.cancel()
                raise

    def _one(self, fmt: str, done: Callable[[str], None]) -> bytes:
        made = self._made(fmt)
        done(fmt)
        return made

    def _made(self, fmt: str) -> bytes:
        if fmt == "md":
            return self.source.text.encode("utf-8")
        conversion, finish = getattr(self, f"_{fmt}")()
        try:
            converted = convert(
                self.children,
                self.folder,
                self.sources.get(fmt, self.sources[""]),
                conversion,
                self.folder / "meta.yaml",
                self._file("stspd.lua"),
                int(self.stamp.timestamp()),
            )
            return finish(converted)
        except _FORMAT_FAILURES as error:
            raise FormatFailure(f"le format {fmt} n'a pas pu être produit : {error}") from None

    def _file(self, name: str) -> Path:
        return find_template_file(name, self.templates)

    def _docx(self) -> tuple[Conversion, Callable[[bytes], bytes]]:
        def finish(docx: bytes) -> bytes:
            from stspd.render.docx_finish import postprocess

            return postprocess(docx, self.header, self.logo, self.iso, self.logo_text)

        return Conversion("docx", "docx", reference_doc=self._file("reference.docx"), filters=(VERDICTS,)), finish

    def _odt(self) -> tuple[Conversion, Callable[[bytes], bytes]]:
        def finish(odt: bytes) -> bytes:
            from stspd.output.zips import normalise_zip
            from stspd.render.odt_finish import edits

            return normalise_zip(odt, self.iso, *edits(self.header, self.logo, self.logo_text))

        return Conversion(
            "odt",
            "odt",
            template=self._file("strategie.opendocument"),
            reference_doc=self._file("reference.odt"),
            filters=(VERDICTS,),
        ), finish

    def _html(self) -> tuple[Conversion, Callable[[bytes], bytes]]:
        # The page's stylesheet is the town's or stspd's, inline: the page stays one file. Pandoc's own is left out,
        # which the stylesheet would otherwise have to undo rule by rule.
        style = self._file("stspd.css").read_text(encoding="utf-8")
        before = [SKIP_LINK]
        if self.logo:  # a data URI keeps the page one self-contained file
            import base64

            kind = "png" if self.logo.suffix.lower() == ".png" else "jpeg"
            data = base64.b64encode(self.logo.read_bytes()).decode()
            alt = html.escape(self.logo_text, quote=True)  # the territory's name is the project's text
            before.append(f'<img class="logo" src="data:image/{kind};base64,{data}" alt="{alt}" width="120">')
        variables = {"header-includes": f"<style>\n{style}</style>", "document-css": False, "include-before": before}
        return Conversion("html", "html5", variables=variables, filters=(VERDICTS, HTML_PAGE)), lambda html: html

    def _pdf(self) -> tuple[Conversion, Callable[[bytes], bytes]]:
        style = self._file("style.typ").read_text(encoding="utf-8")
        variables = {
            "papersize": "a4",
            "margin": {"x": "2.2cm", "y": "2cm"},  # the DOCX and ODT's margins
            "mainfont": "Carlito",
            "fontsize": "10pt",
            "template": COVER_FILE,  # its `conf` lays out the cover page
            "header-includes": TYPST_PREAMBLE,
            "include-before": style,
        }
        logo_name = f"logo{self.logo.suffix.lower()}" if self.logo else ""

        def finish(typst_source: bytes) -> bytes:
            folder = self.folder / "typst"  # Typst's root: it reads no file outside it
            folder.mkdir()
            cover = self._file(COVER_FILE).read_bytes()
            files = {**self.source.files, "document.typ": typst_source, COVER_FILE: cover}
            if self.logo and logo_name:
                files[logo_name] = self.logo.read_bytes()
            for name, content in files.items():
                (folder / name).write_bytes(content)
            command = [
                sys.executable,
                "-m",
                "stspd.render.typst_compile",
                str(folder),
                str(folder / "document.typ"),
                str(self.folder / "out.pdf"),
                str(int(self.stamp.timestamp())),
                self.header,
                logo_name,
            ]
            self.children.run(command, "Typst (pdf)")
            return (self.folder / "out.pdf").read_bytes()

        # style.typ places the contents
        return Conversion("pdf", "typst", variables=variables, toc=False, filters=(VERDICTS,)), finish


def _verdict_colours() -> str:
    """The verdicts' colours for verdicts.lua, as metadata: the palette stays in one place."""
    from stspd.exchange.grid_files import VERDICT_COLOURS

    pairs = "".join(f'  "{verdict}": {{fond: "{fill}", texte: "{text}"}}\n' for verdict, (fill, text) in VERDICT_COLOURS.items())
    return "stspd-verdicts:\n" + pairs


_SIGNAL_LATENCY = 0.2  # seconds between two looks at the signals while the formats are made

_LONGEST_FIRST = ("pdf", "odt", "docx", "html", "md")


def _cores() -> int:
    """The cores this process may use (a container may be given fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
