"""Problems written for a reader: text for a terminal, JSON for tools, GitHub annotations for CI."""

from __future__ import annotations

import json

from .problems import Problem

FORMATS = ("text", "json", "github")


def render(problems: list[Problem], fmt: str, summary: str) -> str:
    return {"text": _text, "json": _json, "github": _github}[fmt](problems, summary)


def _text(problems: list[Problem], summary: str) -> str:
    blocks = []
    for p in problems:
        where = f"{p.file}:{p.line}:{p.column}" if p.line else p.file
        block = [f"{where}: {p.message} [{p.rule}]"]
        if p.source_line:
            gutter = f"{p.line:>5} | "
            block.append(gutter + p.source_line)
            block.append(" " * (len(gutter) - 2) + "| " + " " * _display_width(p.source_line[: max(p.column - 1, 0)]) + "^")
        blocks.append("\n".join(block))
    return "\n\n".join([*blocks, summary]) + "\n"


def _display_width(prefix: str) -> int:
    return sum(4 if ch == "\t" else 1 for ch in prefix)


def _json(problems: list[Problem], summary: str) -> str:
    return json.dumps({"valide": not problems, "resume": summary, "erreurs": [p.as_dict() for p in problems]}, ensure_ascii=False, indent=2) + "\n"


def _github(problems: list[Problem], summary: str) -> str:
    # Workflow commands: https://docs.github.com/actions/reference/workflow-commands-for-github-actions
    lines = []
    for p in problems:
        place = f"file={_escape_property(p.file)}"
        if p.line:
            place += f",line={p.line},col={p.column}"
        lines.append(f"::error {place},title=stspd {p.rule}::{_escape_data(p.message)}")
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
