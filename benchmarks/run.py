"""All the benchmarks: validate, build, grid and bilan on the sample and on generated projects, side by side with
their floors, against the targets of issue 13; writes a Markdown report.

    .venv/bin/python benchmarks/run.py --sizes 30,300,1000,3000 --write benchmarks/RESULTS.md

Every command runs as a whole process (`python -m stspd ...`, from a temporary folder), the commands of one
group interleaved round after round so that a busy moment of a shared machine weighs on all alike; the figure
kept is the median. A group stops after --runs rounds, or sooner once its rounds took more than --budget
seconds (at least one round: the slow ones at 1,000 fiches and more may have a single run, the table says how
many). The sample (samples/valmont, 29 fiches) is always measured; --sizes adds generated projects
(benchmarks/project_gen.py). The five formats and the bilan run on the sample and up to --heavy-up-to fiches
(minutes each beyond). Exits 1 if a command fails; targets not met are reported, not an error.

It measures the stspd that `python -m stspd` finds from a folder outside the repository: the installed one (an
editable install: this working tree). To measure a given commit, e.g. the baseline:
    git clone -q . /tmp/base && git -C /tmp/base checkout -q COMMIT
    PYTHONPATH=/tmp/base .venv/bin/python benchmarks/run.py --sizes 1000 --runs 1
The report names the package's folder and its commit.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shlex
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from measure import ENV, STSPD, Measured, import_floor, interleaved, pandoc_alone, pandoc_binary, stspd_folder, warm_up
from project_gen import SAMPLE, generate

FORMATS = ("docx", "odt", "pdf", "html", "md")
GRID_FORMATS = "docx,xlsx,csv"
VALIDATE_FLOOR = "yaml, jsonschema, referencing"


@dataclass
class Project:
    label: str
    fiches: int
    path: Path


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def measure_project(project: Project, work: Path, args: argparse.Namespace) -> dict[str, Measured]:
    """Every operation on one project: {name: Measured}."""
    out = work / f"out-{project.label}"
    out.mkdir()
    path = str(project.path)
    heavy = project.label == "sample" or project.fiches <= args.heavy_up_to  # the sample's are a few seconds
    results: dict[str, Measured] = {}

    def group(title: str, commands: dict[str, list[str]], expect: int = 0) -> None:
        log(f"[{project.label}] {title}: {', '.join(commands)}")
        measured = interleaved(commands, work, args.runs, args.budget, expect)
        for name, m in measured.items():
            log(f"  {name:<22} median {m.median:8.3f} s  ({len(m.runs)} runs)  tree {m.tree_mib:7.0f} MiB  load {m.load:.1f}")
        results.update(measured)

    validate = {"validate": [*STSPD, "validate", path], "validate floor": import_floor(VALIDATE_FLOOR)}
    if project.label == "sample":
        validate["python alone"] = [sys.executable, "-c", "pass"]
        validate["floor + click"] = import_floor(f"click, {VALIDATE_FLOOR}")
    group("validate", validate)

    # pandoc alone converts the Markdown stspd writes for this project
    markdown = [*STSPD, "build", path, "--format", "md", "--output", str(out / "md")]
    subprocess.run(markdown, cwd=work, env=ENV, check=True, capture_output=True)
    build = [*STSPD, "build", path, "--output", str(out), "--format"]
    builds = {"pandoc alone": pandoc_alone(out / "md" / "strategie.md", out / "seul.docx", work), "docx": [*build, "docx"]}
    if heavy:
        builds |= {fmt: [*build, fmt] for fmt in FORMATS[1:]}
        builds["five formats"] = [*build, ",".join(FORMATS)]
    group("build", builds)

    year = max(int(p.stem) for p in (project.path / "evaluations").glob("*.yaml"))
    reports = {"grid": [*STSPD, "grid", "export", path, "--year", str(year), "--format", GRID_FORMATS, "--output", str(out)]}
    if heavy:
        reports["bilan"] = [*STSPD, "bilan", path, "--output", str(out)]
    group("grid and bilan", reports)
    return results


def targets(results: dict[str, dict[str, Measured]]) -> list[tuple[str, str, str, str, bool | None]]:
    """Rows (operation, project, measured, target, met); met None when not measured."""
    rows = []

    def get(label: str, name: str) -> Measured | None:
        return results.get(label, {}).get(name)

    def seconds(op: str, label: str, name: str, bound: float) -> None:
        m = get(label, name)
        shown = f"{m.median:.2f} s (CPU {m.cpu:.2f} s)" if m else "—"
        rows.append((op, label, shown, f"≤ {bound:g} s", m.median <= bound if m else None))

    def ratio(op: str, label: str, name: str, floor: str, bound: float, what: str) -> None:
        m, f = get(label, name), get(label, floor)
        value = m.median / f.median if m and f else None
        shown = f"{value:.2f}× ({m.median:.2f} s / {f.median:.2f} s)" if value else "—"
        rows.append((op, label, shown, f"≤ {bound:g}× {what}", value <= bound if value else None))

    def memory(op: str, label: str, name: str, bound: float) -> None:
        m = get(label, name)
        shown = f"{m.tree_mib:.0f} MiB" if m else "—"
        rows.append((op, label, shown, f"≤ {bound:g} MB peak (tree)", m.tree_mib * 1.048576 <= bound if m else None))

    ratio("validate", "sample", "validate", "validate floor", 1.3, f"`import {VALIDATE_FLOOR}`")
    seconds("validate", "1000", "validate", 1.0)
    seconds("validate", "3000", "validate", 3.0)
    memory("validate", "3000", "validate", 250)
    small, big = get("300", "validate"), get("3000", "validate")
    growth = big.median / small.median if small and big else None
    rows.append(("validate growth", "300 → 3000", f"{growth:.1f}×" if growth else "—", "≤ 11×", growth <= 11 if growth else None))
    ratio("build --format docx", "sample", "docx", "pandoc alone", 1.3, "pandoc alone")
    ratio("build --format docx", "1000", "docx", "pandoc alone", 1.15, "pandoc alone")
    five, singles = get("1000", "five formats"), [get("1000", fmt) for fmt in FORMATS]
    if five and all(singles):
        slowest = max(singles, key=lambda m: m.median)
        value = five.median / slowest.median
        shown = f"{value:.2f}× ({five.median:.1f} s / {slowest.label} {slowest.median:.1f} s)"
        rows.append(("build, five formats", "1000", shown, "≤ 1.2× the slowest single format", value <= 1.2))
    else:
        rows.append(("build, five formats", "1000", "—", "≤ 1.2× the slowest single format", None))
    memory("build, five formats", "1000", "five formats", 1500)
    seconds("build --format docx", "3000", "docx", 45)
    memory("build --format docx", "3000", "docx", 1500)
    seconds(f"grid ({GRID_FORMATS})", "1000", "grid", 4)
    seconds("bilan (docx)", "sample", "bilan", 2)
    ratio("bilan (docx)", "sample", "bilan", "grid", 2, "the sample's three-format grid")
    seconds("bilan (docx)", "1000", "bilan", 30)
    return rows


def machine(work: Path) -> list[str]:
    def out(command: list[str]) -> str:
        done = subprocess.run(command, cwd=work, env=ENV, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else "?"

    with open("/proc/cpuinfo", encoding="utf-8") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    with open("/proc/meminfo", encoding="utf-8") as info:
        memory = next((line.split()[1] for line in info if line.startswith("MemTotal")), "0")
    package = stspd_folder(work)
    commit = out(["git", "-C", str(package.parent), "rev-parse", "--short", "HEAD"])
    dirty = out(["git", "-C", str(package.parent), "status", "--porcelain", "--", str(package)])
    typst = out([sys.executable, "-c", "import importlib.metadata as m; print(m.version('typst'))"])
    return [
        f"- Date: {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
        (
            f"- Machine: {len(os.sched_getaffinity(0))} cores available ({os.cpu_count()} in all), {cpu}, "
            f"{int(memory) / 1024 / 1024:.0f} GiB, {platform.system()} {platform.release()}; shared, so noisy"
        ),
        f"- Python {platform.python_version()} ({sys.executable})",
        f"- {out([pandoc_binary(), '--version']).splitlines()[0]} (pypandoc-binary); typst (Python package) {typst}",
        f"- {out([*STSPD, '--version'])}, from {package}, commit {commit}"
        + (" with uncommitted changes in the package" if dirty else ""),
    ]


def detail_rows(results: dict[str, dict[str, Measured]], projects: list[Project], names: list[str], floor: dict) -> list:
    rows = []
    for project in projects:
        for name in names:
            m = results.get(project.label, {}).get(name)
            if not m:
                continue
            f = results[project.label].get(floor.get(name, ""))
            rows.append(
                [
                    project.label,
                    str(project.fiches),
                    name,
                    f"{m.median:.3f}",
                    f"{m.best:.3f}",
                    str(len(m.runs)),
                    f"{m.cpu:.2f}",
                    f"{f.label} {f.median:.3f}" if f else "",
                    f"{m.median / f.median:.2f}×" if f else "",
                    f"{m.tree_mib:.0f}",
                    f"{m.largest_mib:.0f}",
                    f"{m.load:.1f}",
                ]
            )
    return rows


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def report(results: dict[str, dict[str, Measured]], projects: list[Project], command: str, about: list[str]) -> str:
    lines = ["# Benchmarks", "", "Reproduce (from the repository's top, about half an hour for every size):", ""]
    lines += ["```", command, "```", "", *about, ""]
    lines += [
        "## Targets (issue 13)",
        "",
        *table(
            ["operation", "project", "measured (median)", "target", "met"],
            [[op, p, v, t, "—" if met is None else ("yes" if met else "**no**")] for op, p, v, t, met in targets(results)],
        ),
        "",
    ]
    header = [
        "project",
        "fiches",
        "command",
        "median s",
        "min s",
        "runs",
        "CPU s",
        "floor, median s",
        "ratio",
        "tree MiB",
        "largest MiB",
        "load",
    ]
    sections = [
        (
            "validate",
            ["validate", "validate floor", "floor + click", "python alone"],
            {"validate": "validate floor"},
            (
                f'`stspd validate PROJET`. Floor: `python -c "import {VALIDATE_FLOOR}"`, the same interpreter '
                "importing the third-party libraries validation uses and nothing else (on the sample, also the bare "
                "interpreter, `python -c pass`, and the floor with click, the command line's library)."
            ),
        ),
        (
            "build",
            ["docx", "pandoc alone", *FORMATS[1:], "five formats"],
            {"docx": "pandoc alone"},
            (
                "`stspd build PROJET --format F`. Floor of DOCX: pandoc alone (pypandoc-binary's) converting the "
                "Markdown that `stspd build --format md` wrote for the same project, with stspd's reader, runtime "
                "options, sandbox, Lua filters (text guard, templates/stspd.lua), table of contents and reference "
                "document. Five formats: `--format docx,odt,pdf,html,md`, compared with the slowest single format."
            ),
        ),
        (
            "grid and bilan",
            ["grid", "bilan"],
            {"bilan": "grid"},
            (
                f"`stspd grid export PROJET --year Y --format {GRID_FORMATS}` and `stspd bilan PROJET` (default "
                "format, docx), Y the last evaluated year (2025)."
            ),
        ),
    ]
    for title, names, floor, text in sections:
        lines += [f"## {title}", "", text, "", *table(header, detail_rows(results, projects, names, floor)), ""]
    lines += [
        "## Method",
        "",
        (
            "- Projects: the sample (samples/valmont, 29 fiches) and projects of N fiches made by "
            "benchmarks/project_gen.py: the sample's fiches in turn, copy k of « a.o.r » numbered « a.o.(r+10k) », "
            "with the sample's evaluation entries under the new numbers (2024 and 2025); each is valid (validate exits "
            "0). Made in a temporary folder."
        ),
        (
            "- Each command is a whole process, `python -m stspd ...` run from that temporary folder, output "
            "discarded, SOURCE_DATE_EPOCH set, stspd's bytecode compiled first (`python -m compileall` on its "
            "folder: its __pycache__, as a user's first run or pip would make it; PYTHONDONTWRITEBYTECODE unset). Commands of a group run interleaved, round after round; median and "
            "min of the wall times; CPU s: median user + system time of the process and its children (more than the "
            "wall time when pandoc runs in parallel)."
        ),
        (
            "- tree MiB: peak of the summed RSS of the process and all its descendants (pandoc…), sampled from "
            "/proc every 20 ms (pages shared between processes count once per process, a fork not yet exec'ed "
            "not at all; a peak shorter than 20 ms can be missed). largest MiB: ru_maxrss from wait4, the largest "
            "single process of the tree (Linux counts in it the memory of the process it was forked from: never "
            "below this benchmark's own, about 25 MiB). Memory targets are checked on the tree figure "
            "(1 MB = 10^6 bytes). load: the machine's load average over the last minute when the group ended; "
            "above 2 (the cores), other work competed with the measured runs and their times are inflated."
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="30,300,1000,3000", help="fiches of the generated projects (default 30,300,1000,3000)")
    parser.add_argument("--runs", type=int, default=3, help="rounds per group at most (default 3)")
    parser.add_argument("--budget", type=float, default=150, help="no new round once a group took this many seconds (150)")
    parser.add_argument("--heavy-up-to", type=int, default=1000, help="five formats and bilan up to this many fiches (1000)")
    parser.add_argument("--write", type=Path, help="the Markdown report to write (else printed)")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    command = shlex.join(["python", "benchmarks/run.py", *sys.argv[1:]])
    with tempfile.TemporaryDirectory(prefix="stspd-bench-") as folder:
        work = Path(folder)
        warm_up(work)
        about = machine(work)
        projects = [Project("sample", 29, SAMPLE)]
        projects += [Project(str(n), n, generate(work / f"projet-{n}", n)) for n in sizes]
        results: dict[str, dict[str, Measured]] = {}
        for project in projects:
            results[project.label] = measure_project(project, work, args)
            text = report(results, projects, command, about)
            if args.write:  # after each project: a long run interrupted still leaves its figures
                args.write.write_text(text + "\n", encoding="utf-8")
    if not args.write:
        print(text)
    else:
        log(f"written: {args.write}")


if __name__ == "__main__":
    main()
