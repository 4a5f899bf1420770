"""The document as pandoc Markdown, from Jinja2 templates run in the sandbox (a town's own first, then stspd's).

The templates insert user text through the filters of markdown_syntax and filters, never evaluate it."""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from stspd import fr
from stspd.render import filters
from stspd.render.markdown_syntax import block, inline, list_item, slug, table, typography
from stspd.resources import resource_dir


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
    )
    env.globals["table"] = table
    env.globals["signature_table"] = filters.signature_table
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
        accord=fr.agreed,
        annees=lambda period: fr.years(period["debut"], period["fin"]),
        **filters.FILTERS,
    )
    return env


# Starts with a plain character and looks behind only where one is found (see markdown_syntax's patterns).
_HEADING_AFTER_TEXT = re.compile(r"\n(?<=[^\n]\n)(#{1,6} )")


def render(model: Mapping[str, Any], template: str = "strategie.md.j2", overrides: Path | None = None, **extra) -> str:
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
