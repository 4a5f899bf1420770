"""The collection round trip with the pilots: a workbook out (`template`), the same layout back in (`read`).

The layout is the contract: identity columns are locked, input columns are open and validated, the year sits
on the instructions sheet. Reading never trusts the workbook: every problem names its sheet and cell.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from .grid import NEXT_STEPS as GRID_NEXT_STEPS
from .model import ETATS

INSTRUCTIONS = "Mode d'emploi"
YEAR_CELL = "B3"
# The sheet shows the words; the YAML keeps the keys (grid.NEXT_STEPS says one from the other).
NEXT_STEPS = {label: key for key, label in GRID_NEXT_STEPS.items()}


@dataclass(frozen=True)
class Col:
    key: str
    title: str
    width: int
    editable: bool = False
    fiche_level: bool = False  # filled once per fiche, on its first row


def columns(year: int) -> list[Col]:
    return [
        Col("fiche", "N° fiche", 9), Col("titre", "Fiche action", 34), Col("pilote", "Pilote", 22),
        Col("indicateur", "Indicateur (id)", 14), Col("libelle", "Indicateur", 34), Col("unite", "Unité", 10),
        Col("reference", "Référence", 10), Col("cible", "Cible", 10), Col("precedente", f"Valeur {year - 1}", 11),
        Col("etat", "État d'avancement", 16, True, True), Col("realise", f"Réalisé en {year}", 40, True, True),
        Col("valeur", f"Valeur {year}", 11, True), Col("commentaire", "Commentaire sur la valeur", 26, True),
        Col("montant", "Dépenses (€)", 12, True, True), Col("dont_fipd", "dont FIPD (€)", 12, True, True),
        Col("difficultes", "Difficultés", 30, True, True), Col("suite", "Suite proposée", 14, True, True),
        Col("suite_detail", "Prochaine étape", 30, True, True),
    ]


def _instructions(year: int, territory: str) -> list[str]:
    return [
        f"Collecte {year} de l'évaluation de la stratégie de sécurité et de prévention de la délinquance de {territory}",
        "",
        "Année évaluée",  # its value, in B3, tells the import which year this workbook is about
        "",
        "Comment remplir ce classeur",
        "1. Chaque feuille réunit les fiches actions d'un pilote (ou toutes les fiches). Une ligne par indicateur.",
        "2. Les colonnes grisées (numéro, intitulé, indicateur, référence, cible, valeur de l'an dernier) sont "
        "verrouillées : ne les modifiez pas, l'import refuse une ligne dont l'identité a changé.",
        "3. Remplissez les colonnes blanches. État d'avancement et suite proposée se choisissent dans une liste.",
        "4. Les informations de la fiche (état, réalisé, dépenses, difficultés, suite) se saisissent sur sa "
        "première ligne seulement ; la valeur et son commentaire, sur chaque ligne d'indicateur.",
        "5. Un nombre s'écrit en chiffres (12 ou 12,5), sans unité. Laissez vide une valeur inconnue : elle reste "
        "« non renseignée », jamais zéro.",
        "6. Ne renommez pas les feuilles ni les colonnes ; n'ajoutez pas de ligne.",
        "7. Renvoyez le classeur au coordonnateur du CLSPD, qui l'importe avec « stspd grid import ».",
        "",
        "Aucun nom de personne ni aucune situation individuelle : le bilan est un document public.",
    ]


@dataclass(frozen=True)
class Line:
    """One row of the collection: a fiche and one of its indicators (or none)."""

    fiche: dict
    indicator: dict | None
    first: bool  # the fiche's first row, which carries its fiche-level inputs


def lines(fiches: list[dict]) -> list[Line]:
    result = []
    for fiche in fiches:
        indicators = fiche.get("indicateurs") or [None]
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


def template(view: dict, year: int, groups: list[tuple[str, list[dict]]], iso_timestamp: str) -> bytes:
    """The collection workbook: instructions, then one sheet per group of fiches, prefilled with what is known."""
    import datetime

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .compute import values_of
    from .reproducible import normalise_zip

    evaluations = {e["annee"]: e for e in view["evaluations"]}
    current = evaluations.get(year, {"fiches": []})
    entries = {entry["fiche"]: entry for entry in current["fiches"]}
    values = {key: value for entry in current["fiches"] for key, value in _indicator_inputs(entry).items()}
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

    locked_fill, header_fill = PatternFill("solid", fgColor="EDEDED"), PatternFill("solid", fgColor="1F3864")
    taken = {INSTRUCTIONS.casefold()}
    for name, fiches in groups:
        sheet = workbook.create_sheet(sheet_name(name, taken))
        sheet.append([c.title for c in cols])
        sheet_lines = lines(fiches)
        for line in sheet_lines:
            sheet.append(_row(line, cols, entries, values, previous))
        end = sheet.max_row
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
        sheet.freeze_panes = "C2"
        sheet.protection.sheet = True
        sheet.protection.formatColumns = False  # widths may still be changed
        sheet.protection.autoFilter = False
    stamp = datetime.datetime.fromisoformat(iso_timestamp.replace("Z", "+00:00")).replace(tzinfo=None)
    workbook.properties.creator = "stspd"
    workbook.properties.created = workbook.properties.modified = stamp
    out = io.BytesIO()
    workbook.save(out)
    return normalise_zip(out.getvalue(), iso_timestamp)


def _indicator_inputs(entry: dict) -> dict[tuple[str, str], dict]:
    return {(entry["fiche"], value["id"]): value for value in entry.get("indicateurs", [])}


def _row(line: Line, cols: list[Col], entries: dict, values: dict, previous: dict) -> list:
    fiche, indicator = line.fiche, line.indicator
    entry = entries.get(fiche["id"], {}) if line.first else {}
    known = values.get((fiche["id"], indicator["id"]), {}) if indicator else {}
    means = entry.get("moyens", {})
    baseline, target = (indicator or {}).get("reference"), (indicator or {}).get("cible")
    cells = {
        "fiche": fiche["id"], "titre": fiche["titre"], "pilote": fiche["pilote_detail"]["nom"],
        "indicateur": indicator["id"] if indicator else None, "libelle": indicator["libelle"] if indicator else None,
        "unite": (indicator or {}).get("unite"), "reference": baseline and baseline["valeur"],
        "cible": target and target["valeur"], "precedente": previous.get((fiche["id"], indicator["id"])) if indicator else None,
        "etat": ETATS.get(entry.get("etat")), "realise": entry.get("realise"), "valeur": known.get("valeur"),
        "commentaire": known.get("commentaire"), "montant": means.get("montant"), "dont_fipd": means.get("dont_fipd"),
        "difficultes": entry.get("difficultes"), "suite": GRID_NEXT_STEPS.get(entry.get("suite")),
        "suite_detail": entry.get("suite_detail"),
    }
    return [cells[c.key].strip() if isinstance(cells[c.key], str) else cells[c.key] for c in cols]


def _validations(sheet, cols: list[Col], end: int, DataValidation, get_column_letter) -> None:
    def column_range(key: str) -> str:
        letter = get_column_letter([c.key for c in cols].index(key) + 1)
        return f"{letter}2:{letter}{max(end, 2)}"

    lists = {"etat": list(ETATS.values()), "suite": list(NEXT_STEPS)}
    for key, choices in lists.items():
        validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
        validation.error, validation.errorTitle, validation.showErrorMessage = "Choisissez une valeur de la liste.", "Valeur", True
        sheet.add_data_validation(validation)
        validation.add(column_range(key))
    for key in ("valeur", "montant", "dont_fipd"):
        validation = DataValidation(type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True)
        validation.error, validation.errorTitle, validation.showErrorMessage = "Un nombre est attendu, sans unité.", "Nombre", True
        sheet.add_data_validation(validation)
        validation.add(column_range(key))


# Reading it back


@dataclass
class Reading:
    year: int | None = None
    entries: dict[str, dict] = field(default_factory=dict)  # fiche id → evaluation entry read
    places: dict[str, str] = field(default_factory=dict)  # fiche id → « Feuille X, cellule J14 » of its état
    problems: list[str] = field(default_factory=list)


def read(workbook_bytes: bytes, view: dict) -> Reading:
    """The evaluation entries a filled workbook holds, or the problems, each at its sheet and cell."""
    from openpyxl import load_workbook

    reading = Reading()
    try:
        workbook = load_workbook(io.BytesIO(workbook_bytes), data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
        reading.problems.append(f"classeur illisible : {error}")
        return reading
    if INSTRUCTIONS not in workbook.sheetnames or not isinstance(workbook[INSTRUCTIONS][YEAR_CELL].value, (int, float)):
        reading.problems.append(f"Feuille {INSTRUCTIONS}, cellule {YEAR_CELL} : l'année évaluée est attendue ; ce classeur ne vient pas de « stspd grid template »")
        return reading
    reading.year = int(workbook[INSTRUCTIONS][YEAR_CELL].value)
    cols = columns(reading.year)
    fiches = {f["id"]: f for f in view["fiches"]}
    for sheet in workbook.worksheets:
        if sheet.title != INSTRUCTIONS:
            _read_sheet(sheet, cols, fiches, reading)
    return reading


def _read_sheet(sheet, cols: list[Col], fiches: dict, reading: Reading) -> None:
    from openpyxl.utils import get_column_letter

    def problem(row: int, key: str, message: str) -> None:
        letter = get_column_letter([c.key for c in cols].index(key) + 1)
        reading.problems.append(f"Feuille {sheet.title}, cellule {letter}{row} : {message}")

    headers = [sheet.cell(1, i).value for i in range(1, len(cols) + 1)]
    if headers != [c.title for c in cols]:
        reading.problems.append(f"Feuille {sheet.title}, ligne 1 : les colonnes ont changé ; attendu : {', '.join(c.title for c in cols)}")
        return
    for row in range(2, sheet.max_row + 1):
        cells = {c.key: sheet.cell(row, i).value for i, c in enumerate(cols, start=1)}
        if all(value in (None, "") for value in cells.values()):
            continue
        fiche_id = str(cells["fiche"]).strip() if cells["fiche"] is not None else ""
        fiche = fiches.get(fiche_id)
        if fiche is None:
            problem(row, "fiche", f"fiche action inconnue « {fiche_id} » : les colonnes grisées ne se modifient pas")
            continue
        if str(cells["titre"] or "").strip() != fiche["titre"].strip():
            problem(row, "titre", f"l'intitulé ne correspond pas à la fiche {fiche_id} : la ligne a été modifiée")
            continue
        indicators = {i["id"]: i for i in fiche.get("indicateurs", [])}
        indicator_id = str(cells["indicateur"]).strip() if cells["indicateur"] not in (None, "") else None
        if indicator_id is not None and indicator_id not in indicators:
            problem(row, "indicateur", f"la fiche {fiche_id} n'a pas d'indicateur « {indicator_id} »")
            continue
        if all(cells[c.key] in (None, "") for c in cols if c.editable):
            continue  # nothing said about this row: the fiche stays as it was
        entry = reading.entries.setdefault(fiche_id, {"fiche": fiche_id})
        state_letter = get_column_letter([c.key for c in cols].index("etat") + 1)
        reading.places.setdefault(fiche_id, f"Feuille {sheet.title}, cellule {state_letter}{row}")
        _fiche_inputs(entry, cells, row, problem)
        if indicator_id is not None:
            value = _number(cells["valeur"], row, "valeur", problem)
            if value is not _INVALID and (value is not None or cells["commentaire"]):
                measured = {"id": indicator_id, "valeur": value}
                if cells["commentaire"]:
                    measured["commentaire"] = str(cells["commentaire"]).strip()
                entry.setdefault("indicateurs", []).append(measured)


_INVALID = object()
_STATES = {**{label: key for key, label in ETATS.items()}, **{key: key for key in ETATS}}


def _number(value, row: int, key: str, problem):
    """A number typed in a cell: 12, 12.5, « 12,5 », « 1 200 » ; empty is unknown; anything else is a problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        problem(row, key, f"un nombre est attendu, « {value} » trouvé")
        return _INVALID
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else value
    text = str(value).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace("€", "").replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        problem(row, key, f"un nombre est attendu, « {value} » trouvé")
        return _INVALID
    return int(number) if number.is_integer() else number


def _fiche_inputs(entry: dict, cells: dict, row: int, problem) -> None:
    state = cells["etat"]
    if state not in (None, ""):
        key = _STATES.get(str(state).strip())
        if key is None:
            problem(row, "etat", f"un état de la liste est attendu ({', '.join(ETATS.values())}), « {state} » trouvé")
        else:
            entry["etat"] = key
    for key in ("realise", "difficultes", "suite_detail"):
        if cells[key] not in (None, ""):
            entry[key] = str(cells[key]).strip()
    if cells["suite"] not in (None, ""):
        step = NEXT_STEPS.get(str(cells["suite"]).strip())
        if step is None:
            problem(row, "suite", f"une suite de la liste est attendue ({', '.join(NEXT_STEPS)}), « {cells['suite']} » trouvé")
        else:
            entry["suite"] = step
    means = {}
    for key in ("montant", "dont_fipd"):
        value = _number(cells[key], row, key, problem)
        if value is not _INVALID and value is not None:
            if value < 0:
                problem(row, key, f"un montant positif est attendu, « {cells[key]} » trouvé")
            else:
                means[key] = value
    if "montant" in means and "dont_fipd" in means and means["dont_fipd"] > means["montant"]:
        problem(row, "dont_fipd", f"la part FIPD ({means['dont_fipd']}) dépasse les dépenses ({means['montant']})")
    if means:
        entry["moyens"] = means
