"""Projects of any number of fiches, made from the bundled sample: deterministic and valid by construction.

`generate(folder, count)` copies samples/valmont into `folder` and replaces its actions/ by `count` fiches: the
sample's 29 fiches in turn, copy k of fiche « a.o.r » being numbered « a.o.(r + 10k) » (copy 0 keeps its number,
so 29 fiches are the sample itself). A fiche keeps its objectives, pilot, partners, constats and indicators, so
its number stays under its first objective and every reference resolves. Each evaluation file gets, for each
fiche, the entry the sample has for the fiche it copies, under the new number. The text of the files is copied
as it is (comments, layout); only the ids change. strategie.yaml and diagnostic.yaml are the sample's.

Also a command, to look at a generated project: `python benchmarks/project_gen.py 1000 /tmp/grand`.
It reads no stspd module: the benchmarks run stspd as whole processes only.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "valmont"
SIZES = (30, 300, 1000, 3000)

_ID_LINE = re.compile(r"^id: (\S+)$", re.MULTILINE)
_ENTRY = "\n  - fiche: "  # how each entry of an evaluation's `fiches:` list starts in the sample


def fiche_id(source_id: str, copy: int) -> str:
    """The number of copy `copy` of fiche `source_id` (« 1.2.1 », 3 → « 1.2.31 »)."""
    axis, objective, rank = source_id.split(".")
    return f"{axis}.{objective}.{int(rank) + 10 * copy}"


def _sample_fiches(sample: Path) -> list[tuple[str, str]]:
    """(id, text) of the sample's fiches, in file-name order."""
    fiches = []
    for path in sorted((sample / "actions").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        ids = _ID_LINE.findall(text)
        if len(ids) != 1 or not re.fullmatch(r"\d+\.\d+\.[1-9]", ids[0]):
            raise ValueError(f"{path}: expected one top-level line « id: a.o.r » with a rank below 10")
        fiches.append((ids[0], text))
    return fiches


def _evaluation(text: str, plan: list[tuple[str, str]]) -> str:
    """The evaluation `text` with one entry per (new id, source id) of `plan` whose source the sample evaluates."""
    head, separator, body = text.partition("\nfiches:")
    if not separator:
        raise ValueError("evaluation without a top-level « fiches: » list")
    # the keys after the list (the year's `delinquance:`) are kept once, after the new entries
    end = re.search(r"\n(?=[^\s#])", body)
    body, tail = (body[: end.start()], body[end.start() :]) if end else (body, "")
    entries = {}
    for chunk in body.split(_ENTRY)[1:]:
        source_id = chunk.split("\n", 1)[0].strip()
        entries[source_id] = chunk.rstrip("\n")
    parts = [head, separator]
    for new_id, source_id in plan:
        if source_id in entries:
            rest = entries[source_id].split("\n", 1)[1]
            parts.append(f"{_ENTRY}{new_id}\n{rest}\n")
    return "".join(parts) + tail.lstrip("\n")


def generate(folder: Path, count: int, sample: Path = SAMPLE) -> Path:
    """Write a project of `count` fiches at `folder` (which must not exist) and return it."""
    if count < 1:
        raise ValueError("count must be at least 1")
    root = Path(shutil.copytree(sample, folder))
    fiches = _sample_fiches(sample)
    shutil.rmtree(root / "actions")
    (root / "actions").mkdir()
    plan = []  # (new id, source id), in the order written
    for n in range(count):
        copy, index = divmod(n, len(fiches))
        source_id, text = fiches[index]
        new_id = fiche_id(source_id, copy)
        new_text = _ID_LINE.sub(f"id: {new_id}", text, count=1)
        (root / "actions" / f"{new_id}.yaml").write_text(new_text, encoding="utf-8")
        plan.append((new_id, source_id))
    for path in sorted((root / "evaluations").glob("*.yaml")):
        path.write_text(_evaluation(path.read_text(encoding="utf-8"), plan), encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int, help="number of fiches")
    parser.add_argument("folder", type=Path, help="where to write the project (must not exist)")
    args = parser.parse_args()
    print(generate(args.folder, args.count))


if __name__ == "__main__":
    main()
