"""An evaluation year file updated from a collection: merged, compared, and written back as YAML."""

from __future__ import annotations

import copy
import dataclasses
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final, cast

from stspd import fr
from stspd.model.strategy import natural_key
from stspd.model.types import EntryUpdate, Evaluation, EvaluationEntry, IndicatorValue
from stspd.model.vocabulary import ETATS, NEXT_STEPS
from stspd.output.yaml_text import block_yaml

DEFAULT_HEADER = "# yaml-language-server: $schema=../schemas/evaluation.schema.json\n"
FICHE_KEYS: Final = ("etat", "realise", "difficultes", "suite", "suite_detail")


def merge(existing: Evaluation | None, year: int, read: dict[str, EntryUpdate]) -> Evaluation:
    """`existing` with what the workbook says: a value the sheet gives replaces the old one; an empty cell keeps it."""
    merged: Evaluation = copy.deepcopy(existing) if existing else {"annee": year, "fiches": []}
    entries = {entry["fiche"]: entry for entry in merged["fiches"]}
    for fiche_id, incoming in read.items():
        # A fiche new to the file: the workbook gives its état (reading refuses it otherwise: _Collector.states_known)
        entry = entries.setdefault(fiche_id, cast(EvaluationEntry, {"fiche": fiche_id}))
        for key in FICHE_KEYS:
            if key in incoming and not _same(entry.get(key), incoming[key]):
                entry[key] = incoming[key]
        if "moyens" in incoming:
            entry["moyens"] = {**entry.get("moyens", {}), **incoming["moyens"]}
        values = {v["id"]: v for v in entry.get("indicateurs", [])}
        for measured in incoming.get("indicateurs", []):
            known: IndicatorValue | dict[str, Any] = values.get(measured["id"], {})
            changed = {k: v for k, v in measured.items() if not _same(known.get(k), v)}
            values[measured["id"]] = cast(IndicatorValue, {**known, **changed})  # an IndicatorValue's keys, merged
        if values:
            entry["indicateurs"] = list(values.values())
    merged["fiches"] = sorted(entries.values(), key=lambda e: natural_key(e["fiche"]))
    return merged


def _same(old: object, new: object) -> bool:
    """A text read back from a cell has lost its final newline: that is not a change."""
    if isinstance(old, str) and isinstance(new, str):
        return old.strip() == new.strip()
    return old == new


def changes(old: Evaluation | None, new: Evaluation) -> list[str]:
    """What differs, one line per value, in words a coordinator reads."""
    before = _flatten(old or {"fiches": []})
    after = _flatten(new)
    lines = []
    for key in sorted(set(before) | set(after), key=lambda k: (natural_key(k[0]), k[1:])):
        if before.get(key) != after.get(key):
            what = " › ".join(part for part in key if part)
            lines.append(f"{what} : {_short(before.get(key), key)} → {_short(after.get(key), key)}")
    return lines


def _flatten(evaluation: Mapping[str, Any]) -> dict[tuple, object]:
    flat = {}
    for entry in evaluation["fiches"]:
        fiche = f"fiche {entry['fiche']}"
        for key, value in entry.items():
            if key == "indicateurs":
                for measured in value:
                    for field, item in measured.items():
                        if field != "id":
                            flat[(fiche, f"indicateur {measured['id']}", field)] = item
            elif key == "moyens":
                for field, item in value.items():
                    flat[(fiche, "moyens", field)] = item
            elif key != "fiche":
                flat[(fiche, key, "")] = value
    return flat


# The values shown in their words: the YAML keeps the keys (« en_cours »), the coordinator reads « en cours ».
_WORDS: Final = {"etat": ETATS, "suite": NEXT_STEPS}


def _short(value: object, key: tuple = ()) -> str:
    """A value on one line, cut short, and with no control character that could reach the terminal as it is; an
    amount in euros (« 15 000 € »), a number the French way (« 12,5 »), a state or next step in its words."""
    from stspd.check.report import visible

    if value is None:
        return "(vide)"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"« {fr.euros(value) if key[1:2] == ('moyens',) else fr.number(value, digits=10)} »"
    if isinstance(value, str) and len(key) > 1:
        value = _WORDS.get(key[1], {}).get(value, value)
    text = visible(" ".join(str(value).split()))
    return f"« {text[:60]}{'…' if len(text) > 60 else ''} »"


def dump(evaluation: Evaluation, previous_text: str | None) -> str:
    """The YAML of `evaluation`, under the comment lines that headed the previous file (or the schema line)."""
    header = ""
    if previous_text:
        for line in previous_text.splitlines(keepends=True):
            if not line.startswith("#"):
                break
            header += line
    body = block_yaml(evaluation)
    return (header or DEFAULT_HEADER) + body


def check(project, text: str, target: Path) -> list[tuple[tuple | None, str]]:
    """What the project's whole validation (schemas and cross-file rules) finds once `text` is its file `target`:
    each problem as (JSON path in that file, or None when it lies elsewhere, message).

    The very text to be written is read back and checked, so that a file which would not validate is never written."""
    from stspd.check.validation import check_project
    from stspd.load.document import load_document
    from stspd.problems import ProblemError

    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / target.name
        draft.write_text(text, encoding="utf-8")
        try:
            document = load_document(draft, str(target))
        except ProblemError as error:
            return [(None, f"ligne {error.problem.line} : {error.problem.message}")]
    document.path = target  # a schema its first line names is found from where the file will stand
    year = document.data.get("annee") if isinstance(document.data, dict) else None
    others = [d for d in project.evaluations if d.data.get("annee") != year]
    trial = dataclasses.replace(project, evaluations=[*others, document], problems=[], failed_kinds=set())
    return [
        (_path_at(document, p.line, p.column), p.message)
        if p.file == document.display
        else (None, f"{p.file}, ligne {p.line} : {p.message}")
        for p in check_project(trial)
    ]


def _path_at(document, line: int, column: int) -> tuple | None:
    """The deepest JSON path whose value (or key) starts at `line`, `column`: where a located problem points."""
    found = [
        path
        for nodes in (document.nodes, document.key_nodes)
        for path, node in nodes.items()
        if (node.start_mark.line + 1, node.start_mark.column + 1) == (line, column)
    ]
    return max(found, key=len) if found else None


def with_block(document, key: str, value: object) -> str:
    """The file's text with its top-level block `key` written as `value` (block YAML), the rest byte for byte as it
    was: the block's lines replaced where it stands (up to the next top-level key, the comment and blank lines just
    before that key left to it), or added at the end of the file when it has none."""
    block = block_yaml({key: value})
    lines = document.text.splitlines(keepends=True)
    starts = sorted(node.start_mark.line for path, node in document.key_nodes.items() if len(path) == 1)
    own = document.key_nodes.get((key,))
    if own is None:
        text = document.text
        return text + ("" if not text or text.endswith("\n") else "\n") + block
    first = own.start_mark.line
    end = next((line for line in starts if line > first), len(lines))
    while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return "".join(lines[:first]) + block + "".join(lines[end:])
