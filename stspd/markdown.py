"""The document as pandoc Markdown, from Jinja2 templates run in the sandbox.

User text is data, never template: it is inserted, not evaluated. Single-line fields are escaped so that
they cannot open a heading, a table cell or a link; Markdown fields are passed as Markdown.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import BytecodeCache, ChainableUndefined, ChoiceLoader, FileSystemBytecodeCache, FileSystemLoader
from jinja2.sandbox import SandboxedEnvironment

from . import __version__, fr, rows
from .resources import resource_dir

# What could open Markdown syntax in an inline place; apostrophes and dashes stay for smart typography.
_MARKUP = re.compile(r"([\\`*_\[\]#|<>!$~^@{}&])")


def inline(value: object) -> str:
    """Text for an inline place (heading, table cell, list item): one line, every Markdown character escaped."""
    text = " ".join(str(value).split())
    return _MARKUP.sub(r"\\\1", text)


def block(value: object) -> str:
    """A user's Markdown paragraph(s), as typed, ended by a blank line so that what follows starts afresh."""
    return str(value).strip() + "\n\n"


def list_item(value: object) -> str:
    """A user's Markdown inside a list item: following lines indented to stay in the item."""
    return str(value).strip().replace("\n", "\n  ")


def table(headers: list[str], widths: list[int], rows: list[list[str]], caption: str | None = None) -> str:
    """A pipe table. `widths` are relative; the separator is long enough that pandoc honours them."""
    total = sum(widths)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("-" * max(3, w * 100 // total) for w in widths) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    if caption:
        lines += ["", f": {caption}"]
    return "\n" + "\n".join(lines) + "\n\n"


def slug(value: object) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", str(value)).strip("-").lower()


class _CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates kept in the user's temporary folder: compiling them is half of rendering the document.
    Keyed by the template's text and stspd's version; a cache that cannot be written only makes builds slower."""

    def __init__(self) -> None:
        super().__init__(pattern=f"__stspd_{__version__}_%s.cache")

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _compiled_templates() -> BytecodeCache | None:
    try:
        return _CompiledTemplates()
    except (OSError, RuntimeError):  # no private temporary folder to be had
        return None


def environment(overrides: Path | None = None) -> SandboxedEnvironment:
    """Templates of `overrides` first (a town's own), then the defaults."""
    loaders = [FileSystemLoader(str(overrides))] if overrides else []
    env = SandboxedEnvironment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(str(resource_dir("templates")))]),
        undefined=ChainableUndefined,  # optional YAML keys are simply absent
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_compiled_templates(),
    )
    env.globals["table"] = table
    env.tests["startswith_text"] = lambda value, prefix: str(value).startswith(prefix)
    env.filters.update(
        inline=inline,
        md=block,
        md_inline_block=list_item,
        slug=slug,
        yamlstr=lambda value: json.dumps(value, ensure_ascii=False),  # a JSON string is a YAML string
        nombre=fr.number,
        euros=fr.euros,
        date_fr=fr.date,
        mois=fr.month,
        pourcent=fr.percent,
        **rows.FILTERS,
    )
    return env


# Each pattern starts with a plain character and looks behind only where one is found: a pattern that starts with
# a look-behind is tried at every position of the document's 175,000 characters (10 ms instead of 3).
_HEADING_AFTER_TEXT = re.compile(r"\n(?<=[^\n]\n)(#{1,6} )")
_SPACE_BEFORE_COLON = re.compile(r" (?<=\S )([:»])")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" (?<=\S )([;?!])")
_SPACE_AFTER_GUILLEMET = re.compile(r"« ")


def typography(text: str) -> str:
    """French spacing made non-breaking where the author typed a space: « a : b ; c ? » keeps its lines together."""
    text = _SPACE_BEFORE_COLON.sub("\u00a0\\1", text)
    text = _SPACE_BEFORE_PUNCTUATION.sub("\u202f\\1", text)
    return _SPACE_AFTER_GUILLEMET.sub("«\u00a0", text)


def render(model: dict, template: str = "strategie.md.j2", overrides: Path | None = None, **extra) -> str:
    text = environment(overrides).get_template(template).render(**model, **extra)
    text = _HEADING_AFTER_TEXT.sub(r"\n\n\1", text)  # pandoc reads a heading only after a blank line
    return typography(re.sub(r"\n{3,}", "\n\n", text))  # blank runs are template whitespace, not meaning
