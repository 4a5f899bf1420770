"""Problems written for a reader: text for a terminal, JSON for tools, GitHub annotations for CI."""

from __future__ import annotations

import json
import re
from pathlib import Path

from stspd.check.shapes import items, mapping
from stspd.problems import ERROR, SEVERITY_WORDS, TO_WRITE, WARNING, Problem

FORMATS = ("text", "json", "github")
# What must never reach a terminal as it is: control characters (an escape sequence can recolour the screen, move
# the cursor, rename the window or hide a line; a file name or a key can hold one) and the bidirectional marks that
# reorder what is shown. The C0 controls show as their Unicode pictures (␛ for ESC), the others as \u009b.
_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_UNSAFE_IN_JSON = re.compile(f"[{_BEYOND_C0}]")  # json.dumps escapes the C0 controls itself


def visible(text: str, keep: str = "") -> str:
    """`text` with every unsafe character but those in `keep` replaced by a visible stand-in."""
    return _UNSAFE.sub(lambda found: found.group() if found.group() in keep else _stand_in(found.group()), text)


def _stand_in(character: str) -> str:
    code = ord(character)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␀ ␉ ␊ ␛…
    return "\u2421" if code == 0x7F else f"\\u{code:04x}"


def report(result, fmt: str) -> str:
    """The whole report of a validation (check/validation.py's `Validation`): each problem, then the summary."""
    said = summary(result.project, result.problems, strict=result.strict)
    return render(result.problems, fmt, said, skipped=result.skipped, strict=result.strict)


def render(problems: list[Problem], fmt: str, summary: str, *, skipped=(), strict: bool = False) -> str:
    """`problems` (errors and warnings), then `summary`; `skipped`, the checks not made, are listed in JSON."""
    if fmt == "json":
        return _json(problems, summary, skipped, strict)
    return {"text": _text, "github": _github}[fmt](problems, summary)


def _text(problems: list[Problem], summary: str) -> str:
    blocks = []
    for p in problems:
        where = f"{visible(p.file)}:{p.line}:{p.column}" if p.line else visible(p.file)
        grade = f"{SEVERITY_WORDS[WARNING][0]} : " if p.is_warning else ""
        block = [f"{where}: {grade}{visible(p.message)} [{p.rule}]"]
        if p.source_line:
            gutter = f"{p.line:>5} | "
            block.append(gutter + visible(p.source_line, keep="\t"))
            prefix = visible(p.source_line[: max(p.column - 1, 0)], keep="\t")  # the caret under the stand-ins too
            block.append(" " * (len(gutter) - 2) + "| " + " " * _display_width(prefix) + "^")
        blocks.append("\n".join(block))
    return "\n\n".join([*blocks, summary]) + "\n"


def _display_width(prefix: str) -> int:
    return sum(4 if ch == "\t" else 1 for ch in prefix)


def _json(problems: list[Problem], summary: str, skipped, strict: bool) -> str:
    errors = [p.as_dict() for p in problems if not p.is_warning]
    warnings = [p.as_dict() for p in problems if p.is_warning]
    text = json.dumps(
        {
            "valide": not errors and not (strict and warnings),
            "resume": summary,
            "erreurs": errors,
            "avertissements": warnings,
            "verifications_non_faites": [s.as_dict() for s in skipped],
            "textes_a_rediger": sum(1 for p in problems if p.rule == TO_WRITE),
        },
        ensure_ascii=False,
        indent=2,
    )
    # \u escapes: the same strings for a tool, inert on a screen
    return _UNSAFE_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text) + "\n"


def _github(problems: list[Problem], summary: str) -> str:
    # Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
    lines = []
    for p in problems:
        place = f"file={_escape_property(visible(p.file))}"
        if p.line:
            place += f",line={p.line},col={p.column}"
        command = "warning" if p.is_warning else "error"
        lines.append(f"::{command} {place},title=stspd {p.rule}::{_escape_data(visible(p.message))}")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def summary(project, problems: list[Problem], strict: bool = False) -> str:
    """The report's last lines: the checks that could not be made, the texts still to write, then the verdict (how
    many problems in how many files, or what the valid project holds)."""
    errors = [p for p in problems if not p.is_warning]
    warnings = [p for p in problems if p.is_warning]
    lines = []
    skipped = getattr(project, "skipped", [])
    if skipped:
        made = "n'a pas pu être faite" if len(skipped) == 1 else "n'ont pas pu être faites"
        lines.append(f"{count(len(skipped), 'vérification', 'vérifications')} {made} : {', '.join(map(str, skipped))}.")
    to_write = [p for p in warnings if p.rule == TO_WRITE]
    if to_write:
        left = "reste" if len(to_write) == 1 else "restent"
        lines.append(f"{count(len(to_write), 'texte', 'textes')} {left} à rédiger (À rédiger : {_where(project, to_write)}).")
    failing = errors + warnings if strict else errors
    if failing:
        files = len({p.file for p in problems})
        counted = " et ".join(
            count(len(found), *SEVERITY_WORDS[severity]) for severity, found in ((ERROR, errors), (WARNING, warnings)) if found
        )
        why = " (mode strict : les avertissements comptent comme des erreurs)" if strict and not errors else ""
        lines.append(f"{counted} dans {count(files, 'fichier', 'fichiers')} : le projet n'est pas valide{why}.")
    else:
        noted = f" ; {count(len(warnings), *SEVERITY_WORDS[WARNING])}" if warnings else ""
        lines.append(f"Projet valide : {_contents(project)}{noted}.")
    return visible("\n".join(lines), keep="\n")


def _contents(project) -> str:
    """What a valid project holds: « 4 axes, 12 objectifs, 29 fiches actions, 2 évaluations (2024, 2025) »."""
    data = mapping(project.strategie.data if project.strategie else None)
    axes = [axe for _, axe in items(data.get("axes"))]
    objectives = sum(len(axe["objectifs"]) for axe in axes if isinstance(axe.get("objectifs"), list))
    years = ", ".join(str(mapping(doc.data).get("annee")) for doc in project.evaluations)
    evaluations = f", {count(len(project.evaluations), 'évaluation', 'évaluations')} ({years})" if years else ""
    return (
        f"{count(len(axes), 'axe', 'axes')}, {count(objectives, 'objectif', 'objectifs')}, "
        f"{count(len(project.fiches), 'fiche action', 'fiches actions')}{evaluations}"
    )


def _where(project, problems: list[Problem]) -> str:
    """The files `problems` stand in, in order, each with how many: « strategie.yaml, diagnostic.yaml ×2 »."""
    counts: dict[str, int] = {}
    for p in problems:
        counts[p.file] = counts.get(p.file, 0) + 1
    named = [f"{_name(project, file)}{f' ×{n}' if n > 1 else ''}" for file, n in counts.items()]
    return ", ".join(named) if len(named) <= 5 else f"{', '.join(named[:4])} et {len(named) - 4} autres fichiers"


def _name(project, file: str) -> str:
    name = getattr(project, "name", None)
    return name(Path(file)) if name else file


def count(number: int, singular: str, plural: str) -> str:
    """« 1 erreur », « 2 erreurs » (without Babel: validation does not import it)."""
    return f"{number} {singular if number < 2 else plural}"
