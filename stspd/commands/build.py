"""`stspd build` and `stspd bilan`: the strategy document, or the bilan of a year or of the whole period, in DOCX,
ODT, PDF, HTML, Markdown.

load → check → model → Markdown (Jinja2) → pandoc, one run per format, in parallel (then Typst for the PDF) →
finishing (DOCX, ODT) → every file written, or none. Nothing is written unless the data are valid and every
format was made.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stspd import fr
from stspd.commands.errors import BuildError, Misuse
from stspd.commands.valid import valid_model
from stspd.model.types import DocumentModel
from stspd.output import atomic
from stspd.output.stamp import timestamp
from stspd.render import templates
from stspd.render.documents import TEMPLATE_FILES, FormatFailure, Formats, Source

FORMATS = ("docx", "odt", "pdf", "html", "md")
STEM = "strategie"


@dataclass(frozen=True)
class Settings:
    project: Path
    formats: tuple[str, ...]
    output: Path
    templates: Path | None = None
    bilan: bool = False  # the yearly bilan instead of the strategy
    changes_since: str | None = None  # a git revision: the strategy ends with what changed since it
    year: int | None = None  # the bilan's year; None: the last one evaluated
    period: bool = False  # the bilan of the period, from the strategy's first year to `year`


def build_documents(
    settings: Settings, warn: Callable[[str], None] = print, done: Callable[[str], None] = lambda fmt: None
) -> list[Path]:
    """Write the requested formats into the output folder; returns the files written. `warn` is told of template
    files left in the project folder, which are not used there; `done`, of each format once it is made."""
    return atomic.write_all(make_documents(settings, warn, done))


def stale_documents(settings: Settings, warn: Callable[[str], None] = print) -> list[tuple[Path, str]]:
    """The outputs that are not what the project makes now, each with why (« absent », « périmé »); nothing is
    written. Outputs are the same bytes for the same input, so the comparison is exact."""
    stale = []
    for path, content in make_documents(settings, warn).items():
        if not path.is_file():
            stale.append((path, "absent"))
        elif path.read_bytes() != content:
            stale.append((path, "périmé"))
    return stale


def rebuild_command(settings: Settings) -> str:
    """The `stspd build` that writes what `stale_documents` compared: every option that shapes the documents is
    repeated, or following the hint would write other documents (without the annex, in the default templates)."""
    import shlex

    words = ["stspd", "build", str(settings.project), "--format", ",".join(settings.formats), "--sortie", str(settings.output)]
    if settings.templates is not None:
        words += ["--modeles", str(settings.templates)]
    if settings.changes_since is not None:
        words += ["--modifications-depuis", settings.changes_since]
    return shlex.join(words)


def make_documents(
    settings: Settings, warn: Callable[[str], None] = print, done: Callable[[str], None] = lambda fmt: None
) -> dict[Path, bytes]:
    """The requested formats, by the path each goes to in the output folder."""
    for name in TEMPLATE_FILES:
        if (settings.project / name).exists():
            warn(
                f"{settings.project / name} n'est pas utilisé ; un modèle de la commune se donne avec --modeles DOSSIER "
                "(le dossier du projet ne contient que des données)"
            )
    _, view = valid_model(settings.project)
    stamp = timestamp(view["strategie"])
    source = _bilan_source(view, settings) if settings.bilan else _strategy_source(view, settings, stamp)
    try:
        made = Formats(view, source, stamp, settings.project, settings.templates).make(settings.formats, done)
    except FormatFailure as error:
        raise BuildError(str(error)) from None
    return {settings.output / f"{source.stem}.{fmt}": made[fmt] for fmt in settings.formats}


def _strategy_source(view: DocumentModel, settings: Settings, stamp: datetime.datetime) -> Source:
    build_date = fr.date(stamp.date()) if "SOURCE_DATE_EPOCH" in os.environ else None
    changes = _changes_since(settings) if settings.changes_since else None
    imported = [table for table in view["diagnostic"].get("statistiques", []) if table.get("origine")]
    images, descriptions = {}, {}
    if imported:  # the charts of the public data the diagnostic imported (stspd diagnostic import-ssmsi)
        from stspd.render import charts

        images, descriptions = charts.statistics_charts(imported), charts.statistics_descriptions(imported)
    return _with_charts(
        view, settings, "strategie.md.j2", STEM, images, descriptions, build_date=build_date, modifications=changes
    )


def _changes_since(settings: Settings) -> dict:
    """The annex « Tableau des modifications »: what changed in the project since a git revision, in words."""
    from stspd.commands.diff import NothingToCompare, compare_states
    from stspd.compare.elements import KINDS
    from stspd.compare.revision import NotInRepository

    assert settings.changes_since is not None
    try:
        comparison = compare_states((settings.changes_since, str(settings.project)))
    except NothingToCompare as error:
        raise Misuse(f"--modifications-depuis {settings.changes_since} : {error}") from None
    except NotInRepository as error:
        raise Misuse(
            f"--modifications-depuis {settings.changes_since} : le projet « {error.root} » n'est pas dans un dépôt git, "
            "et le tableau des modifications compare le projet à une révision de son dépôt ; versionnez le projet "
            "(git init, git add, git commit, puis git tag pour nommer la version adoptée) ou construisez sans cette option"
        ) from None
    return {
        "depuis": comparison.before,
        "lignes": [[KINDS[change.kind][0], change.sentence] for change in comparison.changes],
    }


def _bilan_source(view: DocumentModel, settings: Settings) -> Source:
    """The bilan of a year, or of the period up to it, its charts embedded (data URIs) for pandoc, and as files
    beside the Typst source."""
    from stspd.evaluation import bilan
    from stspd.render import charts

    evaluated = sorted(bilan.years(view))
    if not evaluated:
        raise Misuse("le projet n'a aucune évaluation (evaluations/AAAA.yaml) : pas de bilan possible")
    year = evaluated[-1] if settings.year is None else settings.year
    if year not in evaluated:
        raise Misuse(f"--annee {year} : aucune évaluation cette année-là (évaluations : {', '.join(map(str, evaluated))})")
    if settings.period:
        from stspd.evaluation import period

        whole = period.period_content(view, year)
        images = {"etats-par-annee.png": charts.states_per_year(whole)}
        return _with_charts(whole, settings, "bilan-periode.md.j2", f"bilan-periode-{whole['debut']}-{year}", images, {})
    content = bilan.bilan_content(view, year)
    images = charts.all_charts(content)
    return _with_charts(content, settings, "bilan.md.j2", f"bilan-{year}", images, charts.descriptions(content))


def _with_charts(
    content: Mapping[str, Any],
    settings: Settings,
    template: str,
    stem: str,
    images: dict[str, bytes],
    descriptions: dict[str, str],
    **extra,
) -> Source:
    """The Markdown of `template`: for pandoc with the charts as data URIs, for Typst with them as files (the same
    text when there is no chart)."""
    import base64

    inline = {name: "data:image/png;base64," + base64.b64encode(png).decode() for name, png in images.items()}
    text = _render_markdown(content, settings, template, images=inline, descriptions=descriptions, **extra)
    typst_text = (
        _render_markdown(content, settings, template, images={name: name for name in images}, descriptions=descriptions, **extra)
        if images
        else text
    )
    return Source(stem, text, typst_text, images, (*inline.values(), *images))


def _render_markdown(view: Mapping[str, Any], settings: Settings, template: str, **extra) -> str:
    try:
        return templates.render(view, template, overrides=settings.templates, **extra)
    except templates.TemplateFailure as error:
        raise BuildError(str(error)) from None
