"""The logo named in strategie.yaml is a PNG or JPEG file inside the project."""

from __future__ import annotations

from collections.abc import Iterator

from ..index import Index
from ..problems import Problem
from ..project import Project

NAME = "logo"
_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def check(project: Project, index: Index) -> Iterator[Problem]:
    if not project.strategie or "logo" not in project.strategie.data:
        return
    name = project.strategie.data["logo"]
    path = (project.root / name).resolve()
    if project.root.resolve() not in path.parents:
        yield project.strategie.problem(("logo",), NAME, f"logo : « {name} » sort du dossier du projet")
    elif not path.is_file():
        yield project.strategie.problem(("logo",), NAME, f"logo : fichier « {name} » introuvable dans le projet")
    elif not path.read_bytes()[:8].startswith(_SIGNATURES):
        yield project.strategie.problem(("logo",), NAME, f"logo : « {name} » n'est ni un PNG ni un JPEG")
