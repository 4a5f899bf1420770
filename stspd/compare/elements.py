"""A project's elements (the strategy, its partners, axes, objectives, fiches and their indicators, the
evaluations, the diagnostic), each as its fields in words: « pilote » is « PM », « cible de l'indicateur
« classes » » is « 40 ».

The same words serve the comparison (a changed field is said with them) and `stspd diff --textconv` (a file's
fields one a line, which git then compares): a reviewer reads the strategy's terms, not YAML lines. The data may
be invalid (a revision that did not validate): a value not of the expected shape is shown as it is, never trusted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from stspd import fr
from stspd.load.project import Project
from stspd.model.vocabulary import ETATS, FUNDING_SOURCES, FUNDING_STATUS, INDICATOR_TYPES, NEXT_STEPS, PARTNER_TYPES

Value = str | tuple[str, ...]  # a field in words: a text, or the items of a list (compared as a set)
Names = Callable[[str], str]  # a partner's id → how a reader knows it

# kind → its name in a sentence, and whether that name is feminine (« Fiche 2.1.5 ajoutée »), in the report's order
KINDS: dict[str, tuple[str, bool]] = {
    "strategie": ("Stratégie", True),
    "partenaire": ("Partenaire", False),
    "axe": ("Axe", False),
    "objectif": ("Objectif", False),
    "fiche": ("Fiche", True),
    "indicateur": ("Indicateur", False),
    "evaluation": ("Évaluation", True),
    "diagnostic": ("Diagnostic", False),
}


@dataclass(frozen=True)
class Element:
    kind: str
    id: str
    title: str
    fields: dict[str, Value]
    indicators: dict[str, Element] = field(default_factory=dict)  # a fiche's, by their id

    @property
    def name(self) -> str:
        """« Fiche 2.1.3 », « Indicateur « classes » », « Stratégie »."""
        word = KINDS[self.kind][0]
        if self.kind == "indicateur":
            return f"{word} « {self.id} »"
        return f"{word} {self.id}".rstrip()


def words(value: Any) -> Value | None:
    """A YAML value in French words: 1 234,5 ; « oui » ; a list's items; None when there is nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float):
        return fr.number(value, 3)
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return tuple(_one_line(item) for item in value)
    # A record where words were expected (invalid data): shown whole, keys sorted (the same data, the same text)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _one_line(value: Any) -> str:
    said = words(value)
    if said is None:
        return ""
    return ", ".join(said) if isinstance(said, tuple) else said


def _date(value: Any) -> Value | None:
    """« 10 décembre 2025 » (stspd reads dates as the text typed); a text that is no date, as it is."""
    try:
        return fr.date(value) if isinstance(value, str) else words(value)
    except ValueError:
        return words(value)


def _year(value: Any) -> Value | None:
    """2024, not « 2 024 »."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else words(value)


def _euros(value: Any) -> Value | None:
    return fr.euros(value) if isinstance(value, int | float) and not isinstance(value, bool) else words(value)


def _labelled(table: dict[str, str]) -> Callable[[Any], Value | None]:
    """A vocabulary key in its reader's words (an unknown key as it is typed)."""
    return lambda value: table.get(value, words(value)) if isinstance(value, str) else words(value)


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _records(value: Any) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _identifier(record: dict) -> str | None:
    value = record.get("id")
    return str(value) if isinstance(value, str | int | float) and not isinstance(value, bool) else None


def _fields(pairs: Iterable[tuple[str, Value | None]]) -> dict[str, Value]:
    return {label: value for label, value in pairs if value is not None and value != ()}


def _measures(value: Any) -> Value | None:
    """National measures: « snpd-2020-2024 axe 1 mesure 4 »."""
    said = [
        " ".join(part for part in (str(link.get("strategie", "")), _part("axe", link), _part("mesure", link)) if part)
        for link in _records(value)
    ]
    return tuple(said) or None


def _part(key: str, record: dict) -> str:
    return f"{key} {_one_line(record[key])}" if key in record else ""


def partner_names(*strategies: dict) -> Names:
    """A partner's id → its acronym, else its name, as the first of `strategies` that knows it says it (an unknown
    id stays as it is). Both states of a comparison name partners alike: a fiche's pilot changes when its id
    does, not when the partner's acronym does (that is the partner's change)."""
    known: dict[str, str] = {}
    for strategy in reversed(strategies):
        for partner in _records(strategy.get("partenaires")):
            if (identifier := _identifier(partner)) is not None:
                known[identifier] = str(partner.get("sigle") or partner.get("nom") or identifier)
    return lambda identifier: known.get(identifier, identifier)


def strategy_elements(strategy: dict, names: Names) -> list[Element]:
    """strategie.yaml's elements: the strategy itself, its partners, axes and objectives."""
    territory, period, adoption = (_mapping(strategy.get(key)) for key in ("territoire", "periode", "adoption"))
    found = [
        Element(
            "strategie",
            "",
            _one_line(strategy.get("titre")),
            _fields(
                [
                    ("titre", words(strategy.get("titre"))),
                    ("territoire", words(territory.get("nom"))),
                    ("début de la période", _year(period.get("debut"))),
                    ("fin de la période", _year(period.get("fin"))),
                    ("date d'adoption", _date(adoption.get("date"))),
                    ("instance d'adoption", words(adoption.get("instance"))),
                    ("révisions", tuple(_revision(r) for r in _records(strategy.get("revisions")))),
                ]
            ),
        )
    ]
    for partner in _records(strategy.get("partenaires")):
        if (identifier := _identifier(partner)) is not None:
            said = [("nom", words(partner.get("nom"))), ("sigle", words(partner.get("sigle")))]
            said.append(("type", _labelled(PARTNER_TYPES)(partner.get("type"))))
            found.append(Element("partenaire", identifier, names(identifier), _fields(said)))
    for axis in _records(strategy.get("axes")):
        if (axis_id := _identifier(axis)) is None:
            continue
        found.append(Element("axe", axis_id, _one_line(axis.get("titre")), _described(axis)))
        for objective in _records(axis.get("objectifs")):
            if (identifier := _identifier(objective)) is not None:
                # its axe is one of its fields: an objective moved from one axe to another says so
                placed = _fields([("axe", axis_id), ("poids", words(objective.get("poids")))])
                found.append(Element("objectif", identifier, _one_line(objective.get("titre")), _described(objective) | placed))
    return found


def _revision(record: dict) -> str:
    """An amendment or an extension: « 10 décembre 2025, délibération 2025-118 : objet »."""
    deliberation = f", délibération {_one_line(record['deliberation'])}" if "deliberation" in record else ""
    return f"{_one_line(_date(record.get('date')))}{deliberation} : {_one_line(record.get('objet'))}"


def _described(record: dict) -> dict[str, Value]:
    """What an axe and an objective both say: a title, a description, national measures."""
    return _fields(
        [
            ("titre", words(record.get("titre"))),
            ("description", words(record.get("description"))),
            ("mesures nationales", _measures(record.get("mesures_nationales"))),
        ]
    )


def fiche_element(data: Any, names: Names) -> Element | None:
    """A fiche action and its indicators; None when the file holds no fiche with an id."""
    if not isinstance(data, dict) or (identifier := _identifier(data)) is None:
        return None
    means, schedule = _mapping(data.get("moyens")), _mapping(data.get("calendrier"))
    fields = [
        ("titre", words(data.get("titre"))),
        ("objectifs", words(data.get("objectifs"))),
        ("objectifs opérationnels", words(data.get("objectifs_operationnels"))),
        ("pilote", _partners(data.get("pilote"), names)),
        ("service pilote", words(data.get("service_pilote"))),
        ("partenaires", _partners(data.get("partenaires"), names)),
        ("mesures nationales", _measures(data.get("mesures_nationales"))),
        ("constats", words(data.get("constats"))),
        *((label, words(data.get(key))) for key, label in _FICHE_TEXTS),
        ("moyens humains", words(means.get("humains"))),
        ("personnels", _posts(means.get("personnels"), names)),
        ("moyens matériels", words(means.get("materiels"))),
        ("budget", _euros(means.get("budget"))),
        *_fundings(data.get("financements")),
        ("début", _year(schedule.get("debut"))),
        ("fin", _year(schedule.get("fin"))),
        ("jalons", tuple(f"{_one_line(m.get('date'))} {_one_line(m.get('libelle'))}" for m in _records(schedule.get("jalons")))),
    ]
    indicators = {
        indicator_id: _indicator(indicator_id, record)
        for record in _records(data.get("indicateurs"))
        if (indicator_id := _identifier(record)) is not None
    }
    return Element("fiche", identifier, _one_line(data.get("titre")), _fields(fields), indicators)


def _partners(value: Any, names: Names) -> Value | None:
    """A partner's id, or a list of them, as a reader knows them."""
    if isinstance(value, str):
        return names(value)
    if isinstance(value, list):
        return tuple(names(item) if isinstance(item, str) else _one_line(item) for item in value) or None
    return words(value)


_FICHE_TEXTS = [
    ("contexte", "contexte"),
    ("description", "description"),
    ("modalites", "modalités"),
    ("public", "public"),
    ("territoire", "territoire"),
    ("qpv", "quartiers prioritaires"),
]


def _posts(value: Any, names: Names) -> Value | None:
    """« Médiateur social, Ville de Valmont, 2 ETP », a post a line."""
    posts = tuple(
        f"{_one_line(p.get('fonction'))}, {_one_line(_partners(p.get('structure'), names))}, {_one_line(p.get('etp'))} ETP"
        for p in _records(value)
    )
    return posts or None


def _fundings(value: Any) -> list[tuple[str, Value | None]]:
    """One field a funding, named by its source (and year): « financement FIPD » → « 12 000 € (demandé) »."""
    found: list[tuple[str, Value | None]] = []
    for funding in _records(value):
        source = _labelled(FUNDING_SOURCES)(funding.get("source"))
        year = f" {_one_line(_year(funding['annee']))}" if "annee" in funding else ""
        status = _labelled(FUNDING_STATUS)(funding.get("statut"))
        amount = _one_line(_euros(funding.get("montant")))
        if funding.get("recurrence") == "annuelle":  # an amount a year is another sum than the same amount once
            years = ", ".join(_one_line(_year(y)) for y in funding["annees"]) if isinstance(funding.get("annees"), list) else ""
            amount += f" par an ({years})" if years else " par an"
        found.append((f"financement {_one_line(source)}{year}", f"{amount} ({_one_line(status)})" if status else amount))
    return found


def _indicator(identifier: str, record: dict) -> Element:
    reference, target = _mapping(record.get("reference")), _mapping(record.get("cible"))
    fields = [
        ("libellé", words(record.get("libelle"))),
        ("type", _labelled(INDICATOR_TYPES)(record.get("type"))),
        ("unité", words(record.get("unite"))),
        ("source", words(record.get("source"))),
        ("fréquence", words(record.get("frequence"))),
        ("référence", words(reference.get("valeur"))),
        ("année de la référence", _year(reference.get("annee"))),
        ("cible", words(target.get("valeur"))),
        ("année de la cible", _year(target.get("annee"))),
        ("sens", words(record.get("sens"))),
        ("commentaire", words(record.get("commentaire"))),
    ]
    return Element("indicateur", identifier, _one_line(record.get("libelle")), _fields(fields))


def evaluation_element(data: Any) -> Element | None:
    """A year's evaluation: its date, its synthesis, and what it says of each fiche."""
    if not isinstance(data, dict) or isinstance(data.get("annee"), bool) or not isinstance(data.get("annee"), int):
        return None
    fields = [("date du bilan", _date(data.get("date_bilan"))), ("synthèse", words(data.get("synthese")))]
    for entry in _records(data.get("fiches")):
        fiche = _one_line(entry.get("fiche"))
        fields += [
            (f"état de la fiche {fiche}", _labelled(ETATS)(entry.get("etat"))),
            (f"réalisations de la fiche {fiche}", words(entry.get("realise"))),
            (f"difficultés de la fiche {fiche}", words(entry.get("difficultes"))),
            (f"suite de la fiche {fiche}", _labelled(NEXT_STEPS)(entry.get("suite"))),
        ]
        fields += [
            (f"valeur de l'indicateur « {_one_line(value.get('id'))} » de la fiche {fiche}", words(value.get("valeur")))
            for value in _records(entry.get("indicateurs"))
        ]
    year = str(data["annee"])
    return Element("evaluation", year, year, _fields(fields))


def diagnostic_element(documents: Iterable[Any]) -> Element | None:
    """The diagnostic, one field a section (its files merged as the documents merge them)."""
    sections: dict[str, list[str]] = {}
    for data in documents:
        for key, value in _mapping(data).items():
            sections.setdefault(str(key), []).append(_one_line(value))
    if not sections:
        return None
    return Element("diagnostic", "", "", {f"section « {key} »": " ".join(texts) for key, texts in sections.items()})


def strategy_of(project: Project) -> dict:
    """strategie.yaml's data as read ({} when it could not be)."""
    return _mapping(project.strategie.data) if project.strategie is not None else {}


def project_elements(project: Project, names: Names) -> list[Element]:
    """Every element a project read holds (its unread files hold none)."""
    strategy = strategy_of(project)
    found = strategy_elements(strategy, names) if strategy else []
    found += [fiche for document in project.fiches if (fiche := fiche_element(document.data, names)) is not None]
    found += [year for document in project.evaluations if (year := evaluation_element(document.data)) is not None]
    diagnostic = diagnostic_element(document.data for document in project.diagnostics)
    return found + ([diagnostic] if diagnostic is not None else [])


def of_indicator(label: str, indicator: str) -> str:
    """« cible de l'indicateur « classes » »: an indicator's field, as a field of its fiche."""
    return f"{label} de l'indicateur « {indicator} »"


def described(element: Element) -> list[tuple[str, Value]]:
    """Every field of `element`, its indicators' included."""
    return [*element.fields.items()] + [
        (of_indicator(label, indicator.id), value)
        for indicator in element.indicators.values()
        for label, value in indicator.fields.items()
    ]
