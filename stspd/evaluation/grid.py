"""The yearly evaluation grid: one row per fiche and indicator, as section 4 of the domain notes lays it out.

Pure: `rows` computes the grid from the document model; exchange/grid_files.py writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from stspd.evaluation import compute
from stspd.model.types import DocumentModel, EvaluationEntry, Indicator
from stspd.model.vocabulary import ETATS, NEXT_STEPS


@dataclass(frozen=True)
class Column:
    title: str
    # in characters, for the spreadsheet; narrow enough that the 23 columns print on A3 at 60 % or more, wrapped
    # (tests/test_grid.py computes the scale)
    width: int
    number: bool = False
    prose: bool = False  # a fiche's text of a sentence or more: a paragraph of its own in the DOCX's fiche row


COLUMNS = [
    Column("Axe", 5),
    Column("N° fiche", 8),
    Column("Fiche action", 20, prose=True),
    Column("Pilote", 16),
    Column("Partenaires", 20, prose=True),
    Column("État d'avancement", 13),
    Column("Réalisé dans l'année", 26, prose=True),
    Column("Indicateur", 22),
    Column("Unité", 9),
    Column("Référence", 10, True),
    Column("Cible", 10, True),
    Column("Valeur N-1", 10, True),
    Column("Valeur N", 10, True),
    Column("Écart à la cible", 10, True),
    Column("Atteinte", 9, True),
    Column("Verdict", 12),
    Column("Commentaire sur la valeur", 18),
    Column("Dépenses (€)", 10, True),
    Column("dont FIPD (€)", 10, True),
    Column("Difficultés", 22, prose=True),
    Column("Suite", 10),
    Column("Décision (date, instance, motif)", 20, prose=True),
    Column("Commentaires", 18, prose=True),
]
_TITLES = [c.title for c in COLUMNS]
VERDICT_COLUMN = _TITLES.index("Verdict")
# The columns of one indicator, from « Indicateur » to « Commentaire sur la valeur »; the others describe the fiche.
INDICATOR_COLUMNS = range(_TITLES.index("Indicateur"), _TITLES.index("Commentaire sur la valeur") + 1)
FICHE_COLUMNS = {i for i in range(len(COLUMNS)) if i not in INDICATOR_COLUMNS}
STATE_COLUMN = _TITLES.index("État d'avancement")


Cell = str | float | None  # a number stays a number (an int or a float); None: empty


@dataclass(frozen=True)
class Grid:
    year: int
    rows: list[list[Cell]]
    axes: list[tuple[int, str]]  # (index of the axe's first row, "Axe n · title")


def rows(view: DocumentModel, year: int) -> Grid:
    """The grid of `year` over the document model (which holds the evaluations)."""
    entries = compute.entries(view["evaluations"], year)
    by_indicator = {
        (r.fiche["id"], r.indicator["id"]): r for r in compute.indicator_years(view["fiches"], view["evaluations"], year)
    }
    table: list[list[Cell]] = []
    axes = []
    for axe in view["axes"]:
        axes.append((len(table), f"Axe {axe['id']} · {axe['titre']}"))
        for fiche in axe["fiches"]:
            entry: EvaluationEntry | dict[str, Any] = entries.get(fiche["id"], {})  # {}: not evaluated that year
            decision = entry.get("decision")
            means = entry.get("moyens", {})
            identity: list[Cell] = [
                axe["id"],
                fiche["id"],
                fiche["titre"],
                fiche["pilote_service"],
                ", ".join(p["nom"] for p in fiche["partenaires_detail"]),
                ETATS.get(entry.get("etat", ""), "non évaluée"),
                _plain(entry.get("realise")),
            ]
            tail: list[Cell] = [
                means.get("montant"),
                means.get("dont_fipd"),
                _plain(entry.get("difficultes")),
                NEXT_STEPS.get(entry.get("suite", ""), ""),
                compute.decision_text(decision) if decision else "",
                _plain(entry.get("commentaires")),
            ]
            indicators: Sequence[Indicator | None] = fiche.get("indicateurs") or [None]
            for indicator in indicators:
                measured: list[Cell] = (
                    _indicator_cells(by_indicator[fiche["id"], indicator["id"]]) if indicator else [None] * len(INDICATOR_COLUMNS)
                )
                table.append(identity + measured + tail)
    return Grid(year, table, axes)


def _indicator_cells(row: compute.IndicatorYear) -> list[Cell]:
    indicator = row.indicator
    baseline, target = indicator.get("reference"), indicator.get("cible")
    return [
        # how it is counted (« objectif de maintien », « un élève compte une fois ») beside it, as in the fiche: the
        # evaluator reads the value against it
        compute.label(indicator) + (f" ({_plain(indicator['commentaire'])})" if indicator.get("commentaire") else ""),
        indicator.get("unite", ""),
        baseline and baseline["valeur"],
        target and target["valeur"],
        row.previous,
        row.value,
        row.gap,
        None if row.attainment is None else round(row.attainment, 3) + 0.0,  # + 0.0: no −0.0 (« −0 % »)
        compute.VERDICTS[row.verdict],
        _plain(row.comment),
    ]


def _plain(text: str | None) -> str:
    """Markdown prose on one line, for a cell."""
    return " ".join((text or "").split())
