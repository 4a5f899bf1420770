"""Revisions (avenants, prolongations) agree with the strategy: in date order, after the adoption and within the
period; a prolongation is the period's end; the fiches they add, abandon or merge exist; and an evaluation after a
revision does not show a fiche it abandoned as still running."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import integer, items, mapping, text
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "revisions"
CHECK = "les fiches nommées par les révisions"


def check(project: Project, index: Index) -> Iterator[Problem]:
    doc = project.strategie
    if doc is None:
        return
    data = mapping(doc.data)
    revisions = list(items(data.get("revisions")))
    previous = text(mapping(data.get("adoption")).get("date"))
    for i, revision in revisions:
        date = text(revision.get("date"))
        if date and previous and date < previous:
            yield doc.problem(
                ("revisions", i, "date"),
                NAME,
                f"date : {date} précède {previous} ; les révisions vont dans l'ordre des dates, après l'adoption",
            )
        previous = date or previous
    yield from _prolongation(doc, data, revisions)
    yield from _fiches(project, index, revisions)


def _prolongation(doc, data: dict, revisions: list) -> Iterator[Problem]:
    extended = [(i, mapping(r.get("prolongation"))) for i, r in revisions if r.get("prolongation")]
    for i, extension in extended:
        start, end = integer(extension.get("de")), integer(extension.get("a"))
        if start is not None and end is not None and end <= start:
            yield doc.problem(("revisions", i, "prolongation", "a"), NAME, f"prolongation : {end} ne vient pas après {start}")
    if extended:
        i, last = extended[-1]
        end, period_end = integer(last.get("a")), integer(mapping(data.get("periode")).get("fin"))
        if end is not None and period_end is not None and end != period_end:
            yield doc.problem(
                ("periode", "fin"),
                NAME,
                f"periode : la fin est {period_end}, mais la révision du {text(revisions[i][1].get('date'))} prolonge la "
                f"stratégie jusqu'en {end} : écrivez « fin: {end} »",
            )


def _fiches(project: Project, index: Index, revisions: list) -> Iterator[Problem]:
    doc = project.strategie
    assert doc is not None
    known = index.ids("fiche")
    if not index.complete("fiche"):
        if any(r.get(k) for _, r in revisions for k in ("fiches_ajoutees", "fiches_abandonnees", "fusions")):
            index.skip(CHECK, index.why("fiche"))
        return
    for i, revision in revisions:
        named: list[tuple[tuple[str | int, ...], str]] = [
            (("revisions", i, key, j), fiche)
            for key in ("fiches_ajoutees", "fiches_abandonnees")
            for j, fiche in _ids(revision.get(key))
        ]
        for k, merge in items(revision.get("fusions")):
            named += [(("revisions", i, "fusions", k, "fiches", j), fiche) for j, fiche in _ids(merge.get("fiches"))]
            if isinstance(merge.get("en"), str):
                named.append((("revisions", i, "fusions", k, "en"), merge["en"]))
        for path, fiche in named:
            if fiche not in known:
                yield doc.problem(path, NAME, f"la fiche {fiche} n'existe pas (actions/{fiche}.yaml)")
        year = (text(revision.get("date")) or "")[:4]
        for j, fiche in _ids(revision.get("fiches_abandonnees")):
            for evaluation in project.evaluations:
                evaluated = integer(mapping(evaluation.data).get("annee"))
                if evaluated is None or not year.isdigit() or evaluated <= int(year):
                    continue
                for e, entry in items(mapping(evaluation.data).get("fiches")):
                    state = entry.get("etat")
                    if entry.get("fiche") == fiche and state not in (None, "abandonnee"):
                        yield evaluation.problem(
                            ("fiches", e, "etat"),
                            NAME,
                            f"etat : la révision du {text(revision.get('date'))} abandonne la fiche {fiche}, mais "
                            f"l'évaluation {evaluated} la dit « {state} » ; écrivez « abandonnee » ou retirez-la de la révision",
                        ).as_warning()


def _ids(value: object) -> Iterator[tuple[int, str]]:
    if isinstance(value, list):
        yield from ((j, fiche) for j, fiche in enumerate(value) if isinstance(fiche, str))
