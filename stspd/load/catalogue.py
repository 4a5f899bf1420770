"""Frames (référentiels): the national strategies shipped with stspd, and those a project adds in referentiels/.

A frame is a versioned file (schemas/referentiel.schema.json): its axes, and the measures whose title is known,
numbered throughout the frame. Fiches and axes point to it by id (`mesures_nationales`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from stspd.check import schemas
from stspd.resources import data_dir

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

SHIPPED = "livré avec stspd"
# The order in which the documents and `stspd referentiels` present frames: the nation's first.
KIND_ORDER = ("national", "departemental", "fipd", "autre")
KIND_LABELS = {
    "national": "stratégie nationale",
    "departemental": "plan départemental",
    "fipd": "priorités du FIPD",
    "autre": "autre référentiel",
}


@dataclass(frozen=True)
class Frame:
    """A frame, read from a file that passed its schema."""

    id: str
    titre: str
    titre_court: str
    type: str
    statut: str
    debut: int
    fin: int
    source: str
    nombre_mesures: int | None  # the text's count, where it holds measures whose title is not known
    axes: dict[int, str]  # number → title, in the file's order
    mesures: dict[int, tuple[int, str]]  # number → (its axe, its title)
    origine: str  # SHIPPED, or the project's file (« referentiels/pdpd.yaml »)

    @property
    def provisoire(self) -> bool:
        return self.statut == "provisoire"

    @property
    def complete(self) -> bool:
        """Every measure of the text is listed: a number not listed is no measure of it."""
        return self.nombre_mesures is None or len(self.mesures) >= self.nombre_mesures

    @property
    def highest(self) -> int:
        """The highest measure number the text may hold."""
        return self.nombre_mesures or max(self.mesures, default=0)

    def measure_title(self, measure: int) -> str | None:
        known = self.mesures.get(measure)
        return known[1] if known else None

    def axe_of(self, measure: int) -> int | None:
        known = self.mesures.get(measure)
        return known[0] if known else None


def frame_of(data: dict[str, Any], origine: str) -> Frame:
    """The frame a valid file describes (the first axe or measure of a number, where one is repeated)."""
    axes: dict[int, str] = {}
    measures: dict[int, tuple[int, str]] = {}
    for axe in data["axes"]:
        axes.setdefault(axe["numero"], axe["titre"])
        for measure in axe.get("mesures", []):
            measures.setdefault(measure["numero"], (axe["numero"], measure["titre"]))
    return Frame(
        id=data["id"],
        titre=data["titre"],
        titre_court=data.get("titre_court", data["titre"]),
        type=data["type"],
        statut=data["statut"],
        debut=data["periode"]["debut"],
        fin=data["periode"]["fin"],
        source=data["source"],
        nombre_mesures=data.get("nombre_mesures"),
        axes=axes,
        mesures=measures,
        origine=origine,
    )


@cache
def shipped_frames() -> dict[str, Frame]:
    """The frames shipped with stspd, by id."""
    frames = {}
    for path in sorted((data_dir() / "referentiels").glob("*.yaml")):
        frame = frame_of(yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader), SHIPPED)
        frames[frame.id] = frame
    return frames


def project_frames(project) -> tuple[dict[str, Frame], set[str]]:
    """The frames of the project's referentiels/ that pass their schema, by id (a shipped id is not taken over:
    check/rules/frames.py reports the clash), and the ids of those that do not, whose links cannot be checked."""
    frames: dict[str, Frame] = {}
    unusable: set[str] = set()
    for document in project.referentiels:
        data = document.data
        name = data.get("id") if isinstance(data, dict) else None
        if not schemas.is_valid("referentiel", data):
            if isinstance(name, str):
                unusable.add(name)
            continue
        frame = frame_of(data, project.name(document.path))
        if frame.id not in shipped_frames():
            frames.setdefault(frame.id, frame)
    return frames, unusable


def frames(project) -> dict[str, Frame]:
    """Every frame a project may point to: the shipped ones, then its own, in the order documents present them."""
    own, _ = project_frames(project)
    found = {**shipped_frames(), **own}
    return dict(sorted(found.items(), key=lambda item: (KIND_ORDER.index(item[1].type), item[0])))
