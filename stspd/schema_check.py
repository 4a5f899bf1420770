"""Check a document against its JSON Schema and say each error in plain French, where it stands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from . import schemas
from .problems import Problem
from .suggest import did_you_mean
from .yamlload import Document, plain_reading

RULE = "schema"

_TYPE_WORDS = {
    "string": "du texte",
    "integer": "un nombre entier",
    "number": "un nombre",
    "boolean": "vrai ou faux (true ou false)",
    "array": "une liste (lignes commençant par « - »)",
    "object": "des clés (« cle: valeur »)",
    "null": "une valeur vide (~)",
}


def check(document: Document, kind: str) -> Iterator[Problem]:
    """Problems of `document` against the schema of `kind`, and against the schema its first lines declare."""
    declared = document.declared_schema
    yield from _errors(document, schemas.validator(kind))
    if declared is None:
        return
    bundled = _bundled_name(declared, document.path.parent)
    if bundled is not None:
        if bundled != kind:
            yield document.problem((), RULE, f"ce fichier est lu comme « {kind} » mais sa première ligne déclare le schéma « {bundled} »")
        return
    custom = _custom_schema(declared, document.path.parent)
    if isinstance(custom, str):
        yield Problem(document.display, 1, 1, RULE, custom, _first_line(document))
        return
    yield from _errors(document, schemas.validator_for(custom))


def _first_line(document: Document) -> str:
    return document.text.splitlines()[0] if document.text else ""


def _bundled_name(declared: str, folder: Path) -> str | None:
    """The bundled schema a declaration names: its `$id`, or a local copy that carries a bundled `$id`."""
    ids = schemas.by_id()
    if declared in ids:
        return ids[declared]
    local = _local_schema(declared, folder)
    if isinstance(local, dict) and local.get("$id") in ids:
        return ids[local["$id"]]
    # A project copied elsewhere loses the schemas its lines point to: a bundled schema's name is enough.
    name = declared.rsplit("/", 1)[-1].removesuffix(".schema.json")
    if isinstance(local, str) and "://" not in declared and name in schemas.names():
        return name
    return None


def _local_schema(declared: str, folder: Path) -> dict | str:
    import json

    if "://" in declared and not declared.startswith("file://"):
        return f"schéma déclaré « {declared} » inconnu : stspd ne télécharge rien ; indiquez un fichier local ou un schéma de stspd"
    path = folder / declared.removeprefix("file://")
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"schéma déclaré introuvable : {declared} (stspd schema --output DOSSIER écrit les schémas de stspd)"
    except (OSError, ValueError) as error:
        return f"schéma déclaré illisible : {declared} ({error})"
    if not isinstance(schema, dict):
        return f"schéma déclaré illisible : {declared} (un objet JSON est attendu)"
    return schema


def _custom_schema(declared: str, folder: Path) -> dict | str:
    schema = _local_schema(declared, folder)
    if isinstance(schema, str):
        return schema
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        return f"schéma déclaré invalide : {declared} ({error.message})"
    return schema


def _errors(document: Document, validator) -> Iterator[Problem]:
    for error in validator.iter_errors(document.data):
        yield from _explain(document, error)


def _explain(document: Document, error) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    name = _field_name(path)
    kind = error.validator
    value = error.instance
    if kind in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        yield from _explain(document, best_match(error.context))
        return
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extras = [key for key in value if key not in error.schema.get("properties", {})]
        for key in extras:
            message = f"clé inconnue « {key} »{did_you_mean(key, allowed)} (clés admises ici : {', '.join(allowed)})"
            yield document.problem(path + (key,), RULE, message, key=True)
        return
    if kind == "required":
        missing = error.validator_value
        for key in missing:
            if key not in value:
                where = f" dans « {name} »" if name else ""
                yield document.problem(path, RULE, f"clé obligatoire « {key} » manquante{where}", key=True)
        return
    yield document.problem(path, RULE, f"{name} : {_describe(document, path, error)}" if name else _describe(document, path, error), key=False)


def _field_name(path: tuple) -> str:
    """The nearest key of `path`, with the item number where the value is in a list."""
    for index, part in enumerate(reversed(path)):
        if isinstance(part, str):
            items = [p for p in path[len(path) - index :] if isinstance(p, int)]
            return part + "".join(f" n° {i + 1}" for i in items)
    return ""


def _shown(value) -> str:
    if isinstance(value, str):
        return f"« {value} »"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "une valeur vide"
    if isinstance(value, dict):
        return "des clés"
    if isinstance(value, list):
        return "une liste"
    return f"« {value} »"


def _describe(document: Document, path: tuple, error) -> str:
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        types = [expected] if isinstance(expected, str) else list(expected)
        wanted = " ou ".join(_TYPE_WORDS.get(t, t) for t in types)
        node = document.node(path)
        reading = plain_reading(node)
        if "string" in types and reading is not None:
            typed = node.value
            return f"« {typed} » sans guillemets est lu par YAML comme {reading}, pas comme du texte : écrivez \"{typed}\" entre guillemets"
        hint = ""
        if isinstance(value, str) and set(types) & {"number", "integer"}:
            if "," in value and value.replace(",", "", 1).replace(" ", "").lstrip("-").isdigit():
                hint = f" (point décimal, sans espace : {value.replace(' ', '').replace(',', '.')})"
            elif value.replace(" ", "").isdigit():
                hint = f" (sans espace : {value.replace(' ', '')})"
        return f"{wanted} attendu, {_shown(value)} trouvé{hint}"
    if kind == "enum":
        choices = [str(c) for c in expected]
        return f"{_shown(value)} n'est pas une valeur admise{did_you_mean(value, choices)} (valeurs admises : {', '.join(choices)})"
    if kind == "const":
        return f"{_shown(expected)} attendu, {_shown(value)} trouvé"
    if kind == "pattern":
        description = error.schema.get("description", "")
        return f"{_shown(value)} n'a pas la forme attendue{' : ' + description if description else ''}"
    if kind == "format":
        return f"{_shown(value)} n'est pas une date valide : AAAA-MM-JJ attendu, par exemple 2025-03-12"
    if kind == "minLength":
        return "texte vide : écrivez quelque chose ou retirez la clé" if expected == 1 else f"au moins {expected} caractères attendus"
    if kind == "maxLength":
        return f"texte trop long : {expected} caractères au plus"
    if kind in ("minimum", "exclusiveMinimum"):
        sign = "≥" if kind == "minimum" else ">"
        return f"{_shown(value)} trop petit : une valeur {sign} {expected} est attendue"
    if kind in ("maximum", "exclusiveMaximum"):
        sign = "≤" if kind == "maximum" else "<"
        return f"{_shown(value)} trop grand : une valeur {sign} {expected} est attendue"
    if kind == "minItems":
        return f"la liste doit compter au moins {expected} élément{'s' if expected > 1 else ''}"
    if kind == "maxItems":
        return f"la liste doit compter au plus {expected} éléments"
    if kind == "uniqueItems":
        return "la liste contient deux fois la même valeur"
    return error.message  # a keyword of a user's own schema that stspd does not phrase itself
