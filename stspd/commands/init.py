"""`stspd init`: a new project that validates as it is, with its schemas beside it for the editor; or a copy of
the bundled example (Valmont-sur-Loire) to learn from.

The options are checked here, before anything is written, against the bounds of the schemas: what `init` writes
passes `stspd validate` whatever name and period it was given, or `init` says at once what is wrong.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path, PurePosixPath

from stspd.check import schemas
from stspd.commands.errors import Misuse
from stspd.output.atomic import write_all
from stspd.render.markdown_syntax import headings
from stspd.resources import data_dir, resource_dir

KINDS = ("commune", "epci")
EXAMPLE = "valmont"  # the bundled sample that `create_example` copies (samples/valmont, or stspd/samples/valmont)

# template in data/init → where it goes in the project
_FILES = {
    "strategie.yaml.j2": "strategie.yaml",
    "diagnostic.yaml.j2": "diagnostic.yaml",
    "fiche.yaml.j2": "actions/1.1.1.yaml",
    "gitignore.j2": ".gitignore",
}
# evaluations/ is empty until the first yearly bilan, referentiels/ until the town adds a frame (its plan
# départemental, the published national text): git keeps no empty folder, so each gets a hidden file (which stspd
# never reads).
_KEEP = ("evaluations/.gitkeep", "referentiels/.gitkeep")

_PERIOD = re.compile(r"\s*([0-9]{4})\s*[-–/]\s*([0-9]{4})\s*")
# Control characters (tab and line feed included: a name holds one line), invisible format characters (bidirectional
# marks, zero widths, BOM), lone surrogates (bytes the terminal could not decode), private use and unassigned
# characters, line and paragraph separators (YAML would fold them into a space).
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_MODELINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")


def create_project(folder: Path, *, territoire: str, periode: str, kind: str = "commune") -> list[Path]:
    """Write the project's files into `folder`, new or empty, for the period « AAAA-AAAA »; returns them.

    `kind` is « commune » (a CLSPD) or « epci » (an intercommunality's CISPD). Raises Misuse, before writing
    anything, for a name or a period the written project could not validate with, or a folder that is not empty."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    name = check_territoire(territoire)
    debut, fin = check_periode(periode)
    if kind not in KINDS:
        raise Misuse(f"--type attend « commune » (CLSPD) ou « epci » (CISPD), pas « {_shown(kind)} »")
    _refuse_if_not_empty(folder, "stspd init")

    env = Environment(
        loader=FileSystemLoader(data_dir() / "init"),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yamlstr"] = lambda value: json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string
    context = {
        "territoire": name,
        "debut": debut,
        "fin": fin,
        "type": kind,
        "epci": kind == "epci",
        "folder": _in_comment(str(folder)),
    }
    files = {folder / target: env.get_template(template).render(context).encode("utf-8") for template, target in _FILES.items()}
    files.update({folder / keep: b"" for keep in _KEEP})
    files.update(_schema_files(folder / "schemas"))
    return write_all(files)


def create_example(folder: Path) -> list[Path]:
    """Copy the bundled example project into `folder`, new or empty, with the schemas and a .gitignore as
    `create_project` writes them; returns the files written. Each file's schema line points to the copy's schemas/."""
    _refuse_if_not_empty(folder, "stspd init --exemple")
    sample = example_dir()
    files: dict[Path, bytes] = {}
    for path in sorted(sample.rglob("*")):
        if not path.is_file() or any(part.startswith(".") or part == "__pycache__" for part in path.relative_to(sample).parts):
            continue
        relative = path.relative_to(sample)
        data = path.read_bytes()
        if path.suffix in (".yaml", ".yml"):
            data = _point_to_local_schemas(data.decode("utf-8"), relative).encode("utf-8")
        files[folder / relative] = data
    files[folder / ".gitignore"] = (data_dir() / "init" / "gitignore.j2").read_bytes()
    files.update(_schema_files(folder / "schemas"))
    return write_all(files)


def example_dir() -> Path:
    """The bundled example: inside the installed wheel, else at the repository's top."""
    return resource_dir("samples") / EXAMPLE


def check_territoire(territoire: str) -> str:
    """The name, without the spaces around it, if the schema accepts it; else Misuse, in French."""
    for position, character in enumerate(territoire, start=1):
        if unicodedata.category(character) in _REFUSED_CATEGORIES:
            raise Misuse(
                f"--territoire contient un caractère invisible ou de contrôle (U+{ord(character):04X}, en position "
                f"{position}) : écrivez le nom sur une seule ligne, sans ce caractère"
            )
    name = territoire.strip()
    if headings(name):  # the check of short texts would refuse it: said now, before anything is written
        raise Misuse(f"--territoire « {_shown(name)} » se lirait comme un titre : écrivez le nom sans « # » au début")
    if not name:
        raise Misuse("--territoire est vide : indiquez le nom de la commune ou de l'intercommunalité, ex. « Villeneuve-sur-Lot »")
    longest = schemas.load(schemas.SHARED)["$defs"]["nom"]["maxLength"]
    if len(name) > longest:
        raise Misuse(f"--territoire a {len(name)} caractères : {longest} au plus (le nom de la commune ou de l'EPCI)")
    return name


def check_periode(periode: str) -> tuple[int, int]:
    """The first and last years of « AAAA-AAAA », if the schema accepts them; else Misuse, in French."""
    if not periode.strip():
        raise Misuse("--periode est vide : indiquez deux années AAAA-AAAA, ex. 2025-2030")
    match = _PERIOD.fullmatch(periode)
    if not match:
        raise Misuse(f"--periode attend deux années AAAA-AAAA, ex. 2025-2030 (reçu « {_shown(periode)} »)")
    debut, fin = int(match.group(1)), int(match.group(2))
    year = schemas.load(schemas.SHARED)["$defs"]["annee"]
    lowest, highest = year["minimum"], year["maximum"]
    for value in (debut, fin):
        if not lowest <= value <= highest:
            raise Misuse(f"--periode : l'année {value} est hors des années admises ({lowest} à {highest})")
    if debut > fin:
        raise Misuse(f"--periode attend deux années dans l'ordre, ex. 2025-2030 : la fin ({fin}) précède le début ({debut})")
    return debut, fin


def write_schemas(folder: Path) -> list[Path]:
    return write_all(_schema_files(folder))


def _schema_files(folder: Path) -> dict[Path, bytes]:
    return {folder / schemas.schema_path(name).name: schemas.schema_path(name).read_bytes() for name in schemas.names()}


def _refuse_if_not_empty(folder: Path, command: str) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise Misuse(f"« {_shown(str(folder))} » existe et n'est pas vide : {command} ne remplace aucun fichier")


def _point_to_local_schemas(text: str, relative: Path) -> str:
    """`text` whose first-line schema declaration names the copy's schemas/ folder, seen from the file `relative`."""
    first, _, rest = text.partition("\n")
    match = _MODELINE.fullmatch(first)
    if not match:
        return text
    name = PurePosixPath(match.group(1)).name
    if name.removesuffix(".schema.json") not in schemas.names():
        return text
    up = "../" * (len(relative.parts) - 1)
    return f"# yaml-language-server: $schema={up}schemas/{name}\n{rest}"


def _shown(text: str) -> str:
    """`text` as it can be said in a message: what would not print (a control character, a bidirectional mark)
    shown by its code."""
    return "".join(c if c.isprintable() else f"U+{ord(c):04X}" for c in text)


def _in_comment(text: str) -> str:
    """A folder's name as a YAML comment can hold it: on one line, nothing invisible."""
    return "".join(c if unicodedata.category(c) not in _REFUSED_CATEGORIES else "?" for c in text)
