"""Every reference resolves: a fiche's objectives, constats, pilot, partners and QPVs exist."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
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


def check(project: Project, index: Index) -> Iterator[Problem]:
    for doc in project.fiches:
        for key, (kind, unknown) in _FICHE_REFERENCES.items():
            if key not in doc.data or not index.complete(kind):
                continue
            value = doc.data[key]
            refs = [(value, (key,))] if isinstance(value, str) else [(v, (key, i)) for i, v in enumerate(value)]
            known = index.ids(kind)
            for ref, path in refs:
                if ref not in known:
                    yield doc.problem(path, NAME, f"{key} : {unknown} « {ref} »{did_you_mean(ref, known)}")
