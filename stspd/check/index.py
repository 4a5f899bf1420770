"""Every id a project declares, where it is declared, and lookups by kind for the cross-checks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

from stspd.load.document import Document
from stspd.load.project import Project


@dataclass(frozen=True)
class Declared:
    """An id declared somewhere: its kind (« partenaire »…), the scope it must be unique in, and where.

    A scoped id (an indicator, a fiche in an evaluation) is unique within its own file only.
    """

    kind: str
    scope: str
    id: str
    document: Document
    path: tuple
    value: dict

    @property
    def key(self) -> tuple:
        return (self.kind, self.id, self.document.display if self.scope else "")


def declarations(project: Project) -> Iterator[Declared]:
    """Every id of the project, in file order."""
    if project.strategie:
        doc, data = project.strategie, project.strategie.data
        for i, partner in enumerate(data.get("partenaires", [])):
            yield Declared("partenaire", "", partner["id"], doc, ("partenaires", i, "id"), partner)
        for i, qpv in enumerate(data["territoire"].get("qpv", [])):
            yield Declared("QPV", "", qpv["code"], doc, ("territoire", "qpv", i, "code"), qpv)
        for i, body in enumerate(data.get("gouvernance", {}).get("instances", [])):
            yield Declared("instance", "", body["id"], doc, ("gouvernance", "instances", i, "id"), body)
        for i, axe in enumerate(data["axes"]):
            yield Declared("axe", "", axe["id"], doc, ("axes", i, "id"), axe)
            for j, objective in enumerate(axe["objectifs"]):
                yield Declared("objectif", "", objective["id"], doc, ("axes", i, "objectifs", j, "id"), objective)
    for doc in project.diagnostics:
        for i, theme in enumerate(doc.data.get("themes", [])):
            yield Declared("thème", "", theme["id"], doc, ("themes", i, "id"), theme)
            for j, finding in enumerate(theme["constats"]):
                yield Declared("constat", "", finding["id"], doc, ("themes", i, "constats", j, "id"), finding)
        for i, table in enumerate(doc.data.get("statistiques", [])):
            yield Declared("tableau statistique", "", table["id"], doc, ("statistiques", i, "id"), table)
    for doc in project.fiches:
        yield Declared("fiche", "", doc.data["id"], doc, ("id",), doc.data)
        for i, indicator in enumerate(doc.data.get("indicateurs", [])):
            yield Declared("indicateur", f"fiche {doc.data['id']}", indicator["id"], doc, ("indicateurs", i, "id"), indicator)
    for doc in project.evaluations:
        for i, entry in enumerate(doc.data["fiches"]):
            scope = f"évaluation {doc.data['annee']}"
            yield Declared("fiche évaluée", scope, entry["fiche"], doc, ("fiches", i, "fiche"), entry)


class Index:
    """Lookups over a project's declarations: the first declaration of an id wins."""

    def __init__(self, project: Project):
        self.project = project
        self.by_kind: dict[str, dict[str, Declared]] = {}
        for declared in declarations(project):
            self.by_kind.setdefault(declared.kind, {}).setdefault(declared.id, declared)

    def ids(self, kind: str) -> dict[str, Declared]:
        return self.by_kind.get(kind, {})

    def complete(self, kind: str) -> bool:
        """Whether every file that declares ids of `kind` was read: an unknown id is only an error then."""
        files = {
            "partenaire": "strategie",
            "QPV": "strategie",
            "axe": "strategie",
            "objectif": "strategie",
            "instance": "strategie",
            "thème": "diagnostic",
            "constat": "diagnostic",
            "fiche": "fiche",
        }
        return files.get(kind) not in self.project.failed_kinds

    @cached_property
    def period(self) -> tuple[int, int] | None:
        if not self.project.strategie:
            return None
        period = self.project.strategie.data["periode"]
        return period["debut"], period["fin"]

    def indicators(self, fiche_id: str) -> dict[str, dict]:
        fiche = self.ids("fiche").get(fiche_id)
        return {i["id"]: i for i in fiche.value.get("indicateurs", [])} if fiche else {}
