"""The strategy as the documents need it: axes → objectives → fiches, names resolved, diagnostic merged.

Pure functions over a validated project, which read only the shipped reference data (glossary, frames) beside
the project's; no formatting (templates format).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any, cast

import yaml

from stspd.load import catalogue
from stspd.load.project import Project
from stspd.model import funding
from stspd.model.types import (
    AlignmentRow,
    Axis,
    Body,
    Diagnostic,
    DocumentModel,
    Evaluation,
    Fiche,
    FicheData,
    Finding,
    FrameAlignment,
    Funding,
    FundingLine,
    NationalMeasure,
    NationalMeasureLink,
    Objective,
    Partner,
    Post,
    StaffedPost,
    Staffing,
    StaffRow,
    Strategy,
)
from stspd.model.vocabulary import PARTNER_TYPES
from stspd.resources import data_dir


def natural_key(identifier: str) -> tuple:
    """« 1.2.10 » after « 1.2.9 »."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.\-_]", identifier))


def merged_diagnostic(documents: Iterable[Any]) -> Diagnostic:
    """One diagnostic from its files: lists add up (file order), other sections come from their one file."""
    merged: dict[str, Any] = {}
    for document in documents:
        for key, value in document.data.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            else:
                merged.setdefault(key, value)
    return cast(Diagnostic, merged)  # the sections of valid files, section by section: what Diagnostic says


_WORD = re.compile(r"[\w-]+")


@cache
def shipped_glossary() -> dict[str, str]:
    return yaml.safe_load((data_dir() / "glossaire.yaml").read_text(encoding="utf-8"))


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def glossary_used(texts: Iterable[str], entries: dict[str, str]) -> list[tuple[str, str]]:
    """The acronyms of `entries` that the texts use, as whole words, in alphabetical order."""
    corpus = "\n".join(texts)
    words = set(_WORD.findall(corpus))  # one pass over the texts, not one per acronym (40 ms on the sample)

    def used(acronym: str) -> bool:
        if _WORD.fullmatch(acronym):
            return acronym in words
        return re.search(rf"(?<![\w-]){re.escape(acronym)}(?![\w-])", corpus) is not None

    return sorted(
        ((acronym, meaning) for acronym, meaning in entries.items() if used(acronym)), key=lambda item: item[0].casefold()
    )


def _numbered(diagnostic: Diagnostic) -> Diagnostic:
    """Each constat numbered « theme.constat » (2.1): readers cite a constat by its number, its id is the YAML's."""
    themes = [
        {**theme, "constats": [{**c, "numero": f"{i}.{j}"} for j, c in enumerate(theme["constats"], start=1)]}
        for i, theme in enumerate(diagnostic.get("themes", []), start=1)
    ]
    return cast(Diagnostic, {**diagnostic, "themes": themes}) if themes else diagnostic


def document_model(project: Project) -> DocumentModel:
    """The document model of a valid project (validation comes first: commands/valid.py)."""
    if project.strategie is None:
        raise ValueError("document_model needs a valid project: its strategie.yaml was not read")
    strategie: Strategy = project.strategie.data
    partners = {p["id"]: p for p in strategie["partenaires"]}
    diagnostic = _numbered(merged_diagnostic(project.diagnostics))
    constats: dict[str, Finding] = {  # numbered by _numbered: the diagnostic's type does not say it
        c["id"]: cast(Finding, {**c, "theme": t["titre"]}) for t in diagnostic.get("themes", []) for c in t["constats"]
    }
    qpv = {q["code"]: q for q in strategie["territoire"].get("qpv", [])}
    frames = catalogue.frames(project)

    axes: list[Axis] = []
    objectives: dict[str, Objective] = {}
    for axe_number, axe in enumerate(strategie["axes"], start=1):
        axe_view: Axis = {**axe, "numero": axe_number, "objectifs": [], "fiches": []}
        for objective in axe["objectifs"]:
            view: Objective = {**objective, "axe": axe_view, "fiches": []}
            axe_view["objectifs"].append(view)
            objectives[objective["id"]] = view
        axes.append(axe_view)

    fiches: list[Fiche] = []
    for document in sorted(project.fiches, key=lambda d: natural_key(d.data["id"])):
        data: FicheData = document.data
        main_objective = objectives[data["objectifs"][0]]
        years = funding.action_years(data.get("calendrier", {}), strategie["periode"]["fin"])
        lines: list[FundingLine] = [
            {
                **line,
                "annees_detail": funding.line_years(line, years) if funding.is_annual(line) else [],
                "total": _total(line, years),
            }
            for line in data.get("financements", [])
        ]
        posts: list[StaffedPost] = [_post(post, partners) for post in data.get("moyens", {}).get("personnels", [])]
        fiche: Fiche = {
            **data,
            "objectif": main_objective,
            "axe": main_objective["axe"],
            "objectifs_detail": [objectives[o] for o in data["objectifs"]],
            "pilote_detail": partners[data["pilote"]],
            "pilote_service": partners[data["pilote"]]["nom"]
            + (f" ({data['service_pilote']})" if data.get("service_pilote") else ""),
            "partenaires_detail": [partners[p] for p in data.get("partenaires", [])],
            "constats_detail": [constats[c] for c in data.get("constats", []) if c in constats],
            "qpv_detail": [qpv[q] for q in data.get("qpv", []) if q in qpv],
            # what is secured (budgeted or granted) and what is only asked for are never added together
            "financement_acquis": sum(line["total"] for line in lines if line.get("statut", "prevu") != "demande"),
            "financement_demande": sum(line["total"] for line in lines if line.get("statut") == "demande"),
            "financements_detail": lines,
            "personnels_detail": posts,
            "etp": sum(post["etp"] for post in posts),
            "mesures_detail": [_measure(frames, link) for link in data.get("mesures_nationales", [])],
        }
        main_objective["fiches"].append(fiche)
        main_objective["axe"]["fiches"].append(fiche)
        fiches.append(fiche)

    glossary = {**shipped_glossary(), **{p["sigle"]: p["nom"] for p in strategie["partenaires"] if p.get("sigle")}}
    glossary.update({entry["sigle"]: entry["definition"] for entry in strategie.get("glossaire", [])})
    evaluations: list[Evaluation] = sorted((d.data for d in project.evaluations), key=lambda e: e["annee"])
    texts = [*_strings(strategie), *_strings(diagnostic), *(s for d in project.fiches for s in _strings(d.data))]
    return {
        "strategie": strategie,
        "territoire": strategie["territoire"],
        "periode": strategie["periode"],
        "partenaires": sorted(strategie["partenaires"], key=lambda p: p["nom"].casefold()),
        "partner_types": PARTNER_TYPES,
        "diagnostic": diagnostic,
        "axes": axes,
        "fiches": fiches,
        "evaluations": evaluations,
        "alignement": _alignment(frames, axes, fiches),
        "moyens_humains": _staffing(axes),
        "glossaire": glossary_used(texts, glossary),
        "instances_publiques": [i for i in strategie.get("gouvernance", {}).get("instances", []) if not confidential(i)],
        "instances_confidentielles": [i for i in strategie.get("gouvernance", {}).get("instances", []) if confidential(i)],
    }


# What the document says of a confidential instance (a cellule de veille): that it exists, by its name; its role,
# its members and its composition are never printed, nor exported.
SAID_OF_CONFIDENTIAL = ("id", "nom", "confidentielle")


def confidential(body: Body | dict) -> bool:
    return bool(body.get("confidentielle"))


def published(strategie: dict) -> dict:
    """strategie.yaml's data as the document makes them public: a confidential instance reduced to its name."""
    governance = strategie.get("gouvernance")
    if not governance or not any(confidential(body) for body in governance.get("instances", [])):
        return strategie
    bodies = [
        {key: value for key, value in body.items() if key in SAID_OF_CONFIDENTIAL} if confidential(body) else body
        for body in governance["instances"]
    ]
    return {**strategie, "gouvernance": {**governance, "instances": bodies}}


def _post(post: Post, partners: dict[str, Partner]) -> StaffedPost:
    partner = partners.get(post["structure"])
    name = partner["nom"] if partner else post["structure"]
    return {**post, "structure_nom": name, "structure_court": partner.get("sigle") or name if partner else name}


def _total(line: Funding, years: list[int]) -> float:
    total = funding.line_total(line, years)
    assert total is not None, "a valid fiche's funding line has an amount"
    return total


def _staffing(axes: list[Axis]) -> Staffing | None:
    """The posts' full-time equivalents per structure and per axe; None when no fiche counts its posts."""
    per: dict[str, list[float]] = {}
    for n, axe in enumerate(axes):
        for fiche in axe["fiches"]:
            for post in fiche["personnels_detail"]:
                per.setdefault(post["structure_nom"], [0.0] * len(axes))[n] += post["etp"]
    if not per:
        return None
    rows: list[StaffRow] = [
        {"structure": name, "etp": etp, "total": sum(etp)}
        for name, etp in sorted(per.items(), key=lambda item: item[0].casefold())
    ]
    by_axe = [sum(row["etp"][n] for row in rows) for n in range(len(axes))]
    return {"lignes": rows, "axes": by_axe, "total": sum(by_axe)}


def _measure(frames: dict[str, catalogue.Frame], link: NationalMeasureLink) -> NationalMeasure:
    frame = frames[link["strategie"]]
    measure = link.get("mesure")
    return {
        "strategie": frame.titre,
        "strategie_id": frame.id,
        "strategie_court": frame.titre_court,
        "axe": link["axe"],
        "axe_titre": frame.axes[link["axe"]],
        "mesure": measure,
        "mesure_titre": frame.measure_title(measure) if measure else None,
    }


def _alignment(frames: dict[str, catalogue.Frame], axes: list[Axis], fiches: list[Fiche]) -> list[FrameAlignment]:
    """Each frame the strategy points to (in the catalogue's order: the nation's first), its axes and measures each
    with the local axes, objectives and fiches that answer it, and its axes that nothing answers."""
    rows: dict[tuple[str, int, int], AlignmentRow] = {}

    def add(link: NationalMeasureLink, label: str) -> None:
        measure = _measure(frames, link)
        key = (link["strategie"], link["axe"], link.get("mesure") or 0)
        elements = rows.setdefault(key, {**measure, "elements": []})["elements"]
        if label not in elements:  # a fiche naming one link twice (two old measures moved to one axe) is one answer
            elements.append(label)

    for axe in axes:
        for link in axe.get("mesures_nationales", []):
            add(link, f"Axe {axe['id']}")
        for objective in axe["objectifs"]:
            for link in objective.get("mesures_nationales", []):
                add(link, f"Objectif {objective['id']}")
    for fiche in fiches:
        for link in fiche.get("mesures_nationales", []):
            add(link, f"Fiche {fiche['id']}")
    found: list[FrameAlignment] = []
    for frame in frames.values():
        lines = [rows[key] for key in sorted(rows) if key[0] == frame.id]
        if not lines:
            continue
        covered = {line["axe"] for line in lines}
        found.append(
            {
                "id": frame.id,
                "titre": frame.titre,
                "type": frame.type,
                "statut": frame.statut,
                "source": frame.source,
                "lignes": lines,
                "axes_non_couverts": [{"numero": n, "titre": t} for n, t in sorted(frame.axes.items()) if n not in covered],
                "nombre_axes": len(frame.axes),
            }
        )
    return found
