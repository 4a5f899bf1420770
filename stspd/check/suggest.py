"""Did-you-mean suggestions for unknown keys, values and ids."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(value: object, candidates: Iterable[str]) -> str | None:
    """The candidate nearest to `value`, ignoring case and accents' absence (« FIPD » → « fipd »)."""
    by_folded = {c.casefold(): c for c in sorted(set(map(str, candidates)))}
    matches = difflib.get_close_matches(str(value).casefold(), list(by_folded), n=1, cutoff=0.6)
    return by_folded[matches[0]] if matches else None


def did_you_mean(value: object, candidates: Iterable[str]) -> str:
    """' ; vouliez-vous dire « x » ?' when a close candidate exists, else ''."""
    match = closest(value, candidates)
    return f" ; vouliez-vous dire « {match} » ?" if match else ""
