"""A heading (« ### Le cadre légal ») only in a text the documents print as a section's body: there it becomes a
sub-heading of that section (render/markdown_syntax.headings_under). Anywhere else (a title, a name, a short text,
a text printed after a bold lead or inside a list or a table) it could be no heading, and is refused where it stands.
"""

from __future__ import annotations

from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.schema import field_name
from stspd.check.shapes import texts
from stspd.load.document import Document, shortened, source_line
from stspd.load.project import Project
from stspd.problems import Problem

# The renderer's own reading of a heading: what it would shift is exactly what is refused elsewhere.
from stspd.render.markdown_syntax import Heading, headings

NAME = "titres"

ITEM = None  # stands for any item of a list in the paths below

# The texts the templates print with the `md` filter, under a heading of their own, by kind of document.
_SECTION_TEXTS: dict[str, set[tuple[str | None, ...]]] = {
    "strategie": {
        ("textes", "edito"),
        ("textes", "cadre"),
        ("textes", "suivi_evaluation"),
        ("territoire", "presentation"),
        ("gouvernance", "presentation"),
        ("gouvernance", "coordination"),
        ("axes", ITEM, "description"),
    },
    "diagnostic": {
        ("methode", "presentation"),
        ("methode", "etude_documentaire"),
        ("themes", ITEM, "synthese"),
        ("statistiques", ITEM, "commentaire"),
        ("enquete_resultats", ITEM, "commentaire"),
        ("bilan_precedent",),
    },
    "fiche": {("contexte",), ("description",), ("modalites",)},
    "evaluation": {("synthese",)},
}


def check(project: Project, index: Index) -> Iterator[Problem]:
    documents = [("strategie", project.strategie)] if project.strategie else []
    documents += [("diagnostic", doc) for doc in project.diagnostics]
    documents += [("fiche", doc) for doc in project.fiches]
    documents += [("evaluation", doc) for doc in project.evaluations]
    for kind, doc in documents:
        for path, value in texts(doc.data):
            found = headings(value)
            if found and tuple(ITEM if isinstance(part, int) else part for part in path) not in _SECTION_TEXTS[kind]:
                yield _misplaced(doc, path, value, found[0])


def _misplaced(doc: Document, path: tuple, value: str, heading: Heading) -> Problem:
    line = value.split("\n")[heading.first]
    how = "sans « # » au début de la ligne" if heading.first == heading.last else "sans la ligne qui le souligne"
    message = (
        f"{field_name(path)} : « {shortened(line.strip(), 50)} » est un titre, admis seulement dans les textes longs "
        f"(édito, cadre, présentations, synthèses, commentaires, description, modalités) : écrivez-le {how}"
    )
    number, column = doc.text_mark(path, heading.first)
    return Problem(doc.display, number, column, NAME, message, source_line(doc.text, number))
