"""Money adds up: funding lines do not exceed the action's budget, nor FIPD the year's spending."""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "financements"


def check(project: Project, index: Index) -> Iterator[Problem]:
    for doc in project.fiches:
        budget = doc.data.get("moyens", {}).get("budget")
        lines = doc.data.get("financements", [])
        total = sum(line["montant"] for line in lines)
        if budget is not None and lines and total > budget:
            message = (
                f"financements : leur total ({_euros(total)}) dépasse le budget de l'action ({_euros(budget)}, moyens › budget)"
            )
            yield doc.problem(("financements",), NAME, message, key=True)
    for doc in project.evaluations:
        for i, entry in enumerate(doc.data["fiches"]):
            means = entry.get("moyens", {})
            if "dont_fipd" in means and "montant" in means and means["dont_fipd"] > means["montant"]:
                message = f"moyens : la part FIPD ({_euros(means['dont_fipd'])}) dépasse le montant dépensé ({_euros(means['montant'])})"
                yield doc.problem(("fiches", i, "moyens", "dont_fipd"), NAME, message)


def _euros(amount: float) -> str:
    # Plain formatting on purpose: validate must not import the rendering stack (Babel included).
    return f"{amount:,.0f} €".replace(",", "\u202f")
