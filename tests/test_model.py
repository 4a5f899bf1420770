from __future__ import annotations

from stspd.model.strategy import glossary_used

ENTRIES = {
    "CLSPD": "Conseil local",
    "QPV": "Quartier prioritaire",
    "ZSP": "Zone de sécurité prioritaire",
    "PJJ": "Protection judiciaire de la jeunesse",
    "Q/V": "un sigle qui n'est pas un mot",
}


def test_glossary_keeps_the_acronyms_used_as_whole_words_in_alphabetical_order():
    texts = ["Le CLSPD se réunit.", "Deux QPV, dont QPV-Nord ; ZSPX n'est pas ZSP", "Q/V aussi"]
    assert glossary_used(texts, ENTRIES) == [
        ("CLSPD", "Conseil local"),
        ("Q/V", "un sigle qui n'est pas un mot"),
        ("QPV", "Quartier prioritaire"),
        ("ZSP", "Zone de sécurité prioritaire"),
    ]


def test_glossary_ignores_an_acronym_seen_only_inside_a_longer_word():
    assert glossary_used(["PJJ-Est", "xPJJ", "CLSPDs"], ENTRIES) == []
