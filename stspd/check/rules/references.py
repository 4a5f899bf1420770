"""Every reference resolves: a fiche's objectives, constats, pilot, partners and QPVs exist."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import references
from stspd.check.suggest import did_you_mean
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "references"

# fiche key → (kind of id it names, how to say it)
_FICHE_REFERENCES = {
    "objectifs": ("objectif", "objectif inconnu"),
    "constats": ("constat", "constat du diagnostic inconnu"),
    "pilote": ("partenaire", "partenaire inconnu"),
    "partenaires": ("partenaire", "partenaire inconnu"),
    "qpv": ("QPV", "QPV inconnu (à déclarer dans strategie.yaml, territoire › qpv)"),
}
# kind → the check not made when its ids are not all known
CHECKS = {
    "objectif": "les références aux objectifs",
    "constat": "les références aux constats du diagnostic",
    "partenaire": "les références aux partenaires",
    "QPV": "les références aux QPV",
}


def check(project: Project, index: Index) -> Iterator[Problem]:
    for doc in project.fiches:
        for key, (kind, unknown) in _FICHE_REFERENCES.items():
            refs = list(references(doc.data, key))  # a value of another type is the schema's to report
            if not refs:
                continue
            if not index.complete(kind):
                index.skip(CHECKS[kind], index.why(kind))
                continue
            known = index.ids(kind)
            for ref, path in refs:
                if ref not in known:
                    yield doc.problem(path, NAME, f"{key} : {unknown} « {ref} »{did_you_mean(ref, known)}")
