"""Every objective of the strategy is served by a fiche action: a warning, not an error (a strategy may be written
objectives first, fiches after)."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import mapping, readable_references, references
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "objectifs"
CHECK = "les objectifs qu'aucune fiche ne sert"


def check(project: Project, index: Index) -> Iterator[Problem]:
    objectives = index.ids("objectif")
    if not index.complete("objectif") and project.fiches:  # an objective not read may be one no fiche serves
        index.skip(CHECK, index.why("objectif"))
    if not objectives:
        return
    if not index.complete("fiche"):
        index.skip(CHECK, index.why("fiche"))
        return
    unread = [
        f"objectifs {'illisibles dans' if 'objectifs' in mapping(doc.data) else 'absents de'} {project.name(doc.path)}"
        for doc in project.fiches
        if not readable_references(doc.data, "objectifs")
    ]
    if unread:  # a fiche whose objectives cannot be read may serve any of them
        index.skip(CHECK, ", ".join(unread))
        return
    served = {ref for doc in project.fiches for ref, _ in references(doc.data, "objectifs")}
    for ident, declared in objectives.items():
        if ident not in served:
            message = f"l'objectif {ident} n'est servi par aucune fiche action : citez-le dans les objectifs d'une fiche"
            yield declared.document.problem(declared.path, NAME, message).as_warning()
