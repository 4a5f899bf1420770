"""The adoption's steps come in their order: the CLSPD's opinion, then the council's deliberation, then the
signature. A date typed wrong in one of them would otherwise print on the cover and the signature page unnoticed."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import mapping, text
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "adoption"
# each step: its path under adoption, how to say it
_STEPS = (
    (("pleniere",), "la séance plénière"),
    (("deliberation", "date"), "la délibération"),
    (("signature", "date"), "la signature"),
)


def check(project: Project, index: Index) -> Iterator[Problem]:
    doc = project.strategie
    if doc is None:
        return
    adoption = mapping(mapping(doc.data).get("adoption"))
    previous: tuple[str, str] | None = None
    for path, said in _STEPS:
        value = adoption.get(path[0])
        date = text(mapping(value).get(path[1]) if len(path) > 1 else value)
        if date is None:
            continue
        if previous and date < previous[0]:
            yield doc.problem(
                ("adoption", *path),
                NAME,
                f"{'.'.join(path)} : {said} ({date}) précède {previous[1]} ({previous[0]}) ; les étapes de l'adoption "
                "vont dans l'ordre : avis du CLSPD, délibération, signature",
            )
        previous = (date, said)
