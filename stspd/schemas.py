"""The bundled JSON Schemas: one per kind of file, found by name or by `$id`."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .resources import resource_dir

# The kinds of file in a project, each with its schema's name.
KINDS = ("strategie", "diagnostic", "fiche", "evaluation")
SHARED = "commun"


def schema_path(name: str) -> Path:
    return resource_dir("schemas") / f"{name}.schema.json"


def names() -> list[str]:
    return [*KINDS, SHARED]


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    return json.loads(schema_path(name).read_text(encoding="utf-8"))


def by_id() -> dict[str, str]:
    """Each bundled schema's `$id` → its name."""
    return {load(name)["$id"]: name for name in names()}


@lru_cache(maxsize=None)
def registry():
    from referencing import Registry, Resource

    return Registry().with_resources((load(name)["$id"], Resource.from_contents(load(name))) for name in names())


@lru_cache(maxsize=None)
def validator(name: str):
    """A validator built once per kind, on the schema with its references inlined: resolving a `$ref`
    across files at every value costs half the validation time."""
    return validator_for(inlined(name))


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
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(schema, registry=registry(), format_checker=FormatChecker(formats=("date",)))
