"""What a fiche's funding adds up to, read the same way by the checks (on data that may not have passed
its schema) and by the document: a one-off funding line counts its amount once, an annual one its amount each of
its years; an action's years run from its start to its end, a month counting for its year."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stspd.check.shapes import amount, integer, year_of


def year(value: Any) -> int | None:
    """The year of a schedule's bound: a year (2024) or a month (« 2024-09 »)."""
    return integer(value) if not isinstance(value, str) else year_of(value)


def action_years(schedule: Mapping, period_end: int | None) -> list[int]:
    """The years the action runs: to the strategy's end when it names no end of its own."""
    start = year(schedule.get("debut"))
    end = year(schedule.get("fin")) if "fin" in schedule else period_end
    return list(range(start, end + 1)) if start is not None and end is not None else []


def is_annual(line: Mapping) -> bool:
    return line.get("recurrence") == "annuelle"


def line_years(line: Mapping, default: list[int]) -> list[int]:
    """An annual line's years: those it names, else the action's."""
    named = line.get("annees")
    return [y for y in named if integer(y) is not None] if isinstance(named, list) else default


def line_total(line: Mapping, default_years: list[int]) -> float | None:
    """The line's amount over the period; None when its amount cannot be read."""
    each = amount(line.get("montant"))
    if each is None or not is_annual(line):
        return each
    return each * len(line_years(line, default_years))
