"""`stspd new-period`: the next strategy started from the previous one and its last bilan.

The fiches the last evaluation says to continue or to adapt are carried over, with their indicators' last measured
values as new baselines and their targets moved to the new period's end; those it says to stop, and those
abandoned or completed, are left out. Each carried fiche records where it comes from. What belongs to the old
strategy (its adoption, its edito, its evaluations, its milestones) is not carried: the texts to write again are
« À rédiger », which `stspd validate` counts. The previous project is only read.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

from stspd import fr
from stspd.commands.errors import Misuse
from stspd.commands.init import _refuse_if_not_empty, _schema_files, check_periode
from stspd.commands.valid import valid_model
from stspd.model import funding
from stspd.model.strategy import natural_key
from stspd.model.types import Evaluation, Period
from stspd.output.atomic import write_all
from stspd.output.yaml_text import block_yaml
from stspd.resources import data_dir

PLACEHOLDER = "À rédiger"
CARRIED = ("poursuivre", "adapter")


@dataclass(frozen=True)
class Fate:
    """What becomes of a fiche of the previous strategy, in words."""

    fiche: str
    carried: bool
    why: str


@dataclass(frozen=True)
class NewPeriod:
    files: list[Path]
    fates: list[Fate]
    overlap: str | None = None  # the years both strategies cover, said in words, when the new one starts early


def new_period(target: Path, source: Path, periode: str) -> NewPeriod:
    """Write the new project into `target` (new or empty) from the valid project `source`, for « AAAA-AAAA »."""
    first, last = check_periode(periode)
    if target.resolve().is_relative_to(source.resolve()):
        # The old project would then hold the new one's files: read as its own (a second strategie.yaml, fiches)
        raise Misuse(
            f"« {target} » est dans le projet précédent ({source}) : créez le nouveau projet à côté, "
            f"ex. stspd new-period {source.resolve().name}-{first} --depuis {source} --periode {periode}"
        )
    _refuse_if_not_empty(target, "stspd new-period")
    project, view = valid_model(source)
    old = view["periode"]
    if first <= old["debut"]:
        raise Misuse(
            f"--periode {periode} : la nouvelle période doit commencer après le début de la précédente "
            f"({fr.years(old['debut'], old['fin'])})"
        )
    overlap = _overlap(old, first)
    evaluations = sorted(view["evaluations"], key=lambda e: e["annee"])
    if not evaluations:
        raise Misuse("le projet n'a aucune évaluation : sans bilan, rien ne dit quelles fiches poursuivre")
    span = fr.years(old["debut"], old["fin"])
    files: dict[Path, bytes] = {}
    fates = []
    for document in sorted(project.fiches, key=lambda d: natural_key(d.data["id"])):
        fate = _fate(document.data["id"], evaluations)
        fates.append(fate)
        if fate.carried:
            fiche = _carried(document.data, evaluations, first, last, f"Stratégie {span}, fiche {fate.fiche} : {fate.why}")
            files[target / "actions" / f"{fiche['id']}.yaml"] = _dump(fiche, "../schemas/fiche.schema.json")
    strategy = _strategy(project.strategie.data if project.strategie else {}, old, first, last)
    files[target / "strategie.yaml"] = _dump(strategy, "schemas/strategie.schema.json")
    for number, document in enumerate(project.diagnostics):
        diagnostic = copy.deepcopy(document.data)
        if "bilan_precedent" in diagnostic or number == 0:
            diagnostic["bilan_precedent"] = f"{PLACEHOLDER} : le bilan de la stratégie {span} (stspd bilan)."
        relative = document.path.relative_to(project.root)
        schema = "../schemas/diagnostic.schema.json" if len(relative.parts) > 1 else "schemas/diagnostic.schema.json"
        files[target / relative] = _dump(diagnostic, schema)
    for document in project.referentiels:  # the frames the town added go on serving
        files[target / document.path.relative_to(project.root)] = _dump(document.data, "../schemas/referentiel.schema.json")
    logo = (project.strategie.data or {}).get("logo") if project.strategie else None
    if logo:
        files[target / logo] = (project.root / logo).read_bytes()
    files[target / "evaluations" / ".gitkeep"] = b""
    files[target / ".gitignore"] = (data_dir() / "init" / "gitignore.j2").read_bytes()
    files.update(_schema_files(target / "schemas"))
    return NewPeriod(write_all(files), fates, overlap)


def _overlap(old: Period, first: int) -> str | None:
    """A new strategy may start before the old one's end: adopted early (a new national strategy, a new
    municipal team), it replaces the old one from its first year. Allowed, but said: the town may rather have
    meant to extend the old one, which is a revision of it (a prolongation), not a new period."""
    if first > old["fin"]:
        return None
    return (
        f"la nouvelle période commence en {first}, avant la fin de la précédente ({fr.years(old['debut'], old['fin'])}) : "
        f"la nouvelle stratégie remplace l'ancienne dès {first}. Pour prolonger l'ancienne plutôt, c'est une révision "
        "de son strategie.yaml (revisions:, prolongation), pas une nouvelle période"
    )


def _fate(fiche: str, evaluations: list[Evaluation]) -> Fate:
    entries = [(e["annee"], entry) for e in evaluations for entry in e["fiches"] if entry["fiche"] == fiche]
    abandoned = next((year for year, entry in entries if entry.get("etat") == "abandonnee"), None)
    if abandoned:
        return Fate(fiche, False, f"abandonnée en {abandoned}")
    if not entries:
        return Fate(fiche, True, "jamais évaluée, à décider")
    year, entry = entries[-1]
    step = entry.get("suite")
    if step in CARRIED:
        return Fate(fiche, True, f"« {step} » au bilan {year}")
    if step == "arreter":
        return Fate(fiche, False, f"« arrêter » au bilan {year}")
    if entry.get("etat") == "realisee":
        return Fate(fiche, False, f"réalisée au bilan {year}, sans suite prévue")
    return Fate(fiche, True, f"sans suite décidée au bilan {year}, à décider")


def _carried(data: dict, evaluations: list[Evaluation], first: int, last: int, origin: str) -> dict:
    fiche = copy.deepcopy(data)
    fiche["origine"] = origin
    schedule = fiche.setdefault("calendrier", {})
    schedule.update(debut=first, fin=last)
    schedule.pop("jalons", None)  # the old strategy's milestones are past
    for line in fiche.get("financements") or []:
        line.pop("annee", None)
        line.pop("annees", None)  # an annual line runs again over the new schedule's years
        line["statut"] = "prevu"  # a grant of the old period is not one of the new: asked again
    means = fiche.get("moyens") or {}
    total = sum(funding.line_total(line, list(range(first, last + 1))) or 0 for line in fiche.get("financements") or [])
    if "budget" in means and means["budget"] < total:  # annual lines over a longer period: the project stays valid
        means["budget"] = total
    for indicator in fiche.get("indicateurs") or []:
        measured = _last_value(data["id"], indicator["id"], evaluations)
        if measured:
            indicator["reference"] = {"valeur": measured[1], "annee": measured[0]}
        if indicator.get("cible"):
            indicator["cible"]["annee"] = last
    return fiche


def _last_value(fiche: str, indicator: str, evaluations: list[Evaluation]) -> tuple[int, float] | None:
    for evaluation in reversed(evaluations):
        for entry in evaluation["fiches"]:
            if entry["fiche"] != fiche:
                continue
            for value in entry.get("indicateurs") or []:
                measured = value.get("valeur")
                if value["id"] == indicator and isinstance(measured, (int, float)):
                    return evaluation["annee"], measured
    return None


_SPAN = re.compile(r"\b(\d{4})\s*[-–]\s*(\d{4})\b")


def _strategy(data: dict, old: Period, first: int, last: int) -> dict:
    strategy = copy.deepcopy(data)
    strategy["periode"] = {"debut": first, "fin": last}
    strategy["titre"] = _SPAN.sub(f"{first}-{last}", strategy.get("titre", "")) or f"Stratégie {first}-{last}"
    strategy.pop("adoption", None)  # the new strategy is not adopted yet
    strategy.pop("revisions", None)  # the old strategy's history
    strategy.pop("calendrier_evaluation", None)  # its years are the old period's
    strategy.pop("version", None)  # the new document starts its own versions
    if "statut" in strategy:
        strategy["statut"] = "projet"
    span = fr.years(old["debut"], old["fin"])
    texts = strategy.get("textes") or {}
    for key in ("edito", "cadre", "suivi_evaluation"):
        if key in texts:
            texts[key] = f"{PLACEHOLDER} : le texte de la nouvelle stratégie (celui de {span} peut servir de point de départ)."
    return strategy


def _dump(data: dict, schema: str) -> bytes:
    return f"# yaml-language-server: $schema={schema}\n{block_yaml(data)}".encode()
