"""Which project a command works on: the one named, else the one the current folder is in, as git finds its
repository from any folder inside it."""

from __future__ import annotations

import os
from pathlib import Path

from stspd.commands.errors import Misuse

MARKERS = ("strategie.yaml", "strategie.yml")


def project_root(given: Path | None) -> Path:
    """`given`, or the nearest folder holding a strategie.yaml from the current folder up, as the user would type it."""
    if given is not None:
        return given  # load_project says what is wrong with it, if anything
    return enclosing_project(Path.cwd()) or _not_found()


def project_of(path: Path) -> Path:
    """The project a file or folder named on the command line belongs to (validate FICHIER… as pre-commit calls it)."""
    if path.is_dir():
        return path  # a folder named is the project: load_project says so if it is not one
    if not path.exists():
        raise Misuse(f"« {path} » n'existe pas")
    return enclosing_project(path.parent) or _not_found(path)


def enclosing_project(start: Path) -> Path | None:
    here = start.resolve()
    for folder in (here, *here.parents):
        if any((folder / marker).is_file() for marker in MARKERS):
            return Path(os.path.relpath(folder)) if _inside_cwd(folder) else folder
    return None


def _inside_cwd(folder: Path) -> bool:
    cwd = Path.cwd().resolve()
    return folder == cwd or cwd in folder.parents or folder in cwd.parents


def _not_found(path: Path | None = None) -> Path:
    where = f"« {path} » n'est dans aucun projet stspd" if path else "le dossier courant n'est dans aucun projet stspd"
    raise Misuse(
        f"{where} : lancez la commande depuis le dossier du projet (celui qui contient strategie.yaml) ou l'un de ses "
        "sous-dossiers, ou donnez le chemin du projet"
    )
