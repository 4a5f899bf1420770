"""The bundled sample: complete enough to be the README's first run and the tests' fixture, and valid."""

from __future__ import annotations

import re

import yaml
from conftest import SAMPLE, problems_of


def _load(name: str) -> dict:
    return yaml.safe_load((SAMPLE / name).read_text(encoding="utf-8"))


def test_the_sample_is_valid():
    assert problems_of(SAMPLE) == []


def test_the_sample_has_the_size_of_a_real_strategy():
    strategie, diagnostic = _load("strategie.yaml"), _load("diagnostic.yaml")
    assert 50_000 <= strategie["territoire"]["population"] <= 70_000 and len(strategie["territoire"]["qpv"]) == 2
    assert len(strategie["axes"]) >= 4 and sum(len(a["objectifs"]) for a in strategie["axes"]) >= 10
    assert len(list((SAMPLE / "actions").glob("*.yaml"))) >= 24
    assert len(diagnostic["themes"]) >= 6 and diagnostic["enquete_resultats"]
    imported = _load("diagnostic/ssmsi.yaml")["statistiques"][0]  # stspd diagnostic import-ssmsi's
    assert len(imported["annees"]) >= 5 and any("secret" in row["valeurs"] for row in imported["lignes"])
    assert len(_load("diagnostic/statistiques-locales.yaml")["statistiques"]) >= 2
    assert len(list((SAMPLE / "evaluations").glob("*.yaml"))) == 2


def test_every_sample_file_declares_its_schema():
    for path in SAMPLE.rglob("*.yaml"):
        assert re.match(r"# yaml-language-server: \$schema=\S+\.schema\.json\n", path.read_text(encoding="utf-8")), path


def test_the_sample_names_roles_not_people():
    text = "\n".join(p.read_text(encoding="utf-8") for p in SAMPLE.rglob("*.yaml"))
    assert not re.search(r"[\w.-]+@[\w-]+\.\w+", text)  # no e-mail address
    assert not re.search(r"\b0[1-9](?:[ .]?\d{2}){4}\b", text)  # no French phone number
    assert not re.search(r"\b(?:M\.|Mme|Monsieur|Madame) [A-Z][a-zé]+", text)  # no « Mme Dupont »


def test_the_sample_s_diagnostic_uses_every_field_of_a_real_one():
    diagnostic, local = _load("diagnostic.yaml"), _load("diagnostic/statistiques-locales.yaml")["statistiques"]
    survey = diagnostic["methode"]["enquete"]
    assert survey["questionnaires_retournes"] <= survey["questionnaires_diffuses"] and len(survey["profils"]) >= 2
    assert any(q.get("reponses_multiples") for q in diagnostic["enquete_resultats"])
    assert all("base" in q for q in diagnostic["enquete_resultats"][:1])
    assert any("titre" in c for t in diagnostic["themes"] for c in t["constats"])
    assert any(isinstance(column, str) for table in local for column in table["annees"])  # a school year
    assert any(row.get("notes") for table in local for row in table["lignes"])
