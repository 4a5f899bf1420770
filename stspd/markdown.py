"""The document as pandoc Markdown, from Jinja2 templates run in the sandbox.

User text is data, never template: it is inserted, not evaluated. Single-line fields are escaped so that
they cannot open a heading, a table cell or a link; Markdown fields keep the Markdown of a report (paragraphs,
emphasis, lists, links, tables) and lose the syntax of everything else (attributes, divs, images, raw HTML).
"""

from __future__ import annotations

import json
import operator
import re
from pathlib import Path
from typing import Any

from jinja2 import BytecodeCache, ChainableUndefined, ChoiceLoader, FileSystemBytecodeCache, FileSystemLoader, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from . import __version__, fr, rows
from .resources import resource_dir

# What could open Markdown syntax in an inline place; apostrophes and dashes stay for smart typography.
_MARKUP = re.compile(r"([\\`*_\[\]#|<>!$~^@{}&])")


def inline(value: object) -> str:
    """Text for an inline place (heading, table cell, list item): one line, every Markdown character escaped."""
    text = " ".join(str(value).split())
    return _MARKUP.sub(r"\\\1", text)


# In a user's Markdown, the characters that open what a report's text may not hold: attributes ({…}), images
# (![…]), raw HTML and autolinks other than web and mail ones (<…>), citations (@), and fenced divs (:::) that
# would close the template's own blocks.
_NOT_REPORT_MARKDOWN = re.compile(r"[{}@]|!(?=\[)|<(?!(?:https?://|mailto:)[^\s<>]*>)|(?<=^)[ \t]*(?=:::)", re.MULTILINE)


def report_markdown(value: object) -> str:
    """A user's Markdown, with only a report's syntax left: the rest is escaped, to print as typed."""
    return _NOT_REPORT_MARKDOWN.sub(_escaped, str(value).strip())


def _escaped(found: re.Match) -> str:
    text = found.group(0)
    return text + "\\" if not text or text.isspace() else "\\" + text  # a fence's indent stays before the escape


def block(value: object) -> str:
    """A user's Markdown paragraph(s), ended by a blank line so that what follows starts afresh."""
    return report_markdown(value) + "\n\n"


def list_item(value: object) -> str:
    """A user's Markdown inside a list item: following lines indented to stay in the item."""
    return report_markdown(value).replace("\n", "\n  ")


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


class TemplateFailure(Exception):
    """A template could not be rendered: said in French, naming the template where Jinja knows it."""


_LARGEST_RESULT = 10_000_000  # characters or items: a whole document is under 1,000,000


class _BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, with its arithmetic bounded: `'x' * 10**10` or `10**10**10` in a town's template ends in an
    error rather than in a machine out of memory or time. (Its own `range` already stops at 100,000 items.)"""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if (
            operator_name == "**"
            and isinstance(right, int)
            and abs(right) > 64
            and not (isinstance(left, int) and abs(left) <= 1)
        ):
            raise TemplateFailure(f"un modèle calcule une puissance démesurée ({left!r} ** {right!r})")
        if operator_name == "*" and isinstance(left, (str, list, tuple)) != isinstance(right, (str, list, tuple)):
            sequence, times = (left, right) if isinstance(left, (str, list, tuple)) else (right, left)
            if isinstance(times, int) and len(sequence) * times > _LARGEST_RESULT:
                raise TemplateFailure(f"un modèle répète un texte ou une liste {times} fois : résultat démesuré")
        return {"*": operator.mul, "**": operator.pow}[operator_name](left, right)


def environment(overrides: Path | None = None) -> SandboxedEnvironment:
    """Templates of `overrides` first (a town's own), then the defaults."""
    loaders = [FileSystemLoader(str(overrides))] if overrides else []
    env = _BoundedEnvironment(
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
    """The document's Markdown. Raises TemplateFailure when a template (stspd's or a town's) fails."""
    from jinja2 import TemplateSyntaxError

    try:
        text = environment(overrides).get_template(template).render(**model, **extra)
    except TemplateSyntaxError as error:
        raise TemplateFailure(f"modèle {error.filename or error.name}, ligne {error.lineno} : {error.message}") from None
    except TemplateError as error:  # the sandbox refusing an attribute is one of these
        raise TemplateFailure(f"un modèle a échoué : {error}") from None
    except (OverflowError, MemoryError, RecursionError) as error:  # range(10**9) and the like
        raise TemplateFailure(f"{_where(error)} : calcul démesuré ({error})") from None
    except (TypeError, ValueError, ArithmeticError, LookupError, AttributeError) as error:  # `5 | length` in a town's template
        raise TemplateFailure(f"{_where(error)} : {type(error).__name__} : {error}") from None
    text = _HEADING_AFTER_TEXT.sub(r"\n\n\1", text)  # pandoc reads a heading only after a blank line
    return typography(re.sub(r"\n{3,}", "\n\n", text))  # blank runs are template whitespace, not meaning


def _where(error: BaseException) -> str:
    """« modèle annexes.md.j2, ligne 3 »: Jinja puts the template's lines into the traceback it raises."""
    import traceback

    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith(".j2")]
    return f"modèle {Path(frames[-1].filename).name}, ligne {frames[-1].lineno}" if frames else "un modèle a échoué"


_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)(?:---|\.\.\.)\n", re.DOTALL)


def split_front_matter(text: str) -> tuple[str, str]:
    """The template's metadata block (YAML, at the very top) and the rest. pandoc reads the block as a metadata
    file, and its reader reads no metadata at all: a `---` block in a user's text stays text."""
    found = _FRONT_MATTER.match(text)
    return (found.group(1), text[found.end() :]) if found else ("", text)
