"""The governance names what exists: an instance's members are partners, the axes it follows are axes."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import items, mapping, references
from stspd.check.suggest import did_you_mean
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "gouvernance"
# instance key → (kind of id it names, how to say it)
_NAMED = {"membres": ("partenaire", "partenaire inconnu"), "axes": ("axe", "axe inconnu")}
CHECKS = {"partenaire": "les membres des instances", "axe": "les axes suivis par les instances"}


def check(project: Project, index: Index) -> Iterator[Problem]:
    doc = project.strategie
    if doc is None:
        return
    bodies = list(items(mapping(mapping(doc.data).get("gouvernance")).get("instances")))
    for key, (kind, unknown) in _NAMED.items():
        named = [(i, ref, path) for i, body in bodies for ref, path in references(body, key)]
        if not named:
            continue
        if not index.complete(kind):
            index.skip(CHECKS[kind], index.why(kind))
            continue
        known = index.ids(kind)
        for i, ref, path in named:
            if ref not in known:
                yield doc.problem(
                    ("gouvernance", "instances", i, *path), NAME, f"{key} : {unknown} « {ref} »{did_you_mean(ref, known)}"
                )
