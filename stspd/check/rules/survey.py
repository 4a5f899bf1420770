"""The survey's counts hold together: returned questionnaires no more than distributed, respondents no more than
returned, each profile and each question's base within the respondents, and a question with one answer per
respondent whose shares do not exceed 100 %.

A profile's counts are printed as shares of the respondents: counts above them would print shares over 100 %.
"""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import amount, integer, items, mapping
from stspd.load.project import Project
from stspd.problems import Problem

NAME = "enquete"
ROUNDING = 1  # percentages rounded one by one may add up to 101


def number(value: float) -> str:
    """1 500, 130,5: plain formatting on purpose, validate must not import the rendering stack (Babel included)."""
    return f"{value:,}".replace(",", "\u202f").replace(".", ",")


def check(project: Project, index: Index) -> Iterator[Problem]:
    respondents: int | None = None
    for doc in project.diagnostics:
        survey = mapping(mapping(mapping(doc.data).get("methode")).get("enquete"))
        if not survey:
            continue
        where = ("methode", "enquete")
        sent, back = integer(survey.get("questionnaires_diffuses")), integer(survey.get("questionnaires_retournes"))
        respondents = integer(survey.get("echantillon"))
        if sent is not None and back is not None and back > sent:
            message = f"questionnaires_retournes : {number(back)} retournés pour {number(sent)} diffusés"
            yield doc.problem((*where, "questionnaires_retournes"), NAME, message)
        if back is not None and respondents is not None and respondents > back:
            message = f"echantillon : {number(respondents)} répondants pour {number(back)} questionnaires retournés"
            yield doc.problem((*where, "echantillon"), NAME, message)
        for i, profile in items(survey.get("profils")):
            counted = sum(integer(c.get("nombre")) or 0 for _, c in items(profile.get("effectifs")))
            if respondents is not None and counted > respondents:
                message = (
                    f"effectifs : {number(counted)} répondants comptés pour « {profile.get('critere')} », plus que les "
                    f"{number(respondents)} répondants de l'enquête (echantillon)"
                )
                yield doc.problem((*where, "profils", i, "effectifs"), NAME, message)
    for doc in project.diagnostics:
        for i, question in items(mapping(doc.data).get("enquete_resultats")):
            base = integer(question.get("base"))
            if base is not None and respondents is not None and base > respondents:
                message = f"base : {number(base)} répondants à la question, plus que les {number(respondents)} de l'enquête (echantillon)"
                yield doc.problem(("enquete_resultats", i, "base"), NAME, message)
            total = sum(amount(r.get("part")) or 0 for _, r in items(question.get("reponses")))
            if question.get("reponses_multiples") is not True and total > 100 + ROUNDING:
                message = (
                    f"reponses : les parts totalisent {number(total)} % ; si plusieurs réponses étaient possibles, "
                    "ajoutez « reponses_multiples: true », sinon corrigez les parts"
                )
                yield doc.problem(("enquete_resultats", i, "reponses"), NAME, message)
