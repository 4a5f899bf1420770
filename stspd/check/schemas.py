"""The bundled JSON Schemas: one per kind of file, found by name or by `$id`, and the validator that applies them.

The validator reads JSON Schema as an editor does (ECMA-262 patterns, integers without a fraction), checks that
dates exist in the calendar, and resolves `$ref` only among the bundled schemas: it never downloads anything.
"""

from __future__ import annotations

import datetime
import json
import re
from functools import cache, lru_cache
from pathlib import Path

from stspd.resources import resource_dir

# The kinds of file in a project, each with its schema's name.
KINDS = ("strategie", "diagnostic", "fiche", "evaluation", "referentiel")
SHARED = "commun"
# A file read by a command, not part of the project: the mapping from one frame to another (stspd referentiels migrer).
MAPPING = "correspondance"
EXPORT = "export"  # the shape of `stspd export json`: not a kind of file in a project


def schema_path(name: str) -> Path:
    return resource_dir("schemas") / f"{name}.schema.json"


def names() -> list[str]:
    return [*KINDS, MAPPING, SHARED, EXPORT]


@cache
def load(name: str) -> dict:
    return json.loads(schema_path(name).read_text(encoding="utf-8"))


def by_id() -> dict[str, str]:
    """Each bundled schema's `$id` → its name."""
    return {load(name)["$id"]: name for name in names()}


def _refuse_retrieval(uri: str):
    """A `$ref` outside the bundled schemas (http://, file://…) is never fetched: it stays unresolvable."""
    from referencing.exceptions import NoSuchResource

    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # an attrs class: mypy sees no fields


@cache
def registry():
    from referencing import Registry, Resource

    resources = ((load(name)["$id"], Resource.from_contents(load(name))) for name in names())
    return Registry(retrieve=_refuse_retrieval).with_resources(resources)


@cache
def validator(name: str):
    """A validator built once per kind, on the schema with its references inlined: resolving a `$ref`
    across files at every value costs half the validation time."""
    return validator_for(inlined(name))


def is_valid(name: str, data) -> bool:
    """Whether `data` passes the bundled schema `name`, answered in microseconds.

    The same schema, checked by jsonschema-rs (compiled; jsonschema, in Python, takes 0.6 ms a fiche, most of the
    time `validate` takes on a large project). It answers only yes or no: the errors, their positions and their
    French come from `validator`, which runs only on the documents this refuses. Where the two could differ, this
    one is stricter or is not asked: ECMA-262 patterns in both, the same calendar for dates, and a document with a
    number such as 2024.0 (an integer for jsonschema-rs, not for stspd) always goes to `validator`."""
    if _has_whole_float(data):
        return False
    try:
        return _fast_validator(name).is_valid(data)
    except (ValueError, OverflowError, TypeError):  # a number beyond 64 bits: the full check says what it is
        return False


@cache
def _fast_validator(name: str):
    import jsonschema_rs

    formats = {
        "date": lambda value: calendar_problem(value, day_required=True) is None,
        "mois": lambda value: _DATE.fullmatch(value) is None or calendar_problem(value, day_required=False) is None,
    }
    return jsonschema_rs.Draft202012Validator(inlined(name), validate_formats=True, formats=formats)


def _has_whole_float(value) -> bool:
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, dict):
        return any(_has_whole_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_whole_float(item) for item in value)
    return False


def inlined(name: str) -> dict:
    """The schema `name` with every `$ref` to a bundled schema replaced by its target (siblings win)."""
    return _inline(load(name), load(name))


def _inline(node, root: dict):
    if isinstance(node, list):
        return [_inline(item, root) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and (ref.startswith("#/") or ".schema.json#/" in ref):
        file, _, pointer = ref.partition("#")
        target_root = load(file.removesuffix(".schema.json")) if file else root
        target = target_root
        for part in pointer.strip("/").split("/"):
            target = target[part]
        siblings = {key: _inline(value, root) for key, value in node.items() if key != "$ref"}
        return {**_inline(target, target_root), **siblings}
    return {key: _inline(value, root) for key, value in node.items()}


def validator_for(schema: dict):
    return _validator_class()(schema, registry=registry(), format_checker=_format_checker())


@cache
def _validator_class():
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    def pattern(validator, expected: str, instance, schema):
        if validator.is_type(instance, "string") and not ecma_pattern(expected).search(instance):
            yield ValidationError(f"{instance!r} does not match {expected!r}")

    # A JSON Schema integer may be written 2024.0; stspd's years and counts are then printed « 2024.0 » or break a
    # range(): an integer is typed without a fraction.
    strict = Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _, value: isinstance(value, int) and not isinstance(value, bool)
    )
    return validators.extend(Draft202012Validator, validators={"pattern": pattern}, type_checker=strict)


@lru_cache(maxsize=1024)
def ecma_pattern(pattern: str) -> re.Pattern:
    """`pattern` with the meaning JSON Schema gives it (ECMA-262): `$` is the end of the text. Python's `$` also
    matches before a final line feed, which would let « 1.1.1\n » pass for an identifier."""
    parts, in_class, escaped = [], False, False
    for character in pattern:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif in_class:
            in_class = character != "]"
        elif character == "[":
            in_class = True
        elif character == "$":
            character = r"(?![\s\S])"
        parts.append(character)
    try:
        return re.compile("".join(parts))
    except re.error:  # a construct the rewriting does not foresee: the pattern as written, rather than none
        return re.compile(pattern)


_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")


def calendar_problem(text: str, *, day_required: bool) -> str | None:
    """Why `text` is not a date (AAAA-MM-JJ) or, without `day_required`, a month (AAAA-MM), in French; None if it is.

    A pattern accepts 2024-02-31, which breaks the build that formats it; years outside the strategy years'
    bounds (commun.schema.json, annee) are typing errors (0024, 2204), and dates before 1980 do not fit a ZIP."""
    match = _DATE.fullmatch(text)
    if match is None or (day_required and match[3] is None):
        return (
            "AAAA-MM-JJ attendu, par exemple 2025-03-12" if day_required else "AAAA-MM ou AAAA-MM-JJ attendu, par exemple 2025-09"
        )
    year, month = int(match[1]), int(match[2])
    bounds = load(SHARED)["$defs"]["annee"]
    if not bounds["minimum"] <= year <= bounds["maximum"]:
        return f"l'année {year} est hors de {bounds['minimum']}-{bounds['maximum']}"
    if not 1 <= month <= 12:
        return f"le mois {match[2]} n'existe pas (01 à 12)"
    if match[3] is not None:
        days = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.date(year, month, 1)).days
        if not 1 <= int(match[3]) <= days:
            return f"{_MONTHS[month - 1]} {year} compte {days} jours, pas de jour {match[3]}"
    return None


@cache
def _format_checker():
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())

    @checker.checks("date", raises=ValueError)
    def date(value) -> bool:
        return not isinstance(value, str) or _valid(calendar_problem(value, day_required=True))

    # stspd's own format (commun.schema.json, mois): the pattern beside it checks the shape, this that the day exists
    @checker.checks("mois", raises=ValueError)
    def month(value) -> bool:
        return not isinstance(value, str) or _DATE.fullmatch(value) is None or _valid(calendar_problem(value, day_required=False))

    return checker


def _valid(problem: str | None) -> bool:
    """A format check's answer: the French reason travels to the message as the error's cause."""
    if problem:
        raise ValueError(problem)
    return True
