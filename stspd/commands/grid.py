"""`stspd grid export`: the year's evaluation grid as DOCX, XLSX and CSV, written all or none."""

from __future__ import annotations

from pathlib import Path

from stspd.commands.valid import valid_model, year_in_period
from stspd.evaluation.grid import rows
from stspd.exchange.grid_files import to_csv, to_docx, to_xlsx
from stspd.output.atomic import write_all
from stspd.output.stamp import timestamp
from stspd.render.documents import find_template_file

FORMATS = ("docx", "xlsx", "csv")


def export_grid(root: Path, year: int, formats: tuple[str, ...], output: Path, paper: str) -> list[Path]:
    """Write grille-AAAA.<format> for each of `formats` into `output`, the DOCX on `paper` (a key of
    grid_layout.PAPERS; the XLSX prints on A3: grid_files.XLSX_PAPER); returns the files written."""
    _, view = valid_model(root)
    table = rows(view, year_in_period(view, year))
    title = f"Grille d'évaluation {year} · {view['territoire']['nom']}"
    iso = timestamp(view["strategie"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    makers = {
        "csv": lambda: to_csv(table),
        "xlsx": lambda: to_xlsx(table, title, iso),
        "docx": lambda: to_docx(table, title, find_template_file("reference.docx"), iso, paper),
    }
    return write_all({output / f"grille-{year}.{fmt}": makers[fmt]() for fmt in formats})
