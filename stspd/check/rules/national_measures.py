"""Links to a national strategy name a strategy, an axe and a measure that its catalogue knows."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import integer, items, mapping, text
from stspd.check.suggest import did_you_mean
from stspd.load import catalogue
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "mesures-nationales"


def _links(project: Project):
    """(document, path of a mesures_nationales list, the mapping holding it) for every place that may hold one."""
    if project.strategie:
        for i, axe in items(mapping(project.strategie.data).get("axes")):
            yield project.strategie, ("axes", i), axe
            for j, objective in items(axe.get("objectifs")):
                yield project.strategie, ("axes", i, "objectifs", j), objective
    for doc in project.fiches:
        yield doc, (), mapping(doc.data)


def check(project: Project, index: Index) -> Iterator[Problem]:
    strategies = catalogue.national_strategies()
    for doc, path, owner in _links(project):
        for i, link in items(owner.get("mesures_nationales")):
            here = path + ("mesures_nationales", i)
            name = text(link.get("strategie"))
            if name is None:
                continue
            strategy = strategies.get(name)
            if strategy is None:
                hint = did_you_mean(name, strategies)
                yield doc.problem(
                    here + ("strategie",),
                    NAME,
                    f"stratégie nationale inconnue « {name} »{hint} (connues : {', '.join(strategies)})",
                )
                continue
            axes, axe = strategy["axes"], integer(link.get("axe"))
            if axe is None:
                continue
            if axe not in axes:
                yield doc.problem(here + ("axe",), NAME, f"la {strategy['id']} n'a pas d'axe {axe} (axes 1 à {max(axes)})")
                continue
            measure = integer(link.get("mesure"))
            if measure is None:
                continue
            if measure > strategy["nombre_mesures"]:
                yield doc.problem(
                    here + ("mesure",),
                    NAME,
                    f"la {strategy['id']} compte {strategy['nombre_mesures']} mesures : pas de mesure {measure}",
                )
                continue
            owner_axe = catalogue.axe_of_measure(strategy, measure)
            if owner_axe is not None and owner_axe != axe:
                yield doc.problem(
                    here + ("mesure",),
                    NAME,
                    f"la mesure {measure} de la {strategy['id']} relève de l'axe {owner_axe}, pas de l'axe {axe}",
                )
