"""`stspd referentiels`: the frames a project may point to, and the move of its links from one frame to another.

The move edits the YAML's text where each link stands (its values, a key added or taken away, a link added beside
it): the comments, the order and the layout of the files stay as the town wrote them. A file is rewritten only
when the text read back gives the links expected, and only when no problem was found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from stspd.check import schema, schemas
from stspd.check.rules.national_measures import links
from stspd.check.validation import validate
from stspd.commands.errors import BuildError, InvalidProject, Misuse
from stspd.load import catalogue
from stspd.load.document import Document, parse_document
from stspd.load.project import MAX_YAML_BYTES, Project, Refused, read_inside
from stspd.output.atomic import write_all
from stspd.problems import Problem, ProblemError

RULE = "correspondance"


@dataclass
class Listing:
    """The frames of a project (or the shipped ones, without a project), and its frame files that are not used."""

    frames: list[catalogue.Frame]
    problems: list[Problem]


def list_frames(root: Path | None) -> Listing:
    if root is None:
        return Listing(list(catalogue.shipped_frames().values()), [])
    result = validate(root)
    # By place, not by the frames read: a file that could not be read at all (its YAML, a NUL byte) is no frame,
    # and its problem is the one the town most needs to see.
    folder = root / "referentiels"
    own = [p for p in result.errors if Path(p.file) == folder or Path(p.file).parent == folder]
    return Listing(list(catalogue.frames(result.project).values()), own)


def frame_lines(frame: catalogue.Frame) -> list[str]:
    """A frame as `stspd referentiels` prints it."""
    status = "provisoire" if frame.provisoire else "publié"
    lines = [
        f"{frame.id} · {frame.titre}",
        f"  {catalogue.KIND_LABELS[frame.type]}, {frame.debut}-{frame.fin}, {status} ; {frame.origine}",
        f"  Source : {frame.source}",
    ]
    for number, title in frame.axes.items():
        lines.append(f"  Axe {number} · {title}")
        lines += [f"    {m}. {t}" for m, (axe, t) in frame.mesures.items() if axe == number]
    if frame.nombre_mesures and not frame.complete:
        lines.append(f"  {frame.nombre_mesures} mesures, dont {len(frame.mesures)} de titre connu")
    return lines


def frame_json(frame: catalogue.Frame) -> dict:
    return {
        "id": frame.id,
        "titre": frame.titre,
        "titre_court": frame.titre_court,
        "type": frame.type,
        "statut": frame.statut,
        "periode": {"debut": frame.debut, "fin": frame.fin},
        "source": frame.source,
        "origine": frame.origine,
        "nombre_mesures": frame.nombre_mesures,
        "axes": [
            {
                "numero": number,
                "titre": title,
                "mesures": [{"numero": m, "titre": t} for m, (axe, t) in frame.mesures.items() if axe == number],
            }
            for number, title in frame.axes.items()
        ],
    }


# The move


@dataclass
class Migration:
    """What a move did or would do: a line per link rewritten, per link removed (it would repeat one before it in
    its list), per link left as it was; the files written."""

    rewritten: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # the rewritten and the removed, in the order of the files

    def rewrite(self, line: str) -> None:
        self.rewritten.append(line)
        self.changes.append(line)

    def remove(self, line: str) -> None:
        self.removed.append(line)
        self.changes.append(line)


Target = tuple[int, int | None]  # an axe, and a measure or None for the axe as a whole


def migrate(root: Path, mapping_file: Path, dry_run: bool) -> Migration:
    """Move every link of the project from the mapping's old frame to its new one; with `dry_run`, write nothing.

    Two old links often become one new one (measures 4 and 5 of axe 1 both become axe 1): the first is kept, the
    others are removed and said, lest the document print « Axe 1 ; Axe 1 ».
    Raises Misuse (a mapping file that cannot be read) or InvalidProject (the project's or the mapping's problems)."""
    project, problems = _valid_project(root)
    mapping = _read_mapping(mapping_file)
    frames = catalogue.frames(project)
    found = list(schema.check(mapping, schemas.MAPPING, root))
    if not found:
        found = list(_mapping_problems(mapping, frames))
    if problems or found:
        raise InvalidProject(problems + found)
    old, new = mapping.data["de"], mapping.data["vers"]
    table = {
        _old_key(entry): [(t["axe"], t.get("mesure")) for t in entry["nouveau"]] for entry in mapping.data["correspondances"]
    }
    migration = Migration()
    files: dict[Path, bytes] = {}
    edited: dict[str, tuple[Document, list[_Edit]]] = {}
    expected: dict[str, dict[tuple, list]] = {}  # file → where a list of links stands → the list it must become
    for document, path, owner in links(project):
        if owner.get("mesures_nationales"):
            edits = edited.setdefault(document.display, (document, []))[1]
            becomes = expected.setdefault(document.display, {})[path] = []
            edits += _move_list(document, path, owner["mesures_nationales"], (old, new, table), becomes, migration)
    for document, edits in edited.values():
        if edits:
            text = _checked(document, _apply(document, edits), expected[document.display])
            files[document.path] = text.encode("utf-8")
    if not dry_run:
        migration.written = write_all(files)
    return migration


def _move_list(
    document: Document,
    path: tuple,
    links: list[dict],
    move: tuple[str, str, dict[Target, list[Target]]],
    becomes: list[dict],
    migration: Migration,
) -> list[_Edit]:
    """The edits of one list of links, which `becomes` receives as it must read after them; each said."""
    old, new, table = move
    edits: list[_Edit] = []
    seen: dict[tuple, tuple[int, int]] = {}  # a link of the list as it becomes → the index and line of its first place
    for i, link in enumerate(links):
        here = path + ("mesures_nationales", i)
        line, _ = document.mark(here)
        where = f"{document.display}, ligne {line}"
        before = _label(link["strategie"], link["axe"], link.get("mesure"))
        targets = table.get((link["axe"], link.get("mesure"))) or table.get((link["axe"], None))
        if link["strategie"] != old or targets is None:
            if link["strategie"] == old:
                migration.unmapped.append(f"{where} : {before} : aucune correspondance, lien laissé tel quel")
            first, first_line = seen.setdefault(_link_key(link), (i, line))
            if first == i:
                becomes.append(link)
            else:  # a link of the new frame already there, which an earlier rewritten one now repeats
                migration.remove(f"{where} : {before} répète après réécriture celui de la ligne {first_line} : lien retiré")
                edits.append(_remove_item(document, here))
            continue
        kept = [t for t in targets if seen.setdefault((new, *t), (i, line))[0] == i]
        becomes += [{"strategie": new, "axe": a} | ({"mesure": m} if m else {}) for a, m in kept]
        by_axe = link.get("mesure") is not None and (link["axe"], link["mesure"]) not in table
        after = " et ".join(_label(new, *target) for target in targets)
        said = f"{where} : {before} → {after}" + (" (par la correspondance de son axe)" if by_axe else "")
        if not kept:
            migration.remove(f"{said}, déjà ligne {seen[(new, *targets[0])][1]} : lien retiré")
            edits.append(_remove_item(document, here))
            continue
        repeated = [t for t in targets if t not in kept]
        said += "".join(f" ; {_label(new, *t)}, déjà ligne {seen[(new, *t)][1]}, n'est pas répété" for t in repeated)
        migration.rewrite(said)
        edits += _edits(document, here, new, kept)
    return edits


def _old_key(entry: dict) -> Target:
    return entry["ancien"]["axe"], entry["ancien"].get("mesure")


def _link_key(link: dict) -> tuple:
    return link["strategie"], link["axe"], link.get("mesure")


def _valid_project(root: Path) -> tuple[Project, list[Problem]]:
    result = validate(root)
    return result.project, result.errors


def _read_mapping(path: Path) -> Document:
    try:
        raw = read_inside(path.parent, path, MAX_YAML_BYTES)
    except Refused as error:
        raise Misuse(f"le fichier de correspondance « {path} » : {error}") from None
    try:
        return parse_document(raw, path, str(path))
    except ProblemError as error:
        raise InvalidProject([error.problem]) from None


def _mapping_problems(mapping: Document, frames: dict[str, catalogue.Frame]) -> list[Problem]:
    """The mapping's frames exist, and so do the axes and measures it names in each."""
    found: list[Problem] = []
    data = mapping.data
    for key in ("de", "vers"):
        if data[key] not in frames:
            found.append(mapping.problem((key,), RULE, f"référentiel inconnu « {data[key]} » (connus : {', '.join(frames)})"))
    if found:
        return found
    first: dict[Target, int] = {}  # an old axe or measure → the line of its correspondence
    for i, entry in enumerate(data["correspondances"]):
        here = ("correspondances", i, "ancien")
        line = first.setdefault(_old_key(entry), mapping.mark(here)[0])
        if line != mapping.mark(here)[0]:
            found.append(
                mapping.problem(
                    here,
                    RULE,
                    f"{_label(data['de'], *_old_key(entry))} a déjà sa correspondance ligne {line} : "
                    "réunissez leurs « nouveau » dans une seule entrée, ou retirez celle-ci",
                )
            )
        found += _target_problems(mapping, ("correspondances", i, "ancien"), frames[data["de"]], entry["ancien"])
        for j, target in enumerate(entry["nouveau"]):
            found += _target_problems(mapping, ("correspondances", i, "nouveau", j), frames[data["vers"]], target)
    return found


def _target_problems(mapping: Document, path: tuple, frame: catalogue.Frame, target: dict) -> list[Problem]:
    axe, measure = target["axe"], target.get("mesure")
    if axe not in frame.axes:
        return [mapping.problem(path + ("axe",), RULE, f"le référentiel « {frame.id} » n'a pas d'axe {axe}")]
    owner = frame.axe_of(measure) if measure else None
    if measure and (measure > frame.highest or (owner is None and frame.complete) or owner not in (None, axe)):
        return [
            mapping.problem(
                path + ("mesure",), RULE, f"le référentiel « {frame.id} » n'a pas de mesure {measure} dans l'axe {axe}"
            )
        ]
    return []


def _label(frame: str, axe: int, measure: int | None) -> str:
    return f"{frame} axe {axe}" + (f" mesure {measure}" if measure else "")


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    text: str


def _edits(document: Document, here: tuple, frame: str, targets: list[Target]) -> list[_Edit]:
    """The link at `here` becomes the first target, in place; the others are added after it, in its style."""
    node = document.node(here)
    assert isinstance(node, yaml.MappingNode)  # a valid project: a link is a mapping
    values = {key.value: value for key, value in node.value}
    (axe, measure), others = targets[0], targets[1:]
    edits = [_replace(values["strategie"], frame), _replace(values["axe"], str(axe))]
    if "mesure" in values and measure is None:
        edits.append(_remove(document, node, "mesure"))
    elif "mesure" in values:
        edits.append(_replace(values["mesure"], str(measure)))
    elif measure is not None:
        edits.append(_insert_after(document, node, values["axe"], f"mesure: {measure}"))
    if others:
        end = node.end_mark.index if node.flow_style else node.value[-1][1].end_mark.index
        added = [f"{{strategie: {frame}, axe: {a}" + (f", mesure: {m}" if m else "") + "}" for a, m in others]
        sequence = document.node(here[:-1])
        if getattr(sequence, "flow_style", False):
            edits.append(_Edit(end, end, "".join(f", {link}" for link in added)))
        else:
            dash = " " * _column_of_dash(document.text, node.start_mark.index)
            edits.append(_Edit(end, end, "".join(f"\n{dash}- {link}" for link in added)))
    return edits


def _replace(node: yaml.Node, text: str) -> _Edit:
    return _Edit(node.start_mark.index, node.end_mark.index, text)


def _remove(document: Document, node: yaml.MappingNode, key: str) -> _Edit:
    """Take the pair `key` away: from the end of the value before it, or, first, up to the key after it."""
    pairs = node.value
    position = next(i for i, (k, _) in enumerate(pairs) if k.value == key)
    if position > 0:
        return _Edit(pairs[position - 1][1].end_mark.index, pairs[position][1].end_mark.index, "")
    return _Edit(pairs[0][0].start_mark.index, pairs[1][0].start_mark.index, "")


def _remove_item(document: Document, here: tuple) -> _Edit:
    """Take the link at `here` out of its list: in a flow list, with the comma before it (never the first, which
    is kept); in a block list, its whole lines, from its « - » to the end of its last line."""
    node = document.node(here)
    assert isinstance(node, yaml.MappingNode)
    sequence = document.node(here[:-1])
    if getattr(sequence, "flow_style", False):
        previous = document.node(here[:-1] + (here[-1] - 1,))
        assert previous is not None
        return _Edit(previous.end_mark.index, node.end_mark.index, "")
    text = document.text
    end = node.end_mark.index if node.flow_style else node.value[-1][1].end_mark.index
    line_end = text.find("\n", end)
    start = text.rfind("\n", 0, node.start_mark.index) + 1
    return _Edit(start, len(text) if line_end < 0 else line_end + 1, "")


def _insert_after(document: Document, node: yaml.MappingNode, value: yaml.Node, pair: str) -> _Edit:
    at = value.end_mark.index
    if node.flow_style:
        return _Edit(at, at, f", {pair}")
    key = next(k for k, v in node.value if v is value)
    return _Edit(at, at, f"\n{' ' * key.start_mark.column}{pair}")


def _column_of_dash(text: str, index: int) -> int:
    """The column of the « - » that opens the list item starting at `index`."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.index("-", line_start) - line_start


def _apply(document: Document, edits: list[_Edit]) -> str:
    text = document.text
    # From the end, so that each edit's place still holds; of two at one place, the removal first, then the insertion
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        added = edit.text.replace("\n", "\r\n") if "\r\n" in text else edit.text  # the file's own line ends
        text = text[: edit.start] + added + text[edit.end :]
    return text


def _checked(document: Document, text: str, expected: dict[tuple, list]) -> str:
    """`text`, once read back: its links are those expected and nothing else changed; else nothing is written."""
    data = parse_document(text.encode("utf-8"), document.path, document.display).data
    before = document.data
    for path, wanted in expected.items():
        owner, old_owner = _at(data, path), _at(before, path)
        if owner.get("mesures_nationales") != wanted:
            break
        owner["mesures_nationales"] = old_owner["mesures_nationales"]
    else:
        if data == before:
            return text
    raise BuildError(f"la réécriture de {document.display} ne donne pas les liens attendus ; signalez-le")


def _at(data, path: tuple):
    for part in path:
        data = data[part]
    return data
