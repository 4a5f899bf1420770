"""Shared fixtures: a fresh minimal project per test, the bundled sample, and a CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from stspd.check.validation import validate_project
from stspd.cli import main
from stspd.commands.init import create_project

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "valmont"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal valid project, as `stspd init` writes it (period 2025-2030)."""
    root = tmp_path / "projet"
    create_project(root, territoire="Testville", periode="2025-2030", kind="commune")
    return root


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled sample, free to break."""
    return Path(shutil.copytree(SAMPLE, tmp_path / "valmont"))


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The sample built once in every format, for the tests that read the documents back."""
    from stspd.commands.build import FORMATS, Settings, build_documents

    out = tmp_path_factory.mktemp("dist")
    build_documents(Settings(SAMPLE, FORMATS, out))
    return out


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in a file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(root: Path):
    return validate_project(root)[1]


def only_problem(root: Path, rule: str | None = None):
    """The single problem the project has (of `rule` when given)."""
    found = [p for p in problems_of(root) if rule is None or p.rule == rule]
    assert len(found) == 1, "\n".join(map(str, found)) or "no problem found"
    return found[0]


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])
