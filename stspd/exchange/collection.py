"""The collection round trip with the pilots: a workbook out (`template`), the same layout back in (`read`).

The layout is the contract: identity columns are locked, input columns are open and validated, the year sits
on the instructions sheet. Reading never trusts the workbook: every problem names its sheet and cell.
"""

from __future__ import annotations

import io
import itertools
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Final, cast

from stspd import fr
from stspd.check.suggest import did_you_mean
from stspd.exchange.grid_files import keep_text, workbook_bytes
from stspd.model.types import (
    DocumentModel,
    EntryUpdate,
    Evaluation,
    EvaluationEntry,
    Fiche,
    Indicator,
    IndicatorValue,
    Period,
    Spending,
)
from stspd.model.vocabulary import ETATS, NEXT_STEPS

INSTRUCTIONS = "Mode d'emploi"
YEAR_CELL = "B3"


@dataclass(frozen=True)
class InputColumn:
    key: str
    title: str
    width: int
    editable: bool = False
    fiche_level: bool = False  # filled once per fiche, on its first row


def columns(year: int) -> list[InputColumn]:
    return [
        InputColumn("fiche", "N° fiche", 9),
        InputColumn("titre", "Fiche action", 34),
        InputColumn("pilote", "Pilote", 22),
        InputColumn("indicateur", "Indicateur (id)", 14),
        InputColumn("libelle", "Indicateur", 34),
        InputColumn("unite", "Unité", 10),
        InputColumn("reference", "Référence", 10),
        InputColumn("cible", "Cible", 10),
        InputColumn("precedente", f"Valeur {year - 1}", 11),
        InputColumn("etat", "État d'avancement", 16, True, True),
        InputColumn("realise", f"Réalisé en {year}", 40, True, True),
        InputColumn("valeur", f"Valeur {year}", 11, True),
        InputColumn("commentaire", "Commentaire sur la valeur", 26, True),
        InputColumn("montant", "Dépenses (€)", 12, True, True),
        InputColumn("dont_fipd", "dont FIPD (€)", 12, True, True),
        InputColumn("difficultes", "Difficultés", 30, True, True),
        InputColumn("suite", "Suite proposée", 14, True, True),
        InputColumn("suite_detail", "Prochaine étape", 30, True, True),
    ]


def _instructions(year: int, territory: str) -> list[str]:
    return [
        f"Collecte {year} de l'évaluation de la stratégie de sécurité et de prévention de la délinquance de {territory}",
        "",
        "Année évaluée",  # its value, in B3, tells the import which year this workbook is about
        "",
        "Comment remplir ce classeur",
        "1. Chaque feuille réunit les fiches actions d'un pilote (ou toutes les fiches). Une ligne par indicateur.",
        (
            "2. Les colonnes grisées (numéro, intitulé, indicateur, référence, cible, valeur de l'an dernier) sont "
            "verrouillées : ne les modifiez pas, l'import refuse une ligne dont l'identité a changé."
        ),
        "3. Remplissez les colonnes blanches. État d'avancement et suite proposée se choisissent dans une liste.",
        (
            "4. Les informations de la fiche (état, réalisé, dépenses, difficultés, suite) se saisissent sur sa "
            "première ligne seulement ; la valeur et son commentaire, sur chaque ligne d'indicateur."
        ),
        (
            "5. Un nombre s'écrit en chiffres (12 ou 12,5), sans unité. Laissez vide une valeur inconnue : elle reste "
            "« non renseignée », jamais zéro."
        ),
        "6. Ne renommez pas les feuilles ni les colonnes ; n'ajoutez pas de ligne.",
        "7. Renvoyez le classeur au coordonnateur du CLSPD, qui l'importe avec « stspd grid import ».",
        "",
        "Aucun nom de personne ni aucune situation individuelle : le bilan est un document public.",
    ]


@dataclass(frozen=True)
class Line:
    """One row of the collection: a fiche and one of its indicators (or none)."""

    fiche: Fiche
    indicator: Indicator | None
    first: bool  # the fiche's first row, which carries its fiche-level inputs


def lines(fiches: list[Fiche]) -> list[Line]:
    result: list[Line] = []
    for fiche in fiches:
        indicators: Sequence[Indicator | None] = fiche.get("indicateurs") or [None]
        result.extend(Line(fiche, indicator, index == 0) for index, indicator in enumerate(indicators))
    return result


def sheet_name(name: str, taken: set[str]) -> str:
    """A worksheet title: at most 31 characters, none of []:*?/\\, unique."""
    base = re.sub(r"[\[\]:*?/\\]", " ", name).strip()[:31] or "Feuille"
    candidate, number = base, 2
    while candidate.casefold() in taken:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(candidate.casefold())
    return candidate


def template(view: DocumentModel, year: int, groups: list[tuple[str, list[Fiche]]], iso_timestamp: str) -> bytes:
    """The collection workbook: instructions, then one sheet per group of fiches, prefilled with what is known."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from stspd.evaluation.compute import values_of

    evaluations = {e["annee"]: e for e in view["evaluations"]}
    current = evaluations.get(year, {"annee": year, "fiches": []})
    entries = {entry["fiche"]: entry for entry in current["fiches"]}
    values = {key: value for entry in current["fiches"] for key, value in _values_by_indicator(entry).items()}
    previous = values_of(evaluations.get(year - 1))
    cols = columns(year)

    workbook = Workbook()
    guide = workbook.active
    guide.title = INSTRUCTIONS
    for number, text in enumerate(_instructions(year, view["territoire"]["nom"]), start=1):
        guide.cell(number, 1, text)
    guide[YEAR_CELL] = year
    guide["A1"].font = Font(bold=True, size=13, color="1F3864")
    guide["A5"].font = Font(bold=True)
    guide.column_dimensions["A"].width = 110
    guide.protection.sheet = True
    keep_text(guide)

    locked_fill, header_fill = PatternFill("solid", fgColor="EDEDED"), PatternFill("solid", fgColor="1F3864")
    taken = {INSTRUCTIONS.casefold()}
    for name, fiches in groups:
        sheet = workbook.create_sheet(sheet_name(name, taken))
        sheet.append([c.title for c in cols])
        sheet_lines = lines(fiches)
        for line in sheet_lines:
            sheet.append(_row(line, cols, entries, values, previous))
        end = sheet.max_row
        label_column = next(index for index, col in enumerate(cols, start=1) if col.key == "libelle")
        for row, line in enumerate(sheet_lines, start=2):
            if line.indicator and line.indicator.get("commentaire"):
                # how the indicator is counted, where the pilot reads its name: a note, not a column, so that the
                # columns a returned workbook is read by stay where they were
                sheet.cell(row, label_column).comment = Comment(line.indicator["commentaire"], "stspd", width=320, height=80)
        for index, col in enumerate(cols, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = col.width
            header = sheet.cell(1, index)
            header.font, header.fill = Font(bold=True, color="FFFFFF"), header_fill
            header.alignment = Alignment(wrap_text=True, vertical="center")
            for row in range(2, end + 1):
                cell = sheet.cell(row, index)
                open_here = col.editable and (not col.fiche_level or sheet_lines[row - 2].first)
                cell.protection = Protection(locked=not open_here)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                if not open_here:
                    cell.fill = locked_fill
        _validations(sheet, cols, end, DataValidation, get_column_letter)
        keep_text(sheet)  # a title or a pilot's text starting with « = » stays text, never a formula
        sheet.freeze_panes = "C2"
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False  # widths may still be changed
        sheet.protection.autoFilter = False
    return workbook_bytes(workbook, iso_timestamp)


def _values_by_indicator(entry: EvaluationEntry) -> dict[tuple[str, str], IndicatorValue]:
    return {(entry["fiche"], value["id"]): value for value in entry.get("indicateurs", [])}


def _row(
    line: Line,
    cols: list[InputColumn],
    entries: dict[str, EvaluationEntry],
    values: dict[tuple[str, str], IndicatorValue],
    previous: dict[tuple[str, str], float | None],
) -> list:
    fiche, indicator = line.fiche, line.indicator
    entry: EvaluationEntry | dict[str, Any] = entries.get(fiche["id"], {}) if line.first else {}
    known: IndicatorValue | dict[str, Any] = values.get((fiche["id"], indicator["id"]), {}) if indicator else {}
    means = entry.get("moyens", {})
    baseline, target = (indicator.get("reference"), indicator.get("cible")) if indicator else (None, None)
    cells = {
        "fiche": fiche["id"],
        "titre": fiche["titre"],
        "pilote": fiche["pilote_service"],
        "indicateur": indicator["id"] if indicator else None,
        "libelle": indicator["libelle"] if indicator else None,
        "unite": indicator.get("unite") if indicator else None,
        "reference": baseline and baseline["valeur"],
        "cible": target and target["valeur"],
        "precedente": previous.get((fiche["id"], indicator["id"])) if indicator else None,
        "etat": ETATS.get(entry.get("etat", "")),
        "realise": entry.get("realise"),
        "valeur": known.get("valeur"),
        "commentaire": known.get("commentaire"),
        "montant": means.get("montant"),
        "dont_fipd": means.get("dont_fipd"),
        "difficultes": entry.get("difficultes"),
        "suite": NEXT_STEPS.get(entry.get("suite", "")),
        "suite_detail": entry.get("suite_detail"),
    }
    return [value.strip() if isinstance(value, str) else value for value in (cells[c.key] for c in cols)]


@cache
def number_range() -> tuple[int, int]:
    """The range of a value the evaluation schema accepts: the template's validation and the import both apply it."""
    from stspd.check.schemas import load

    bounds = load("commun")["$defs"]["valeur"]
    return int(bounds["minimum"]), int(bounds["maximum"])


def _validations(sheet, cols: list[InputColumn], end: int, DataValidation, get_column_letter) -> None:
    def column_range(key: str) -> str:
        letter = get_column_letter([c.key for c in cols].index(key) + 1)
        return f"{letter}2:{letter}{max(end, 2)}"

    lists = {"etat": list(ETATS.values()), "suite": list(NEXT_STEPS.values())}  # the words; the YAML keeps the keys
    for key, choices in lists.items():
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.error, validation.errorTitle, validation.showErrorMessage = (
            "Choisissez une valeur de la liste.",
            "Valeur",
            True,
        )
        sheet.add_data_validation(validation)
        validation.add(column_range(key))
    for key in ("valeur", "montant", "dont_fipd"):
        low, high = number_range()
        validation = DataValidation(type="decimal", operator="between", formula1=str(low), formula2=str(high), allow_blank=True)
        validation.error, validation.errorTitle, validation.showErrorMessage = (
            "Un nombre est attendu, sans unité.",
            "Nombre",
            True,
        )
        sheet.add_data_validation(validation)
        validation.add(column_range(key))


# Reading it back
#
# A returned workbook is untrusted: it is bounded before openpyxl opens it (the zip's table of contents), before
# any row is read (each sheet's extent), and every cell is checked where it stands.

MAX_BYTES = 32 * 1024 * 1024  # the file, whatever the project
# Its parts once unpacked: a collection takes about 1.2 KB a row, texts prefilled; openpyxl parses about 10 MB a
# second, so this also bounds the time of a sheet that hides its extent.
BASE_BYTES, BYTES_PER_LINE = 4 * 1024 * 1024, 16 * 1024
MAX_PARTS = 1_000  # a workbook has about ten parts, and a few more per sheet
EXTRA_ROWS = 1_000  # rows a sheet may hold beyond the collection's own: blank rows a spreadsheet keeps, no more
MAX_COLUMNS = 50  # the collection has 18
UNREADABLE = "le classeur n'est pas un fichier Excel (.xlsx) lisible"
RESAVE = "ouvrez-le dans Excel ou LibreOffice et enregistrez-le au format « Classeur Excel (.xlsx) »"
TRIM = (
    "supprimez ce qui a été ajouté sous le tableau et à sa droite, ou recopiez les saisies dans un classeur neuf "
    "(stspd grid template)"
)
# The locked cells that say which value a row holds, checked against the project (the others only inform).
LOCKED = {"titre": "l'intitulé", "libelle": "le libellé de l'indicateur", "unite": "l'unité de l'indicateur"}


@dataclass
class Reading:
    year: int | None = None
    entries: dict[str, EntryUpdate] = field(default_factory=dict)  # fiche id → evaluation entry read
    # (fiche id, indicator id or None for the fiche's own inputs, column key) → « Feuille X, cellule J14 »
    cells: dict[tuple, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # in cell order once `read` returns (see in_cell_order)
    sheets: list[str] = field(default_factory=list)  # the workbook's sheets, in its order

    def ordered(self, problems: list[str]) -> list[str]:
        """`problems` said at this workbook's cells (« Feuille X, cellule L14 : … ») in cell order, each once."""
        return in_cell_order(problems, self.sheets)

    def place(self, path: tuple, evaluation: Evaluation) -> str | None:
        """The cell where the value at `path` of `evaluation` (the merged year) was typed, if this workbook gave it."""
        if len(path) < 2 or path[0] != "fiches":
            return None
        try:
            entry = evaluation["fiches"][path[1]]
            rest = path[2:]
            if rest[:1] == ("indicateurs",) and len(rest) > 1:
                key = "commentaire" if rest[2:3] == ("commentaire",) else "valeur"
                return self.cells.get((entry["fiche"], entry["indicateurs"][rest[1]]["id"], key))
        except (IndexError, KeyError, TypeError):
            return None
        key = rest[1] if rest[:1] == ("moyens",) and len(rest) > 1 else rest[0] if rest else "etat"
        return self.cells.get((entry["fiche"], None, key)) or self.cells.get((entry["fiche"], None, "etat"))


class _Refused(Exception):
    """The workbook as a whole cannot be read: one problem, in French, and nothing more is looked at."""


def read(path: Path, view: DocumentModel) -> Reading:
    """The evaluation entries a filled workbook holds, or the problems, each at its sheet and cell.

    Raises OSError when the file cannot be read at all: a misuse, not a problem of the workbook."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        return Reading(problems=[_too_big(size, MAX_BYTES, "")])
    data = path.read_bytes()
    reading = Reading()
    try:
        _check_parts(data, min(MAX_BYTES, BASE_BYTES + BYTES_PER_LINE * len(lines(view["fiches"]))))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's remarks, in English, on what it leaves out of a workbook
            _read_workbook(data, view, reading)
    except _Refused as refusal:
        reading.problems.append(str(refusal))
    except Exception:  # noqa: BLE001 - a damaged part met anywhere else (the year's cell…): said, never a traceback
        reading.problems.append(f"{UNREADABLE} : son contenu est endommagé ; {RESAVE}")
    reading.problems = reading.ordered(reading.problems)
    return reading


# « Feuille X », « Feuille X, cellule L14 », « Feuille X, après la ligne 8 »: the place a problem starts with, before
# « : » (which no sheet title holds).
_PLACE = re.compile(r"Feuille (?P<sheet>.+?)(?:, cellule (?P<column>[A-Z]+)(?P<row>[0-9]+)|, après la ligne (?P<after>[0-9]+))?")


def in_cell_order(problems: list[str], sheets: Sequence[str]) -> list[str]:
    """`problems` in the order of the places they name: those about the whole workbook first, then sheet by sheet
    in the workbook's order (`sheets`), row by row, column by column (A, B … Z, AA); the same problem at the same
    place is said once."""
    position = {title: index for index, title in enumerate(sheets)}

    def key(problem: str) -> tuple[int, int, int]:
        place = problem.split(" : ", 1)[0]
        found = _PLACE.fullmatch(place)
        if found is None:
            return (-1, 0, 0)
        if place.removeprefix("Feuille ") in position:  # a title that looks like « X, cellule B2 » is a title
            return (position[place.removeprefix("Feuille ")], 0, 0)
        sheet = position.get(found["sheet"], len(position))
        if found["column"]:
            return (sheet, int(found["row"]), _column_number(found["column"]))
        if found["after"]:
            return (sheet, int(found["after"]), _AFTER_THE_ROW)
        return (sheet, 0, 0)

    return list(dict.fromkeys(sorted(problems, key=key)))  # sorted() keeps the order of problems at one place


_AFTER_THE_ROW = 16_385  # past the last column, XFD


def _column_number(letters: str) -> int:
    """A = 1, Z = 26, AA = 27."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def _too_big(size: int, bound: int, what: str) -> str:
    def megabytes(count: int) -> str:
        return f"{count / 1024 / 1024:.1f}".replace(".", ",")

    return (
        f"le classeur est trop volumineux ({megabytes(size)} Mo{what} ; au plus {megabytes(bound)} Mo pour cette "
        "collecte) : retirez-en les images ou feuilles ajoutées, ou repartez du classeur envoyé (stspd grid template)"
    )


def _check_parts(data: bytes, bound: int) -> None:
    """The zip's table of contents, read before anything is unpacked: a few KB can unpack to gigabytes.

    Python's zipfile stops each part at the size declared here (and fails its checksum past it), so the sum bounds
    what openpyxl will ever unpack."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except Exception:  # noqa: BLE001 - zipfile raises several kinds for what is not a zip
        raise _Refused(f"{UNREADABLE} : {_NOT_XLSX} ; {RESAVE}") from None
    unpacked = sum(part.file_size for part in parts)  # every part: one named like an image may still be a sheet
    if len(parts) > MAX_PARTS or unpacked > bound:
        raise _Refused(_too_big(unpacked, bound, f" une fois décompressé, en {fr.counted(len(parts), 'partie')}"))


_NOT_XLSX = "ce n'est pas une archive .xlsx (un ancien .xls, un .ods, un fichier renommé ou protégé par mot de passe ?)"


def _why(error: Exception) -> str:
    """What openpyxl's English error means for the person holding the file."""
    from openpyxl.utils.exceptions import InvalidFileException

    if isinstance(error, (zipfile.BadZipFile, InvalidFileException)):
        return _NOT_XLSX
    missing = re.search(r"'([^']+)'", str(error)) if isinstance(error, KeyError) else None
    if missing:
        return f"une de ses parties manque ({missing.group(1)})"
    return "son contenu est endommagé"


def _read_workbook(data: bytes, view: DocumentModel, reading: Reading) -> None:
    def open_book(formulas: bool):
        from openpyxl import load_workbook

        try:
            return load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
        except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds (KeyError, ParseError, ValueError…)
            raise _Refused(f"{UNREADABLE} : {_why(error)} ; {RESAVE}") from None

    book = open_book(formulas=True)  # formulas as typed: the value they last computed would hide them
    computed = None  # that value, read only for a sheet that has formulas
    try:
        reading.sheets = list(book.sheetnames)
        max_rows = 1 + len(lines(view["fiches"])) + EXTRA_ROWS
        oversized = [problem for sheet in book.worksheets if (problem := _extent_problem(sheet, max_rows))]
        if oversized:
            reading.problems.extend(oversized)
            return
        reading.year = _year(book, view["periode"], reading)
        if reading.year is None:
            return
        evaluations = {e["annee"]: e for e in view["evaluations"]}
        recorded = {e["fiche"]: e for e in evaluations.get(reading.year, {"fiches": []})["fiches"]}
        collector = _Collector(columns(reading.year), {f["id"]: f for f in view["fiches"]}, recorded, reading)
        sheets = [sheet for sheet in book.worksheets if sheet.title != INSTRUCTIONS]
        if not sheets:  # openpyxl leaves out, without a word, a sheet whose part is missing from the zip
            raise _Refused(
                "le classeur n'a aucune feuille de collecte (supprimée, ou illisible) ; repartez du classeur "
                "envoyé (stspd grid template)"
            )
        for sheet in sheets:
            rows = _rows(sheet, len(collector.cols), max_rows)
            if any(kind == "f" for row in rows for _, kind in row):
                computed = computed or open_book(formulas=False)
                rows = _with_results(rows, _rows(computed[sheet.title], len(collector.cols), max_rows))
            collector.sheet(sheet.title, rows)
        collector.states_known()
    finally:
        for opened in (book, computed):
            if opened is not None:
                opened.close()


def _extent_problem(sheet, max_rows: int) -> str | None:
    """A sheet that declares more than a collection holds is refused before a single row is read."""
    if (sheet.max_row or 0) <= max_rows and (sheet.max_column or 0) <= MAX_COLUMNS:
        return None  # no dimension, or a small one: `_rows` still stops at the bound whatever the file says
    return (
        f"Feuille {sheet.title} : la feuille s'étend sur {sheet.calculate_dimension()}, au-delà des "
        f"{fr.counted(max_rows, 'ligne')} et {fr.counted(MAX_COLUMNS, 'colonne')} qu'une collecte peut occuper ; {TRIM}"
    )


def _rows(sheet, width: int, max_rows: int) -> list[tuple]:
    """The sheet's rows, `width` cells each as (value, openpyxl data type), refused past `max_rows`.

    The declared dimension may be missing or lie, so it is set aside and reading stops at the bound: a lone cell a
    million rows down costs what a cell just under the table costs, never a million empty rows."""
    sheet.reset_dimensions()
    iterator = sheet.iter_rows(max_col=width)
    found: list[tuple] = []
    try:
        for row in itertools.islice(iterator, max_rows + 1):
            found.append(tuple((cell.value, cell.data_type) for cell in row))
    except Exception:  # noqa: BLE001 - openpyxl parses lazily: a damaged sheet fails here, with many kinds of error
        raise _Refused(
            f"Feuille {sheet.title}, après la ligne {len(found)} : {UNREADABLE} : une cellule est illisible "
            f"(un nombre « NaN » ou « INF », qu'aucun tableur n'écrit, par exemple) ; {RESAVE}"
        ) from None
    finally:
        iterator.close()
    if len(found) > max_rows:
        raise _Refused(
            f"Feuille {sheet.title} : la feuille a des lignes au-delà de la ligne {max_rows}, plus qu'une "
            f"collecte n'en occupe ; {TRIM}"
        )
    return found


def _with_results(typed: list[tuple], results: list[tuple]) -> list[tuple]:
    """Each formula replaced by the value it last computed; left as a formula (« f ») when none was saved."""
    return [
        tuple(
            result if kind == "f" and result[0] is not None else (value, kind) for (value, kind), result in zip(row, result_row)
        )
        for row, result_row in zip(typed, results)
    ]


def _year(book, period: Period, reading: Reading) -> int | None:
    where = f"Feuille {INSTRUCTIONS}, cellule {YEAR_CELL}"
    value = book[INSTRUCTIONS][YEAR_CELL].value if INSTRUCTIONS in book.sheetnames else None
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        reading.problems.append(f"{where} : l'année évaluée est attendue ; ce classeur ne vient pas de « stspd grid template »")
        return None
    if not (float(value).is_integer() and period["debut"] <= value <= period["fin"]):
        reading.problems.append(
            f"{where} : une année de la stratégie ({period['debut']}-{period['fin']}) est attendue, "
            f"{_quoted(_shown(value).replace('.', ','))} trouvé ; "
            "le mode d'emploi ne se modifie pas : repartez du classeur envoyé (stspd grid template)"
        )
        return None
    return int(value)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value) -> str:
    """A cell as text, for comparing: spaces and line breaks as a spreadsheet may have rewritten them do not count."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _quoted(value) -> str:
    """A cell's content as a message quotes it: on one line, cut after 60 characters (a cell holds up to 32,767); a
    number written the French way (« 15 000 », « 12,5 »)."""
    text = _figure(value) if _finite(value) else _shown(value)
    return f"« {text[:60]}{'…' if len(text) > 60 else ''} »"


@dataclass(frozen=True)
class _Row:
    sheet: str
    number: int
    cells: dict[str, tuple]  # column key → (value, openpyxl data type)
    letters: dict[str, str]  # column key → letter

    def value(self, key: str):
        return self.cells[key][0]

    def at(self, key: str) -> str:
        return f"Feuille {self.sheet}, cellule {self.letters[key]}{self.number}"


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _figure(number: float) -> str:
    """A number as a message writes it: 15 000 ; 12,5 ; every decimal kept (12,345), since it may be what differs."""
    return fr.number(number, digits=10)


def _fold(text: object) -> str:
    """A choice as typed, compared without case, accents, nor the kind of space: « EN COURS », « Realisee »,
    « non-engagée », « en_cours » are the words of the list."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\s_\-]+", " ", bare).split())


_INVALID = object()
_TEXT_INPUTS: Final = ("realise", "difficultes", "suite_detail")  # a fiche's texts, as typed
# The choices of a list, by their folded words and keys
_STATES = {_fold(word): key for key, label in ETATS.items() for word in (key, label)}
_STEPS = {_fold(word): key for key, label in NEXT_STEPS.items() for word in (key, label)}
# What a number typed as text may look like once spaces, € and the decimal comma are set aside: ASCII digits only
# (Python's float() would also take « nan », « inf », « 1e999 », « 1_000 » and digits of other scripts).
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _number(value):
    """A number typed in a cell: 12, 12.5, « 12,5 », « 1 200 € » ; empty is unknown; anything else is _INVALID."""
    if _blank(value):
        return None
    if isinstance(value, str):
        text = re.sub(r"[\s€]", "", value).replace(",", ".")
        if not _NUMBER.fullmatch(text):
            return _INVALID
        value = float(text)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _INVALID
    low, high = number_range()
    if not (math.isfinite(value) and low <= value <= high):
        return _INVALID  # a YAML « .nan » or « .inf » would not validate, nor a number out of the schema's range
    return int(value) if float(value).is_integer() else value


@dataclass
class _Collector:
    """The sheets' rows gathered into `reading`, each row checked where it stands."""

    cols: list[InputColumn]
    fiches: dict[str, Fiche]
    recorded: dict[str, EvaluationEntry]  # the year's entries already in its evaluation file, by fiche
    reading: Reading
    seen: dict[tuple, str] = field(default_factory=dict)  # (fiche, indicator) → where its row was first read
    unknown_states: set[str] = field(default_factory=set)  # the fiches whose typed state is not of the list

    def sheet(self, title: str, rows: list[tuple]) -> None:
        from openpyxl.utils import get_column_letter

        letters = {c.key: get_column_letter(i) for i, c in enumerate(self.cols, start=1)}
        header = list(rows[0][: len(self.cols)]) if rows else []
        header += [(None, None)] * (len(self.cols) - len(header))  # a missing header cell reads as empty
        for col, (value, _) in zip(self.cols, header):
            if _shown(value) != col.title:
                self.reading.problems.append(
                    f"Feuille {title}, cellule {letters[col.key]}1 : la colonne « {col.title} » est attendue, "
                    f"{_quoted(value)} trouvé ; ne renommez, ne déplacez ni ne supprimez les colonnes"
                )
                return  # the columns after it are shifted: one problem says it
        for number, cells in enumerate(rows[1:], start=2):
            if not all(_blank(value) for value, _ in cells):
                self._row(_Row(title, number, dict(zip(letters, cells)), letters))

    def problem(self, row: _Row, key: str, message: str) -> None:
        self.reading.problems.append(f"{row.at(key)} : {message}")

    def _row(self, row: _Row) -> None:
        if not self._computed(row):
            return
        identity = self._identity(row)
        if identity is None:
            return
        fiche, indicator = identity
        fiche_id, indicator_id = fiche["id"], indicator and indicator["id"]
        if (fiche_id, indicator_id) in self.seen:
            which = f", indicateur « {indicator_id} »," if indicator else ""
            self.problem(
                row,
                "fiche",
                f"la fiche {fiche_id}{which} a déjà sa ligne ({self.seen[fiche_id, indicator_id]}) : une "
                "seule ligne par fiche et par indicateur ; reportez les saisies sur la première, supprimez la copie",
            )
            return
        self.seen[fiche_id, indicator_id] = f"Feuille {row.sheet}, ligne {row.number}"
        own: Sequence[Indicator | None] = fiche.get("indicateurs") or [None]
        first = indicator is own[0]
        if not first and not self._on_first_row_only(row, fiche):
            return
        self.reading.cells.setdefault((fiche_id, None, "etat"), row.at("etat"))  # where to ask for a missing state
        for col in self.cols:
            if col.editable and (first or not col.fiche_level):
                self.reading.cells[fiche_id, None if col.fiche_level else indicator_id, col.key] = row.at(col.key)
        if all(_blank(row.value(c.key)) for c in self.cols if c.editable):
            return  # nothing said about this row: the fiche stays as it was
        entry = self.reading.entries.setdefault(fiche_id, {"fiche": fiche_id})
        if first:
            self._fiche_inputs(entry, row)
        if indicator:
            self._indicator_inputs(entry, row, indicator["id"])
        else:
            self._no_indicator(row, fiche_id)

    def _computed(self, row: _Row) -> bool:
        """No cell is a formula without its result, nor shows a calculation error: either would be read as empty."""
        fine = True
        for key, (value, kind) in row.cells.items():
            if kind == "f":
                self.problem(
                    row,
                    key,
                    f"une formule sans résultat enregistré ({_quoted(value)}) : tapez la valeur elle-même, ou "
                    "ouvrez le classeur dans Excel ou LibreOffice et enregistrez-le pour qu'il la calcule",
                )
            elif kind == "e":
                self.problem(
                    row,
                    key,
                    f"la cellule affiche une erreur de calcul ({_quoted(value)}) : corrigez la formule ou "
                    "tapez la valeur elle-même",
                )
            fine = fine and kind not in ("f", "e")
        return fine

    def _identity(self, row: _Row) -> tuple[Fiche, Indicator | None] | None:
        """The fiche and indicator a row is about, once its locked cells are found as the template wrote them."""
        fiche_id = _shown(row.value("fiche"))
        fiche = self.fiches.get(fiche_id)
        if fiche is None:
            said = f"fiche action inconnue {_quoted(fiche_id)}" if fiche_id else "une saisie sur une ligne sans numéro de fiche"
            self.problem(row, "fiche", f"{said} : les colonnes grisées ne se modifient pas et aucune ligne ne s'ajoute")
            return None
        if _shown(row.value("titre")) != _shown(fiche["titre"]):
            self._locked(row, "titre", fiche_id, fiche["titre"])
            return None
        indicators = {i["id"]: i for i in fiche.get("indicateurs", [])}
        indicator_id = _shown(row.value("indicateur"))
        if indicator_id not in indicators and (indicator_id or indicators):
            said = (
                f"n'a pas d'indicateur {_quoted(indicator_id)}"
                if indicator_id
                else "a des indicateurs : l'identifiant est effacé"
            )
            self.problem(
                row,
                "indicateur",
                f"la fiche {fiche_id} {said} (les siens : {', '.join(indicators) or 'aucun'}) ; "
                "les colonnes grisées ne se modifient pas",
            )
            return None
        indicator = indicators.get(indicator_id)
        for key in ("libelle", "unite"):
            wanted = indicator.get(key) if indicator else None
            if _shown(row.value(key)) != _shown(wanted):
                self._locked(row, key, fiche_id, wanted)
                return None
        return fiche, indicator

    def _locked(self, row: _Row, key: str, fiche_id: str, wanted) -> None:
        self.problem(
            row,
            key,
            f"{LOCKED[key]} ne correspond pas à la fiche {fiche_id} : « {_shown(wanted)} » attendu, "
            f"{_quoted(row.value(key))} trouvé ; les colonnes grisées ne se modifient pas : "
            "remettez le texte d'origine",
        )

    def _on_first_row_only(self, row: _Row, fiche: Fiche) -> bool:
        """The fiche's own inputs (state, spending…) are typed once, on its first row: elsewhere they are refused,
        rather than one row's silently winning over another's."""
        misplaced = [c for c in self.cols if c.fiche_level and not _blank(row.value(c.key))]
        for col in misplaced:
            self.problem(
                row,
                col.key,
                f"« {col.title} » se saisit une fois par fiche, sur sa première ligne (indicateur "
                f"« {fiche['indicateurs'][0]['id']} ») : déplacez-y cette saisie",
            )
        return not misplaced

    def _number(self, row: _Row, key: str):
        number = _number(row.value(key))
        if number is _INVALID:
            low, high = (fr.number(bound) for bound in number_range())
            self.problem(
                row,
                key,
                f"un nombre est attendu, {_quoted(row.value(key))} trouvé : écrivez-le en chiffres, "
                f"sans unité (12 ou 12,5), entre {low} et {high}",
            )
        return number

    def _fiche_inputs(self, entry: EntryUpdate, row: _Row) -> None:
        state = row.value("etat")
        if not _blank(state):
            key = _STATES.get(_fold(state))
            if key is None:
                listed = ", ".join(ETATS.values())
                self.problem(
                    row,
                    "etat",
                    f"un état de la liste est attendu ({listed}), {_quoted(state)} trouvé"
                    f"{did_you_mean(_shown(state), ETATS.values())}",
                )
                self.unknown_states.add(entry["fiche"])
            else:
                entry["etat"] = key
        for text in _TEXT_INPUTS:
            if not _blank(row.value(text)):
                entry[text] = str(row.value(text)).strip()
        step = row.value("suite")
        if not _blank(step):
            key = _STEPS.get(_fold(step))
            if key is None:
                listed = ", ".join(NEXT_STEPS.values())
                self.problem(
                    row,
                    "suite",
                    f"une suite de la liste est attendue ({listed}), {_quoted(step)} trouvé"
                    f"{did_you_mean(_shown(step), NEXT_STEPS.values())}",
                )
            else:
                entry["suite"] = key
        means = {key: self._number(row, key) for key in ("montant", "dont_fipd")}
        for key, amount in means.items():
            if amount is not _INVALID and amount is not None and amount < 0:
                self.problem(row, key, f"un montant positif est attendu, « {fr.euros(amount)} » trouvé")
                means[key] = _INVALID
        if _INVALID in means.values():
            return
        spent = cast(Spending, {key: amount for key, amount in means.items() if amount is not None})  # numbers now
        recorded = self.recorded.get(entry["fiche"])
        self._fipd_within_spending(row, spent, recorded.get("moyens", {}) if recorded else {})
        if spent:
            entry["moyens"] = spent

    def _fipd_within_spending(self, row: _Row, typed: Spending, recorded: Spending) -> None:
        """The FIPD share is part of the spending, whether each was typed here or is already in the evaluation file
        (an empty cell keeps the recorded amount)."""
        means: Spending = {**recorded, **typed}
        if not ("montant" in means and "dont_fipd" in means and means["dont_fipd"] > means["montant"]):
            return
        fipd, spending = fr.euros(means["dont_fipd"]), fr.euros(means["montant"])
        if "dont_fipd" not in typed:
            self.problem(
                row,
                "montant",
                f"les dépenses ({spending}) sont inférieures à la part FIPD déjà enregistrée ({fipd}) : la "
                "part FIPD est comprise dans les dépenses ; corrigez les dépenses ou saisissez la part FIPD",
            )
        else:
            already = "" if "montant" in typed else " déjà enregistrées"
            self.problem(
                row,
                "dont_fipd",
                f"la part FIPD ({fipd}) dépasse les dépenses{already} ({spending}) : la part FIPD est "
                "comprise dans les dépenses ; corrigez l'un des deux montants",
            )

    def _indicator_inputs(self, entry: EntryUpdate, row: _Row, indicator_id: str) -> None:
        value, comment = self._number(row, "valeur"), row.value("commentaire")
        if value is _INVALID:
            return
        measured: IndicatorValue = {"id": indicator_id}
        if value is not None:  # an empty cell keeps the recorded value, even when a comment is typed
            measured["valeur"] = value
        if not _blank(comment):
            measured["commentaire"] = str(comment).strip()
        if len(measured) > 1:
            entry.setdefault("indicateurs", []).append(measured)

    def _no_indicator(self, row: _Row, fiche_id: str) -> None:
        """A fiche without indicators has no value to record: what is typed there would be lost, so it is refused."""
        for key in ("valeur", "commentaire"):
            if not _blank(row.value(key)):
                self.problem(
                    row,
                    key,
                    f"la fiche {fiche_id} n'a pas d'indicateur : cette saisie ne s'enregistrerait nulle "
                    "part ; écrivez-la dans « Réalisé » ou « Difficultés »",
                )

    def states_known(self) -> None:
        """Every fiche the workbook speaks of has a state, typed or already recorded (the schema requires one)."""
        for fiche_id, entry in self.reading.entries.items():
            if fiche_id in self.unknown_states:
                continue  # its cell already says which state is expected
            if "etat" not in entry and "etat" not in self.recorded.get(fiche_id, {}):
                where = self.reading.cells[fiche_id, None, "etat"]
                self.reading.problems.append(f"{where} : l'état d'avancement de la fiche {fiche_id} est attendu")
