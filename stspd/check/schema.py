"""Check a document against its JSON Schema and say each error in plain French, where it stands."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath

from stspd.check import schemas
from stspd.check.suggest import did_you_mean
from stspd.load.document import Document, plain_reading, shortened, source_line
from stspd.load.project import Absent, Outside, Refused, read_inside
from stspd.problems import Problem

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


def check(document: Document, kind: str, root: Path) -> Iterator[Problem]:
    """Problems of `document` against the schema of `kind`, and against the schema its first lines declare.

    A declaration names a bundled schema (by its `$id`, or by its file name wherever it points) or a schema file of
    the project `root`. It is never fetched from elsewhere: a project comes from partners, and its files must not
    make stspd read /dev/zero, a file outside the project or a URL.
    """
    if not schemas.is_valid(kind, document.data):
        yield from _errors(document, schemas.validator(kind))
    if document.declared_schema is None:
        return
    try:
        declared = _declared(document.declared_schema, document.path.parent, root)
    except _Refused as refusal:
        yield _at_declaration(document, str(refusal))
        return
    if isinstance(declared, str):
        if declared != kind:
            yield _at_declaration(
                document, f"ce fichier est lu comme « {kind} » mais sa première ligne déclare le schéma « {declared} »"
            )
        return
    from referencing.exceptions import Unresolvable  # a project's own schema is rare: its cost only then

    try:
        yield from _errors(document, declared)
    except Unresolvable as error:  # a $ref that only this data reaches, to nothing bundled: never fetched
        yield _at_declaration(
            document, f"schéma déclaré « {document.declared_schema} » {_foreign_reference(str(getattr(error, 'ref', error)))}"
        )
    except RecursionError:  # {"$ref": "#"}: a schema that refers to itself before saying anything
        yield _at_declaration(
            document, f"schéma déclaré « {document.declared_schema} » refusé : il renvoie à lui-même sans fin ($ref)"
        )


class _Refused(Exception):
    """A declared schema stspd does not use, and why (French)."""


MAX_SCHEMA_BYTES = 1_000_000  # stspd's own schemas weigh 3 to 16 kB
# A URL's scheme (https:, file:, data:…); one letter and a colon is a Windows drive, handled as an absolute path.
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")
_WHERE = "indiquez un schéma de stspd (../schemas/fiche.schema.json) ou un fichier du projet, par un chemin relatif au fichier"


def _at_declaration(document: Document, message: str) -> Problem:
    line, column = document.declared_schema_mark
    return Problem(document.display, line, column, RULE, message, source_line(document.text, line))


def _declared(declared: str, folder: Path, root: Path):
    """The bundled schema's name a declaration names, or a validator for the project's schema it names."""
    ids = schemas.by_id()
    if declared in ids:
        return ids[declared]
    if declared.lower().startswith("file:"):
        raise _Refused(f"schéma déclaré « {declared} » refusé : stspd ne lit pas d'adresse file:// ; {_WHERE}")
    if PurePosixPath(declared).is_absolute() or PureWindowsPath(declared).is_absolute() or PureWindowsPath(declared).drive:
        raise _Refused(f"schéma déclaré « {declared} » refusé : un chemin absolu mène hors du projet ; {_WHERE}")
    if _SCHEME.match(declared):
        raise _Refused(f"schéma déclaré « {declared} » inconnu : stspd ne télécharge rien ; {_WHERE}")
    # A project copied elsewhere loses the schemas its lines point to: a bundled schema's file name is enough, and
    # whatever it points to outside the project is not read.
    name = declared.replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".schema.json")
    bundled = name if name in schemas.names() else None
    try:
        raw = read_inside(root, folder / declared, MAX_SCHEMA_BYTES)
    except (Absent, Outside) as error:
        if bundled:
            return bundled
        if isinstance(error, Absent):
            raise _Refused(
                f"schéma déclaré « {declared} » introuvable (stspd schema --output DOSSIER écrit les schémas de stspd)"
            ) from None
        raise _Refused(f"schéma déclaré « {declared} » refusé : {error}") from None
    except Refused as error:
        raise _Refused(f"schéma déclaré « {declared} » refusé : {error}") from None
    outcome = _project_schema(raw)
    if isinstance(outcome, _Refused):
        raise _Refused(f"schéma déclaré « {declared} » {outcome}")
    return outcome


@lru_cache(maxsize=32)
def _project_schema(raw: bytes):
    """A project schema's bundled name (a local copy of stspd's), its validator, or why it is refused.

    Keyed by content: the fiches of a project declare the same file, read and checked once."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        schema = json.loads(raw.decode("utf-8-sig"))
        if not isinstance(schema, dict):
            return _Refused("illisible : un objet JSON ({…}) est attendu")
        if schema.get("$id") in schemas.by_id():
            return schemas.by_id()[schema["$id"]]
        Draft202012Validator.check_schema(schema)
        foreign = next(_foreign_references(schema), None)
    except UnicodeDecodeError:
        return _Refused("illisible : il n'est pas en UTF-8")
    except json.JSONDecodeError as error:
        return _Refused(f"illisible : JSON invalide à la ligne {error.lineno}, colonne {error.colno}")
    except RecursionError:
        return _Refused("refusé : imbriqué trop profondément pour être un schéma")
    except SchemaError as error:
        where = "/".join(map(str, error.absolute_path)) or "la racine"
        return _Refused(f"invalide : le mot-clé « {error.validator} » ne convient pas à JSON Schema 2020-12 (à {where})")
    if foreign is not None:
        return _Refused(_foreign_reference(foreign))
    return schemas.validator_for(schema)


def _foreign_references(node) -> Iterator[str]:
    """Each `$ref` to a URL that is neither a bundled schema nor JSON Schema's own (which jsonschema carries)."""
    if isinstance(node, list):
        for item in node:
            yield from _foreign_references(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                target = value.split("#", 1)[0]
                if (
                    _SCHEME.match(target)
                    and target not in schemas.by_id()
                    and not re.match(r"https?://json-schema\.org/", target)
                ):
                    yield value
            else:
                yield from _foreign_references(value)


def _foreign_reference(reference: str) -> str:
    return (
        f"refusé : il renvoie ($ref) à « {reference} », que stspd ne télécharge ni ne lit ; "
        "seuls les renvois internes (#/…) et les schémas de stspd sont permis"
    )


def _errors(document: Document, validator) -> Iterator[Problem]:
    errors = list(validator.iter_errors(document.data))
    calendar = {tuple(error.absolute_path) for error in errors if error.validator == "format"}
    for error in errors:
        if error.validator == "pattern" and tuple(error.absolute_path) in calendar:
            continue  # « 2026-13 » fails the pattern and the calendar: the calendar's reason says more
        yield from _explain(document, error)


def _explain(document: Document, error) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    name = field_name(path)
    kind = error.validator
    value = error.instance
    if kind in ("anyOf", "oneOf") and error.context:
        from jsonschema.exceptions import best_match

        # a branch of the value's own type says what is wrong with it (« 2025-13 » is no month), not one that wants
        # another type (« un nombre entier attendu »)
        own_type = [e for e in error.context if e.validator != "type"]
        # and a number out of bounds is said as such, not as « "secret" attendu » (a branch that wants one word)
        said = [e for e in own_type if e.validator != "const"] or own_type
        yield from _explain(document, best_match(said or error.context))
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
    yield document.problem(
        path, RULE, f"{name} : {_describe(document, path, error)}" if name else _describe(document, path, error), key=False
    )


def field_name(path: tuple) -> str:
    """The nearest key of `path`, with the item number where the value is in a list."""
    for index, part in enumerate(reversed(path)):
        if isinstance(part, str):
            items = [p for p in path[len(path) - index :] if isinstance(p, int)]
            return part + "".join(f" n° {i + 1}" for i in items)
    return ""


def _shown(value) -> str:
    if isinstance(value, str):
        return f"« {shortened(value)} »"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "une valeur vide"
    if isinstance(value, dict):
        return "des clés"
    if isinstance(value, list):
        return "une liste"
    return f"« {shortened(str(value))} »"


def _number(value) -> str:
    """A schema's bound as the French write it: 1 000 000 000 000 (thin no-break spaces), not 1000000000000."""
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value).replace(".", ",")


def _describe(document: Document, path: tuple, error) -> str:
    kind, expected, value = error.validator, error.validator_value, error.instance
    if kind == "type":
        types = [expected] if isinstance(expected, str) else list(expected)
        wanted = " ou ".join(_TYPE_WORDS.get(t, t) for t in types)
        node = document.node(path)
        reading = plain_reading(node)
        if "string" in types and reading is not None and node is not None:
            typed = node.value
            return f'« {typed} » sans guillemets est lu par YAML comme {reading}, pas comme du texte : écrivez "{typed}" entre guillemets'
        hint = ""
        if isinstance(value, str) and set(types) & {"number", "integer"}:
            if "," in value and value.replace(",", "", 1).replace(" ", "").lstrip("-").isdigit():
                hint = f" (point décimal, sans espace : {value.replace(' ', '').replace(',', '.')})"
            elif value.replace(" ", "").isdigit():
                hint = f" (sans espace : {value.replace(' ', '')})"
        return f"{wanted} attendu, {_shown(value)} trouvé{hint}"
    if kind == "enum":
        choices = [str(c) for c in expected]
        return (
            f"{_shown(value)} n'est pas une valeur admise{did_you_mean(value, choices)} (valeurs admises : {', '.join(choices)})"
        )
    if kind == "const":
        return f"{_shown(expected)} attendu, {_shown(value)} trouvé"
    if kind == "pattern":
        description = error.schema.get("description", "")
        return f"{_shown(value)} n'a pas la forme attendue{' : ' + description if description else ''}"
    if kind == "format":  # the calendar's reason travels as the cause (schemas.calendar_problem)
        what = "une date" if expected == "date" else "un mois ou une date"
        return f"{_shown(value)} n'est pas {what} valide : {error.cause or 'AAAA-MM-JJ attendu, par exemple 2025-03-12'}"
    if kind == "minLength":
        return (
            "texte vide : écrivez quelque chose ou retirez la clé"
            if expected == 1
            else f"au moins {expected} caractères attendus"
        )
    if kind == "maxLength":
        return f"texte trop long ({_number(len(value))} caractères) : {_number(expected)} caractères au plus ; raccourcissez-le"
    if kind in ("minimum", "exclusiveMinimum"):
        sign = "≥" if kind == "minimum" else ">"
        return f"{_shown(value)} trop petit : une valeur {sign} {_number(expected)} est attendue"
    if kind in ("maximum", "exclusiveMaximum"):
        sign = "≤" if kind == "maximum" else "<"
        return f"{_shown(value)} trop grand : une valeur {sign} {_number(expected)} est attendue"
    if kind == "minItems":
        return f"la liste doit compter au moins {expected} élément{'s' if expected > 1 else ''}"
    if kind == "maxItems":
        return f"la liste doit compter au plus {expected} éléments"
    if kind == "uniqueItems":
        return "la liste contient deux fois la même valeur"
    return error.message  # a keyword of a user's own schema that stspd does not phrase itself
