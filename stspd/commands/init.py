"""`stspd init`: a new project that validates as it is, with its schemas beside it for the editor."""

from __future__ import annotations

import json
import re
from pathlib import Path

from stspd.check import schemas
from stspd.commands.errors import Misuse
from stspd.output.atomic import write_text
from stspd.resources import data_dir

# template in data/init → where it goes in the project
_FILES = {
    "strategie.yaml.j2": "strategie.yaml",
    "diagnostic.yaml.j2": "diagnostic.yaml",
    "fiche.yaml.j2": "actions/1.1.1.yaml",
}


def create_project(folder: Path, *, territoire: str, periode: str, kind: str) -> list[Path]:
    """Write the project's files into `folder`, new or empty, for the period « AAAA-AAAA »; returns them."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    match = re.fullmatch(r"\s*(\d{4})\s*[-–/]\s*(\d{4})\s*", periode)
    if not match or int(match.group(1)) > int(match.group(2)):
        raise Misuse(f"--periode attend deux années dans l'ordre, ex. 2025-2030 (reçu « {periode} »)")
    debut, fin = int(match.group(1)), int(match.group(2))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise Misuse(f"« {folder} » existe et n'est pas vide : stspd init ne remplace aucun fichier")

    env = Environment(loader=FileSystemLoader(data_dir() / "init"), undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["yamlstr"] = lambda value: json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string
    context = {"territoire": territoire, "debut": debut, "fin": fin, "type": kind, "folder": str(folder)}
    written = []
    for template, target in _FILES.items():
        path = folder / target
        write_text(path, env.get_template(template).render(context))
        written.append(path)
    (folder / "evaluations").mkdir(exist_ok=True)
    written.extend(write_schemas(folder / "schemas"))
    return written


def write_schemas(folder: Path) -> list[Path]:
    written = []
    for name in schemas.names():
        path = folder / schemas.schema_path(name).name
        write_text(path, schemas.schema_path(name).read_text(encoding="utf-8"))
        written.append(path)
    return written
