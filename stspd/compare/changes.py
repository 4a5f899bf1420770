"""Two states' elements compared: matched by id, then by title (a fiche renumbered keeps its title, or nearly),
and each field that changed said in words: « Fiche 2.1.3 : pilote : PM → CCAS ; cible de l'indicateur
« classes » : 120 → 150 »."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from stspd.compare.elements import KINDS, Element, Value, of_indicator
from stspd.model.strategy import natural_key

# difflib's ratio from which two titles name the same element: « Ateliers citoyens dans les écoles » and
# « Ateliers citoyens dans les écoles élémentaires » (0.85) do, « Prévention routière » and « Prévention de la
# récidive » (0.6) do not.
SIMILAR = 0.8
LONG = 80  # characters from which a changed text is said changed, not quoted twice


@dataclass(frozen=True)
class FieldChange:
    label: str  # « pilote », « cible de l'indicateur « classes » »
    before: Value | None
    after: Value | None
    sentence: str


@dataclass(frozen=True)
class Change:
    kind: str
    before: Element | None
    after: Element | None
    fields: tuple[FieldChange, ...]

    @property
    def nature(self) -> str:
        if self.before is None:
            return "ajout"
        if self.after is None:
            return "suppression"
        return "renumerotation" if self.before.id != self.after.id else "modification"

    @property
    def element(self) -> Element:
        """The element as it is now, or as it was when it is gone."""
        return self.after or self.before  # type: ignore[return-value]  # one of them is always there

    @property
    def sentence(self) -> str:
        """« Fiche 2.1.5 ajoutée : « titre » », « Fiche 1.5.2 renumérotée 1.5.3 ; pilote : PM → CCAS »."""
        element = self.element
        feminine = KINDS[self.kind][1]
        title = f" : « {element.title} »" if element.title else ""
        if self.nature == "ajout":
            return f"{element.name} {_agreed('ajouté', feminine)}{title}"
        if self.nature == "suppression":
            return f"{element.name} {_agreed('supprimé', feminine)}{title}"
        said = " ; ".join(change.sentence for change in self.fields)
        if self.nature == "renumerotation":
            return f"{self.before.name} {_agreed('renuméroté', feminine)} {element.id}{title}" + (f" ; {said}" if said else "")  # type: ignore[union-attr]
        return f"{element.name} : {said}"


@dataclass(frozen=True)
class Comparison:
    """What changed from one state of a project to another, and what of either could not be read."""

    before: str  # each state as a reader knows it: « HEAD (fe931e0) », « la copie de travail », a folder
    after: str
    changes: list[Change]
    unread: list[str]  # sentences: « à HEAD (fe931e0) : actions/2.1.1.yaml illisible »


def _agreed(participle: str, feminine: bool) -> str:
    return participle + ("e" if feminine else "")


def compare(before: Sequence[Element], after: Sequence[Element]) -> list[Change]:
    """Every element added, removed, renumbered or changed, kind by kind in the report's order, then by number."""
    changes = []
    for kind in KINDS:
        pairs = _paired([e for e in before if e.kind == kind], [e for e in after if e.kind == kind])
        found = [Change(kind, old, new, _field_changes(old, new)) for old, new in pairs]
        changes += sorted(
            (change for change in found if change.nature != "modification" or change.fields),
            key=lambda change: natural_key(change.element.id),
        )
    return changes


def _paired(before: list[Element], after: list[Element]) -> list[tuple[Element | None, Element | None]]:
    """The same element in both states: the one of the same id, else the one of the closest title."""
    old, new = {e.id: e for e in before}, {e.id: e for e in after}
    pairs: list[tuple[Element | None, Element | None]] = [(old[i], new[i]) for i in old if i in new]
    gone, came = [e for i, e in old.items() if i not in new], [e for i, e in new.items() if i not in old]
    scored = sorted(
        (
            (-SequenceMatcher(None, g.title.casefold(), c.title.casefold()).ratio(), gi, ci)
            for gi, g in enumerate(gone)
            for ci, c in enumerate(came)
            if g.title and c.title
        )
    )  # the closest first; between equals, the first in number order
    matched_gone: set[int] = set()
    matched_came: set[int] = set()
    for distance, gi, ci in scored:
        if -distance < SIMILAR:
            break
        if gi not in matched_gone and ci not in matched_came:
            matched_gone.add(gi)
            matched_came.add(ci)
            pairs.append((gone[gi], came[ci]))
    pairs += [(g, None) for i, g in enumerate(gone) if i not in matched_gone]
    return pairs + [(None, c) for i, c in enumerate(came) if i not in matched_came]


def _field_changes(before: Element | None, after: Element | None) -> tuple[FieldChange, ...]:
    if before is None or after is None:
        return ()
    changes = [
        _field(label, before.fields.get(label), after.fields.get(label))
        for label in dict.fromkeys([*before.fields, *after.fields])
        if before.fields.get(label) != after.fields.get(label)
    ]
    return tuple(changes) + _indicator_changes(before, after)


def _indicator_changes(before: Element, after: Element) -> tuple[FieldChange, ...]:
    """A fiche's indicators added, removed, renamed or changed, as changes of the fiche."""
    changes: list[FieldChange] = []
    for old, new in _paired(list(before.indicators.values()), list(after.indicators.values())):
        if new is None:
            changes.append(FieldChange(old.name.lower(), old.title, None, f"{old.name.lower()} retiré"))  # type: ignore[union-attr]
        elif old is None:
            title = f" : « {new.title} »" if new.title else ""
            changes.append(FieldChange(new.name.lower(), None, new.title, f"{new.name.lower()} ajouté{title}"))
        else:
            if old.id != new.id:
                changes.append(
                    FieldChange("identifiant de l'indicateur", old.id, new.id, f"{old.name.lower()} devenu « {new.id} »")
                )
            changes += [
                _field(of_indicator(change.label, new.id), change.before, change.after) for change in _field_changes(old, new)
            ]
    return tuple(changes)


def _field(label: str, before: Value | None, after: Value | None) -> FieldChange:
    if isinstance(before, tuple) and isinstance(after, tuple):
        added = [f"+ {item}" for item in after if item not in before]
        removed = [f"− {item}" for item in before if item not in after]
        said = ", ".join(added + removed) or "ordre modifié"
        return FieldChange(label, before, after, f"{label} : {said}")
    old, new = _text(before), _text(after)
    if max(len(old or ""), len(new or "")) > LONG or "\n" in (old or "") + (new or ""):
        what = "ajouté" if old is None else "retiré" if new is None else "modifié"
        return FieldChange(label, before, after, f"{label} : texte {what}")
    return FieldChange(label, before, after, f"{label} : {old or '—'} → {new or '—'}")


def _text(value: Value | None) -> str | None:
    return ", ".join(value) if isinstance(value, tuple) else value
