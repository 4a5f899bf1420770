"""Benchmark: validating the sample, a 1,000-fiche project, and rejecting a billion-laughs file.

Run by hand or in CI: `python benchmarks/validate.py [--max-seconds 2.0]`. It prints the timings and exits 1
when one exceeds its bound (generous by default: the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "valmont"


def timed(args: list[str], expect: int) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        code = subprocess.run(args, capture_output=True, check=False).returncode
        best = min(best, time.perf_counter() - start)
        if code != expect:
            sys.exit(f"{' '.join(args)} exited {code}, expected {expect}")
    return best


def big_project(folder: Path, count: int) -> Path:
    root = Path(shutil.copytree(SAMPLE, folder / "grand"))
    template = (root / "actions").glob("*.yaml")
    fiche = next(template).read_text(encoding="utf-8")
    first_id = fiche.split("\nid: ", 1)[1].split("\n", 1)[0]
    for n in range(count):
        (root / "actions" / f"x{n:04d}.yaml").write_text(
            fiche.replace(f"\nid: {first_id}\n", f"\nid: x{n:04d}\n"), encoding="utf-8"
        )
    return root


def billion_laughs(folder: Path) -> Path:
    root = Path(shutil.copytree(SAMPLE, folder / "bombe"))
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        lines.append(f"{level}: &{level} [{','.join(['*' + chr(ord(level) - 1)] * 9)}]")
    (root / "actions" / "bombe.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--max-seconds", type=float, default=1.0, help="bound for the sample and the bomb (default 1.0)")
    parser.add_argument("--max-seconds-big", type=float, default=10.0, help="bound for 1,000 fiches (default 10)")
    args = parser.parse_args()
    stspd = [sys.executable, "-m", "stspd"]
    with tempfile.TemporaryDirectory() as folder:
        results = {
            "sample": (timed([*stspd, "validate", str(SAMPLE)], 0), args.max_seconds),
            "billion laughs": (timed([*stspd, "validate", str(billion_laughs(Path(folder)))], 1), args.max_seconds),
            "1,000 fiches": (timed([*stspd, "validate", str(big_project(Path(folder), 1000))], 0), args.max_seconds_big),
        }
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    failed = False
    for name, (seconds, bound) in results.items():
        verdict = "ok" if seconds <= bound else "TOO SLOW"
        failed |= seconds > bound
        print(f"validate {name:<15} {seconds:6.3f} s (bound {bound} s) {verdict}")
    print(f"peak memory of a run: {peak:.0f} MiB")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
