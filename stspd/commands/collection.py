"""`stspd grid template` and `stspd grid import`: the collection workbook sent to the pilots, and what they typed
in it brought back into evaluations/AAAA.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stspd.commands.errors import Misuse, Refused
from stspd.commands.valid import valid_model, year_in_period


@dataclass(frozen=True)
class Collection:
    path: Path
    fiches: int
    sheets: int


def write_collection(
    root: Path, year: int, pilot: str | None, per_pilot: bool, output: Path | None, force: bool = False
) -> Collection:
    """Write the workbook of `year` (one sheet, or one per pilot, or only `pilot`'s fiches). An existing workbook,
    which a pilot may have filled in already, is replaced only with `force`."""
    from stspd.check.suggest import did_you_mean
    from stspd.exchange.collection import template
    from stspd.output.atomic import write_bytes
    from stspd.output.stamp import timestamp

    _, view = valid_model(root)
    year_in_period(view, year)
    fiches = view["fiches"]
    if pilot is not None:
        partners = {p["id"] for p in view["partenaires"]}
        if pilot not in partners:
            raise Misuse(f"--pilote : partenaire inconnu « {pilot} »{did_you_mean(pilot, partners)}")
        fiches = [f for f in fiches if f["pilote"] == pilot]
    if per_pilot or pilot is not None:
        names = dict.fromkeys(f["pilote_detail"]["nom"] for f in fiches)
        groups = [(name, [f for f in fiches if f["pilote_detail"]["nom"] == name]) for name in names]
    else:
        groups = [("Collecte", fiches)]
    path = output or Path(f"collecte-{year}.xlsx")
    if path.suffix.lower() != ".xlsx":
        raise Misuse(f"« {path} » : le classeur s'écrit au format Excel, son nom finit par .xlsx (ex. collecte-{year}.xlsx)")
    if path.exists() and not force:
        raise Misuse(
            f"« {path} » existe (un pilote l'a peut-être déjà rempli) : --force pour le remplacer, ou --sortie AUTRE.xlsx"
        )
    iso = timestamp(view["strategie"]).strftime("%Y-%m-%dT%H:%M:%SZ")
    write_bytes(path, template(view, year, groups, iso))
    return Collection(path, len(fiches), len(groups))


@dataclass(frozen=True)
class Imported:
    target: Path  # the evaluation file, written or to be written
    changes: list[str]  # in words, one per changed value; none: the file already says it all
    existed: bool
    written: bool  # False for --dry-run, and for an existing file without --force (never replaced unasked)


def import_collection(root: Path, workbook: Path, dry_run: bool, force: bool) -> Imported:
    """Merge what `workbook` holds into its year's evaluation file, once the whole project validates with it.

    Refused, with each problem at its sheet and cell, when the workbook or the merged file does not validate."""
    from stspd.exchange.collection import read
    from stspd.exchange.evaluation_file import changes, check, dump, merge
    from stspd.output.atomic import write_text

    if workbook.suffix.lower() != ".xlsx":
        raise Misuse(f"« {workbook} » n'est pas un classeur Excel (.xlsx) : enregistrez-le au format « Classeur Excel (.xlsx) »")
    project, view = valid_model(root)
    try:
        reading = read(workbook, view)
    except OSError:
        raise Misuse(f"« {workbook} » ne peut pas être lu (droits d'accès ?)") from None
    if reading.problems or reading.year is None:
        raise Refused(str(workbook), reading.problems)
    year = reading.year
    existing_doc = next((d for d in project.evaluations if d.data["annee"] == year), None)
    existing = existing_doc.data if existing_doc else None
    target = existing_doc.path if existing_doc else root / "evaluations" / f"{year}.yaml"
    merged = merge(existing, year, reading.entries)
    text = dump(merged, existing_doc.text if existing_doc else None)
    # The whole project is validated with the file as it would be written; each problem is put back at its cell.
    found = check(project, text, target)
    if found:
        where = f"Évaluation {year} une fois mise à jour"
        raise Refused(
            str(workbook),
            [f"{(reading.place(path, merged) if path is not None else None) or where} : {message}" for path, message in found],
        )
    differences = changes(existing, merged)
    write = bool(differences) and not dry_run and (force or existing_doc is None)
    if write:
        write_text(target, text)
    return Imported(target, differences, existing_doc is not None, write)
