"""Benchmark: building the sample. `python benchmarks/build.py [--max-ratio 1.5] [--max-seconds 4]`

Measures, best of 7 runs each, the runs of the three commands interleaved so that a busy moment of a shared
machine weighs on all three alike:
- pandoc alone turning the sample's Markdown into DOCX (the floor any DOCX build stands on);
- `stspd build --format docx`, whose target is at most 1.5x pandoc alone;
- `stspd build` in all five formats, pandoc runs in parallel, and the processor time that build uses: divided
  by the machine's cores, it is the least any schedule of that work could take.
Exits 1 when a bound is exceeded. Not a test: run by hand, or in CI with generous bounds.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "valmont"


def best_of_interleaved(commands: list[list[str]], runs: int = 7) -> list[float]:
    times: list[list[float]] = [[] for _ in commands]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    for _ in range(runs):
        for command, measured in zip(commands, times):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            measured.append(time.perf_counter() - start)
    return [min(measured) for measured in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-ratio", type=float, default=1.5, help="bound on stspd DOCX / pandoc alone")
    parser.add_argument("--max-seconds", type=float, default=4.0, help="bound on all five formats")
    args = parser.parse_args()
    from stspd.build import _cores as cores_available
    from stspd.pandoc import GUARD, READER, RTS, pandoc_path

    stspd = [sys.executable, "-m", "stspd", "build", str(SAMPLE)]
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([*stspd, "--format", "md", "--output", folder], check=True, capture_output=True)
        markdown = str(Path(folder) / "strategie.md")
        reference = str(REPO / "templates" / "reference.docx")
        # pandoc alone: the very conversion stspd asks of it, on the Markdown stspd wrote
        alone = [
            pandoc_path(),
            *RTS,
            markdown,
            "--from",
            READER,
            "--to",
            "docx",
            "--sandbox",
            "--standalone",
            "--lua-filter",
            str(GUARD),
            "--lua-filter",
            str(REPO / "templates" / "stspd.lua"),
            "--toc",
            "--toc-depth=2",
            "--reference-doc",
            reference,
            "-o",
            str(Path(folder) / "seul.docx"),
        ]
        pandoc, docx, everything = best_of_interleaved(
            [
                alone,
                [*stspd, "--format", "docx", "--output", folder],
                [*stspd, "--format", "docx,odt,pdf,html,md", "--output", folder],
            ]
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([*stspd, "--format", "docx,odt,pdf,html,md", "--output", folder], check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    work = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    cores = cores_available()
    ratio = docx / pandoc
    print(f"pandoc alone, Markdown → DOCX : {pandoc:6.2f} s")
    print(f"stspd build --format docx     : {docx:6.2f} s  ({ratio:.2f}x pandoc alone, bound {args.max_ratio}x)")
    print(f"stspd build, five formats     : {everything:6.2f} s  (target about 1.5 s, bound {args.max_seconds} s)")
    print(f"  processor time of that build: {work:6.2f} s on {cores} cores, so at least {work / cores:.2f} s")
    sys.exit(1 if ratio > args.max_ratio or everything > args.max_seconds else 0)


if __name__ == "__main__":
    main()
