"""Links to a frame (`mesures_nationales`) name a frame, an axe and a measure that it knows: a shipped frame or
one of the project's referentiels/."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import integer, items, mapping, text
from stspd.check.suggest import did_you_mean
from stspd.load import catalogue
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "mesures-nationales"


def links(project: Project):
    """(document, path of a mesures_nationales list, the mapping holding it) for every place that may hold one."""
    if project.strategie:
        for i, axe in items(mapping(project.strategie.data).get("axes")):
            yield project.strategie, ("axes", i), axe
            for j, objective in items(axe.get("objectifs")):
                yield project.strategie, ("axes", i, "objectifs", j), objective
    for doc in project.fiches:
        yield doc, (), mapping(doc.data)


def check(project: Project, index: Index) -> Iterator[Problem]:
    frames = catalogue.frames(project)
    _, unusable = catalogue.project_frames(project)
    for doc, path, owner in links(project):
        for i, link in items(owner.get("mesures_nationales")):
            here = path + ("mesures_nationales", i)
            name = text(link.get("strategie"))
            if name is None:
                continue
            frame = frames.get(name)
            if frame is None:
                if name in unusable:
                    index.skip(f"les liens au référentiel « {name} »", "son fichier a des erreurs de schéma")
                    continue
                yield doc.problem(
                    here + ("strategie",),
                    NAME,
                    f"référentiel inconnu « {name} »{did_you_mean(name, frames)} (connus : {', '.join(frames)} ; "
                    "stspd referentiels les liste, referentiels/ du projet peut en ajouter)",
                )
                continue
            yield from _measure(doc, here, frame, integer(link.get("axe")), integer(link.get("mesure")))


def _measure(doc, here: tuple, frame: catalogue.Frame, axe: int | None, measure: int | None) -> Iterator[Problem]:
    if axe is None:
        return
    if axe not in frame.axes:
        numbers = sorted(frame.axes)
        yield doc.problem(
            here + ("axe",), NAME, f"le référentiel « {frame.id} » n'a pas d'axe {axe} (axes {numbers[0]} à {numbers[-1]})"
        )
        return
    if measure is None:
        return
    if measure > frame.highest:
        counted = f"compte {frame.highest} mesures" if frame.highest else "ne liste aucune mesure"
        yield doc.problem(here + ("mesure",), NAME, f"le référentiel « {frame.id} » {counted} : pas de mesure {measure}")
        return
    owner = frame.axe_of(measure)
    if owner is not None and owner != axe:
        yield doc.problem(
            here + ("mesure",),
            NAME,
            f"la mesure {measure} du référentiel « {frame.id} » relève de l'axe {owner}, pas de l'axe {axe}",
        )
    elif owner is None and frame.complete:
        known = ", ".join(str(m) for m, (a, _) in frame.mesures.items() if a == axe) or "aucune"
        yield doc.problem(
            here + ("mesure",),
            NAME,
            f"le référentiel « {frame.id} » n'a pas de mesure {measure} (mesures de l'axe {axe} : {known})",
        )
    elif owner is None:
        yield doc.problem(
            here + ("mesure",),
            NAME,
            f"le titre de la mesure {measure} du référentiel « {frame.id} » n'est pas connu : le document l'imprime sans titre ; "
            "vérifiez son numéro dans le texte",
        ).as_warning()
