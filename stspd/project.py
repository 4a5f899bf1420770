"""A strategy project: the folder's files, found and read (checking them is validate.py's job)."""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem, ProblemError
from .yamlload import Document, load_document

YAML_SUFFIXES = (".yaml", ".yml")


class NotAProject(Exception):
    """The folder is not a stspd project: a misuse, not invalid data."""


@dataclass
class Project:
    """The documents of a project that were read, and the problems met on the way."""

    root: Path
    strategie: Document | None = None
    diagnostics: list[Document] = field(default_factory=list)
    fiches: list[Document] = field(default_factory=list)
    evaluations: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed_kinds: set[str] = field(default_factory=set)  # kinds with a file left out: their ids are not all known


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in YAML_SUFFIXES)


def _find(root: Path, stem: str) -> Path | None:
    for suffix in YAML_SUFFIXES:
        if (root / f"{stem}{suffix}").is_file():
            return root / f"{stem}{suffix}"
    return None


def _display(path: Path) -> str:
    """The path as the user named the project, followed by the file's place in it."""
    return str(path)


@contextmanager
def paused_gc():
    """Validation keeps every node it read: the garbage collector, scanning them again and again while they
    pile up, doubles the time of a 1,000-fiche project. They hold no cycles, so it rests meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def load_project(root: Path) -> Project:
    """Read every file of the project; documents that cannot be read are left out, their problems kept."""
    if not root.is_dir():
        raise NotAProject(f"le dossier « {root} » n'existe pas")
    strategie_path = _find(root, "strategie")
    if strategie_path is None:
        raise NotAProject(
            f"« {root} » n'est pas un projet stspd : il n'a pas de strategie.yaml (stspd init DOSSIER en crée un)"
        )
    project = Project(root=root)
    project.strategie = _read(project, strategie_path, "strategie")
    diagnostic_files = ([p] if (p := _find(root, "diagnostic")) else []) + _yaml_files(root / "diagnostic")
    if not diagnostic_files:
        project.problems.append(
            Problem(_display(root / "diagnostic.yaml"), 0, 0, "projet", "diagnostic.yaml (ou un dossier diagnostic/) est attendu")
        )
    project.diagnostics = _read_all(project, diagnostic_files, "diagnostic")
    project.fiches = _read_all(project, _yaml_files(root / "actions"), "fiche")
    project.evaluations = _read_all(project, _yaml_files(root / "evaluations"), "evaluation")
    return project


def _read_all(project: Project, paths: list[Path], kind: str) -> list[Document]:
    return [doc for path in paths if (doc := _read(project, path, kind)) is not None]


def _read(project: Project, path: Path, kind: str) -> Document | None:
    try:
        return load_document(path, _display(path))
    except ProblemError as error:
        problem = error.problem
    except OSError as error:
        problem = Problem(_display(path), 0, 0, "projet", f"fichier illisible : {error.strerror}")
    project.problems.append(problem)
    project.failed_kinds.add(kind)
    return None
