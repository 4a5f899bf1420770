"""Money adds up: funding lines do not exceed the action's budget, nor FIPD the year's spending."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import amount, items, mapping
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "financements"


def check(project: Project, index: Index) -> Iterator[Problem]:
    for doc in project.fiches:
        data = mapping(doc.data)
        budget = amount(mapping(data.get("moyens")).get("budget"))
        lines = data.get("financements")
        amounts = [amount(mapping(line).get("montant")) for line in lines] if isinstance(lines, list) else []
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


def _euros(amount: float) -> str:
    # Plain formatting on purpose: validate must not import the rendering stack (Babel included).
    return f"{amount:,.0f} €".replace(",", "\u202f")
