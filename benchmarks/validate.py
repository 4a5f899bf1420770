"""Benchmark: validating the sample, a 1,000-fiche project, and rejecting a billion-laughs file.

Run by hand or in CI: `python benchmarks/validate.py [--max-seconds 1.0] [--max-seconds-big 10]`. It prints the
timings (best of 5 runs, each a whole `python -m stspd validate` process) and exits 1 when one exceeds its bound
(generous by default: the machine is shared and noisy). The 1,000-fiche project is made by project_gen.py, with
its evaluations; benchmarks/run.py measures more sizes against the targets.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from measure import STSPD, interleaved, warm_up
from project_gen import SAMPLE, generate


def billion_laughs(folder: Path) -> Path:
    root = Path(shutil.copytree(SAMPLE, folder / "bombe"))
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        lines.append(f"{level}: &{level} [{','.join(['*' + chr(ord(level) - 1)] * 9)}]")
    (root / "actions" / "bombe.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-seconds", type=float, default=1.0, help="bound for the sample and the bomb (default 1.0)")
    parser.add_argument("--max-seconds-big", type=float, default=10.0, help="bound for 1,000 fiches (default 10)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stspd-bench-") as folder:
        work = Path(folder)
        warm_up(work)
        big = generate(work / "grand", 1000)
        measured = interleaved(
            {"sample": [*STSPD, "validate", str(SAMPLE)], "1,000 fiches": [*STSPD, "validate", str(big)]}, work, 5
        )
        measured |= interleaved({"billion laughs": [*STSPD, "validate", str(billion_laughs(work))]}, work, 5, expect=1)
    bounds = {"sample": args.max_seconds, "billion laughs": args.max_seconds, "1,000 fiches": args.max_seconds_big}
    failed = False
    for name, bound in bounds.items():
        seconds = measured[name].best
        failed |= seconds > bound
        verdict = "ok" if seconds <= bound else "TOO SLOW"
        print(f"validate {name:<15} {seconds:6.3f} s (bound {bound} s) {verdict}  peak {measured[name].tree_mib:.0f} MiB")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
