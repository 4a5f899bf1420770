"""Every id a project declares, where it is declared, and lookups by kind for the cross-checks.

The documents may not have passed their schemas. Where the ids of a kind cannot all be known (a file left out, a list
of them that is not a list, one without an id, a list missing or under a misspelt key), the kind is incomplete, and
the index keeps why: a check that needs those ids is then not made, and said not made, rather than reporting as
unknown an id that is declared where stspd could not read it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from stspd.check.shapes import integer, mapping, text
from stspd.check.suggest import closest
from stspd.load.document import Document
from stspd.load.project import Project
from stspd.problems import Skipped

# The ids each kind of document declares: when one of its files is left out, they are not all known.
DECLARED_IN = {
    "strategie": ("partenaire", "QPV", "instance", "axe", "objectif", "période"),
    "diagnostic": ("thème", "constat", "tableau statistique"),
    "fiche": ("fiche",),
}
# How one of a kind is said, in a reason: « un partenaire sans identifiant dans strategie.yaml »
_ONE = {
    "partenaire": "un partenaire",
    "QPV": "un QPV",
    "instance": "une instance",
    "axe": "un axe",
    "objectif": "un objectif",
    "thème": "un thème",
    "constat": "un constat",
    "tableau statistique": "un tableau statistique",
    "fiche": "une fiche",
    "indicateur": "un indicateur",
}


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
    """Every id of the project that can be read, in file order."""
    yield from _Reading(project).declared


class Index:
    """Lookups over a project's declarations: the first declaration of an id wins. Also where the checks note what
    they could not check (`skip`), for the report to say it."""

    def __init__(self, project: Project):
        self.project = project
        reading = _Reading(project)
        self.declared: list[Declared] = reading.declared
        self.gaps: dict[str, list[str]] = reading.gaps
        self.by_kind: dict[str, dict[str, Declared]] = {}
        for declared in self.declared:
            self.by_kind.setdefault(declared.kind, {}).setdefault(declared.id, declared)
        self._skipped: dict[str, list[str]] = {}

    def ids(self, kind: str) -> dict[str, Declared]:
        return self.by_kind.get(kind, {})

    def complete(self, kind: str) -> bool:
        """Whether every id of `kind` could be read: an unknown id is only an error then."""
        return kind not in self.gaps

    def why(self, kind: str) -> str:
        """Why the ids of `kind` are not all known: « strategie.yaml illisible »."""
        return _listed(self.gaps.get(kind, []))

    def skip(self, check: str, reason: str) -> None:
        """Note that `check` (« les références aux objectifs ») could not be made, and why."""
        reasons = self._skipped.setdefault(check, [])
        for part in reason.split(", "):
            if part and part not in reasons:
                reasons.append(part)

    @property
    def skipped(self) -> list[Skipped]:
        return [Skipped(check, _listed(reasons)) for check, reasons in self._skipped.items()]

    @cached_property
    def period(self) -> tuple[int, int] | None:
        """The strategy's first and last years, when they can be read."""
        if not self.complete("période"):
            return None
        period = mapping(mapping(self.project.strategie.data if self.project.strategie else None).get("periode"))
        first, last = integer(period.get("debut")), integer(period.get("fin"))
        if first is None or last is None:
            return None
        return first, last

    def why_no_period(self) -> str:
        if not self.complete("période"):
            return self.why("période")
        name = self.project.name(self.project.strategie.path) if self.project.strategie else "strategie.yaml"
        return f"période de {name} illisible"

    def indicators(self, fiche_id: str) -> dict[str, dict]:
        """The indicators of a fiche whose ids can be read."""
        fiche = self.ids("fiche").get(fiche_id)
        indicators = mapping(fiche.value).get("indicateurs") if fiche else None
        found: dict[str, dict] = {}
        for item in indicators if isinstance(indicators, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                found.setdefault(item["id"], item)
        return found

    def indicators_unknown(self, fiche_id: str) -> str | None:
        """Why the indicators of a fiche are not all known, or None when they are."""
        fiche = self.ids("fiche").get(fiche_id)
        if fiche is None:
            return None
        indicators = mapping(fiche.value).get("indicateurs", [])
        if isinstance(indicators, list) and all(isinstance(mapping(i).get("id"), str) for i in indicators):
            return None
        return f"indicateurs illisibles dans {self.project.name(fiche.document.path)}"


def _listed(reasons: list[str]) -> str:
    if len(reasons) <= 3:
        return ", ".join(reasons)
    return f"{', '.join(reasons[:2])} et {len(reasons) - 2} autres"


class _Reading:
    """The ids of a project's documents, read as far as they can be, and why those of a kind are not all known."""

    def __init__(self, project: Project):
        self.project = project
        self.declared: list[Declared] = []
        self.gaps: dict[str, list[str]] = {}
        for document_kind in sorted(project.failed_kinds | set(project.unread)):
            reasons = project.unread.get(document_kind) or [f"un fichier « {document_kind} » illisible"]
            for kind in DECLARED_IN.get(document_kind, ()):
                for reason in reasons:
                    self._gap(kind, reason)
        if project.strategie:
            self._strategie(project.strategie)
        for doc in project.diagnostics:
            self._diagnostic(doc)
        for doc in project.fiches:
            self._fiche(doc)
        for doc in project.evaluations:
            self._evaluation(doc)

    def _strategie(self, doc: Document) -> None:
        data = self._root(doc, DECLARED_IN["strategie"])
        if not isinstance(data.get("periode"), dict):
            self._gap("période", f"période de {self.project.name(doc.path)} illisible")
        for i, partner in self._items(doc, data, ("partenaires",), "partenaire", required=True):
            self._declare("partenaire", "", doc, partner, "id", ("partenaires", i, "id"))
        territory = data.get("territoire")
        if isinstance(territory, dict):
            for i, qpv in self._items(doc, territory, ("territoire", "qpv"), "QPV"):
                self._declare("QPV", "", doc, qpv, "code", ("territoire", "qpv", i, "code"))
        elif "territoire" in data or _misspelt(data, "territoire"):
            self._gap("QPV", f"territoire de {self.project.name(doc.path)} illisible")
        governance = data.get("gouvernance")
        if isinstance(governance, dict):
            for i, body in self._items(doc, governance, ("gouvernance", "instances"), "instance"):
                self._declare("instance", "", doc, body, "id", ("gouvernance", "instances", i, "id"))
        elif "gouvernance" in data or _misspelt(data, "gouvernance"):
            self._gap("instance", f"gouvernance de {self.project.name(doc.path)} illisible")
        for i, axe in self._items(doc, data, ("axes",), "axe", "objectif", required=True):
            self._declare("axe", "", doc, axe, "id", ("axes", i, "id"))
            for j, objective in self._items(doc, axe, ("axes", i, "objectifs"), "objectif", required=True):
                self._declare("objectif", "", doc, objective, "id", ("axes", i, "objectifs", j, "id"))

    def _diagnostic(self, doc: Document) -> None:
        data = self._root(doc, DECLARED_IN["diagnostic"])
        for i, theme in self._items(doc, data, ("themes",), "thème", "constat"):
            self._declare("thème", "", doc, theme, "id", ("themes", i, "id"))
            for j, finding in self._items(doc, theme, ("themes", i, "constats"), "constat", required=True):
                self._declare("constat", "", doc, finding, "id", ("themes", i, "constats", j, "id"))
        for i, table in self._items(doc, data, ("statistiques",), "tableau statistique"):
            self._declare("tableau statistique", "", doc, table, "id", ("statistiques", i, "id"))

    def _fiche(self, doc: Document) -> None:
        data = self._root(doc, ("fiche",))
        if not data or not self._declare("fiche", "", doc, data, "id", ("id",)):
            return
        scope = f"fiche {data['id']}"
        for i, indicator in self._items(doc, data, ("indicateurs",), "indicateur"):
            if isinstance(indicator.get("id"), str):
                self.declared.append(Declared("indicateur", scope, indicator["id"], doc, ("indicateurs", i, "id"), indicator))

    def _evaluation(self, doc: Document) -> None:
        data = mapping(doc.data)
        year = integer(data.get("annee"))
        scope = f"évaluation {year if year is not None else self.project.name(doc.path)}"
        for i, entry in self._items(doc, data, ("fiches",), "fiche évaluée"):
            if isinstance(entry.get("fiche"), str):
                self.declared.append(Declared("fiche évaluée", scope, entry["fiche"], doc, ("fiches", i, "fiche"), entry))

    def _root(self, doc: Document, kinds: tuple[str, ...]) -> dict:
        """The document's keys; when it holds none (a list, a text), nothing it should declare is known."""
        if isinstance(doc.data, dict):
            return doc.data
        for kind in kinds:
            self._gap(kind, f"{self.project.name(doc.path)} illisible (des clés sont attendues)")
        return {}

    def _items(self, doc: Document, owner: dict, path: tuple, *kinds: str, required: bool = False):
        """The mappings of the list owner[path[-1]]; where they cannot all be read, the ids of `kinds` are not all
        known. A list absent is none declared, unless the schema requires it or a misspelt key may hold it."""
        key, name = path[-1], self.project.name(doc.path)
        where = " › ".join(str(part + 1 if isinstance(part, int) else part) for part in path)
        if key not in owner:
            if required or _misspelt(owner, key):
                for kind in kinds:
                    self._gap(kind, f"« {where} » absent de {name}")
            return []
        value = owner[key]
        if not isinstance(value, list):
            for kind in kinds:
                self._gap(kind, f"« {where} » illisible dans {name}")
            return []
        found = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                found.append((i, item))
            else:
                for kind in kinds:
                    self._gap(kind, f"« {where} » illisible dans {name}")
        return found

    def _declare(self, kind: str, scope: str, doc: Document, owner: dict, key: str, path: tuple) -> bool:
        ident = text(owner.get(key))
        if ident is None:
            self._gap(kind, f"{_ONE[kind]} sans identifiant lisible dans {self.project.name(doc.path)}")
            return False
        self.declared.append(Declared(kind, scope, ident, doc, path, owner))
        return True

    def _gap(self, kind: str, reason: str) -> None:
        reasons = self.gaps.setdefault(kind, [])
        if reason not in reasons:
            reasons.append(reason)


def _misspelt(owner: dict, key: str) -> bool:
    """Whether `owner` has a key unknown to stspd's schemas that may be `key` misspelt (« partenaire »): what it holds
    is then not read, and the ids it would declare are not known."""
    return any(other != key and other not in _known_keys() and closest(other, [key]) for other in owner)


@lru_cache(maxsize=1)
def _known_keys() -> frozenset[str]:
    """Every key a bundled schema names."""
    from stspd.check import schemas

    found: set[str] = set()

    def walk(node) -> None:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                found.update(properties)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in (*schemas.KINDS, schemas.SHARED):  # the fields a project's files may hold
        walk(schemas.load(name))
    return frozenset(found)
