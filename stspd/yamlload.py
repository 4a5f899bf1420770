"""Read one YAML file into plain data, keeping where every value and key stands.

PyYAML's traps are turned into located problems instead of silent data loss: duplicated keys,
tabs, files that are not UTF-8, empty files, alias bombs, over-deep nesting. Dates are kept as
typed (text), mapping keys are always the text typed, and the node of every value is kept so
that a later error can say « no » was read as false.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from .problems import Problem, ProblemError

try:  # libyaml is 5-7x faster; the pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

RULE = "yaml"
MAX_DEPTH = 64  # the deepest stspd structure is about 8 levels
MAX_VALUES = 500_000  # after alias expansion: a billion-laughs file stops here
_SCHEMA_LINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_constructor = SafeConstructor()

Path_ = tuple  # a JSON path: keys (str) and list indexes (int)


@dataclass
class Document:
    """A YAML file read: its data, and the node of every value and key, by JSON path."""

    path: Path
    display: str  # the path as the user should read it
    text: str
    data: Any
    nodes: dict[Path_, yaml.Node] = field(repr=False)
    key_nodes: dict[Path_, yaml.Node] = field(repr=False)
    declared_schema: str | None = None

    def node(self, path: Path_) -> yaml.Node | None:
        return self.nodes.get(tuple(path))

    def mark(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """1-based line and column of the value at `path` (or of its key), else of its nearest ancestor."""
        path = tuple(path)
        while True:
            node = (self.key_nodes.get(path) if key else None) or self.nodes.get(path)
            if node is not None:
                return node.start_mark.line + 1, node.start_mark.column + 1
            if not path:
                return 1, 1
            path = path[:-1]

    def problem(self, path: Path_, rule: str, message: str, *, key: bool = False) -> Problem:
        line, column = self.mark(path, key=key)
        return Problem(self.display, line, column, rule, message, source_line(self.text, line))


def source_line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def load_document(path: Path, display: str) -> Document:
    """Read and parse one file. Raises ProblemError with a located, plain-French problem."""
    raw = path.read_bytes()
    text = _decode(raw, display)
    declared = _declared_schema(text)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise ProblemError(Problem(display, 1, 1, RULE, "le fichier est vide : des clés YAML sont attendues"))
    _check_depth(text, display)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise ProblemError(_syntax_problem(error, text, display)) from None
    except yaml.YAMLError as error:  # unmarked errors are rare (reader errors); say what PyYAML said
        raise ProblemError(Problem(display, 1, 1, RULE, f"YAML illisible : {error}")) from None
    if root is None:
        raise ProblemError(Problem(display, 1, 1, RULE, "le fichier est vide : des clés YAML sont attendues"))
    builder = _Builder(text, display)
    if "&" in text:  # an alias needs an anchor: only then can the data outgrow the text, so only then measure it
        builder.count(root)
    data = builder.build(root, ())
    return Document(path, display, text, data, builder.nodes, builder.key_nodes, declared)


def _decode(raw: bytes, display: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        message = (
            f"le fichier n'est pas en UTF-8 (octet 0x{raw[error.start]:02x} illisible) : "
            "enregistrez-le en UTF-8 depuis votre éditeur"
        )
        raise ProblemError(Problem(display, line, column, RULE, message)) from None


def _declared_schema(text: str) -> str | None:
    """The `# yaml-language-server: $schema=...` line, among the comments heading the file."""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return None
        match = _SCHEMA_LINE.match(stripped)
        if match:
            return match.group(1)
    return None


def _check_depth(text: str, display: str) -> None:
    """Refuse pathological nesting before libyaml's recursive composer can crash the interpreter.

    Real files never come near the limit, so a cheap upper bound spares them the event scan.
    """
    bound = text.count("[") + text.count("{")
    bound += max((len(line) - len(line.lstrip(" ")) + line.count("- ") + line.count(": ") for line in text.splitlines()), default=0)
    if bound <= 1000:
        return
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    message = f"structure imbriquée sur plus de {MAX_DEPTH} niveaux : ce n'est pas un fichier stspd"
                    raise ProblemError(Problem(display, mark.line + 1, mark.column + 1, RULE, message, source_line(text, mark.line + 1)))
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.MarkedYAMLError as error:
        raise ProblemError(_syntax_problem(error, text, display)) from None


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or "").strip()
    if "\t" in problem or "'\\t'" in problem or _char_at(text, line, column) == "\t":
        message = "tabulation : YAML n'accepte que des espaces pour indenter ; remplacez la tabulation par des espaces"
    elif "expected a single document" in problem or "expected a single document" in str(error.context):
        message = "plusieurs documents YAML (---) dans un même fichier : un seul est attendu"
    elif "found undefined alias" in problem:
        message = f"alias inconnu ({problem.split('alias', 1)[1].strip()}) : aucune ancre & de ce nom plus haut"
    elif "found duplicate anchor" in str(error.context) or "found duplicate anchor" in problem:
        message = "ancre & définie deux fois"
    else:
        context = f" ({error.context})" if error.context else ""
        message = f"syntaxe YAML invalide : {problem}{context} ; vérifiez l'indentation, les deux-points et les guillemets"
    return Problem(display, line, column, RULE, message, source_line(text, line))


def _char_at(text: str, line: int, column: int) -> str:
    content = source_line(text, line)
    return content[column - 1] if 0 < column <= len(content) else ""


class _Builder:
    """Turns a composed node tree into plain data, recording nodes by path."""

    def __init__(self, text: str, display: str):
        self.text = text
        self.display = display
        self.nodes: dict[Path_, yaml.Node] = {}
        self.key_nodes: dict[Path_, yaml.Node] = {}

    def _problem(self, node: yaml.Node, message: str) -> ProblemError:
        line = node.start_mark.line + 1
        return ProblemError(Problem(self.display, line, node.start_mark.column + 1, RULE, message, source_line(self.text, line)))

    def count(self, root: yaml.Node) -> None:
        """Size of the tree once aliases are expanded, computed on the shared graph (cheap), and cycles."""
        sizes: dict[int, int] = {}
        visiting: set[int] = set()

        def size(node: yaml.Node, depth: int) -> int:
            key = id(node)
            if key in sizes:
                return sizes[key]
            if key in visiting:
                raise self._problem(node, "alias récursif : une ancre & se contient elle-même")
            if depth > MAX_DEPTH:
                raise self._problem(node, f"structure imbriquée sur plus de {MAX_DEPTH} niveaux")
            visiting.add(key)
            total = 1
            if isinstance(node, yaml.SequenceNode):
                total += sum(size(child, depth + 1) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
            visiting.discard(key)
            if total > MAX_VALUES:
                raise self._problem(
                    node, f"alias (*) trop nombreux : le fichier se déplierait en plus de {MAX_VALUES:,} valeurs".replace(",", " ")
                )
            sizes[key] = total
            return total

        size(root, 0)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH:
            raise self._problem(node, f"structure imbriquée sur plus de {MAX_DEPTH} niveaux")
        self.nodes[path] = node
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise self._problem(node, f"étiquette YAML non prise en charge : {node.tag}")
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise self._problem(key_node, "clé complexe (liste ou dictionnaire en position de clé) : une clé est un mot")
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self._problem(key_node, "la fusion « <<: » n'est pas prise en charge : écrivez les clés")
                key = key_node.value  # the key as typed: « 1.10 » stays « 1.10 », « no » stays « no »
                if key in result:
                    first = self.key_nodes[path + (key,)].start_mark.line + 1
                    raise self._problem(
                        key_node, f"clé « {key} » en double (déjà à la ligne {first}) : YAML garderait la dernière valeur sans rien dire"
                    )
                self.key_nodes[path + (key,)] = key_node
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self._problem(node, f"étiquette YAML non prise en charge : {node.tag}")
            return [self.build(child, path + (index,)) for index, child in enumerate(node.value)]
        return self._scalar(node)

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _TIMESTAMP:
            return node.value  # a date stays the text typed; the schema checks its format
        if node.tag not in _SCALAR_TAGS:
            raise self._problem(node, f"étiquette YAML non prise en charge : {node.tag}")
        try:
            value = SafeConstructor.yaml_constructors[node.tag](_constructor, node)
        except (ConstructorError, ValueError) as error:
            raise self._problem(node, f"valeur illisible : {error}") from None
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            raise self._problem(node, f"« {node.value} » n'est pas un nombre fini")
        return value


def plain_reading(node: yaml.Node | None) -> str | None:
    """If `node` is an unquoted scalar that YAML read as something other than text, what it read."""
    if not isinstance(node, yaml.ScalarNode) or node.style:  # libyaml says '' for plain, PyYAML None
        return None
    if node.tag == "tag:yaml.org,2002:bool":
        value = SafeConstructor.yaml_constructors[node.tag](_constructor, node)
        return f"la valeur booléenne {'true' if value else 'false'}"
    if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        value = SafeConstructor.yaml_constructors[node.tag](_constructor, node)
        return f"le nombre {value}"
    if node.tag == "tag:yaml.org,2002:null":
        return "une valeur vide"
    return None
