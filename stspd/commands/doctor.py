"""`stspd doctor`: what each output needs, whether this machine has it, and what a missing piece disables."""

from __future__ import annotations

import importlib.metadata
import shutil
import subprocess
import sys
from dataclasses import dataclass

from stspd import __version__
from stspd.resources import data_dir


@dataclass(frozen=True)
class Check:
    what: str  # the piece
    found: str | None  # its version or place; None: missing
    serves: str  # what it is for
    without: str  # what its absence disables, said when it is missing
    needed: bool = True  # needed to make a document (else only to read one)


def checks() -> list[Check]:
    return [
        Check("Python", sys.version.split()[0], "stspd lui-même", ""),
        Check("stspd", __version__, "toutes les commandes", ""),
        Check("pandoc", _pandoc(), "DOCX, ODT, HTML, Markdown et la source du PDF", "aucun document ne peut être produit"),
        Check("Typst", _package("typst"), "le PDF", "le PDF ne peut pas être produit (les autres formats si)"),
        Check(
            "Carlito (fournie)",
            _shipped_font(),
            "la police du PDF, aux mesures de Calibri",
            "le PDF prendrait une police de Typst",
        ),
        Check(
            "Calibri ou Carlito sur cette machine",
            _system_font(),
            "lire les DOCX et ODT avec leur mise en page (pas nécessaire pour les produire)",
            "à l'écran, une autre police remplace Calibri et les pages tombent autrement",
            needed=False,
        ),
        Check(
            "LibreOffice",
            shutil.which("soffice") or shutil.which("libreoffice"),
            "lire les ODT et DOCX, avec les numéros de page du sommaire (pas nécessaire pour les produire)",
            "rien pour stspd ; les lecteurs ouvrent les documents avec leur propre logiciel",
            needed=False,
        ),
    ]


def _pandoc() -> str | None:
    try:
        import pypandoc

        return f"{pypandoc.get_pandoc_version()} (pypandoc-binary {_package('pypandoc-binary')})"
    except (ImportError, OSError):
        return None


def _package(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _shipped_font() -> str | None:
    fonts = sorted(path.name for path in (data_dir() / "fonts").glob("Carlito-*.ttf"))
    return f"{len(fonts)} fichiers dans {data_dir() / 'fonts'}" if len(fonts) == 4 else None


def _system_font() -> str | None:
    if not shutil.which("fc-list"):
        return None
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    families = {name.strip() for line in listed.splitlines() for name in line.split(",")}
    found = [name for name in ("Calibri", "Carlito") if name in families]
    return ", ".join(found) or None
