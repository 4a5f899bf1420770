"""Running commands as whole processes and measuring them: wall time, processor time, peak memory.

Shared by the benchmark scripts. Nothing here imports stspd: it is run as `python -m stspd ...`, from a
folder outside the repository (so that `python -m` finds the installed stspd, or the one PYTHONPATH names).

Memory, two figures per run:
- tree: the peak of the summed resident set size (RSS, /proc/PID/statm) of the process and all its descendants
  (pandoc…), sampled every 20 ms by a thread while the parent waits. Pages shared between processes (libraries)
  count once per process, except a fork not yet turned into its program (vfork before exec): it is left out, its
  pages being its parent's. A peak shorter than 20 ms can be missed.
- largest process: ru_maxrss from wait4, the largest RSS any single process of the tree reached. Linux counts in
  it the memory of the process a child was forked from, so it is never below this benchmark's own (about 25 MiB).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

STSPD = [sys.executable, "-m", "stspd"]
# Builds give the same bytes on every run. Python caches stspd's bytecode as it does for a user (an installed wheel
# has it from pip): without it each run would compile stspd's modules again.
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"} | {"SOURCE_DATE_EPOCH": "1700000000"}
PAGE = os.sysconf("SC_PAGE_SIZE")
MiB = 1024 * 1024
SAMPLE_EVERY = 0.02


@dataclass
class Run:
    seconds: float  # wall time, start to exit
    cpu: float  # user + system time of the process and its waited-for descendants
    tree_mib: float  # sampled peak of the summed RSS of the tree
    largest_mib: float  # ru_maxrss: the largest single process of the tree
    code: int


@dataclass
class Measured:
    """Several runs of one command."""

    label: str
    runs: list[Run] = field(default_factory=list)
    load: float = 0.0  # the machine's load average over the last minute, when the group of runs ended

    @property
    def median(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def best(self) -> float:
        return min(run.seconds for run in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(run.cpu for run in self.runs)

    @property
    def tree_mib(self) -> float:
        return max(run.tree_mib for run in self.runs)

    @property
    def largest_mib(self) -> float:
        return max(run.largest_mib for run in self.runs)


def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            text = stat.read()
    except OSError:
        return None
    return int(text[text.rindex(b")") + 2 :].split()[1])  # fields after "(comm)": state, ppid


def _cmdline(pid: int) -> bytes | None:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read()
    except OSError:
        return None


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


class _TreeSampler(threading.Thread):
    """Samples the summed RSS of `root` and its descendants until stopped; keeps the peak."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.peak = 0
        self.stop = threading.Event()
        self.parent_of: dict[int, int | None] = {}  # every pid seen, with its parent when first seen

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(SAMPLE_EVERY)

    def sample(self) -> None:
        for name in os.listdir("/proc"):
            if name.isdigit() and int(name) not in self.parent_of:
                self.parent_of[int(name)] = _ppid(int(name))
        tree, grew = {self.root}, True
        while grew:
            grew = False
            for pid, parent in self.parent_of.items():
                if parent in tree and pid not in tree:
                    tree.add(pid)
                    grew = True
        # A fork not yet turned into its program (same command line as its parent) shares its parent's pages:
        # counted once, in the parent.
        commands = {pid: _cmdline(pid) for pid in tree | {self.parent_of.get(self.root)}}
        rss = (_rss(pid) for pid in tree if commands[pid] != commands.get(self.parent_of.get(pid)))
        self.peak = max(self.peak, sum(rss))


def run_once(command: list[str], cwd: Path, expect: int = 0) -> Run:
    """Run `command` to its end, output discarded; exits the benchmark if its exit code is not `expect`."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = _TreeSampler(process.pid)
    sampler.start()
    with process.stderr:
        stderr = process.stderr.read()  # a pipe, so that a failure can be told; stspd writes little there
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != expect:
        sys.exit(
            f"{' '.join(command)} exited {process.returncode}, expected {expect}:\n{stderr.decode(errors='replace')[-3000:]}"
        )
    return Run(
        seconds=seconds,
        cpu=usage.ru_utime + usage.ru_stime,
        tree_mib=sampler.peak / MiB,
        largest_mib=usage.ru_maxrss / 1024,
        code=process.returncode,
    )


def interleaved(
    commands: dict[str, list[str]], cwd: Path, runs: int, budget: float = float("inf"), expect: int = 0
) -> dict[str, Measured]:
    """Rounds of every command in turn, so that a busy moment of a shared machine weighs on all alike.

    `runs` rounds, fewer when the rounds so far took more than `budget` seconds (at least one round).
    """
    measured = {name: Measured(name) for name in commands}
    start = time.perf_counter()
    for _ in range(runs):
        for name, command in commands.items():
            measured[name].runs.append(run_once(command, cwd, expect))
        if time.perf_counter() - start > budget:
            break
    for m in measured.values():
        m.load = os.getloadavg()[0]
    return measured


def pandoc_binary() -> str:
    """The pandoc that pypandoc-binary ships (stspd's), found without importing pypandoc."""
    spec = find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "files" / "pandoc"
        if candidate.is_file():
            return str(candidate)
    sys.exit("pypandoc-binary's pandoc not found")


def stspd_folder(cwd: Path) -> Path:
    """The folder of the stspd package that `python -m stspd` runs from `cwd`, asked of such a process."""
    code = "import importlib.util as u; print(u.find_spec('stspd').submodule_search_locations[0])"
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=ENV, capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def pandoc_options(cwd: Path) -> tuple[str, list[str]]:
    """The reader and the runtime options stspd gives pandoc, asked of the stspd that `python -m stspd` runs from
    `cwd` (its module moved with the package's layout: both places are tried)."""
    code = (
        "import json\ntry:\n    from stspd.render.pandoc import READER, RTS\n"
        "except ImportError:\n    from stspd.pandoc import READER, RTS\nprint(json.dumps([READER, RTS]))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=ENV, capture_output=True, text=True, check=True)
    reader, runtime = json.loads(out.stdout)
    return reader, runtime


def warm_up(cwd: Path) -> Path:
    """Compile the bytecode of the stspd that `python -m stspd` runs from `cwd` (its __pycache__, as a first run
    would), so that no measured run pays for it. Returns the package's folder."""
    package = stspd_folder(cwd)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], cwd=cwd, env=ENV, check=True, capture_output=True)
    return package


def pandoc_alone(markdown: Path, output: Path, cwd: Path, writer: str = "docx") -> list[str]:
    """pandoc alone turning `markdown` (written by `stspd build --format md`) into DOCX the way stspd asks it:
    same reader, runtime options, sandbox, Lua filters (stspd's text guard, then templates/stspd.lua), table of
    contents and reference document. Not the metadata file nor the DOCX finishing: those are stspd's own work."""
    package = stspd_folder(cwd)
    guard = next(package.rglob("text_guard.lua"), None)
    templates = next((p for p in (package / "templates", package.parent / "templates") if p.is_dir()), None)
    if guard is None or templates is None:
        sys.exit(f"text_guard.lua or templates/ not found from {package}")
    reader, runtime = pandoc_options(cwd)
    command = [pandoc_binary(), *runtime, str(markdown), "--from", reader, "--to", writer]
    command += ["--sandbox", "--standalone", "--lua-filter", str(guard), "--lua-filter", str(templates / "stspd.lua")]
    command += ["--toc", "--toc-depth=2", "-o", str(output)]
    if writer == "docx":
        command += ["--reference-doc", str(templates / "reference.docx")]
    return command


def import_floor(modules: str = "yaml, jsonschema, referencing") -> list[str]:
    """A Python process importing only `modules`: the least any validation in Python can take."""
    return [sys.executable, "-c", f"import {modules}"]
