"""Running the pandoc that pypandoc-binary ships, as a process of its own, started now and read later."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

# Raw HTML, TeX and attributes are not read: a user's text is Markdown and only Markdown.
READER = "markdown-raw_html-raw_tex-raw_attribute-tex_math_dollars-tex_math_single_backslash"
# A larger allocation area spares pandoc's runtime many collections: about 12 % faster on the sample.
RTS = ["+RTS", "-A64m", "-RTS"]


class PandocError(Exception):
    pass


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


class PandocRun:
    """One pandoc conversion of `text`, started at creation; `output()` waits for it."""

    def __init__(self, text: str, to: str, args: list[str], env: dict[str, str]):
        self.to = to
        self._folder = tempfile.TemporaryDirectory()
        self._output = Path(self._folder.name) / f"out.{to}"
        self._input = Path(self._folder.name) / "in.md"
        self._input.write_text(text, encoding="utf-8")
        command = [pandoc_path(), *RTS, str(self._input), "--from", READER, "--to", to, "--sandbox", "--standalone",
                   *args, "--output", str(self._output)]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)

    def output(self) -> bytes:
        try:
            _, stderr = self._process.communicate()
            if self._process.returncode != 0:
                raise PandocError(f"pandoc ({self.to}) : {stderr.decode('utf-8', 'replace').strip()}")
            return self._output.read_bytes()
        finally:
            self._folder.cleanup()

    def cancel(self) -> None:
        self._process.kill()
        self._process.communicate()
        self._folder.cleanup()


def environment(timestamp: int) -> dict[str, str]:
    """pandoc's environment: its DOCX and ODT carry this date, so that two builds give the same bytes."""
    return {**os.environ, "SOURCE_DATE_EPOCH": str(timestamp)}
