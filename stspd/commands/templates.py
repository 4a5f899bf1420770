"""`stspd templates export`: stspd's templates copied for a town to adapt, no existing file replaced."""

from __future__ import annotations

from pathlib import Path

from stspd.commands.errors import Misuse
from stspd.output.atomic import write_bytes
from stspd.resources import resource_dir


def export_templates(folder: Path) -> list[Path]:
    """Copy every shipped template into `folder`; returns the files written."""
    files = sorted(p for p in resource_dir("templates").iterdir() if p.is_file())
    existing = [p.name for p in files if (folder / p.name).exists()]
    if existing:
        raise Misuse(f"{folder} contient déjà {', '.join(existing)} : stspd ne remplace aucun fichier")
    for path in files:
        write_bytes(folder / path.name, path.read_bytes())
    return [folder / path.name for path in files]
