"""Benchmark: building the sample. `python benchmarks/build.py [--max-ratio 1.5] [--max-seconds 4]`

Measures, best of 7 runs each, the runs of the three commands interleaved so that a busy moment of a shared
machine weighs on all three alike, each a whole process:
- pandoc alone turning the sample's Markdown (written by `stspd build --format md`) into DOCX the way stspd
  asks it (the floor any DOCX build stands on; see measure.pandoc_alone);
- `stspd build --format docx`, bounded by --max-ratio times pandoc alone;
- `stspd build` in all five formats, pandoc runs in parallel, bounded by --max-seconds; and the processor time
  that build uses: divided by the machine's cores, it is the least any schedule of that work could take.
Exits 1 when a bound is exceeded. Not a test: run by hand, or in CI with generous bounds. benchmarks/run.py
measures more sizes against the targets.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from measure import ENV, STSPD, interleaved, pandoc_alone, warm_up
from project_gen import SAMPLE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-ratio", type=float, default=1.5, help="bound on stspd DOCX / pandoc alone")
    parser.add_argument("--max-seconds", type=float, default=4.0, help="bound on all five formats")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stspd-bench-") as folder:
        work = Path(folder)
        warm_up(work)
        build = [*STSPD, "build", str(SAMPLE), "--output", folder, "--format"]
        subprocess.run([*build, "md"], cwd=work, env=ENV, check=True, capture_output=True)
        commands = {
            "pandoc": pandoc_alone(work / "strategie.md", work / "seul.docx", work),
            "docx": [*build, "docx"],
            "five": [*build, "docx,odt,pdf,html,md"],
        }
        measured = interleaved(commands, work, 7)
    pandoc, docx, everything = (measured[name].best for name in commands)
    work_seconds = measured["five"].cpu
    cores = len(os.sched_getaffinity(0))
    ratio = docx / pandoc
    print(f"pandoc alone, Markdown → DOCX : {pandoc:6.2f} s")
    print(f"stspd build --format docx     : {docx:6.2f} s  ({ratio:.2f}x pandoc alone, bound {args.max_ratio}x)")
    print(f"stspd build, five formats     : {everything:6.2f} s  (bound {args.max_seconds} s)")
    print(f"  processor time of that build: {work_seconds:6.2f} s on {cores} cores, so at least {work_seconds / cores:.2f} s")
    print(f"  peak memory of that build   : {measured['five'].tree_mib:6.0f} MiB (process tree)")
    sys.exit(1 if ratio > args.max_ratio or everything > args.max_seconds else 0)


if __name__ == "__main__":
    main()
