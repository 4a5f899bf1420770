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
import re
import stat
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from stspd.load.document import Document, parse_document
from stspd.problems import ERROR, WARNING, Problem, ProblemError, Skipped

YAML_SUFFIXES = (".yaml", ".yml")  # in any case: 2.2.1.YAML is read as 2.2.1.yaml is
MAX_YAML_BYTES = 10_000_000  # a fiche is 5 kB, the sample's diagnostic 60 kB: 10 MB is no project's file
RULE = "projet"
# The folders whose every YAML file is read: what one of their files is, what they hold, how a file is named,
# and the kind of document it is read as.
FOLDERS = {
    "diagnostic": "une partie du diagnostic",
    "actions": "une fiche action",
    "evaluations": "une évaluation",
    "referentiels": "un référentiel",
}
_HOLDS = {
    "diagnostic": "les parties du diagnostic",
    "actions": "les fiches actions",
    "evaluations": "les évaluations",
    "referentiels": "les référentiels",
}
_NAMED = {
    "diagnostic": "un fichier .yaml par partie, ex. « statistiques.yaml »",
    "actions": "une fiche par fichier, nommé par son numéro, ex. « 2.2.1.yaml »",
    "evaluations": "un fichier par année évaluée, nommé par l'année, ex. « 2025.yaml »",
    "referentiels": "un fichier par référentiel, nommé par son identifiant, ex. « pdpd-loire-2024-2027.yaml »",
}
_KINDS = {"diagnostic": "diagnostic", "actions": "fiche", "evaluations": "evaluation", "referentiels": "referentiel"}
# A file name that says what the file is: a fiche's number, an evaluated year
_EXPECTED = {"actions": re.compile(r"\d+(\.\d+)+"), "evaluations": re.compile(r"\d{4}")}
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# Files no one means as data, left beside it: documents, pictures, archives, copies kept aside. They are not read,
# and said so as a warning; any other file stspd does not read is an error (it may be data saved under a wrong name).
_DOCUMENTS = frozenset(
    {".md", ".markdown", ".rst", ".pdf", ".doc", ".docx", ".odt", ".rtf", ".xls", ".xlsx", ".xlsm", ".ods", ".csv"}
    | {".ppt", ".pptx", ".odp", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".tif", ".tiff", ".html", ".htm"}
    | {".zip", ".7z", ".msg", ".eml", ".bak", ".old", ".orig", ".tmp", ".swp"}
)
_NOTES = re.compile(r"(readme|lisezmoi|lisez-moi|notes?|todo|a-faire|à-faire)([ ._-]|$)", re.IGNORECASE)


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
    referentiels: list[Document] = field(default_factory=list)  # the frames the project adds to the shipped ones
    problems: list[Problem] = field(default_factory=list)
    failed_kinds: set[str] = field(default_factory=set)  # kinds with a file left out: their ids are not all known
    # kind → the files of that kind left out, and why (« actions/2.1.1.yaml illisible »): what the checks that need
    # them say when they cannot be made
    unread: dict[str, list[str]] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)  # the checks that could not be made (check/validation.py)

    def name(self, path: Path) -> str:
        """`path` as it stands in the project, « actions/2.1.1.yaml »: for a sentence, where a file's place is known."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def left_out(self, kind: str, path: Path, why: str) -> None:
        """A file of `kind` was not read: the ids it declares are not known."""
        self.failed_kinds.add(kind)
        self.unread.setdefault(kind, []).append(f"{self.name(path)} {why}")


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


def _entries(project: Project, folder: Path) -> list[Path]:
    """The YAML files of `folder`, by name; what is there and not read, or cannot be read, becomes a problem."""
    what = FOLDERS[folder.name]
    try:
        if not folder.is_dir():
            if os.path.lexists(folder):
                project.problems.append(
                    _problem(folder, f"{folder.name} devrait être un dossier, où chaque fichier .yaml est {what}")
                )
                project.left_out(_KINDS[folder.name], folder, "n'est pas un dossier")
            return []
        if not _inside(os.path.realpath(folder, strict=True), _real_root(os.path.abspath(project.root))):
            project.problems.append(
                _problem(folder, "dossier relié (lien symbolique) hors du dossier du projet : stspd ne le lit pas")
            )
            project.left_out(_KINDS[folder.name], folder, "non lu")
            return []
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        project.problems.append(_problem(folder, str(_refusal(error))))
        project.left_out(_KINDS[folder.name], folder, "illisible")
        return []
    found: dict[str, list[Path]] = {}
    for entry in entries:
        path = Path(entry.path)
        if _unseen(entry.name):
            continue
        if path.suffix.lower() in YAML_SUFFIXES:
            found.setdefault(path.stem.casefold(), []).append(path)
            continue
        unread = _not_read(entry, folder.name)
        if unread is None:
            continue
        severity, message = unread
        project.problems.append(Problem(_display(path), 0, 0, RULE, message, severity=severity))
        if severity == ERROR:
            project.left_out(_KINDS[folder.name], path, "non lu")
    return sorted((_one_of(project, folder, paths) for paths in found.values()), key=lambda path: path.name)


def _one_of(project: Project, folder: Path, paths: list[Path]) -> Path:
    """The file read among those of one name but for the suffix's spelling (2.1.1.yaml, 2.1.1.YML): the plainest;
    the others are reported."""
    read, *others = sorted(paths, key=lambda path: (path.suffix != ".yaml", path.suffix != ".yml", path.name))
    for other in others:
        project.problems.append(
            _problem(
                other,
                f"{read.name} et {other.name} sont tous deux présents dans {folder.name}/ : stspd lit {read.name} ; "
                "supprimez ou renommez l'autre",
            )
        )
        project.left_out(_KINDS[folder.name], other, "non lu")
    return read


def _unseen(name: str) -> bool:
    """Hidden files (.gitkeep, .DS_Store), editors' backups and locks (1.1.1.yaml~, #1.1.1.yaml#, ~$grille.xlsx):
    never a town's data, and no one's to hear about. Nor a schema of the project (commune.schema.json), which the
    files that declare it in their first line make stspd read."""
    return name.startswith((".", "#", "~$")) or name.endswith("~") or name.lower().endswith(".schema.json")


def _not_read(entry: os.DirEntry, folder: str) -> tuple[str, str] | None:
    """The severity and message of a file or folder of `folder` that stspd does not read, or None to pass it over."""
    name, what = entry.name, FOLDERS[folder]
    try:
        is_folder = entry.is_dir()
    except OSError:
        is_folder = False
    if is_folder:
        inside = _yaml_inside(entry)
        if inside:
            return ERROR, (
                f"dossier non lu : stspd ne lit que les fichiers placés directement dans {folder}/, pas dans ses "
                f"sous-dossiers ; s'il contient {_HOLDS[folder]} ({inside}), déplacez-les dans {folder}/, "
                f"sinon rangez ce dossier hors de {folder}/"
            )
        return WARNING, (
            f"dossier non lu : stspd ne lit pas les sous-dossiers de {folder}/ ; ce qu'il contient n'est pas pris en compte"
        )
    stem = _meant_as_yaml(name)
    if stem is not None:
        return ERROR, (
            f"fichier non lu : stspd ne lit dans {folder}/ que les fichiers en .yaml ou .yml ; "
            f"s'il s'agit d'{what}, renommez-le {_right_name(stem, folder)}"
        )
    suffix = Path(name).suffix.lower()
    base = name[: -len(suffix)] if suffix[1:].isalpha() else name
    expected = _EXPECTED.get(folder)
    if suffix in _DOCUMENTS or _NOTES.match(name):
        hint = ""
        if expected is not None and expected.fullmatch(base.strip()):
            hint = f" ; {what} s'écrit en YAML, dans « {base.strip()}.yaml »"
        return WARNING, (
            f"fichier non lu : stspd ne lit dans {folder}/ que {_HOLDS[folder]} en .yaml ; ce fichier n'y est pas pris "
            f"en compte{hint} (rangez-le ailleurs pour ne plus voir cet avertissement)"
        )
    return ERROR, (
        f"fichier non lu : stspd ne lit dans {folder}/ que {_HOLDS[folder]} en .yaml ({_NAMED[folder]}) ; "
        f"s'il s'agit d'{what}, renommez-le {_right_name(base.strip() or name, folder)}, "
        f"sinon rangez-le hors de {folder}/"
    )


def _meant_as_yaml(name: str) -> str | None:
    """The stem of a file name surely meant as YAML that stspd would not read, else None: a typo (.yam, .ymal), a
    space after it, the .txt a text editor adds (2.2.1.yaml.txt)."""
    path = Path(name.rstrip().removesuffix(".txt").removesuffix(".TXT"))
    suffix = path.suffix.lower()
    return path.stem if suffix.startswith(".y") and len(suffix) <= 5 else None


def _right_name(stem: str, folder: str) -> str:
    """How a file meant as one of `folder`'s should be named, quoted: its stem in .yaml; an evaluation, by the year
    it names."""
    if folder == "evaluations" and not _EXPECTED["evaluations"].fullmatch(stem):
        years = _YEAR.findall(stem)
        return f"« {years[0]}.yaml »" if len(years) == 1 else "« AAAA.yaml » (l'année qu'elle évalue)"
    return f"« {stem}.yaml »"


def _yaml_inside(entry: os.DirEntry) -> int:
    """How many YAML files a sub-folder holds (its own, not its sub-folders'); 0 when it cannot be listed. A link is
    not followed: what it leads to is not the project's."""
    if entry.is_symlink():
        return 0
    try:
        with os.scandir(entry.path) as scan:
            return sum(1 for inner in scan if Path(inner.name).suffix.lower() in YAML_SUFFIXES and not _unseen(inner.name))
    except OSError:
        return 0


def _find(project: Project, stem: str) -> Path | None:
    """`stem`.yaml, or `stem`.yml; both present is ambiguous: reported, and the .yaml read. Neither present but a
    file surely meant as it (Strategie.YAML, diagnostic.yaml.txt): reported, with the name to give it."""
    present = [project.root / f"{stem}{suffix}" for suffix in YAML_SUFFIXES if os.path.lexists(project.root / f"{stem}{suffix}")]
    for other in present[1:]:
        project.problems.append(
            _problem(
                other,
                f"{present[0].name} et {other.name} sont tous deux présents : stspd lit "
                f"{present[0].name} ; supprimez ou renommez l'autre",
            )
        )
    if present:
        return present[0]
    for misnamed in _misnamed(project.root, stem):
        project.problems.append(
            _problem(misnamed, f"fichier non lu : stspd lit « {stem}.yaml », en minuscules ; renommez-le « {stem}.yaml »")
        )
        project.left_out(stem, misnamed, "non lu")
    return None


def _misnamed(root: Path, stem: str) -> list[Path]:
    """The files of `root` surely meant as `stem`.yaml under another spelling."""
    try:
        with os.scandir(root) as scan:
            names = sorted(entry.name for entry in scan)
    except OSError:
        return []
    exact = {f"{stem}{suffix}" for suffix in YAML_SUFFIXES}
    return [root / name for name in names if name not in exact and (_yaml_stem(name) or "").casefold() == stem]


def _yaml_stem(name: str) -> str | None:
    """The stem of a YAML file's name, in any spelling (2.2.1.YML, 2.2.1.yaml.txt), else None."""
    path = Path(name)
    return path.stem if path.suffix.lower() in YAML_SUFFIXES else _meant_as_yaml(name)


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
        misnamed = "".join(f" ; {Path(p.file).name} est là : renommez-le « strategie.yaml »" for p in project.problems)
        raise NotAProject(
            f"« {root} » n'est pas un projet stspd : il n'a pas de strategie.yaml{misnamed or ' (stspd init DOSSIER en crée un)'}"
        )
    project.strategie = _read(project, strategie_path, "strategie")
    diagnostic_files = ([p] if (p := _find(project, "diagnostic")) else []) + _entries(project, root / "diagnostic")
    if not diagnostic_files and "diagnostic" not in project.unread:
        project.problems.append(_problem(root / "diagnostic.yaml", "diagnostic.yaml (ou un dossier diagnostic/) est attendu"))
    project.diagnostics = _read_all(project, diagnostic_files, "diagnostic")
    project.fiches = _read_all(project, _entries(project, root / "actions"), "fiche")
    project.evaluations = _read_all(project, _entries(project, root / "evaluations"), "evaluation")
    project.referentiels = _read_all(project, _entries(project, root / "referentiels"), "referentiel")
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
    project.left_out(kind, path, "illisible")
    return None
