"""`stspd diff`: the two states of a project the command line names (git revisions, the working tree, two
folders), read and compared; and `--textconv`, one file in words for git's own diff."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from stspd.commands.errors import Misuse
from stspd.commands.locate import project_root
from stspd.compare.changes import Comparison, compare
from stspd.compare.elements import (
    Element,
    Value,
    described,
    evaluation_element,
    fiche_element,
    partner_names,
    project_elements,
    strategy_elements,
    strategy_of,
)
from stspd.compare.revision import Repository, checked_out, commit_of, repository_of
from stspd.load.document import parse_document
from stspd.load.project import MAX_YAML_BYTES, YAML_SUFFIXES, NotAProject, Project, load_project, read_inside
from stspd.problems import ProblemError
from stspd.render.children import ChildError, Children, time_limit

WORKING_TREE = "la copie de travail"
_STRATEGY_KINDS = ("strategie", "partenaire", "axe", "objectif")  # the elements strategie.yaml holds


class NothingToCompare(Exception):
    """Neither state, or only one, could be read: said in French; exit 1."""


@dataclass(frozen=True)
class _State:
    label: str  # « HEAD (fe931e0) », « la copie de travail », a folder
    project: Project | None  # None: no project there


def compare_states(arguments: tuple[str, ...]) -> Comparison:
    """The comparison the command line asks for: [REV1] [REV2] [PROJET], or two folders."""
    if len(arguments) == 2 and all(Path(argument).is_dir() for argument in arguments):
        return _compared(_folder(Path(arguments[0]), arguments[0]), _folder(Path(arguments[1]), arguments[1]))
    *revisions, last = arguments or ("",)
    if last and Path(last).is_dir():
        root = project_root(Path(last))
    else:
        revisions, root = [*revisions, last] if last else revisions, project_root(None)
    if len(revisions) > 2:
        raise Misuse(f"deux révisions au plus sont attendues, puis le projet ({len(revisions)} révisions données)")
    if any(Path(revision).is_dir() for revision in revisions):
        raise Misuse("le projet se donne en dernier, après les révisions ; ou bien deux dossiers à comparer, seuls")
    with Children(time_limit()) as children, ExitStack() as stack:
        try:
            repository = repository_of(root, children)
            commits = [(revision, commit_of(repository, revision, children)) for revision in revisions or ["HEAD"]]
            states = [stack.enter_context(_at_revision(repository, *commit, children)) for commit in commits]
        except ChildError as error:
            raise NothingToCompare(f"git n'a pas pu lire le dépôt : {error}") from None
        if len(states) == 1:
            states.append(_folder(root, WORKING_TREE))
        return _compared(*states)


def _folder(root: Path, label: str) -> _State:
    return _State(label, load_project(root))


@contextmanager
def _at_revision(repository: Repository, revision: str, commit: str, children: Children) -> Iterator[_State]:
    label = f"{revision} ({commit[:7]})" if not commit.startswith(revision) else commit[:7]
    with checked_out(repository, commit, children) as folder:
        try:
            project = load_project(folder) if folder is not None else None
        except NotAProject:
            project = None
        yield _State(label, project)


def _compared(before: _State, after: _State) -> Comparison:
    """The two states' elements compared, but for those that either state could not read: said, not compared
    (a fiche unreadable at one revision is neither added nor removed)."""
    old, new = before.project, after.project
    if old is None or new is None:
        absent = [state.label for state, project in ((before, old), (after, new)) if project is None]
        raise NothingToCompare(
            " ; ".join(f"à {label}, aucun projet stspd (pas de strategie.yaml)" for label in absent) + " : rien à comparer"
        )
    names = partner_names(strategy_of(new), strategy_of(old))
    unknown = _unknown(old) | _unknown(new)

    def known(elements: list[Element]) -> list[Element]:
        return [e for e in elements if (e.kind, None) not in unknown and (e.kind, e.id) not in unknown]

    changes = compare(known(project_elements(old, names)), known(project_elements(new, names)))
    unread = [
        f"à {state.label} : {entry}"
        for state, project in ((before, old), (after, new))
        for files in project.unread.values()
        for entry in files
    ]
    return Comparison(before.label, after.label, changes, unread)


def _unknown(project: Project) -> set[tuple[str, str | None]]:
    """The elements a project's unread files may hold: a kind whole (None), or an id (a file is named by its fiche's
    number, its evaluation's year)."""
    unknown: set[tuple[str, str | None]] = set()
    if project.strategie is None or "strategie" in project.unread:
        unknown |= {(kind, None) for kind in _STRATEGY_KINDS}
    if "diagnostic" in project.unread:
        unknown.add(("diagnostic", None))
    for kind, folder, documents in (("fiche", "actions", project.fiches), ("evaluation", "evaluations", project.evaluations)):
        read = {document.path.name for document in documents}
        try:
            files = [path for path in (project.root / folder).iterdir() if path.suffix.lower() in YAML_SUFFIXES]
        except OSError:
            files = []
        unknown |= {(kind, path.stem) for path in files if path.name not in read}
        if kind in project.unread and not files:  # the folder itself could not be read
            unknown.add((kind, None))
    return unknown


def textconv(path: Path) -> bytes:
    """A project's file in words, one field a line, for git's diff (diff.stspd.textconv): strategie.yaml, a fiche
    or an evaluation; any other file, or one that cannot be read as YAML, as it is. Partners are named by their id:
    git hands over one file, and both sides of a diff must read alike."""
    raw = read_inside(path.parent, path, MAX_YAML_BYTES)
    try:
        data = parse_document(raw, path, str(path)).data
    except ProblemError:
        return raw
    elements = _file_elements(data)
    if not elements:
        return raw
    lines = [f"{element.name} — {label} : {_flat(value)}\n" for element in elements for label, value in described(element)]
    return "".join(lines).encode("utf-8")


def _flat(value: Value) -> str:
    """A field on its one line: git's diff then shows a changed field as one line changed."""
    return " ".join((", ".join(value) if isinstance(value, tuple) else value).split())


def _file_elements(data: object) -> list[Element]:
    """The elements one file holds, by what it holds (git names a revision's file by a temporary name)."""
    if not isinstance(data, dict):
        return []
    if "axes" in data or "partenaires" in data and "pilote" not in data:
        return strategy_elements(data, str)
    found = evaluation_element(data) if "fiches" in data else fiche_element(data, str)
    return [found] if found is not None else []
