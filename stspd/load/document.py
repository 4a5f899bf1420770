"""Read one YAML file into plain data, keeping where every value and key stands.

PyYAML's traps are turned into located problems instead of silent data loss: duplicated keys,
tabs, files that are not UTF-8, empty files, alias bombs, over-deep nesting, invisible control
characters (which would break every document built from the text). Dates are kept as
typed (text) and mapping keys are always the text typed. A syntax error is said in French, at the
line where the user must act, with the line corrected when stspd can write it.

Where each value stands is found again only when a problem must say it: the text is composed once more, then. A
valid project keeps no node (a 3,000-fiche project would hold over a million, and 400 MB).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
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

    def text_mark(self, path: Path_, line: int = 0) -> tuple[int, int]:
        """Where the text at `path` begins: below a block scalar's « | » or « > », on the line of the value otherwise.
        Its line `line` (from 0) is found only in a literal block (« | »), which keeps the lines of the file."""
        node = self.node(path)
        style = getattr(node, "style", None)
        if node is None or style not in ("|", ">"):
            return self.mark(path)
        lines = self.text.splitlines()
        first = node.start_mark.line + 2  # a block's text starts on the line after its « | » or « > »
        if style == "|" and 0 < line and first + line <= len(lines):
            content = lines[first + line - 1]
            return first + line, len(content) - len(content.lstrip()) + 1
        for number in range(first, min(node.end_mark.line + 1, len(lines)) + 1):
            content = lines[number - 1]
            if content.strip():
                return number, len(content) - len(content.lstrip()) + 1
        return self.mark(path)

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
    except (yaml.YAMLError, ValueError) as error:
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
    except (yaml.YAMLError, ValueError) as error:
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
    except (yaml.YAMLError, ValueError):
        return None  # the prefix is cut short: an error after level 65 is expected, one before it is not ours


def _yaml_problem(error: yaml.YAMLError | ValueError, text: str, display: str) -> Problem:
    """A PyYAML error said in French: PyYAML's own wording never reaches the user."""
    if isinstance(error, yaml.MarkedYAMLError):
        return _syntax_problem(error, text, display)
    if isinstance(error, ValueError):  # PyYAML's pure-Python scanner: chr() refuses an escape \U beyond U+10FFFF
        escapes = re.finditer(r"\\U([0-9A-Fa-f]{8})", text)
        escape = next((found for found in escapes if int(found.group(1), 16) > 0x10FFFF), None)
        line, column = _place(text, escape.start()) if escape else (1, 1)
        return Problem(display, line, column, RULE, _UNICODE_ESCAPE, source_line(text, line))
    # The reader refuses characters YAML does not allow in a file (control characters, mostly): find the first.
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return Problem(display, 1, 1, RULE, "YAML illisible : le fichier contient un caractère que YAML refuse")
    line, column = _place(text, found.start())
    return Problem(display, line, column, RULE, _forbidden_message(found.group(), escaped=False), source_line(text, line))


def _place(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of a character, counted as source_line counts lines."""
    before = (text[:index] + "x").splitlines()
    return len(before), len(before[-1])


def _forbidden_message(character: str, *, escaped: bool) -> str:
    code = ord(character)
    name = f" ({_CHARACTER_NAMES[code]})" if code in _CHARACTER_NAMES else ""
    origin = (
        " : retirez la séquence d'échappement (\\x.., \\e, \\0…) qui le produit entre guillemets"
        if escaped
        else " : supprimez-le"
    )
    return f"caractère invisible U+{code:04X}{name} interdit dans un texte, il casserait les documents produits{origin}"


# Syntax errors. PyYAML and libyaml say, in English and in their own words, where they stopped reading, often a line
# after the mistake. Each of their messages (the table at the end) leads to an explanation that finds the place where
# the user must act and says, in French, what to write there. PyYAML's own wording never reaches the user.

_TAB = "tabulation : YAML n'accepte que des espaces pour indenter ; remplacez la tabulation par des espaces"
_BOM = (
    "caractère invisible U+FEFF (marque d'ordre des octets) en début de ligne, laissé par un copier-coller ou des "
    "fichiers mis bout à bout : supprimez-le"
)
_UNREADABLE = (
    "YAML illisible à cet endroit : vérifiez l'indentation (des espaces, alignés sur les clés du même bloc), l'espace "
    "après « : » et après « - », et mettez entre guillemets tout texte qui contient « : » ou qui commence par un "
    "signe ([ { @ * & ! % | > …)"
)
_STRAY_COLON = (
    "« : » inattendu : s'il fait partie d'un texte, mettez ce texte entre guillemets ; s'il termine une clé, "
    "vérifiez l'indentation de la ligne"
)
_FLOW = (
    "entre crochets [ ] ou accolades { }, séparez les éléments par des virgules et mettez entre guillemets ceux "
    "qui contiennent « : », « , » ou un crochet"
)
_DIRECTIVE = (
    "une ligne qui commence par « % » est une directive YAML, dont stspd n'a pas besoin : supprimez-la "
    "(un texte qui commence par « % » se met entre guillemets)"
)
_DOCUMENT_END = (
    "« ... » en début de ligne termine le document YAML : supprimez cette ligne "
    "(un texte qui commence par « ... » se met entre guillemets)"
)
_SEVERAL_DOCUMENTS = (
    "plusieurs documents YAML dans un même fichier : « --- » en début de ligne en commence un nouveau ; supprimez "
    "cette ligne (un texte qui commence par « --- » se met entre guillemets)"
)
_UNICODE_ESCAPE = "séquence d'échappement \\u… invalide entre guillemets : elle ne désigne aucun caractère ; retirez-la"
# Why YAML does not read a text that starts with this sign as a text
_SIGNS = {
    "[": "YAML y lit une liste",
    "{": "YAML y lit un dictionnaire",
    "]": "YAML y lit la fin d'une liste",
    "}": "YAML y lit la fin d'un dictionnaire",
    ",": "YAML y lit un séparateur",
    "*": "YAML y lit un alias, renvoi vers une ancre « & »",
    "&": "YAML y lit une ancre",
    "!": "YAML y lit une étiquette de type",
    "?": "YAML y lit une clé complexe",
    "%": "YAML y lit une directive",
    "@": "YAML réserve ce signe",
    "`": "YAML réserve ce signe",
}
# The explanations read again, with PyYAML's pure-Python scanner, the text before the error (about 2 s a megabyte):
# stspd's files are a few tens of kilobytes; beyond this, a message says less rather than wait.
_RESCAN_LIMIT = 500_000
_DASH_WITHOUT_SPACE = re.compile(r"-[^\s-]")
_KEY_WITHOUT_SPACE = re.compile(r"([^\s:]+):(\S.*)")  # pilote:pm
_KEY_AND_VALUE = re.compile(r"\s*(?:-\s+)*([^\s:#][^:#]*?)\s*:\s+\S")  # titre: a, - source: b


@dataclass(frozen=True)
class _Error:
    """A PyYAML error reduced to what the explanations read: the text's lines, where PyYAML stopped (1-based line and
    column), and where what it was reading started (its context mark), when it says."""

    lines: list[str]
    line: int
    column: int
    start: tuple[int, int] | None

    def text_at(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def char(self, line: int, column: int) -> str:
        text = self.text_at(line)
        return text[column - 1] if 0 < column <= len(text) else ""

    @cached_property
    def tokens(self) -> list[yaml.Token]:
        """What PyYAML read before it stopped."""
        return _tokens_before(self, self.line, self.column)


_Said = tuple[int, int, str]  # where the user must act (1-based line and column), and what to do


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, display: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    context = error.context_mark
    e = _Error(
        text.splitlines(),
        mark.line + 1 if mark else 1,
        mark.column + 1 if mark else 1,
        (context.line + 1, context.column + 1) if context else None,
    )
    line, column, message = _explain(e, f"{error.context or ''} {error.problem or ''}")
    return Problem(display, line, column, RULE, message, source_line(text, line))


def _explain(e: _Error, english: str) -> _Said:
    if _LIBYAML_NESTING in english:  # libyaml's own limit met while composing: the same fact, said as stspd says it
        return e.line, e.column, _NESTING_MESSAGE
    for line in (e.start[0] if e.start else e.line, e.line):
        if e.text_at(line).startswith("\ufeff"):  # libyaml skips it there: the line seems shifted by one column
            return line, 1, _BOM
    if e.char(e.line, e.column) == "\t" or "tab character" in english:
        return e.line, e.column, _TAB
    last = e.tokens[-1] if e.tokens else None
    quoted = last if isinstance(last, yaml.ScalarToken) and last.style in ("'", '"') else None
    if quoted and quoted.start_mark.line < quoted.end_mark.line == e.line - 1:
        # a quoted text that runs over lines up to where PyYAML stopped: a quote left open, closed by the next one
        return _unclosed(e, quoted.start_mark.line + 1, quoted.start_mark.column + 1)
    for fragment, explanation in _EXPLANATIONS:
        if fragment in english:
            return explanation(e)
    return e.line, e.column, _UNREADABLE


def _tokens_before(e: _Error, line: int, column: int) -> list[yaml.Token]:
    """The tokens PyYAML's own scanner reads in the text before a place, [] if it cannot read it.

    They say what YAML made of the text: where a text that ran on too far started, which blocks are open. The
    blocks the end of the cut text closes are left out.
    """
    prefix = "\n".join([*e.lines[: line - 1], e.text_at(line)[: column - 1]])
    if len(prefix) > _RESCAN_LIMIT:
        return []
    try:
        tokens = list(yaml.scan(prefix, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    while tokens and isinstance(tokens[-1], (yaml.BlockEndToken, yaml.StreamEndToken)):
        tokens.pop()
    return tokens


@dataclass
class _Block:
    column: int  # 0-based, where its keys (or the « - » of its items) start
    keys: list[str] | None  # None for a list


def _open_blocks(tokens: list[yaml.Token]) -> list[_Block]:
    """The blocks open at the end of `tokens`, outermost first."""
    blocks: list[_Block] = []
    flow = 0  # inside [ ] or { }, keys belong to no block
    for token, following in zip(tokens, [*tokens[1:], None]):
        if isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            flow += 1
        elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
            flow -= 1
        elif isinstance(token, (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken)):
            blocks.append(_Block(token.start_mark.column, [] if isinstance(token, yaml.BlockMappingStartToken) else None))
        elif isinstance(token, yaml.BlockEndToken):
            blocks.pop()
        elif isinstance(token, yaml.KeyToken) and isinstance(following, yaml.ScalarToken) and not flow:
            keys = blocks[-1].keys if blocks else None
            if keys is not None:
                keys.append(following.value)
    return blocks


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _spaces(count: int) -> str:
    return f"{count} espace{'s' if count > 1 else ''}"


def _at(column: int) -> str:
    return f"à {_spaces(column)}" if column else "en début de ligne"


def _indent_to(column: int) -> str:
    return f"indentez-la de {_spaces(column)}" if column else "ne l'indentez pas"


def _quoted(text: str) -> str:
    """`text` between quotes, read back unchanged: double quotes, or single ones when it holds « " » or « \\ »."""
    if '"' in text or "\\" in text:
        return "'" + text.replace("'", "''") + "'"
    return f'"{text}"'


def _with_quotes(line: str, column: int) -> str:
    """The line with its text from `column` on (a comment left out) between quotes."""
    text = re.split(r"\s#", line[column - 1 :], maxsplit=1)[0].rstrip()
    return line[: column - 1] + _quoted(text)


def _write(line: str) -> str:
    """A corrected line, as a message shows it."""
    line = line.strip()
    return f"écrivez « {line if len(line) <= 100 else f'{line[:70]} … {line[-25:]}'} »"


def _holds_content(text: str) -> bool:
    """More than spaces or a comment."""
    content = text.strip()
    return bool(content) and not content.startswith("#")


def _previous_line(e: _Error, line: int) -> int | None:
    """The number of the last line before `line` that holds content."""
    return next((number for number in range(line - 1, 0, -1) if _holds_content(e.text_at(number))), None)


def _colon(e: _Error) -> _Said:
    """« mapping values are not allowed here »: a « : » where no key may end, in a text or after a text read on."""
    tokens = e.tokens
    last = tokens[-1] if tokens else None
    if isinstance(last, yaml.ScalarToken) and last.style in ("'", '"'):
        return _after_quote(e, last)
    if isinstance(last, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
        return _text_in_brackets(e, tokens)
    if not isinstance(last, yaml.ScalarToken) or not last.plain:
        return e.line, e.column, _STRAY_COLON
    line, column = last.start_mark.line + 1, last.start_mark.column + 1
    if line == e.line:
        fix = _write(_with_quotes(e.text_at(line), column))
        return e.line, e.column, f"un texte qui contient « : » doit être entre guillemets (sinon YAML y cherche une clé) : {fix}"
    start = e.text_at(line)
    if not start[: column - 1].strip() or _DASH_WITHOUT_SPACE.match(start.lstrip()):
        return _key_without_colon(e, line)  # the text read on is a key that lacks its « : » or a space
    if " " in e.text_at(e.line)[: e.column - 1].strip():  # not a key: a text that goes on from line to line
        message = (
            f"le texte commencé ligne {line} continue sur cette ligne et contient « : » : mettez-le en entier entre "
            "guillemets, ou écrivez « | » après la clé et le texte aux lignes suivantes, indenté"
        )
        return e.line, e.column, message
    return _indentation(e, e.line)  # a key meant to follow the text's own key, indented otherwise


def _missing_colon(e: _Error) -> _Said:
    """« could not find expected ':' »: PyYAML says where the key started, and stops at the next line."""
    return _key_without_colon(e, e.start[0] if e.start else e.line)


def _key_without_colon(e: _Error, line: int) -> _Said:
    """A line YAML read as a key (or a list item) without its « : », or without the space after it or after « - »."""
    text = e.text_at(line)
    indent = _indent(text)
    content = text[indent:].rstrip()
    if _DASH_WITHOUT_SPACE.match(content):
        return line, indent + 2, f"il faut un espace après « - » : {_write('- ' + content[1:])}"
    found = _KEY_WITHOUT_SPACE.fullmatch(content)
    if found:
        key, value = found.groups()
        return line, indent + len(key) + 2, f"il faut un espace après « : » : {_write(f'{key}: {value}')}"
    previous = _previous_line(e, line)
    if previous and _indent(e.text_at(previous)) == indent and e.text_at(previous)[indent:].startswith("-"):
        return line, indent + 1, f"il manque « - » devant cet élément de liste : {_write('- ' + content)}"
    key, _, value = content.partition(" ")
    fix = _write(f"{key}: {value.strip()}".rstrip())
    return line, indent + len(key) + 1, f"il manque « : » après la clé « {shortened(key, 30)} » : {fix}"


def _unexpected(e: _Error) -> _Said:
    """« expected <block end> », « did not find expected key » or « '-' indicator »: what stands at the place does
    not belong to the block, a sign or text after a value, or a line indented otherwise."""
    char = e.char(e.line, e.column)
    if char in ("]", "}"):
        opening = "[" if char == "]" else "{"
        return e.line, e.column, f"« {char} » en trop : aucun « {opening} » ouvert ne lui correspond ; supprimez-le"
    if char == ":":
        return e.line, e.column, _STRAY_COLON
    tokens = e.tokens
    last = tokens[-1] if tokens else None
    if last is not None and last.end_mark.line + 1 == e.line:  # text after a value that ends on this line
        if isinstance(last, yaml.ScalarToken) and last.style in ("'", '"'):
            return _after_quote(e, last)
        if isinstance(last, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
            return _text_in_brackets(e, tokens)
    text = e.text_at(e.line)
    if e.column != _indent(text) + 1:
        return e.line, e.column, _UNREADABLE
    if _DASH_WITHOUT_SPACE.match(text.lstrip()):
        return _key_without_colon(e, e.line)
    return _indentation(e, e.line)


def _indentation(e: _Error, line: int) -> _Said:
    """A line indented otherwise than the blocks open above it: which ones it may join, and at how many spaces."""
    text = e.text_at(line)
    indent = _indent(text)
    item = text[indent:].startswith("-")
    tokens = _tokens_before(e, line, 1)
    blocks = _open_blocks(tokens)
    if not item and any(block.keys is None and block.column == indent for block in blocks):
        return _item_without_dash(e, line, blocks)
    same_kind = [block for block in blocks if (block.keys is None) == item]
    if item and not same_kind:
        return _item_where_key(e, line)
    deeper = min((b for b in same_kind if b.column > indent), key=lambda b: b.column, default=None)
    shallower = max((b for b in same_kind if b.column < indent), key=lambda b: b.column, default=None)
    message = f"la ligne {line} " + (f"est indentée de {_spaces(indent)}" if indent else "n'est pas indentée")
    if deeper and shallower:
        message += (
            f" ; {_block_start(deeper, 'de ce bloc')}, {_block_start(shallower, 'du bloc parent')} : "
            f"{_indent_to(deeper.column)}, ou {_indent_to(shallower.column)}, selon le bloc où elle va"
        )
    elif (block := deeper or shallower) is not None:
        message += f" ; {_block_start(block, 'de ce bloc')} : {_indent_to(block.column)}"
    else:
        message += " et ne s'aligne sur aucun bloc au-dessus : alignez-la sur les clés du même bloc"
    last = tokens[-1] if tokens else None
    if isinstance(last, yaml.ScalarToken) and last.style in ("|", ">") and not item:
        start = last.start_mark.line + 1
        inside = next((_indent(t) for t in e.lines[start : line - 1] if t.strip()), None)
        if inside is not None and inside > indent:
            message += f" ; si elle continue le texte « {last.style} » de la ligne {start}, indentez-la de {_spaces(inside)}"
    return line, indent + 1, message


def _item_without_dash(e: _Error, line: int, blocks: list[_Block]) -> _Said:
    """A line at the column of the « - » of a list, without one."""
    text = e.text_at(line)
    indent = _indent(text)
    message = (
        f"la ligne {line} est alignée sur les éléments de la liste au-dessus sans commencer par « - » : "
        f"pour un élément, {_write('- ' + text[indent:])}"
    )
    parent = next((b for b in reversed(blocks) if b.keys is not None and b.column < indent), None)
    if parent:
        message += f" ; pour une clé, {_indent_to(parent.column)}, comme les clés {_names(parent)}"
    return line, indent + 1, message


def _names(block: _Block) -> str:
    keys = block.keys or []
    return f"({', '.join(shortened(key, 30) for key in keys[:2])}{'…' if len(keys) > 2 else ''})"


def _block_start(block: _Block, which: str) -> str:
    if block.keys is None:
        return f"les éléments « - » de la liste commencent {_at(block.column)}"
    return f"les clés {which} {_names(block)} commencent {_at(block.column)}"


def _item_where_key(e: _Error, line: int) -> _Said:
    """A list item « - » where only keys are open."""
    previous = _previous_line(e, line)
    found = _KEY_AND_VALUE.match(e.text_at(previous)) if previous else None
    if found:
        key = shortened(found.group(1), 30)
        message = (
            f"la clé « {key} » a déjà sa valeur sur sa ligne : une liste se place sous une clé seule sur sa ligne "
            f"(« {key}: »), ses éléments « - » en dessous, indentés de 2 espaces"
        )
    else:
        message = (
            "un élément de liste « - » là où une clé est attendue : une liste se place sous une clé seule sur sa "
            "ligne, ses éléments « - » en dessous, indentés de 2 espaces"
        )
    return line, _indent(e.text_at(line)) + 1, message


def _after_quote(e: _Error, quoted: yaml.ScalarToken) -> _Said:
    """Text after the end of a quoted text on its line: a quote closed too early, or text that holds quotes."""
    line, column = quoted.start_mark.line + 1, quoted.start_mark.column + 1
    text = e.text_at(line)
    value = re.split(r"\s#", text[column - 1 :], maxsplit=1)[0].rstrip()
    closing = quoted.end_mark.column  # the 1-based column of the closing quote
    if quoted.style == "'":
        fix = _write(text[: column - 1] + _quoted(value.strip("'")))
        message = (
            "cette apostrophe ferme le texte ouvert par « ' » : entre apostrophes, une apostrophe s'écrit deux fois "
            f"(« '' ») ; plus simple, mettez le texte entre guillemets : {fix}"
        )
        return line, closing, message
    fix = _write(text[: column - 1] + _quoted(value))
    return line, closing, f"du texte suit le guillemet fermant : mettez tout le texte entre apostrophes : {fix}"


def _unclosed_quote(e: _Error) -> _Said:
    """« while scanning a quoted scalar … found unexpected end of stream »: PyYAML says where the quote opened."""
    return _unclosed(e, *(e.start or (e.line, e.column)))


def _unclosed(e: _Error, line: int, column: int) -> _Said:
    text = e.text_at(line)
    if e.char(line, column) == "'":
        opened = "l'apostrophe « ' » ouverte ici n'est jamais refermée : ajoutez-la à la fin du texte"
    else:
        opened = "le guillemet « \" » ouvert ici n'est jamais refermé : ajoutez-le à la fin du texte"
    return line, column, f"{opened} ; {_write(text.rstrip() + e.char(line, column))}"


def _quote_text(e: _Error, line: int, column: int) -> _Said:
    """A text that starts with a sign YAML reads otherwise."""
    sign = e.char(line, column)
    why = _SIGNS.get(sign, "YAML y lit autre chose qu'un texte")
    fix = _write(_with_quotes(e.text_at(line), column))
    return line, column, f"un texte qui commence par « {sign} » doit être entre guillemets ({why}) : {fix}"


def _sign_here(e: _Error) -> _Said:
    """« found character '@' that cannot start any token » and the like: PyYAML stops on the sign."""
    return _quote_text(e, e.line, e.column)


def _sign_at_start(e: _Error) -> _Said:
    """« while scanning an anchor » (an alias, a tag): PyYAML stops after the sign, and says where it is."""
    return _quote_text(e, *(e.start or (e.line, e.column)))


def _text_in_brackets(e: _Error, tokens: list[yaml.Token]) -> _Said:
    """Text after a list [ ] or dictionary { } that ended on the line: a text that starts with a bracket."""
    depth = 0
    for token in reversed(tokens):
        if isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)):
            depth += 1
        elif isinstance(token, (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken)):
            depth -= 1
            if depth == 0:
                return _quote_text(e, token.start_mark.line + 1, token.start_mark.column + 1)
    return e.line, e.column, _UNREADABLE


def _flow(e: _Error) -> _Said:
    """« expected ',' or ']' » and the like: a list [ ] or dictionary { } left open, or its items badly separated."""
    if e.start and e.char(*e.start) in ("[", "{") and e.start[0] < e.line:
        line, column = e.start
        sign = e.char(line, column)
        text = e.text_at(line)
        if sign == "[":
            opened = "le crochet « [ » ouvert ici n'est jamais refermé : fermez la liste par « ] »"
        else:
            opened = "l'accolade « { » ouverte ici n'est jamais refermée : fermez le dictionnaire par « } »"
        if "," in text[column:]:
            return line, column, f"{opened} : {_write(text.rstrip() + ('}' if sign == '{' else ']'))}"
        fix = _write(_with_quotes(text, column))
        return line, column, f"{opened} ; si c'est un texte qui commence par « {sign} », mettez-le entre guillemets : {fix}"
    return e.line, e.column, _FLOW


def _dash_after_key(e: _Error) -> _Said:
    """« sequence entries are not allowed here »: « - » after a key, on its line."""
    fix = _write(_with_quotes(e.text_at(e.line), e.column))
    message = (
        "« - » annonce un élément de liste, qui se place à la ligne suivante, indenté de 2 espaces de plus que la clé ; "
        f"un texte qui commence par « - » se met entre guillemets : {fix}"
    )
    return e.line, e.column, message


def _block_header(e: _Error) -> _Said:
    """« while scanning a block scalar »: text after « | » or « > », which must end their line."""
    line, column = e.start or (e.line, e.column)
    sign = e.char(line, column)
    fix = _write(_with_quotes(e.text_at(line), column))
    message = (
        f"« {sign} » annonce un texte sur plusieurs lignes et doit finir sa ligne : écrivez le texte aux lignes "
        f"suivantes, indenté de 2 espaces de plus que la clé ; un texte qui commence par « {sign} » se met entre "
        f"guillemets : {fix}"
    )
    return line, column, message


def _escape(e: _Error) -> _Said:
    """An unknown or incomplete escape between double quotes: PyYAML stops on the backslash or just after it."""
    text = e.text_at(e.line)
    backslash = text.rfind("\\", 0, e.column)
    if backslash < 0:
        return e.line, e.column, _UNREADABLE
    fix = _write(text[:backslash] + "\\" + text[backslash:])
    message = (
        f"« {text[backslash : backslash + 2]} » n'est pas un code d'échappement valide entre guillemets doubles : une "
        f"barre oblique inverse « \\ » s'y écrit deux fois, {fix}"
    )
    return e.line, backslash + 1, message


def _unicode_escape(e: _Error) -> _Said:
    backslash = e.text_at(e.line).rfind("\\", 0, e.column)
    return e.line, backslash + 1 if backslash >= 0 else e.column, _UNICODE_ESCAPE


def _document_start(e: _Error) -> _Said:
    """« expected '<document start>' »: a « ... » line ended the document, a « % » line began directives, or the
    first key is indented and a line less indented ends the file's only block."""
    for line in range(e.line, 0, -1):
        if e.text_at(line).startswith("..."):
            return line, 1, _DOCUMENT_END
        if e.text_at(line).startswith("%"):
            return line, 1, _DIRECTIVE
    first = next((number for number, text in enumerate(e.lines, start=1) if _holds_content(text)), 1)
    indent = _indent(e.text_at(first))
    if indent:
        message = f"la ligne {first} est indentée de {_spaces(indent)} : les clés du premier niveau ne le sont pas"
        return first, indent + 1, message
    return e.line, e.column, _UNREADABLE


def _directive(e: _Error) -> _Said:
    return (e.start[0] if e.start else e.line), 1, _DIRECTIVE


def _several_documents(e: _Error) -> _Said:
    return e.line, 1, _SEVERAL_DOCUMENTS


def _duplicate_anchor(e: _Error) -> _Said:
    name = re.match(r"&\S*", e.text_at(e.line)[e.column - 1 :])
    first = f" déjà définie ligne {e.start[0]}" if e.start else " définie deux fois"
    message = (
        f"ancre « {name.group() if name else '&'} »{first} : renommez-la ; un texte qui commence par « & » se met "
        "entre guillemets"
    )
    return e.line, e.column, message


# What PyYAML and libyaml say (in the context or the problem of their error), and the explanation; the first match
# wins. Their messages are in yaml/scanner.py, parser.py and composer.py, and in libyaml's scanner.c and parser.c.
_EXPLANATIONS: tuple[tuple[str, Callable[[_Error], _Said]], ...] = (
    ("invalid Unicode character escape", _unicode_escape),
    ("double-quoted scalar", _escape),  # PyYAML: an unknown escape, or \x, \u, \U without their hexadecimal digits
    ("while parsing a quoted scalar", _escape),  # libyaml's words for the same
    ("while scanning a quoted scalar", _unclosed_quote),  # the end of the file, or a « --- », before the quote closed
    ("mapping values are not allowed", _colon),
    ("could not find expected ':'", _missing_colon),
    ("found unexpected ':'", _flow),  # libyaml, in [a:]
    ("sequence entries are not allowed", _dash_after_key),
    ("mapping keys are not allowed", _sign_here),  # titre: ? a
    ("cannot start any token", _sign_here),  # @ ` and % inside a line
    ("found undefined alias", _sign_here),  # titre: *important
    ("while scanning an alias", _sign_at_start),
    ("while scanning an anchor", _sign_at_start),
    ("found duplicate anchor", _duplicate_anchor),
    ("while scanning a block scalar", _block_header),
    ("directive", _directive),  # % at the start of a line: %YAML, %TAG or unknown
    ("duplicate tag handle", _directive),
    ("incompatible YAML document", _directive),
    (" tag", _sign_at_start),  # while scanning (parsing) a tag, found undefined tag handle: a text starting with !
    ("<document start>", _document_start),
    ("a single document", _several_documents),
    ("while parsing a flow", _flow),  # flow sequence, flow mapping, flow node
    ("node content", _sign_here),  # titre: , a
    ("expected key", _unexpected),  # libyaml
    ("'-' indicator", _unexpected),  # libyaml
    ("<block end>", _unexpected),  # PyYAML
)


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
