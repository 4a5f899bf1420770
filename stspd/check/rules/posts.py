"""Posts that the staffing table would count wrongly, said as warnings (the fiche prints as written either way):
- a post's structure that looks like a partner's id but names none: a typo (« dtp » for « dtpp ») would count the
  post under a structure of its own, splitting the partner's total. A structure that is no partner may be written by
  its name: only a word that reads as an id (no space, lower case) or lies close to a partner's id is said;
- full-time equivalents written in the free text (`humains: … 0,3 ETP …`), which no total counts."""

from __future__ import annotations

import re
from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import items, mapping, text
from stspd.check.suggest import closest
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "postes"
_FTE_IN_TEXT = re.compile(r"\b\d+(?:[,.]\d+)?\s*ETP\b")


def check(project: Project, index: Index) -> Iterator[Problem]:
    if not index.complete("partenaire"):
        return  # the references rule already says that partners could not all be read
    known = index.ids("partenaire")
    for doc in project.fiches:
        means = mapping(mapping(doc.data).get("moyens"))
        written = _FTE_IN_TEXT.search(text(means.get("humains")) or "")
        if written:
            yield doc.problem(
                ("moyens", "humains"),
                NAME,
                f"humains : « {written.group()} » écrit dans le texte n'entre dans aucun total ; décrivez le poste dans "
                "personnels (fonction, structure, etp) pour qu'il soit compté",
            ).as_warning()
        for i, post in items(means.get("personnels")):
            structure = text(post.get("structure"))
            if structure is None or structure in known or " " in structure.strip():
                continue
            match = closest(structure, known)
            if match is None and not structure.islower():
                continue  # a name (« CSAPA », « Médiaval ») for a structure that is no partner
            hint = (
                f"vouliez-vous dire « {match} » ?" if match else "écrivez l'identifiant d'un partenaire ou le nom de la structure"
            )
            yield doc.problem(
                ("moyens", "personnels", i, "structure"),
                NAME,
                f"structure « {structure} » : ce n'est pas un partenaire de strategie.yaml, le poste serait compté à part "
                f"sous ce nom dans le tableau des moyens humains ; {hint}",
            ).as_warning()
