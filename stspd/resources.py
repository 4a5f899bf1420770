"""Where the bundled schemas, templates and reference data are, installed or not."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder `name` (schemas, templates): inside the installed wheel, else at the repository's top."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"stspd installation is incomplete: no '{name}' folder beside {_PACKAGE}")


def data_dir() -> Path:
    """Reference data shipped with the code (national strategies, glossary)."""
    return _PACKAGE / "data"


# The running header of the shipped reference documents holds this text; builds replace it by the territory's name.
HEADER_PLACEHOLDER = "STSPD"
