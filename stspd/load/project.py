"""A strategy project: the folder's files, found and read (checking them is check/validation.py's job).

Every file stspd opens in a project goes through `read_inside`: a regular file, inside the project folder, of a
bounded size. A project arrives from partners (a pull request, a zip): a link to /etc/passwd, a named pipe that would
block the reading forever, a device without end are reported, never opened. Nothing where a YAML file is expected is
skipped in silence: what stspd does not read is said, with how to make it readable.
"""

from __future__ import annotations

import errno
import gc
import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from stspd.load.document import Document, parse_document
from stspd.problems import Problem, ProblemError

YAML_SUFFIXES = (".yaml", ".yml")
MAX_YAML_BYTES = 10_000_000  # a fiche is 5 kB, the sample's diagnostic 60 kB: 10 MB is no project's file
RULE = "projet"
# The folders whose every YAML file is read, and what one of their files is.
FOLDERS = {"diagnostic": "une partie du diagnostic", "actions": "une fiche action", "evaluations": "une évaluation"}


class NotAProject(Exception):
    """The folder is not a stspd project: a misuse, not invalid data."""


class Refused(Exception):
    """A file stspd will not or cannot read; the message says why, in French, without its content."""


class Absent(Refused):
    """The file does not exist."""


class Outside(Refused):
    """The file, or the link to it, leads out of the project folder."""


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


def read_inside(root: Path, path: Path, limit: int) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes inside the folder `root` (links may lead to one).

    Raises Absent, Outside or Refused. The file is looked at before it is opened, and opened without waiting: a named
    pipe put in its place meanwhile cannot block the reading.
    """
    try:
        real = os.path.realpath(path, strict=True)
        if not _inside(real, _real_root(os.path.abspath(root))):
            kind = "lien symbolique" if os.path.islink(path) else "chemin"
            raise Outside(f"{kind} qui mène hors du dossier du projet : stspd ne le lit pas ; copiez le fichier dans le projet")
        _check_kind(os.stat(real), limit)
        descriptor = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise _refusal(error) from None
    try:
        _check_kind(os.fstat(descriptor), limit)
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(descriptor, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise _refusal(error) from None
    finally:
        os.close(descriptor)
    if size > limit:  # it grew since it was looked at
        raise Refused(_too_big(limit))
    return b"".join(chunks)


@lru_cache(maxsize=8)
def _real_root(root: str) -> str:
    """The project folder (an absolute path), links resolved: once, not for each of a thousand fiches."""
    return os.path.realpath(root)


def _inside(real: str, folder: str) -> bool:
    return real == folder or real.startswith(folder.rstrip(os.sep) + os.sep)


def _check_kind(status: os.stat_result, limit: int) -> None:
    if stat.S_ISDIR(status.st_mode):
        raise Refused("c'est un dossier, pas un fichier")
    if not stat.S_ISREG(status.st_mode):
        raise Refused("ni fichier ni dossier (tube nommé, périphérique ou socket) : stspd ne l'ouvre pas")
    if status.st_size > limit:
        raise Refused(_too_big(limit))


def _too_big(limit: int) -> str:
    return f"trop volumineux : {f'{limit // 1_000_000} Mo' if limit >= 1_000_000 else f'{limit // 1000} ko'} au plus"


def _refusal(error: OSError) -> Refused:
    """An operating system's error said in French (its own words are English, or in the machine's language)."""
    if error.errno == errno.ELOOP:
        return Refused("boucle de liens symboliques : ce lien ne mène à aucun fichier ; remplacez-le par le fichier")
    if isinstance(error, FileNotFoundError):
        return Absent("introuvable (ou lien symbolique vers un fichier absent)")
    if isinstance(error, PermissionError):
        return Refused("illisible : accès refusé ; vérifiez les droits de lecture")
    if isinstance(error, NotADirectoryError):
        return Absent("introuvable : un élément du chemin n'est pas un dossier")
    code = errno.errorcode.get(error.errno or 0, "inconnue")
    return Refused(f"illisible : le système refuse de le lire (erreur {code})")


def _entries(project: Project, folder: Path, what: str) -> list[Path]:
    """The YAML files of `folder`, by name; what is there and not read, or cannot be read, becomes a problem."""
    try:
        if not folder.is_dir():
            if os.path.lexists(folder):
                project.problems.append(
                    _problem(folder, f"{folder.name} devrait être un dossier, où chaque fichier .yaml est {what}")
                )
            return []
        if not _inside(os.path.realpath(folder, strict=True), _real_root(os.path.abspath(project.root))):
            project.problems.append(
                _problem(folder, "dossier relié (lien symbolique) hors du dossier du projet : stspd ne le lit pas")
            )
            return []
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        project.problems.append(_problem(folder, str(_refusal(error))))
        return []
    found = []
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith(".") or entry.name.endswith("~") or entry.name.startswith("#"):
            continue  # hidden files (.gitkeep, .DS_Store) and editors' backups and locks: never a town's data
        if path.suffix in YAML_SUFFIXES:
            found.append(path)
        elif (stem := _meant_as_yaml(entry.name)) is not None:
            project.problems.append(
                _problem(
                    path,
                    f"fichier ignoré : stspd ne lit dans {folder.name}/ que les fichiers "
                    f"en .yaml ou .yml ; s'il s'agit d'{what}, renommez-le « {stem}.yaml »",
                )
            )
    return found


def _meant_as_yaml(name: str) -> str | None:
    """The stem of a file name surely meant as YAML that stspd would not read, else None: another case (.YAML), a
    typo (.yam, .ymal), a space after it, the .txt a text editor adds. Other files (notes.md, collecte-2026.xlsx,
    1.1.1.yaml.bak) are no YAML to read: they stay the town's business, and so do sub-folders."""
    path = Path(name.rstrip().removesuffix(".txt").removesuffix(".TXT"))
    suffix = path.suffix.lower()
    return path.stem if suffix.startswith(".y") and len(suffix) <= 5 else None


def _find(project: Project, stem: str) -> Path | None:
    """`stem`.yaml, or `stem`.yml; both present is ambiguous: reported, and the .yaml read."""
    present = [project.root / f"{stem}{suffix}" for suffix in YAML_SUFFIXES if os.path.lexists(project.root / f"{stem}{suffix}")]
    for other in present[1:]:
        project.problems.append(
            _problem(
                other,
                f"{present[0].name} et {other.name} sont tous deux présents : stspd lit "
                f"{present[0].name} ; supprimez ou renommez l'autre",
            )
        )
    return present[0] if present else None


def _problem(path: Path, message: str) -> Problem:
    return Problem(_display(path), 0, 0, RULE, message)


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
    project = Project(root=root)
    strategie_path = _find(project, "strategie")
    if strategie_path is None:
        raise NotAProject(f"« {root} » n'est pas un projet stspd : il n'a pas de strategie.yaml (stspd init DOSSIER en crée un)")
    project.strategie = _read(project, strategie_path, "strategie")
    diagnostic_files = ([p] if (p := _find(project, "diagnostic")) else []) + _entries(
        project, root / "diagnostic", FOLDERS["diagnostic"]
    )
    if not diagnostic_files and not any(p.file.startswith(_display(root / "diagnostic")) for p in project.problems):
        project.problems.append(_problem(root / "diagnostic.yaml", "diagnostic.yaml (ou un dossier diagnostic/) est attendu"))
    project.diagnostics = _read_all(project, diagnostic_files, "diagnostic")
    project.fiches = _read_all(project, _entries(project, root / "actions", FOLDERS["actions"]), "fiche")
    project.evaluations = _read_all(project, _entries(project, root / "evaluations", FOLDERS["evaluations"]), "evaluation")
    return project


def _read_all(project: Project, paths: list[Path], kind: str) -> list[Document]:
    return [doc for path in paths if (doc := _read(project, path, kind)) is not None]


def _read(project: Project, path: Path, kind: str) -> Document | None:
    try:
        return parse_document(read_inside(project.root, path, MAX_YAML_BYTES), path, _display(path))
    except ProblemError as error:
        problem = error.problem
    except Refused as error:
        problem = _problem(path, str(error))
    project.problems.append(problem)
    project.failed_kinds.add(kind)
    return None
