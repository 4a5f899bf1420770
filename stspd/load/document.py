"""Read one YAML file into plain data, keeping where every value and key stands.

PyYAML's traps are turned into located problems instead of silent data loss: duplicated keys,
tabs, files that are not UTF-8, empty files, alias bombs, over-deep nesting, invisible control
characters (which would break every document built from the text). Dates are kept as
typed (text) and mapping keys are always the text typed.

Where each value stands is found again only when a problem must say it: the text is composed once more, then. A
valid project keeps no node (a 3,000-fiche project would hold over a million, and 400 MB).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor

from stspd.problems import Problem, ProblemError

try:  # libyaml is 5-7x faster; the pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the platform's wheel
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

RULE = "yaml"
MAX_DEPTH = 64  # the deepest stspd structure is about 8 levels
MAX_VALUES = 500_000  # after alias expansion: a billion-laughs file stops here
_SCHEMA_LINE = re.compile(r"#\s*yaml-language-server:\s*\$schema=(\S+)")
# libyaml ≥ 0.2.5 has its own limit (1000 levels) and says so in English: see _check_depth.
_LIBYAML_NESTING = "exceeded maximum nesting depth"
# Characters no text may hold: they print nothing, and DOCX, XLSX and pandoc's metadata refuse them (the build
# would fail). Category Cc but the tab and the line feed, lone surrogates, and the two XML non-characters. A carriage
# return belongs only to a CRLF line end, which YAML turns into a line feed: in a value it comes from an escape.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]|\r(?!\n)")
# What YAML allows in a file (YAML 1.1, 5.1): its reader refuses the rest in English; stspd finds the character.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CHARACTER_NAMES = {
    0x00: "NUL",
    0x0B: "tabulation verticale",
    0x0C: "saut de page",
    0x0D: "retour chariot seul",
    0x1B: "échappement, ESC",
    0x7F: "suppression, DEL",
}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_TAG_WORDS = {
    "tag:yaml.org,2002:int": "un nombre entier",
    "tag:yaml.org,2002:float": "un nombre",
    "tag:yaml.org,2002:bool": "vrai ou faux",
    "tag:yaml.org,2002:null": "une valeur vide",
}
_constructor = SafeConstructor()

Path_ = tuple  # a JSON path: keys (str) and list indexes (int)


@dataclass
class Document:
    """A YAML file read: its data, and where each value and key stands, by JSON path, when asked."""

    path: Path
    display: str  # the path as the user should read it
    text: str
    data: Any
    declared_schema: str | None = None
    declared_schema_mark: tuple[int, int] = (1, 1)  # line and column of the declaration's value

    @cached_property
    def _located(self) -> _Builder:
        """The node of every value and key: the text composed again (it was valid YAML the first time)."""
        builder = _Builder(self.text, self.display, locate=True)
        builder.build(yaml.compose(self.text, Loader=_Loader), ())
        return builder

    @property
    def nodes(self) -> dict[Path_, yaml.Node]:
        return self._located.nodes

    @property
    def key_nodes(self) -> dict[Path_, yaml.Node]:
        return self._located.key_nodes

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


def shortened(text: str, limit: int = 60) -> str:
    """A value quoted in a message: its start, when it is long."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def source_line(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def load_document(path: Path, display: str) -> Document:
    """Read and parse one file. Raises ProblemError with a located, plain-French problem."""
    return parse_document(path.read_bytes(), path, display)


def parse_document(raw: bytes, path: Path, display: str) -> Document:
    """Parse the bytes of one file (read by the caller, who decides which files may be opened)."""
    text = _decode(raw, display)
    declared = _declared_schema(text)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        raise ProblemError(Problem(display, 1, 1, RULE, "le fichier est vide : des clés YAML sont attendues"))
    _check_depth(text, display)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        raise ProblemError(_yaml_problem(error, text, display)) from None
    if root is None:
        raise ProblemError(Problem(display, 1, 1, RULE, "le fichier est vide : des clés YAML sont attendues"))
    builder = _Builder(text, display)
    if "&" in text:  # an alias needs an anchor: only then can the data outgrow the text, so only then measure it
        builder.count(root)
    data = builder.build(root, ())
    value, mark = declared or (None, (1, 1))
    return Document(path, display, text, data, value, mark)


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


def _declared_schema(text: str) -> tuple[str, tuple[int, int]] | None:
    """The `# yaml-language-server: $schema=...` line, among the comments heading the file: its value and where."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return None
        match = _SCHEMA_LINE.match(stripped)
        if match:
            return match.group(1), (number, len(line) - len(line.lstrip()) + match.start(1) + 1)
    return None


_NESTING_MESSAGE = f"structure imbriquée sur plus de {MAX_DEPTH} niveaux : ce n'est pas un fichier stspd"


def _check_depth(text: str, display: str) -> None:
    """Refuse pathological nesting before a recursive composer can crash the interpreter.

    Real files never come near the limit, so a cheap upper bound of the depth spares them the event scan: a flow
    collection opens with a bracket, a block one needs more indentation than its parent's parent (a sequence may
    share its mapping's), or a « - », « : » or « ? » on the line. PyYAML's pure-Python composer recurses in Python
    and dies near 450 levels, libyaml's composer holds 1000: the bound to stay under depends on the loader.
    """
    indentation = max(
        (
            len(line) - len(line.lstrip(" ")) + line.count("- ") + line.count(": ") + line.count("? ")
            for line in text.splitlines()
        ),
        default=0,
    )
    bound = text.count("[") + text.count("{") + 2 * indentation + 1
    if bound <= (200 if _Loader is yaml.SafeLoader else 1000):
        return
    try:
        mark = _first_too_deep(text, _Loader)
    except yaml.MarkedYAMLError as error:
        if _LIBYAML_NESTING not in str(error.problem):
            raise ProblemError(_yaml_problem(error, text, display)) from None
        # libyaml scans up to a line (1024 characters) ahead of the events it hands over, so on a line of brackets
        # it meets its own limit (1000 levels) before stspd's (64) is reached. The pure-Python parser reads what
        # libyaml read (a few kilobytes at most) without such a limit: it finds where level 65 opens.
        mark = _pure_python_too_deep(text[: error.problem_mark.index + 1]) or error.problem_mark
    except yaml.YAMLError as error:
        raise ProblemError(_yaml_problem(error, text, display)) from None
    if mark is not None:
        raise ProblemError(
            Problem(display, mark.line + 1, mark.column + 1, RULE, _NESTING_MESSAGE, source_line(text, mark.line + 1))
        )


def _first_too_deep(text: str, loader) -> yaml.Mark | None:
    """Where a collection opens deeper than MAX_DEPTH, if one does."""
    level = -1  # the root collection is level 0, as its path () is for the builder: both stop at the same node
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            level += 1
            if level > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            level -= 1
    return None


def _pure_python_too_deep(prefix: str) -> yaml.Mark | None:
    try:
        return _first_too_deep(prefix, yaml.SafeLoader)
    except yaml.YAMLError:  # the prefix is cut short: an error after level 65 is expected, one before it is not ours
        return None


def _yaml_problem(error: yaml.YAMLError, text: str, display: str) -> Problem:
    """A PyYAML error said in French: PyYAML's own wording never reaches the user."""
    if isinstance(error, yaml.MarkedYAMLError):
        return _syntax_problem(error, text, display)
    # The reader refuses characters YAML does not allow in a file (control characters, mostly): find the first.
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return Problem(display, 1, 1, RULE, "YAML illisible : le fichier contient un caractère que YAML refuse")
    before = (text[: found.start()] + "x").splitlines()  # the line breaks splitlines knows, as source_line counts them
    line, column = len(before), len(before[-1])
    return Problem(display, line, column, RULE, _forbidden_message(found.group(), escaped=False), source_line(text, line))


def _forbidden_message(character: str, *, escaped: bool) -> str:
    code = ord(character)
    name = f" ({_CHARACTER_NAMES[code]})" if code in _CHARACTER_NAMES else ""
    origin = (
        " : retirez la séquence d'échappement (\\x.., \\e, \\0…) qui le produit entre guillemets"
        if escaped
        else " : supprimez-le"
    )
    return f"caractère invisible U+{code:04X}{name} interdit dans un texte, il casserait les documents produits{origin}"


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (error.problem or "").strip()
    if _LIBYAML_NESTING in problem:  # libyaml's limit met while composing: the same fact, said as stspd says it
        message = _NESTING_MESSAGE
    elif "invalid Unicode character escape" in problem:
        message = "séquence d'échappement \\u… invalide entre guillemets : elle ne désigne aucun caractère ; retirez-la"
    elif "\t" in problem or "'\\t'" in problem or _char_at(text, line, column) == "\t":
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
    """Turns a composed node tree into plain data; with `locate`, records the node of each value and key by path."""

    def __init__(self, text: str, display: str, *, locate: bool = False):
        self.text = text
        self.display = display
        self.locate = locate
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
            if depth > MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
                raise self._problem(node, _NESTING_MESSAGE)
            visiting.add(key)
            total = 1
            if isinstance(node, yaml.SequenceNode):
                total += sum(size(child, depth + 1) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
            visiting.discard(key)
            if total > MAX_VALUES:
                raise self._problem(
                    node,
                    f"alias (*) trop nombreux : le fichier se déplierait en plus de {MAX_VALUES:,} valeurs".replace(",", " "),
                )
            sizes[key] = total
            return total

        size(root, 0)

    def build(self, node: yaml.Node, path: Path_) -> Any:
        if len(path) > MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
            raise self._problem(node, _NESTING_MESSAGE)
        if self.locate:
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
                if key_node.style == '"':
                    self._check_characters(key_node)
                if key in result:
                    first = next(k for k, _ in node.value if k.value == key).start_mark.line + 1
                    raise self._problem(
                        key_node,
                        f"clé « {key} » en double (déjà à la ligne {first}) : YAML garderait la dernière valeur sans rien dire",
                    )
                if self.locate:
                    self.key_nodes[path + (key,)] = key_node
                result[key] = self.build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self._problem(node, f"étiquette YAML non prise en charge : {node.tag}")
            return [self.build(child, path + (index,)) for index, child in enumerate(node.value)]
        return self._scalar(node)

    def _check_characters(self, node: yaml.ScalarNode) -> None:
        """The reader let no forbidden character through, so only an escape of a double-quoted scalar makes one."""
        if found := _FORBIDDEN.search(node.value):
            raise self._problem(node, _forbidden_message(found.group()[0], escaped=True))

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.style == '"':  # tested here: a call for each of a project's 100,000 values would cost 3 %
            self._check_characters(node)
        if node.tag == _TIMESTAMP:
            return node.value  # a date stays the text typed; the schema checks its format
        if node.tag not in _SCALAR_TAGS:
            raise self._problem(node, f"étiquette YAML non prise en charge : {node.tag}")
        try:
            value = SafeConstructor.yaml_constructors[node.tag](_constructor, node)
        except (ConstructorError, ValueError):
            # !!int on a word, or more digits than Python converts (4,300): never a value of stspd
            what = _TAG_WORDS.get(node.tag, "une valeur")
            raise self._problem(node, f"valeur illisible : « {shortened(node.value)} » ne se lit pas comme {what}") from None
        if isinstance(value, float) and not math.isfinite(value):
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
