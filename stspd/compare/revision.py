"""A project as it stood at a git revision: its files taken out of git into a temporary folder, then read by the
normal loader, so that a revision is read exactly as a working tree is.

Every git run is bounded in time (render/children.py) and the temporary folder is removed on every way out.
Only the files a project is made of are taken out: a repository's other files (built documents, pictures) are
never read.
"""

from __future__ import annotations

import io
import os
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from stspd.commands.errors import Misuse
from stspd.load.project import FOLDERS, YAML_SUFFIXES
from stspd.render.children import ChildError, Children

# What a project is made of, at its top: strategie.yaml, diagnostic.yaml and the folders the loader reads
_PROJECT_FILES = {f"{stem}{suffix}" for stem in ("strategie", "diagnostic") for suffix in YAML_SUFFIXES} | set(FOLDERS)


@dataclass(frozen=True)
class Repository:
    """Where a project sits in its git repository."""

    top: Path  # the repository's top folder
    prefix: str  # the project's folder in it, « communes/valmont » or « » at the top


class NotInRepository(Misuse):
    """The project is in no git repository. Said in `stspd diff`'s words; a command that needs the repository for
    something else (build --modifications-depuis) catches it to say its own."""

    def __init__(self, root: Path):
        super().__init__(
            f"« {root} » n'est pas dans un dépôt git : donnez deux dossiers à comparer, ou placez le projet dans un dépôt"
        )
        self.root = root


def repository_of(root: Path, children: Children) -> Repository:
    """The repository holding the folder `root`; NotInRepository when there is none."""
    try:
        said = _lines(_git(children, root, "rev-parse", "--show-toplevel", "--show-prefix")).splitlines()
    except ChildError:
        raise NotInRepository(root) from None
    top, prefix = said[0], said[1] if len(said) > 1 else ""
    return Repository(Path(top), prefix.rstrip("/"))


def commit_of(repository: Repository, revision: str, children: Children) -> str:
    """The commit `revision` names (a branch, a tag, HEAD~2, a hash); Misuse when it names none."""
    # A revision written as an option (« --output=… ») would be read by git as one: refused before git sees it
    if not revision or revision.startswith("-"):
        raise Misuse(f"révision invalide « {revision} »")
    try:
        return _lines(_git(children, repository.top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")).strip()
    except ChildError:
        raise Misuse(
            f"révision inconnue « {revision} » dans le dépôt {repository.top} (une branche, une étiquette, HEAD~1 "
            "ou l'identifiant d'un commit ; git log --oneline les montre)"
        ) from None


@contextmanager
def checked_out(repository: Repository, commit: str, children: Children) -> Iterator[Path | None]:
    """The project's files at `commit` in a temporary folder, removed on leaving; None when the project's folder
    does not exist at that commit."""
    tree = f"{commit}:{repository.prefix}"
    with tempfile.TemporaryDirectory(prefix="stspd-diff-") as folder:
        try:
            names = _lines(_git(children, repository.top, "ls-tree", "-z", "--name-only", tree)).split("\0")
        except ChildError:  # the commit exists (commit_of said so): the project's folder does not, there
            yield None
            return
        wanted = sorted(name for name in names if name in _PROJECT_FILES)
        destination = Path(folder) / "projet"
        destination.mkdir()
        if wanted:
            _extract(_git(children, repository.top, "archive", "--format=tar", tree, "--", *wanted), destination)
        yield destination


def _extract(archive: bytes, destination: Path) -> None:
    """The archive's files written under `destination`; a link leading out of it, or any member tarfile's `data`
    filter refuses, is left out, and the loader then says the file is missing."""
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar:
            try:
                tar.extract(member, destination, filter="data")
            except tarfile.FilterError:
                continue


def _git(children: Children, folder: Path, *arguments: str) -> bytes:
    """git's output; ChildError when it fails or runs out of time. No pager, no replaced objects, and no prompt:
    git must not wait on a terminal for a password (a partial clone fetching a missing object)."""
    command = ["git", "-C", str(folder), "--no-pager", "--no-replace-objects", *arguments]
    return children.run(command, f"git {arguments[0]}", {**os.environ, "GIT_TERMINAL_PROMPT": "0"})


def _lines(output: bytes) -> str:
    return output.decode("utf-8", "surrogateescape")
