"""A comparison written for its reader: text for a terminal, Markdown for a merge request or a deliberation's
annex, JSON for a tool."""

from __future__ import annotations

import json

from stspd.check.report import count, visible
from stspd.compare.changes import Change, Comparison
from stspd.compare.elements import KINDS

FORMATS = ("text", "md", "json")


def render(comparison: Comparison, fmt: str) -> str:
    return {"text": _text, "md": _markdown, "json": _json}[fmt](comparison)


def _states(comparison: Comparison) -> str:
    return f"de {comparison.before} à {comparison.after}"


def _summary(comparison: Comparison) -> str:
    if not comparison.changes:
        return f"Aucun changement {_states(comparison)}."
    return f"{count(len(comparison.changes), 'changement', 'changements')} {_states(comparison)}."


def _text(comparison: Comparison) -> str:
    # Titles come from the data, of any revision: no control character reaches the terminal as it is
    lines = [visible(change.sentence) for change in comparison.changes]
    lines += [visible(f"Non lu {unread}") for unread in comparison.unread]
    return "".join(f"{line}\n" for line in [*lines, _summary(comparison)])


def _markdown(comparison: Comparison) -> str:
    lines = ["# Modifications de la stratégie", "", _summary(comparison)]
    for kind, (name, _) in KINDS.items():
        said = [change.sentence for change in comparison.changes if change.kind == kind]
        if said:
            plural = name if kind in ("strategie", "diagnostic") else f"{name}s"
            lines += ["", f"## {plural}", "", *(f"- {_one_line(sentence)}" for sentence in said)]
    if comparison.unread:
        lines += ["", "## Non lu", "", *(f"- {_one_line(unread)}" for unread in comparison.unread)]
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    """A list item stays one item, whatever a title holds."""
    return " ".join(text.split())


def _json(comparison: Comparison) -> str:
    document = {
        "avant": comparison.before,
        "apres": comparison.after,
        "changements": [_change(change) for change in comparison.changes],
        "non_lu": comparison.unread,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _change(change: Change) -> dict:
    return {
        "element": change.kind,
        "nature": change.nature,
        "id": change.element.id,
        "id_avant": change.before.id if change.before is not None else None,
        "titre": change.element.title,
        "phrase": change.sentence,
        "champs": [
            {"champ": field.label, "avant": field.before, "apres": field.after, "phrase": field.sentence}
            for field in change.fields
        ],
    }
