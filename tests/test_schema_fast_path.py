"""The fast schema check (jsonschema-rs) never lets pass what the full one (jsonschema, with French messages)
refuses: validate trusts its yes and asks the full check only for its no."""

from __future__ import annotations

import copy

import pytest
from conftest import SAMPLE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stspd.check import schemas
from stspd.load.document import load_document

DOCUMENTS = [
    ("strategie", SAMPLE / "strategie.yaml"),
    *(("fiche", path) for path in sorted((SAMPLE / "actions").glob("*.yaml"))[:6]),
    *(("evaluation", path) for path in sorted((SAMPLE / "evaluations").glob("*.yaml"))),
    *(("diagnostic", path) for path in sorted(SAMPLE.glob("diagnostic*.yaml"))),
    *(("diagnostic", path) for path in sorted((SAMPLE / "diagnostic").glob("*.yaml"))),
]
# Values where two validators could read a schema differently: calendars, whole floats, line ends before `$`,
# bounds, huge integers, types.
TRICKY = [
    2024.0,
    2.5,
    -1,
    0,
    10**12,
    10**12 + 1,
    10**30,
    1e13,
    True,
    None,
    [],
    {},
    [1, 1],
    "",
    "x" * 301,
    "2024-02-31",
    "2024-02-29",
    "2023-02-29",
    "2024-13",
    "2024-1",
    "2024-06-01",
    "1989-01-01",
    "2101-01",
    "1.1.1\n",
    "1.1.1",
    "a b",
    "é",
    "abc\u2028",
    "logo.png",
    "/logo.png",
    "logo.png\n",
    "QP093001",
    "93048",
    "2A004",
]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _replaced(data, path, new):
    data = copy.deepcopy(data)
    owner = data
    for part in path[:-1]:
        owner = owner[part]
    owner[path[-1]] = new
    return data


@pytest.mark.parametrize(("kind", "path"), DOCUMENTS, ids=lambda item: getattr(item, "name", item))
def test_the_sample_passes_both(kind, path):
    data = load_document(path, path.name).data
    assert not list(schemas.validator(kind).iter_errors(data))
    assert schemas.is_valid(kind, data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.sampled_from(DOCUMENTS), where=st.integers(min_value=0), value=st.sampled_from(TRICKY))
def test_the_fast_check_says_yes_only_when_the_full_check_finds_nothing(document, where, value):
    kind, path = document
    data = load_document(path, path.name).data
    paths = [p for p in _paths(data) if p]
    changed = _replaced(data, paths[where % len(paths)], value)
    full = not list(schemas.validator(kind).iter_errors(changed))
    if schemas.is_valid(kind, changed):
        assert full, f"{path.name}: {paths[where % len(paths)]} = {value!r} passes the fast check only"
    elif not schemas._has_whole_float(changed):
        assert not full, f"{path.name}: {paths[where % len(paths)]} = {value!r} refused by the fast check only"
