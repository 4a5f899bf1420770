"""`stspd build` and `stspd bilan`: the strategy document, or the yearly bilan, in DOCX, ODT, PDF, HTML, Markdown.

read → model → Markdown (Jinja2) → pandoc (one run per format, in parallel) → post-processing → files.
The schemas and cross-checks run while pandoc works (it is a separate process): they cost nothing then, and
they still decide. Nothing is written unless the data are valid and every format was made; each file is
replaced whole.
"""

from __future__ import annotations

import datetime
import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import atomic, fr, markdown, model
from .pandoc import Output, PandocRun, convert
from .problems import Problem
from .project import load_project, paused_gc
from .resources import resource_dir

FORMATS = ("docx", "odt", "pdf", "html", "md")
# What each format's finishing step imports: imported while pandoc works, it is off the critical path.
FINISHING_MODULES = {"docx": ("stspd.docx_post",), "odt": ("stspd.odt_post",), "pdf": ("typst",)}
STEM = "strategie"
HTML_STYLE = """<style>
body { max-width: 52em; font-family: Calibri, Carlito, "Segoe UI", Arial, sans-serif; line-height: 1.45; }
h1, h2, h3 { color: #1F3864; } h1 { border-bottom: 1px solid #1F3864; }
table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }
th { background: #1F3864; color: #fff; text-align: left; }
th, td { border: 1px solid #BFBFBF; padding: .25em .5em; vertical-align: top; }
caption { caption-side: bottom; font-style: italic; color: #595959; }
.nouvelle-page { break-before: page; }
</style>"""
# Long tables must break across pages; Typst would keep a table's figure on one page and let it run off.
TYPST_PREAMBLE = "#show figure: set block(breakable: true)"


class BuildError(Exception):
    """A template or a converter failed: said in French, with what failed."""


class InvalidProject(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    project: Path
    formats: tuple[str, ...]
    output: Path
    templates: Path | None = None
    year: int | None = None  # set: the bilan of that year, instead of the strategy


@dataclass(frozen=True)
class Source:
    """What pandoc converts: the Markdown, the Markdown for Typst when they differ, the files Typst reads."""

    stem: str
    text: str
    typst_text: str
    files: dict[str, bytes]


def build(settings: Settings) -> list[Path]:
    """Write the requested formats into the output folder; returns the files written."""
    with paused_gc():  # only around reading and checking: matplotlib's transforms need the collector
        project = load_project(settings.project)
    try:
        view = model.build(project)
        stamp = timestamp(view["strategie"])
        source = _bilan_source(view, settings) if settings.year else _strategy_source(view, settings, stamp)
    except Exception:  # noqa: BLE001 - invalid data may break the model before validation has spoken
        problems = _checked(project)
        if problems:
            raise InvalidProject(problems) from None
        raise
    context = _Context(settings, view, source, stamp)
    completes = context.launch(settings.formats)  # the pandoc processes work from now on
    problems = _checked(project)
    if problems:
        context.cancel()
        raise InvalidProject(problems)
    for fmt in settings.formats:
        for module in FINISHING_MODULES.get(fmt, ()):
            importlib.import_module(module)
    from concurrent.futures import ThreadPoolExecutor  # here, like the checks: imported while pandoc works

    with ThreadPoolExecutor(max_workers=len(completes)) as pool:
        made = dict(zip(completes, pool.map(lambda complete: complete(), completes.values())))
    written = []
    for fmt in settings.formats:  # only now, every format being complete
        path = settings.output / f"{source.stem}.{fmt}"
        atomic.write_bytes(path, made[fmt])
        written.append(path)
    return written


def _checked(project) -> list[Problem]:
    from .validate import check_project  # imported once pandoc runs: the schemas and rules are off its path

    with paused_gc():
        return check_project(project)


def _strategy_source(view: dict, settings: Settings, stamp: datetime.datetime) -> Source:
    build_date = fr.date(stamp.date()) if "SOURCE_DATE_EPOCH" in os.environ else None
    text = _render_markdown(view, settings, "strategie.md.j2", build_date=build_date)
    return Source(STEM, text, text, {})


def _bilan_source(view: dict, settings: Settings) -> Source:
    """The bilan, its charts embedded (data URIs) for pandoc, and as files beside the Typst source."""
    import base64

    from . import bilan, charts

    if settings.year not in bilan.years(view):
        raise BuildError(f"aucune évaluation pour {settings.year} (évaluations : {', '.join(map(str, bilan.years(view))) or 'aucune'})")
    view = bilan.build(view, settings.year)
    images = charts.all_charts(view)
    inline = {name: "data:image/png;base64," + base64.b64encode(png).decode() for name, png in images.items()}
    text = _render_markdown(view, settings, "bilan.md.j2", images=inline)
    typst_text = _render_markdown(view, settings, "bilan.md.j2", images={name: name for name in images})
    return Source(f"bilan-{settings.year}", text, typst_text, images)


def _render_markdown(view: dict, settings: Settings, template: str, **extra) -> str:
    from jinja2 import TemplateError, TemplateSyntaxError

    try:
        return markdown.render(view, template, overrides=settings.templates, **extra)
    except TemplateSyntaxError as error:
        raise BuildError(f"modèle {error.filename or error.name}, ligne {error.lineno} : {error.message}") from None
    except TemplateError as error:  # the sandbox refusing an attribute is one of these
        raise BuildError(f"un modèle a échoué : {error}") from None


def timestamp(strategie: dict) -> datetime.datetime:
    """The date the documents carry: SOURCE_DATE_EPOCH, else the adoption date, else a fixed date."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        return datetime.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), tz=datetime.timezone.utc)
    adopted = (strategie.get("adoption") or {}).get("date")
    day = datetime.date.fromisoformat(adopted) if adopted else datetime.date(strategie["periode"]["debut"], 1, 1)
    return datetime.datetime(day.year, day.month, day.day, tzinfo=datetime.timezone.utc)


def find_template_file(name: str, project: Path, templates: Path | None = None) -> Path | None:
    """A town's own file first (in the project, then in --templates), else the one shipped."""
    for folder in (project, templates, resource_dir("templates")):
        if folder is not None and (folder / name).is_file():
            return folder / name
    return None


# pandoc's writer for each format, in the order they are wanted: those with work left after pandoc come first.
PANDOC_WRITERS = {"docx": "docx", "pdf": "typst", "odt": "odt", "html": "html5"}
Finisher = Callable[[bytes], bytes]


class _Context:
    """Each format as what pandoc writes (an Output) and what finishes it (a function of pandoc's bytes)."""

    def __init__(self, settings: Settings, view: dict, source: Source, stamp: datetime.datetime):
        self.settings = settings
        self.view = view
        self.source = source
        self.stamp = stamp
        self.runs: list[PandocRun] = []

    def launch(self, formats: tuple[str, ...]) -> dict[str, Callable[[], bytes]]:
        """Start pandoc now for every format that needs it; returns, per format, what completes its file."""
        plans = {fmt: getattr(self, f"_{fmt}")() for fmt in PANDOC_WRITERS if fmt in formats}
        outputs = [output for output, _ in plans.values()]
        if outputs:
            self.runs = convert(self.source.text, outputs, self._file("stspd.lua"), int(self.stamp.timestamp()),
                                tuple(self.source.files))
        run_of = {output.format: run for run in self.runs for output in run.outputs}
        completes = {"md": lambda: self.source.text.encode("utf-8")}
        for fmt, (output, finish) in plans.items():
            completes[fmt] = self._completion(fmt, run_of[output.format], output.format, finish)
        return {fmt: completes[fmt] for fmt in formats}

    @staticmethod
    def _completion(fmt: str, run: PandocRun, writer: str, finish: Finisher) -> Callable[[], bytes]:
        def complete() -> bytes:
            try:
                return finish(run.result(writer))
            except BuildError:
                raise
            except Exception as error:  # noqa: BLE001 - pandoc, Typst or a reference document: name the format
                raise BuildError(f"le format {fmt} n'a pas pu être produit : {error}") from error

        return complete

    def _file(self, name: str) -> Path | None:
        return find_template_file(name, self.settings.project, self.settings.templates)

    def cancel(self) -> None:
        for run in self.runs:
            run.cancel()

    def _header(self) -> str:
        period = self.view["periode"]
        return f"{self.view['territoire']['nom']} · STSPD {period['debut']}-{period['fin']}"

    def _iso(self) -> str:
        return self.stamp.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _logo(self) -> Path | None:
        name = self.view["strategie"].get("logo")
        return self.settings.project / name if name else None

    def _docx(self) -> tuple[Output, Finisher]:
        def finish(docx: bytes) -> bytes:
            from .docx_post import postprocess

            return postprocess(docx, self._header(), self._logo(), self._iso())

        return Output("docx", reference_doc=self._file("reference.docx")), finish

    def _odt(self) -> tuple[Output, Finisher]:
        def finish(odt: bytes) -> bytes:
            from .odt_post import edits
            from .reproducible import normalise_zip

            return normalise_zip(odt, self._iso(), edits(self._header()))

        return Output("odt", template=self._file("strategie.opendocument"), reference_doc=self._file("reference.odt")), finish

    def _html(self) -> tuple[Output, Finisher]:
        variables = {"header-includes": HTML_STYLE}
        logo = self._logo()
        if logo:  # a data URI keeps the page one self-contained file
            import base64

            kind = "png" if logo.suffix.lower() == ".png" else "jpeg"
            data = base64.b64encode(logo.read_bytes()).decode()
            variables["include-before"] = f'<img class="logo" src="data:image/{kind};base64,{data}" alt="Logo" width="120">'
        return Output("html5", variables=variables), lambda html: html

    def _pdf(self) -> tuple[Output, Finisher]:
        style = self._file("style.typ").read_text(encoding="utf-8")
        logo = self._logo()
        # On the first page's background: content here would push the cover to a page of its own.
        preamble = TYPST_PREAMBLE + (
            f'\n#set page(background: context if here().page() == 1 {{ place(top + left, dx: 2.2cm, dy: 0.5cm, '
            f'image("logo{logo.suffix.lower()}", height: 1.5cm)) }})' if logo else "")
        variables = {"papersize": "a4", "margin": {"x": "2.2cm", "y": "2.5cm"}, "header-includes": preamble,
                     "include-before": style}
        own_text = self.source.typst_text if self.source.typst_text != self.source.text else None

        def finish(typst_source: bytes) -> bytes:
            import tempfile

            import typst

            with tempfile.TemporaryDirectory() as folder:
                main = Path(folder) / "document.typ"
                main.write_bytes(typst_source)
                files = {**self.source.files, **({f"logo{logo.suffix.lower()}": logo.read_bytes()} if logo else {})}
                for name, content in files.items():
                    (Path(folder) / name).write_bytes(content)
                return typst.compile(str(main), root=folder, format="pdf", timestamp=int(self.stamp.timestamp()),
                                     sys_inputs={"entete": self._header()})

        return Output("typst", variables=variables, text=own_text, toc=False), finish  # style.typ places the contents
