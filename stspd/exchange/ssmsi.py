"""The SSMSI's recorded-delinquency files read, streaming: one commune (or the communes of an EPCI) kept out of five
million rows, in the current and the older column layouts (see section 6 of the domain notes).

The files: `;`-separated, every field quoted, decimal comma, `NA` for a missing value, UTF-8 with or without a BOM,
plain or gzip. A withheld figure (`ndiff`) is a fact of its own, « secret »: never the département's mean that the
file carries in its place (`complement_info_*`), never a zero; a published 0 stays 0.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stspd import fr

SECRET = "secret"  # how a withheld figure is written in the project's YAML

# The commune-level indicators, in the order the SSMSI publishes them; others follow in the file's order.
ORDER = (
    "Violences physiques intrafamiliales",
    "Violences physiques hors cadre familial",
    "Violences sexuelles",
    "Vols avec armes",
    "Vols violents sans arme",
    "Vols sans violence contre des personnes",
    "Cambriolages de logement",
    "Vols de véhicule",
    "Vols dans les véhicules",
    "Vols d'accessoires sur véhicules",
    "Destructions et dégradations volontaires",
    "Escroqueries et fraudes aux moyens de paiement",
    "Trafic de stupéfiants",
    "Usage de stupéfiants",
    "Usage de stupéfiants (AFD)",
)
DWELLINGS = "Cambriolages de logement"  # its rate is per 1,000 dwellings, the others per 1,000 inhabitants


COMMUNES, DEPARTMENTS = "communes", "départements"  # what a file is: the commune base, or the département base


class SsmsiError(Exception):
    """The file is not an SSMSI file stspd can read: said in French, with the line where it is known."""


@dataclass(frozen=True)
class Layout:
    """Where each field is in one of the file's layouts (by column title, found in its header)."""

    code: str  # a regular expression: the code column's title changes with the geography's vintage
    year: str
    indicator: str
    unit: str
    count: str
    rate: str
    published: str | None  # the column saying diff / ndiff; None: every figure is published
    population: str
    dwellings: str
    two_digit_years: bool = False


LAYOUTS = {
    "communes": Layout(
        r"CODGEO_\d{4}",
        "annee",
        "indicateur",
        "unite_de_compte",
        "nombre",
        "taux_pour_mille",
        "est_diffuse",
        "insee_pop",
        "insee_log",
    ),
    "communes (éditions jusqu'à 2024)": Layout(
        r"CODGEO_\d{4}",
        "annee",
        "classe",
        "unité.de.compte",
        "faits",
        "tauxpourmille",
        "valeur.publiée",
        "POP",
        "LOG",
        two_digit_years=True,
    ),
    DEPARTMENTS: Layout(
        "Code_departement",
        "annee",
        "indicateur",
        "unite_de_compte",
        "nombre",
        "taux_pour_mille",
        None,
        "insee_pop",
        "insee_log",
    ),
}


@dataclass
class Series:
    """One indicator over the years: each place's count (or SECRET, or None: missing) and base, by year."""

    indicator: str
    unit: str
    rows: dict[int, list[tuple[float | str | None, float | None]]] = field(default_factory=dict)

    def count(self, year: int, places: int) -> float | str | None:
        """The count of the places together: SECRET when one is withheld, None when one is missing."""
        values = [count for count, _ in self.rows.get(year, [])]
        if len(values) < places or None in values:
            return SECRET if SECRET in values else None
        if SECRET in values:
            return SECRET
        return sum(v for v in values if isinstance(v, (int, float)))

    def base(self, year: int, places: int) -> float | None:
        bases = [base for _, base in self.rows.get(year, [])]
        return sum(b for b in bases if b is not None) if len(bases) == places and None not in bases else None

    def rate(self, year: int, places: int) -> float | str | None:
        """Per 1,000 inhabitants (dwellings for burglaries), from the counts and bases of the places together."""
        count, base = self.count(year, places), self.base(year, places)
        if count == SECRET or not isinstance(count, (int, float)) or not base:
            return count if count == SECRET else None
        return round(count * 1000 / base, 2)


@dataclass
class Extract:
    """What the file says of the places asked for: the series, the years, the file's layout and the places found."""

    layout: str
    series: dict[str, Series]
    years: list[int]
    found: set[str]


def open_text(path: Path) -> io.TextIOBase:
    """The file as text: gzip when it starts with gzip's magic number, a BOM dropped."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    raw = gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")  # noqa: SIM115 (closed with the wrapper)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def read(lines: Iterable[str], codes: set[str], wanted: str = COMMUNES) -> Extract:
    """Keep the rows of the places whose code is in `codes` (communes' INSEE codes, or a département's code), in
    a file that must be the `wanted` base (COMMUNES or DEPARTMENTS)."""
    iterator = iter(lines)
    header_line = next(iterator, None)
    if header_line is None:
        raise SsmsiError("le fichier est vide")
    header = next(csv.reader([header_line], delimiter=";"))
    name, layout, columns = _layout(header)
    if (name == DEPARTMENTS) != (wanted == DEPARTMENTS):
        # Said from its header, rather than « aucune ligne pour 45999 » after the whole file was read
        raise SsmsiError(_misplaced(name))
    first = columns[layout.code]
    series: dict[str, Series] = {}
    found: set[str] = set()
    prefixes = tuple(f'"{code}";' for code in codes) + tuple(f"{code};" for code in codes)
    for number, line in enumerate(iterator, start=2):
        # Most lines are other places: a look at the line's start, before any parsing, sets them aside.
        if first == 0 and not line.startswith(prefixes):
            continue
        fields = next(csv.reader([line], delimiter=";"), [])
        if not fields or fields[first] not in codes:
            continue
        if len(fields) != len(header):
            raise SsmsiError(f"ligne {number} : {len(fields)} champs, l'en-tête en annonce {len(header)}")
        found.add(fields[first])
        _add(series, fields, columns, layout, number)
    years = sorted({year for s in series.values() for year in s.rows})
    ordered = {key: series[key] for key in sorted(series, key=_rank)}
    return Extract(name, ordered, years, found)


def _layout(header: list[str]) -> tuple[str, Layout, dict[str, int]]:
    for name, layout in LAYOUTS.items():
        code = next((title for title in header if re.fullmatch(layout.code, title)), None)
        wanted = [layout.year, layout.indicator, layout.unit, layout.count, layout.rate, layout.population, layout.dwellings]
        if code and all(title in header for title in wanted + ([layout.published] if layout.published else [])):
            columns = {title: header.index(title) for title in wanted + ([layout.published] if layout.published else [])}
            columns[layout.code] = header.index(code)
            return name, layout, columns
    raise SsmsiError(
        "l'en-tête n'est pas celui d'un fichier du SSMSI (base communale « CODGEO_AAAA;annee;indicateur;… » "
        f"ou départementale « Code_departement;… ») : {';'.join(header[:6])}…"
    )


def _misplaced(name: str) -> str:
    if name == DEPARTMENTS:
        return (
            "c'est la base départementale (colonne « Code_departement ») : donnez-la avec --departement FICHIER, "
            "et en FICHIER la base communale (colonne « CODGEO_AAAA »)"
        )
    return (
        "c'est la base communale (colonne « CODGEO_AAAA ») : donnez-la en FICHIER ; --departement attend la base "
        "départementale (colonne « Code_departement »)"
    )


def _number(text: str, number: int, what: str) -> float | None:
    """« 12,5 » → 12.5 ; « NA » or empty → None."""
    if text in ("NA", ""):
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise SsmsiError(f"ligne {number} : {what} « {text} » n'est pas un nombre") from None
    return int(value) if value.is_integer() else value


def _add(series: dict[str, Series], fields: list[str], columns: dict[str, int], layout: Layout, number: int) -> None:
    indicator = fields[columns[layout.indicator]].strip()
    year_text = fields[columns[layout.year]].strip()
    if not year_text.isdigit():
        raise SsmsiError(f"ligne {number} : l'année « {year_text} » n'est pas une année")
    year = int(year_text) + (2000 if layout.two_digit_years and len(year_text) <= 2 else 0)
    entry = series.setdefault(indicator, Series(indicator, fields[columns[layout.unit]].strip()))
    withheld = layout.published is not None and fields[columns[layout.published]].strip().lower() == "ndiff"
    count = SECRET if withheld else _number(fields[columns[layout.count]], number, "le nombre")
    base = _number(fields[columns[layout.dwellings if indicator == DWELLINGS else layout.population]], number, "la population")
    entry.rows.setdefault(year, []).append((count, base))


def _rank(indicator: str) -> tuple[int, str]:
    return (ORDER.index(indicator), "") if indicator in ORDER else (len(ORDER), indicator)


def stream(path: Path) -> Iterator[str]:
    """The file's lines, read as it goes (the whole file is never in memory). A file cut short, a damaged archive
    or a text not in UTF-8 is an SsmsiError said in French with the line reached, never Python's English."""
    number = 0
    try:
        with open_text(path) as handle:
            for number, line in enumerate(handle, start=1):
                yield line
    except EOFError:
        raise SsmsiError(
            f"le fichier compressé s'arrête avant sa fin (ligne {fr.number(number + 1)}) : son téléchargement a été "
            "interrompu ; téléchargez-le à nouveau"
        ) from None
    except (zlib.error, gzip.BadGzipFile):
        raise SsmsiError(f"le fichier compressé est abîmé (ligne {fr.number(number + 1)}) : téléchargez-le à nouveau") from None
    except UnicodeDecodeError as error:
        raise SsmsiError(_not_utf8(path, number + 1, error)) from None


def _not_utf8(path: Path, reached: int, error: UnicodeDecodeError) -> str:
    """Where the first byte that is not UTF-8 stands: the text is decoded by blocks, ahead of the lines read, so
    the file is read again, line by line as bytes, to find it (only on this failure)."""
    line, byte = reached, error.object[error.start]
    try:
        with path.open("rb") as probe:
            gzipped = probe.read(2) == b"\x1f\x8b"
        with gzip.open(path, "rb") if gzipped else path.open("rb") as raw:
            for number, data in enumerate(raw, start=1):
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError as found:
                    line, byte = number, found.object[found.start]
                    break
    except (OSError, EOFError, zlib.error):
        pass  # the line reached is said
    return (
        f"ligne {fr.number(line)} : caractère non UTF-8 (octet 0x{byte:02X}, « {bytes([byte]).decode('cp1252', 'replace')} » "
        "en Windows-1252) : le fichier a été enregistré dans un autre encodage ; enregistrez le fichier en UTF-8"
    )
