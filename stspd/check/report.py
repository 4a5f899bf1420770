"""Problems written for a reader: text for a terminal, JSON for tools, GitHub annotations for CI."""

from __future__ import annotations

import json
import re

from stspd.problems import Problem

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


def render(problems: list[Problem], fmt: str, summary: str) -> str:
    return {"text": _text, "json": _json, "github": _github}[fmt](problems, summary)


def _text(problems: list[Problem], summary: str) -> str:
    blocks = []
    for p in problems:
        where = f"{visible(p.file)}:{p.line}:{p.column}" if p.line else visible(p.file)
        block = [f"{where}: {visible(p.message)} [{p.rule}]"]
        if p.source_line:
            gutter = f"{p.line:>5} | "
            block.append(gutter + visible(p.source_line, keep="\t"))
            prefix = visible(p.source_line[: max(p.column - 1, 0)], keep="\t")  # the caret under the stand-ins too
            block.append(" " * (len(gutter) - 2) + "| " + " " * _display_width(prefix) + "^")
        blocks.append("\n".join(block))
    return "\n\n".join([*blocks, summary]) + "\n"


def _display_width(prefix: str) -> int:
    return sum(4 if ch == "\t" else 1 for ch in prefix)


def _json(problems: list[Problem], summary: str) -> str:
    text = json.dumps(
        {"valide": not problems, "resume": summary, "erreurs": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=2
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
        lines.append(f"::error {place},title=stspd {p.rule}::{_escape_data(visible(p.message))}")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def summary(project, problems: list[Problem]) -> str:
    """The report's last line: how many problems in how many files, or what the valid project holds."""
    if problems:
        files = len({p.file for p in problems})
        return f"{_count(len(problems), 'erreur', 'erreurs')} dans {_count(files, 'fichier', 'fichiers')} : le projet n'est pas valide."
    data = project.strategie.data
    objectives = sum(len(axe["objectifs"]) for axe in data["axes"])
    years = ", ".join(str(doc.data["annee"]) for doc in project.evaluations)
    evaluations = f", {_count(len(project.evaluations), 'évaluation', 'évaluations')} ({years})" if years else ""
    return (
        f"Projet valide : {_count(len(data['axes']), 'axe', 'axes')}, {_count(objectives, 'objectif', 'objectifs')}, "
        f"{_count(len(project.fiches), 'fiche action', 'fiches actions')}{evaluations}."
    )


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number < 2 else plural}"
