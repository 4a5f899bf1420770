"""Reference data shipped with stspd: national strategies (one versioned file each)."""

from __future__ import annotations

from functools import cache

import yaml

from stspd.resources import data_dir

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


@cache
def national_strategies() -> dict[str, dict]:
    """Each national strategy by id: its axes (number → title and known measures) and measure count."""
    strategies = {}
    for path in sorted((data_dir() / "strategies").glob("*.yaml")):
        strategy = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        strategies[strategy["id"]] = strategy
    return strategies


def axe_of_measure(strategy: dict, measure: int) -> int | None:
    """The axe a measure belongs to, where the catalogue lists it; None where its title is not known."""
    for number, axe in strategy["axes"].items():
        if measure in (axe.get("mesures") or {}):
            return number
    return None


def measure_title(strategy: dict, axe: int, measure: int) -> str | None:
    return (strategy["axes"].get(axe, {}).get("mesures") or {}).get(measure)
