"""The model's types say what the schemas say: each record's keys, and which of them are required."""

from __future__ import annotations

import pytest

from stspd.check.schemas import load
from stspd.model import types

# Each record of the YAML, with the schema and the path (through properties, items and $defs) that describe it.
RECORDS = [
    (types.NationalMeasureLink, "commun", "$defs/mesure_nationale"),
    (types.Strategy, "strategie", ""),
    (types.Territory, "strategie", "territoire"),
    (types.Qpv, "strategie", "territoire/qpv/[]"),
    (types.Period, "strategie", "periode"),
    (types.Adoption, "strategie", "adoption"),
    (types.Signatory, "strategie", "adoption/signataires/[]"),
    (types.Governance, "strategie", "gouvernance"),
    (types.Body, "strategie", "gouvernance/instances/[]"),
    (types.Partner, "strategie", "partenaires/[]"),
    (types.AxisData, "strategie", "axes/[]"),
    (types.ObjectiveData, "strategie", "axes/[]/objectifs/[]"),
    (types.Texts, "strategie", "textes"),
    (types.GlossaryEntry, "strategie", "glossaire/[]"),
    (types.FicheData, "fiche", ""),
    (types.FicheMeans, "fiche", "moyens"),
    (types.Post, "fiche", "moyens/personnels/[]"),
    (types.Funding, "fiche", "financements/[]"),
    (types.Schedule, "fiche", "calendrier"),
    (types.Milestone, "fiche", "calendrier/jalons/[]"),
    (types.Indicator, "fiche", "indicateurs/[]"),
    (types.DatedValue, "fiche", "$defs/valeur_datee"),
    (types.Evaluation, "evaluation", ""),
    (types.EvaluationEntry, "evaluation", "fiches/[]"),
    (types.IndicatorValue, "evaluation", "fiches/[]/indicateurs/[]"),
    (types.Spending, "evaluation", "fiches/[]/moyens"),
    (types.Diagnostic, "diagnostic", ""),
    (types.Method, "diagnostic", "methode"),
    (types.Interview, "diagnostic", "methode/entretiens/[]"),
    (types.Survey, "diagnostic", "methode/enquete"),
    (types.RespondentProfile, "diagnostic", "methode/enquete/profils/[]"),
    (types.ProfileCount, "diagnostic", "methode/enquete/profils/[]/effectifs/[]"),
    (types.WorkingGroup, "diagnostic", "methode/groupes_travail/[]"),
    (types.Theme, "diagnostic", "themes/[]"),
    (types.FindingData, "diagnostic", "themes/[]/constats/[]"),
    (types.Statistic, "diagnostic", "statistiques/[]"),
    (types.StatisticLine, "diagnostic", "statistiques/[]/lignes/[]"),
    (types.ValueNote, "diagnostic", "statistiques/[]/lignes/[]/notes/[]"),
    (types.SurveyQuestion, "diagnostic", "enquete_resultats/[]"),
    (types.SurveyAnswer, "diagnostic", "enquete_resultats/[]/reponses/[]"),
    (types.Scheme, "diagnostic", "dispositifs/[]"),
]


def _at(schema: dict, path: str) -> dict:
    node = schema
    for step in filter(None, path.split("/")):
        if step == "[]":
            node = node["items"]
        elif step == "$defs":
            node = node["$defs"]
        elif node is schema.get("$defs"):
            node = node[step]
        else:
            node = node["properties"][step]
    return node


@pytest.mark.parametrize(("record", "schema", "path"), RECORDS, ids=[r.__name__ for r, _, _ in RECORDS])
def test_a_record_has_the_keys_of_its_schema_required_as_there(record, schema, path):
    node = _at(load(schema), path)
    assert record.__required_keys__ | record.__optional_keys__ == set(node["properties"])
    assert record.__required_keys__ == set(node.get("required", []))


def test_an_entry_read_from_a_workbook_has_an_entry_s_keys_and_needs_only_its_fiche():
    assert types.EntryUpdate.__required_keys__ | types.EntryUpdate.__optional_keys__ == set(types.EvaluationEntry.__annotations__)
    assert types.EntryUpdate.__required_keys__ == {"fiche"}
