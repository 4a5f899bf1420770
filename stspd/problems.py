"""A problem found in the user's files: where it is, which rule found it, what was expected, and how grave it is.

An error makes the project invalid: nothing is built from it. A warning (a text still to write, an objective no fiche
serves, a file left in a folder that stspd does not read) is said, and fails the validation only when asked (strict).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"
SEVERITY_WORDS = {ERROR: ("erreur", "erreurs"), WARNING: ("avertissement", "avertissements")}
TO_WRITE = "a-rediger"  # the rule of the texts still to write (« À rédiger : … »), which the summary counts


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    column: int  # 1-based; 0 when unknown
    rule: str
    message: str
    source_line: str = ""  # the offending line as typed, for the reader to recognise
    severity: str = ERROR  # ERROR or WARNING

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def as_warning(self) -> Problem:
        return dataclasses.replace(self, severity=WARNING)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass(frozen=True, order=True)
class Skipped:
    """A check that could not be made, and why: said, so that its silence is not taken for a success."""

    check: str  # what was not checked: « les références aux objectifs »
    reason: str  # why: « strategie.yaml illisible »

    def __str__(self) -> str:
        return f"{self.check} ({self.reason})"

    def as_dict(self) -> dict:
        return {"check": self.check, "reason": self.reason}


class ProblemError(Exception):
    """Raised where a problem stops the reading of a file."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem
