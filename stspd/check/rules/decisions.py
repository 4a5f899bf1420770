"""A fiche postponed or abandoned says who decided it, when and why; a decision belongs to no other state.

Without it the grid and the bilan could only say « abandonnée »: a warning, since the état is still right. A decision
beside « en cours » contradicts the état it comes with: an error, for the reader would not know which to believe.
"""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import items, mapping, text
from stspd.load.project import Project
from stspd.model.vocabulary import ETATS
from stspd.problems import Problem

NAME = "decisions"
DECIDED = ("reportee", "abandonnee")


def check(project: Project, index: Index) -> Iterator[Problem]:
    for doc in project.evaluations:
        for i, entry in items(mapping(doc.data).get("fiches")):
            state, fiche = text(entry.get("etat")), text(entry.get("fiche")) or "?"
            if state is None:
                continue
            if state in DECIDED and "decision" not in entry:
                message = (
                    f"etat : la fiche {fiche} est {ETATS[state]} sans décision : ajoutez decision (date, instance, "
                    "motif), que la grille et le bilan impriment"
                )
                yield doc.problem(("fiches", i, "etat"), NAME, message).as_warning()
            elif state not in DECIDED and "decision" in entry:
                message = (
                    f"decision : la fiche {fiche} est « {ETATS.get(state, state)} » ; une décision ne se donne que pour une fiche "
                    "« reportee » ou « abandonnee » : corrigez l'état ou retirez la décision"
                )
                yield doc.problem(("fiches", i, "decision"), NAME, message, key=True)
