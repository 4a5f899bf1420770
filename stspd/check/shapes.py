"""Reading data that may not have passed its schema: the cross-checks run on every document read, so that every
problem is found in one run. What has not the expected shape is skipped (its schema problem says what is wrong),
never read as if it had it: no check crashes, and none reports a problem that comes only from another one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Any

_YEAR = re.compile(r"[0-9]{4}")


def mapping(value: Any) -> dict:
    """`value` when it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def items(value: Any) -> Iterator[tuple[int, dict]]:
    """The mappings of the list `value`, with their index: a list's other items, or another value, give nothing."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def integer(value: Any) -> int | None:
    """A whole number (YAML's true and false are not)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def amount(value: Any) -> float | None:
    """A finite number (not a boolean)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if math.isfinite(value) else None


def year_of(value: Any) -> int | None:
    """The year a date or month (« 2026-05 », « 2026-05-12 ») begins with."""
    match = _YEAR.match(value) if isinstance(value, str) else None
    return int(match.group()) if match else None


def references(owner: Any, key: str) -> Iterator[tuple[str, tuple]]:
    """Each id named by `owner[key]`, one id or a list of them, with its path: what is not text is left out."""
    value = mapping(owner).get(key)
    if isinstance(value, str):
        yield value, (key,)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield item, (key, index)


def readable_references(owner: Any, key: str) -> bool:
    """Whether `owner[key]` is there and is one id or a list of ids: what it names is then all known."""
    value = mapping(owner).get(key)
    return isinstance(value, str) or isinstance(value, list) and all(isinstance(item, str) for item in value)


def texts(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Every text under `value`, with its path."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, path + (index,))
