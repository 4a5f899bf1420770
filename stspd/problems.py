"""A problem found in the user's files: where it is, which rule found it, what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    rule: str
    message: str
    source_line: str = ""  # the offending line as typed, for the reader to recognise

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "message": self.message,
        }


class ProblemError(Exception):
    """Raised where a problem stops the reading of a file."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem
