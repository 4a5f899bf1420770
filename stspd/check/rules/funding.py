"""Money adds up: funding lines, each counted over its years, do not exceed the action's budget, nor FIPD the year's
spending; a line says its years the way its recurrence reads them, and an « autre » source names its funder."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import amount, items, mapping, text
from stspd.load.project import Project
from stspd.model.funding import action_years, is_annual, line_total
from stspd.problems import Problem

NAME = "financements"


def check(project: Project, index: Index) -> Iterator[Problem]:
    end = index.period[1] if index.period else None
    for doc in project.fiches:
        data = mapping(doc.data)
        yield from _lines(doc, data)
        budget = amount(mapping(data.get("moyens")).get("budget"))
        lines = data.get("financements")
        years = action_years(mapping(data.get("calendrier")), end)
        amounts = [line_total(mapping(line), years) for line in lines] if isinstance(lines, list) else []
        if budget is None or not amounts or None in amounts:  # an amount that cannot be read: no total to compare
            continue
        total = sum(a for a in amounts if a is not None)
        if total > budget:
            message = (
                f"financements : leur total ({_euros(total)}) dépasse le budget de l'action ({_euros(budget)}, moyens › budget)"
            )
            yield doc.problem(("financements",), NAME, message, key=True)
    for doc in project.evaluations:
        for i, entry in items(mapping(doc.data).get("fiches")):
            means = mapping(entry.get("moyens"))
            fipd, spent = amount(means.get("dont_fipd")), amount(means.get("montant"))
            if fipd is not None and spent is not None and fipd > spent:
                message = f"moyens : la part FIPD ({_euros(fipd)}) dépasse le montant dépensé ({_euros(spent)})"
                yield doc.problem(("fiches", i, "moyens", "dont_fipd"), NAME, message)


def _lines(doc, data: dict) -> Iterator[Problem]:
    for i, line in items(data.get("financements")):
        if is_annual(line) and "annee" in line:
            message = "annee : une ligne annuelle donne ses années dans « annees » (ou, sans elles, court sur le calendrier de l'action)"
            yield doc.problem(("financements", i, "annee"), NAME, message, key=True)
        if not is_annual(line) and "annees" in line:
            message = "annees : seule une ligne annuelle (recurrence: annuelle) court sur plusieurs années ; une ligne ponctuelle a une « annee »"
            yield doc.problem(("financements", i, "annees"), NAME, message, key=True)
        if line.get("source") == "autre" and not (text(line.get("precision")) or "").strip():
            message = "precision : nommez le financeur de la source « autre » (ex. precision: Fondation de France)"
            yield doc.problem(("financements", i, "source"), NAME, message)


def _euros(amount: float) -> str:
    # Plain formatting on purpose: validate must not import the rendering stack (Babel included).
    return f"{amount:,.0f} €".replace(",", "\u202f")
