"""A project's frames (referentiels/*.yaml) are consistent: an id no other frame has, shipped or the project's, and
axes and measures each numbered once (links name them by number)."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import integer, items, mapping, text
from stspd.load import catalogue
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "referentiels"


def check(project: Project, index: Index) -> Iterator[Problem]:
    shipped = catalogue.shipped_frames()
    first: dict[str, str] = {}
    for document in project.referentiels:
        data = mapping(document.data)
        name = text(data.get("id"))
        if name in shipped:
            yield document.problem(
                ("id",),
                NAME,
                f"l'identifiant « {name} » est celui d'un référentiel livré avec stspd ({shipped[name].titre}) : "
                f"donnez au vôtre un autre identifiant (ex. « {name}-publie ») et renvoyez-y les liens",
            )
        elif name is not None and first.setdefault(name, document.display) != document.display:
            yield document.problem(("id",), NAME, f"référentiel « {name} » en double (déjà : {first[name]})")
        yield from _numbering(document, data)


def _numbering(document, data: dict) -> Iterator[Problem]:
    axes: set[int] = set()
    measures: dict[int, int] = {}
    for i, axe in items(data.get("axes")):
        number = integer(axe.get("numero"))
        if number is not None and number in axes:
            yield document.problem(("axes", i, "numero"), NAME, f"axe {number} en double dans ce référentiel")
        axes.add(number or 0)
        for j, measure in items(axe.get("mesures")):
            numero = integer(measure.get("numero"))
            if numero is None:
                continue
            if numero in measures:
                yield document.problem(
                    ("axes", i, "mesures", j, "numero"),
                    NAME,
                    f"mesure {numero} en double dans ce référentiel (déjà dans l'axe {measures[numero]}) : "
                    "une mesure porte un numéro unique dans tout le référentiel",
                )
            measures.setdefault(numero, number or 0)
    count = integer(data.get("nombre_mesures"))
    if count is not None and measures and max(measures) > count:
        yield document.problem(
            ("nombre_mesures",), NAME, f"le référentiel compte {count} mesures mais liste une mesure {max(measures)}"
        )
