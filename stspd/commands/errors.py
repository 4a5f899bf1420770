"""How a command fails, each way with its exit code; the command line says them in French (cli.entry)."""

from __future__ import annotations

from stspd.problems import Problem


class Misuse(Exception):
    """A mistake in how the command was called (an option, a year, a file that is not a project): exit 2."""


class InvalidProject(Exception):
    """The project's data are invalid: every problem with its file, line and column; exit 1, nothing written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class Refused(Exception):
    """A file from outside (a workbook) holds problems, each said with its place; exit 1, nothing written."""

    def __init__(self, source: str, problems: list[str]):
        super().__init__(f"{len(problems)} problems in {source}")
        self.source = source
        self.problems = problems


class BuildError(Exception):
    """A template or a converter failed: said in French, with what failed; exit 1, nothing written."""
