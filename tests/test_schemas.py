"""The schemas themselves: valid Draft 2020-12, closed, and documented for the editor's hover help."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from stspd.check import schemas


def _resolve(schema: dict, root: dict) -> tuple[dict, dict]:
    """A property's own keywords over those of the definition it refers to, and that definition's file."""
    ref = schema.get("$ref")
    if not ref:
        return schema, root
    file, _, pointer = ref.partition("#")
    node = target_root = schemas.load(file.removesuffix(".schema.json")) if file else root
    for part in pointer.strip("/").split("/"):
        node = node[part]
    resolved, target_root = _resolve(node, target_root)
    return {**resolved, **schema}, target_root


def _properties(schema: dict, root: dict, path=()):
    """Every (path, resolved property schema) of a schema, however deep."""
    for name, sub in schema.get("properties", {}).items():
        resolved, sub_root = _resolve(sub, root)
        yield path + (name,), resolved
        yield from _properties(resolved, sub_root, path + (name,))
        if "items" in resolved:
            items, items_root = _resolve(resolved["items"], sub_root)
            yield from _properties(items, items_root, path + (name, "[]"))


@pytest.mark.parametrize("name", schemas.names())
def test_schema_is_valid_draft_2020_12_with_an_id(name):
    schema = schemas.load(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(f"/{name}.schema.json") and schema["title"] and schema["description"]


@pytest.mark.parametrize("name", schemas.KINDS)
def test_every_property_has_a_french_title_and_description(name):
    schema = schemas.load(name)
    missing = [".".join(path) for path, sub in _properties(schema, schema) if not (sub.get("title") and sub.get("description"))]
    assert missing == []


@pytest.mark.parametrize("name", schemas.KINDS)
def test_every_object_is_closed(name):
    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    assert all(obj.get("additionalProperties") is False for obj in objects(schemas.load(name)))


@pytest.mark.parametrize("name", schemas.KINDS)
def test_examples_are_given(name):
    text = schemas.schema_path(name).read_text(encoding="utf-8")
    assert text.count('"examples"') >= 5


def test_the_help_and_the_readme_name_every_schema():
    from pathlib import Path

    from conftest import run

    help_text = " ".join(run("schema", "--help").output.split())
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### `stspd schema") : readme.index("## Le format des fichiers")]
    for name in schemas.names():
        assert name in help_text and f"`{name}`" in section, name
