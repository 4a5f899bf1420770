"""Running the pandoc that pypandoc-binary ships: one process per core, each reading the Markdown once and
writing its share of the formats (see pandoc_convert.lua); each format can be awaited on its own."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

# Raw HTML, TeX and attributes are not read: a user's text is Markdown and only Markdown.
READER = "markdown-raw_html-raw_tex-raw_attribute-tex_math_dollars-tex_math_single_backslash"
# pandoc's runtime spends 40 % of its time collecting garbage by default; a 16 MB allocation area and no full
# collection before the old generation reaches 256 MB cut that by a quarter (pandoc +RTS -s on the sample).
RTS = ["+RTS", "-A16m", "-O256m", "-RTS"]
SCRIPT = Path(__file__).resolve().parent / "pandoc_convert.lua"
ANNOUNCE = "stspd-written:"  # how pandoc_convert.lua says that a format's file is complete


class PandocError(Exception):
    pass


@dataclass(frozen=True)
class Output:
    """One format to write, with the writer options pandoc's command line would have set."""

    format: str  # pandoc's writer name
    template: Path | None = None  # None: pandoc's default template for the format
    reference_doc: Path | None = None
    variables: dict = field(default_factory=dict)
    text: str | None = None  # this format's own Markdown, when it differs from the shared one
    toc: bool = True
    toc_depth: int = 2


def pandoc_path() -> str:
    """The binary inside pypandoc-binary, found without importing pypandoc (which imports urllib, 0.1 s)."""
    spec = importlib.util.find_spec("pypandoc")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            for name in ("pandoc", "pandoc.exe"):
                candidate = Path(folder) / "files" / name
                if candidate.is_file():
                    return str(candidate)
    found = shutil.which("pandoc")
    if found:
        return found
    import pypandoc  # its own search, and its own error message

    return pypandoc.get_pandoc_path()


def cores() -> int:
    """The cores this process may use (a container may be given fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def convert(text: str, outputs: list[Output], lua_filter: Path, timestamp: int, images: tuple[str, ...] = ()) -> list[PandocRun]:
    """Start the conversions now. `outputs` come in the order they are wanted; they are dealt round-robin to one
    pandoc per core, so that the first of each process is ready early."""
    slots = min(cores(), len(outputs))
    return [PandocRun(text, outputs[slot::slots], lua_filter, timestamp, images) for slot in range(slots)]


class PandocRun:
    """One pandoc process, started at creation, writing `outputs` in order; `result(format)` waits for one."""

    def __init__(self, text: str, outputs: list[Output], lua_filter: Path, timestamp: int, images: tuple[str, ...]):
        self.outputs = tuple(outputs)
        self._folder = tempfile.TemporaryDirectory()
        folder = Path(self._folder.name)
        (folder / "in.md").write_text(text, encoding="utf-8")
        self._paths = {output.format: folder / f"out.{output.format}" for output in outputs}
        # Every Markdown image starts with "![" (raw HTML is not read): without one, there is nothing to guard.
        guard = any("![" in markdown for markdown in (text, *(output.text or "" for output in outputs)))
        plan = {"input": str(folder / "in.md"), "reader": READER, "filter": str(lua_filter), "images": list(images),
                "guard_images": guard, "announce": ANNOUNCE,
                "outputs": [self._planned(output, folder) for output in outputs]}
        (folder / "plan.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
        self._stderr = open(folder / "stderr.txt", "wb")  # noqa: SIM115 - a file, not a pipe: warnings cannot block pandoc
        # SOURCE_DATE_EPOCH: pandoc's DOCX and ODT carry this date, so that two builds give the same bytes.
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(timestamp)}
        command = [pandoc_path(), *RTS, "lua", str(SCRIPT), str(folder / "plan.json")]
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self._stderr, env=env)
        from concurrent.futures import Future  # 5 ms: imported once pandoc is at work

        self._futures = {output.format: Future() for output in outputs}
        self._watcher = threading.Thread(target=self._watch, daemon=True)
        self._watcher.start()

    def _planned(self, output: Output, folder: Path) -> dict:
        own_input = None
        if output.text is not None:
            own_input = folder / f"in-{output.format}.md"
            own_input.write_text(output.text, encoding="utf-8")
        planned = {"format": output.format, "path": str(self._paths[output.format]), "toc": output.toc,
                   "toc_depth": output.toc_depth, "variables": output.variables, "template": output.template,
                   "reference_doc": output.reference_doc, "input": own_input}
        # JSON null would reach Lua as a true value: what is not set is left out.
        return {key: str(value) if isinstance(value, Path) else value for key, value in planned.items() if value is not None}

    def _watch(self) -> None:
        """Hand each output over as pandoc announces it; at the end, pandoc's error to those still waiting."""
        for line in self._process.stdout:  # anything else is a town's filter printing: not ours to show
            done = line.decode("utf-8", "replace").strip().removeprefix(ANNOUNCE)
            if line.startswith(ANNOUNCE.encode()) and done in self._futures:
                try:
                    self._futures[done].set_result(self._paths[done].read_bytes())
                except OSError as error:  # said to the build, which would otherwise wait for ever
                    self._futures[done].set_exception(PandocError(f"pandoc ({done}) : {error}"))
        self._process.wait()
        self._stderr.close()
        message = (Path(self._folder.name) / "stderr.txt").read_text(encoding="utf-8", errors="replace").strip()
        for fmt, future in self._futures.items():
            if not future.done():
                future.set_exception(PandocError(f"pandoc ({fmt}) : {message or f'code de sortie {self._process.returncode}'}"))
        self._folder.cleanup()

    def result(self, fmt: str) -> bytes:
        return self._futures[fmt].result()

    def cancel(self) -> None:
        self._process.kill()
        self._watcher.join()  # which removes the temporary folder
