"""`stspd doctor`: what each output needs, whether this machine has it, and what a missing piece disables."""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from stspd import __version__
from stspd.resources import data_dir, resource_dir

# Fonts of the same measures that a reader's system puts in the place of those the documents name: with one of
# them, the pages fall as they were made.
SUBSTITUTES = {
    "Calibri": ("Carlito",),
    "Cambria": ("Caladea",),
    "Arial": ("Liberation Sans",),
    "Times New Roman": ("Liberation Serif",),
    "Courier New": ("Liberation Mono",),
    "StarSymbol": ("OpenSymbol",),  # LibreOffice's own bullets, under its later name
}
TYPST_OWN = ("Libertinus Serif", "New Computer Modern", "New Computer Modern Math", "DejaVu Sans Mono")


@dataclass(frozen=True)
class Check:
    what: str  # the piece
    found: str | None  # its version or place; None: missing
    serves: str  # what it is for
    without: str  # what its absence disables, said when it is missing
    needed: bool = True  # needed to make a document (else only to read one)
    unchecked: str | None = None  # why it could not be looked for: neither found nor said missing


def checks() -> list[Check]:
    return [
        Check("Python", sys.version.split()[0], "stspd lui-même", ""),
        Check("stspd", __version__, "toutes les commandes", ""),
        Check("pandoc", _pandoc(), "DOCX, ODT, HTML, Markdown et la source du PDF", "aucun document ne peut être produit"),
        Check("Typst", _package("typst"), "le PDF", "le PDF ne peut pas être produit (les autres formats si)"),
        *_pdf_font_checks(),
        *_document_font_checks(),
        Check(
            "LibreOffice",
            shutil.which("soffice") or shutil.which("libreoffice"),
            "lire les ODT et DOCX, avec les numéros de page du sommaire (pas nécessaire pour les produire)",
            "rien pour stspd ; les lecteurs ouvrent les documents avec leur propre logiciel",
            needed=False,
        ),
    ]


def _pdf_font_checks() -> list[Check]:
    """Each font the Typst templates name: Typst reads only stspd's fonts and its own (never the system's)."""
    shipped = _shipped_fonts()
    found = []
    for family in _typst_fonts():
        files = shipped.get(family, [])
        have = f"{len(files)} fichier{'s' if len(files) > 1 else ''} dans {data_dir() / 'fonts'}" if files else None
        found.append(
            Check(
                f"{family} (fournie, pour le PDF)",
                have or ("police de Typst" if family in TYPST_OWN else None),
                "la police du PDF" + (", aux mesures de Calibri" if family == "Carlito" else ""),
                "le PDF prendrait une police de Typst",
            )
        )
    return found


def _document_font_checks() -> list[Check]:
    """Each font the reference DOCX and ODT styles name, looked for on this machine (or one of the same measures)."""
    where: dict[str, list[str]] = {}
    for kind, families in (("DOCX", _docx_fonts()), ("ODT", _odt_fonts())):
        for family in families:
            where.setdefault(family, []).append(kind)
    installed = _system_families()
    found = []
    for family in sorted(where):
        names = (family, *SUBSTITUTES.get(family, ()))
        have = None if installed is None else ", ".join(n for n in names if n in installed) or None
        found.append(
            Check(
                f"{' ou '.join(names)} sur cette machine",
                have,
                f"lire les {' et '.join(where[family])} avec leur mise en page (pas nécessaire pour les produire)",
                f"à l'écran, une autre police remplace {family} et les pages tombent autrement",
                needed=False,
                unchecked=None if installed is not None else "fc-list (fontconfig) n'est pas sur cette machine",
            )
        )
    return found


def _typst_fonts() -> list[str]:
    """The families the .typ templates set (« font: "Carlito" », « font: ("A", "B") »), in their order."""
    families: list[str] = []
    for path in sorted(resource_dir("templates").glob("*.typ")):
        for value in re.findall(r"\bfont:\s*(\([^)]*\)|\"[^\"]*\")", path.read_text(encoding="utf-8")):
            families += [name for name in re.findall(r'"([^"]+)"', value) if name not in families]
    return families


def _shipped_fonts() -> dict[str, list[str]]:
    """The fonts shipped with stspd, by family as their files name it (not as their file names say)."""
    from PIL import ImageFont

    families: dict[str, list[str]] = {}
    for path in sorted((data_dir() / "fonts").glob("*.[ot]tf")):
        try:
            family = ImageFont.truetype(str(path), 10).getname()[0]
        except OSError:  # a damaged file is no font
            continue
        if family:
            families.setdefault(family, []).append(path.name)
    return families


def _docx_fonts() -> set[str]:
    return _fonts_in(
        resource_dir("templates") / "reference.docx",
        {"word/styles.xml": r'w:(?:ascii|hAnsi)="([^"]+)"', "word/theme/theme1.xml": r'<a:latin typeface="([^"]+)"'},
    )


def _odt_fonts() -> set[str]:
    return _fonts_in(resource_dir("templates") / "reference.odt", {"styles.xml": r'style:font-name="([^"]+)"'})


def _fonts_in(archive: Path, patterns: dict[str, str]) -> set[str]:
    """The font names the patterns find in the archive's XML files; none from a file that cannot be read."""
    found: set[str] = set()
    try:
        with zipfile.ZipFile(archive) as document:
            for member, pattern in patterns.items():
                if member in document.namelist():
                    found.update(re.findall(pattern, document.read(member).decode("utf-8", "replace")))
    except (OSError, zipfile.BadZipFile):
        return set()
    return {name for name in found if name and not name.startswith("+")}  # « +mn-lt »: a theme's slot, not a font


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


def _system_families() -> set[str] | None:
    """The font families this machine has, by fontconfig; None when it cannot be asked."""
    if not shutil.which("fc-list"):
        return None
    try:
        listed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if listed.returncode != 0:
        return None
    return {name.strip() for line in listed.stdout.splitlines() for name in line.split(",")}
