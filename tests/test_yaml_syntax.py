"""YAML syntax errors are explained in French, at the line where the user must act, with the fix; for both loaders."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import edit, run

from stspd.load import document
from stspd.load.document import load_document
from stspd.problems import ProblemError

# PyYAML with libyaml (the wheels' default) and without it (a platform without wheel): the same answers.
LOADERS = [pytest.param(yaml.SafeLoader, id="pure-python")]
if yaml.__with_libyaml__:
    LOADERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))

# Words of PyYAML's and libyaml's messages, which must never reach the user
ENGLISH = (
    "mapping values",
    "could not find",
    "while scanning",
    "while parsing",
    "expected",
    "found",
    "allowed",
    "token",
    "scalar",
    "block end",
    "document start",
    "syntaxe YAML invalide",
)


@pytest.fixture(params=LOADERS, autouse=True)
def loader(request, monkeypatch):
    monkeypatch.setattr(document, "_Loader", request.param)
    return request.param


def load(tmp_path: Path, text: str):
    path = tmp_path / "f.yaml"
    path.write_bytes(text.encode("utf-8"))
    return load_document(path, "f.yaml")


def problem(tmp_path: Path, text: str):
    with pytest.raises(ProblemError) as caught:
        load(tmp_path, text)
    return caught.value.problem


def check(tmp_path: Path, text: str, line: int, column: int, *words: str):
    """The problem of `text`: at `line` and `column`, saying `words`, in French, with the line it is about."""
    p = problem(tmp_path, text)
    assert (p.rule, p.line, p.column) == ("yaml", line, column), p.message
    for word in words:
        assert word in p.message
    assert not [fragment for fragment in ENGLISH if fragment in p.message], p.message
    assert p.source_line == text.splitlines()[line - 1]
    return p


def indentation(text: str, line: int) -> int:
    content = text.splitlines()[line - 1]
    return len(content) - len(content.lstrip())


def test_a_colon_in_a_text_asks_for_quotes_and_shows_the_line_corrected(tmp_path):
    text = "id: 1.1.1\ntitre: Rodéos urbains : prévenir et sanctionner\npilote: pm\n"
    check(
        tmp_path,
        text,
        2,
        23,
        "un texte qui contient « : » doit être entre guillemets",
        '« titre: "Rodéos urbains : prévenir et sanctionner" »',
    )


@pytest.mark.parametrize(
    ("text", "line", "column", "fix"),
    [
        ("moyens:\n  humains: Agents : 3 ETP\n  budget: 1\n", 2, 19, '« humains: "Agents : 3 ETP" »'),
        ("horaire: 12:30 : fin\n", 1, 16, '« horaire: "12:30 : fin" »'),
        ("titre: Rodéos urbains :\n", 1, 23, '« titre: "Rodéos urbains :" »'),
        ("titre: C:\\dossier : a\n", 1, 19, "« titre: 'C:\\dossier : a' »"),  # a backslash: single quotes keep it
        ("titre: L'action : prévenir # à revoir\n", 1, 17, '« titre: "L\'action : prévenir" »'),  # the comment left out
        ("partenaires:\n  - pn\n  - a: b: c\n", 3, 9, '« - a: "b: c" »'),
    ],
    ids=["nested", "time", "at-the-end", "backslash", "comment", "list-item"],
)
def test_a_colon_in_a_text_everywhere(tmp_path, text, line, column, fix):
    check(tmp_path, text, line, column, "doit être entre guillemets", fix)


def test_a_colon_in_a_text_that_goes_on_over_lines(tmp_path):
    text = "description: Un cycle d'ateliers\n  pour comprendre : la règle\npilote: pm\n"
    check(tmp_path, text, 2, 19, "le texte commencé ligne 1", "contient « : »", "entre guillemets")


@pytest.mark.parametrize(
    ("text", "line", "column", "fix"),
    [
        ("id: 1.1.1\npilote:pm\npartenaires: [pn]\n", 2, 8, "« pilote: pm »"),  # PyYAML stops at line 3
        ("id: 1.1.1\npilote:pm\n", 2, 8, "« pilote: pm »"),
        ("moyens:\n  humains:pm\n  budget: 1\n", 2, 11, "« humains: pm »"),  # PyYAML stops at the next « : »
    ],
    ids=["top", "last-line", "nested"],
)
def test_no_space_after_a_colon_is_reported_on_its_own_line(tmp_path, text, line, column, fix):
    check(tmp_path, text, line, column, "il faut un espace après « : »", fix)


@pytest.mark.parametrize(
    ("text", "line", "column", "fix"),
    [
        ("id: 1\ntitre Rodéos urbains\npilote: pm\n", 2, 6, "« titre: Rodéos urbains »"),
        ("id: 1\npilote: pm\ntitre Rodéos\n", 3, 6, "« titre: Rodéos »"),
        ("moyens:\n  humains 3 ETP\n  budget: 1\n", 2, 10, "« humains: 3 ETP »"),
        ("titre\n  suite: a\n", 1, 6, "« titre: »"),
    ],
    ids=["top", "last-line", "nested", "key-alone"],
)
def test_a_missing_colon_after_a_key_is_reported_on_its_line(tmp_path, text, line, column, fix):
    check(tmp_path, text, line, column, "il manque « : » après la clé", fix)


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ('id: 1\ntitre: "Rodéos urbains\npilote: pm\npartenaires: [pn]\n', '« titre: "Rodéos urbains" »'),
        ('id: 1\ntitre: "Rodéos urbains\npilote: pm\nlieu: "mairie"\n', '« titre: "Rodéos urbains" »'),  # closed by the next
        ('id: 1\ntitre: "Rodéos urbains\n---\n"\n', '« titre: "Rodéos urbains" »'),
    ],
    ids=["end-of-file", "closed-by-the-next-quote", "document-marker"],
)
def test_an_unclosed_quote_is_reported_where_it_opened(tmp_path, text, fix):
    check(tmp_path, text, 2, 8, "le guillemet « \" » ouvert ici n'est jamais refermé", fix)


def test_an_unclosed_quote_closed_far_below_is_reported_where_it_opened(tmp_path):
    text = 'id: 1\ntitre: "Rodéos\n' + "".join(f"cle{i}: valeur\n" for i in range(20)) + 'unite: "%"\n'
    check(tmp_path, text, 2, 8, "ouvert ici n'est jamais refermé")


def test_an_unclosed_apostrophe_is_reported_where_it_opened(tmp_path):
    check(
        tmp_path,
        "id: 1\ntitre: 'Rodéos urbains\npilote: pm\n",
        2,
        8,
        "l'apostrophe « ' » ouverte ici",
        "« titre: 'Rodéos urbains' »",
    )


def test_an_apostrophe_that_closes_a_quoted_text_too_early(tmp_path):
    check(tmp_path, "id: 1\ntitre: 'l'action'\n", 2, 10, "une apostrophe s'écrit deux fois", '« titre: "l\'action" »')


def test_text_after_a_closing_quote(tmp_path):
    check(
        tmp_path,
        'id: 1\ntitre: "Rodéos" urbains\n',
        2,
        15,
        "du texte suit le guillemet fermant",
        "« titre: '\"Rodéos\" urbains' »",
    )


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        (
            "id: 1\nmoyens:\n  humains: a\n   materiels: b\n  budget: 1\n",
            4,
            4,
            ["la ligne 4 est indentée de 3 espaces", "les clés de ce bloc (humains) commencent à 2 espaces"],
        ),
        (
            "id: 1\nmoyens:\n  humains: a\n materiels: b\n",
            4,
            2,
            [
                "la ligne 4 est indentée de 1 espace",
                "les clés de ce bloc (humains) commencent à 2 espaces",
                "les clés du bloc parent (id, moyens) commencent en début de ligne",
            ],
        ),
        ("id: 1\n titre: a\npilote: b\n", 2, 2, ["les clés de ce bloc (id) commencent en début de ligne", "ne l'indentez pas"]),
        ("titre: a\n\n# note\n  pilote: b\n", 4, 3, ["la ligne 4 est indentée de 2 espaces", "(titre)"]),
        (
            "financements:\n  - source: commune\n   montant: 1\n",
            3,
            4,
            ["les clés de ce bloc (source) commencent à 4 espaces", "du bloc parent (financements)"],
        ),
        ("partenaires:\n  - pn\n - pm\n", 3, 2, ["les éléments « - » de la liste commencent à 2 espaces"]),
        (
            "id: 1\ntitre: a\npilote: b\nmoyens:\n  humains: a\n  materiels: b\n  budget: 1\n   commentaire: c\n",
            8,
            4,
            ["les clés de ce bloc (humains, materiels…) commencent à 2 espaces"],
        ),
        (
            "id: 1\ncontexte: |\n  Le diagnostic\n relève\n",
            4,
            2,
            ["si elle continue le texte « | » de la ligne 2, indentez-la de 2 espaces"],
        ),
        ("# yaml-language-server: $schema=x.json\n id: 1\ntitre: a\n", 2, 2, ["les clés du premier niveau ne le sont pas"]),
    ],
    ids=["more", "less", "first-level", "after-a-comment", "list-of-keys", "list-item", "three-keys", "text", "first-key"],
)
def test_a_wrong_indentation_says_where_the_block_starts(tmp_path, text, line, column, words):
    check(tmp_path, text, line, column, *words)


def test_a_key_at_the_level_of_list_items(tmp_path):
    check(
        tmp_path,
        "partenaires:\n  - pn\n  pilote: pm\n",
        3,
        3,
        "alignée sur les éléments de la liste au-dessus sans commencer par « - »",
        "« - pilote: pm »",
        "pour une clé, ne l'indentez pas, comme les clés (partenaires)",
    )


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("id: 1\ntitre: a\n- pm\npilote: b\n", 3, ["la clé « titre » a déjà sa valeur sur sa ligne", "(« titre: »)"]),
        ("moyens:\n  humains: a\n  - b\n", 3, ["la clé « humains » a déjà sa valeur"]),
    ],
    ids=["top", "nested"],
)
def test_a_list_item_where_a_key_is_expected(tmp_path, text, line, words):
    check(tmp_path, text, line, indentation(text, line) + 1, "une liste se place sous une clé seule sur sa ligne", *words)


def test_a_missing_dash_in_a_list(tmp_path):
    check(tmp_path, "titre:\n  - a\n  b\n", 3, 3, "il manque « - » devant cet élément de liste", "« - b »")


@pytest.mark.parametrize(
    ("text", "line", "column", "fix"),
    [
        ("partenaires:\n  - pn\n  -pm\n", 3, 4, "« - pm »"),
        ("partenaires:\n- pn\n-pm\nid: 1\n", 3, 2, "« - pm »"),
        ("financements:\n  - source: commune\n    montant: 1\n  -source: fipd\n    montant: 2\n", 4, 4, "« - source: fipd »"),
        ("financements:\n  -source: commune\n   montant: 1\n", 2, 4, "« - source: commune »"),
    ],
    ids=["text", "not-indented", "item-of-keys", "first-item"],
)
def test_a_dash_without_space(tmp_path, text, line, column, fix):
    check(tmp_path, text, line, column, "il faut un espace après « - »", fix)


@pytest.mark.parametrize(
    ("text", "line", "column", "sign"),
    [("partenaires: [pn, pm]]\n", 1, 22, "]"), ("x: {a: 1}}\n", 1, 10, "}"), ("partenaires:\n  - pn\n]\n", 3, 1, "]")],
    ids=["bracket", "brace", "own-line"],
)
def test_a_stray_closing_bracket(tmp_path, text, line, column, sign):
    check(tmp_path, text, line, column, f"« {sign} » en trop", "supprimez-le")


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        (
            "id: 1\npartenaires: [pn, pm\npilote: pm\n",
            14,
            ["le crochet « [ » ouvert ici n'est jamais refermé", "« partenaires: [pn, pm] »"],
        ),
        (
            "id: 1\ntitre: [Brouillon Rodéos urbains\npilote: pm\n",
            8,
            ["n'est jamais refermé", "si c'est un texte qui commence par « [ »", '« titre: "[Brouillon Rodéos urbains" »'],
        ),
        ("id: 1\nx: {a: 1\npilote: pm\n", 4, ["l'accolade « { » ouverte ici n'est jamais refermée"]),
    ],
    ids=["list", "text", "brace"],
)
def test_an_unclosed_bracket_is_reported_where_it_opened(tmp_path, text, column, words):
    check(tmp_path, text, 2, column, *words)


@pytest.mark.parametrize(
    ("text", "column"),
    [("partenaires: [a: b: c]\n", 19), ("x: {a: 1 b: 2}\n", 11), ("x: [a, , b]\n", 8)],
    ids=["colon", "comma-missing", "comma-twice"],
)
def test_items_badly_separated_between_brackets(tmp_path, text, column):
    check(tmp_path, text, 1, column, "séparez les éléments par des virgules")


@pytest.mark.parametrize(
    ("value", "sign", "why"),
    [
        ("[Brouillon] Rodéos urbains", "[", "une liste"),
        ("[Brouillon], Rodéos urbains", "[", "une liste"),
        ("{Brouillon} Rodéos urbains", "{", "un dictionnaire"),
        ("{Brouillon} : Rodéos urbains", "{", "un dictionnaire"),
        ("@mairie sur les réseaux", "@", "réserve ce signe"),
        ("`Rodéos`", "`", "réserve ce signe"),
        ("*important* Rodéos", "*", "un alias"),
        ("*important", "*", "un alias"),
        ("&Rodéos urbains", "&", "une ancre"),
        ("& Rodéos urbains", "&", "une ancre"),
        ("!Rodéos urbains", "!", "une étiquette"),
        ("!x!y Rodéos", "!", "une étiquette"),
        ("% des jeunes", "%", "une directive"),
        ("? Rodéos", "?", "une clé complexe"),
        (", Rodéos", ",", "un séparateur"),
    ],
)
def test_a_text_starting_with_a_sign_of_yaml_asks_for_quotes(tmp_path, value, sign, why):
    check(
        tmp_path,
        f"id: 1\ntitre: {value}\npilote: pm\n",
        2,
        8,
        f"un texte qui commence par « {sign} » doit être entre guillemets",
        why,
        f'« titre: "{value}" »',
    )


@pytest.mark.parametrize("value", ["| Rodéos urbains", "> Rodéos urbains", "|0", ">Rodéos"])
def test_text_after_the_sign_of_a_text_over_lines(tmp_path, value):
    sign = value[0]
    check(
        tmp_path, f"id: 1\ntitre: {value}\n", 2, 8, f"« {sign} » annonce un texte sur plusieurs lignes", f'« titre: "{value}" »'
    )


def test_a_dash_after_a_key_on_its_line(tmp_path):
    check(tmp_path, "id: 1\ntitre: - Rodéos\n", 2, 8, "« - » annonce un élément de liste", '« titre: "- Rodéos" »')


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\n---\nid: 1\n", 2, ["plusieurs documents YAML", "supprimez cette ligne"]),
        ("---\nid: 1\n---\ntitre: a\n", 3, ["plusieurs documents YAML"]),
        ("titre: a\n--- b\n", 2, ["plusieurs documents YAML"]),
        ("id: 1\n...\ntitre: a\n", 2, ["« ... » en début de ligne termine le document"]),
        ("titre: a\n... suite\n", 2, ["« ... » en début de ligne termine le document"]),
        ("%des jeunes\nid: 1\n", 1, ["une ligne qui commence par « % » est une directive"]),
        ("id: 1\n%YAML 1.1\n", 2, ["une ligne qui commence par « % » est une directive"]),
        ("%YAML 2.0\n---\nid: 1\n", 1, ["est une directive"]),
        ("%YAML 1.1\n%YAML 1.1\n---\nid: 1\n", 2, ["est une directive"]),
    ],
    ids=[
        "marker-twice",
        "second-document",
        "text",
        "document-end",
        "document-end-text",
        "percent",
        "directive",
        "version",
        "twice",
    ],
)
def test_document_markers_and_directives(tmp_path, text, line, words):
    check(tmp_path, text, line, 1, *words)


def test_a_colon_ending_an_item_between_brackets(tmp_path, loader):
    if loader is yaml.SafeLoader:  # PyYAML reads a key « a » without value
        assert load(tmp_path, "x: [a:]\n").data == {"x": [{"a": None}]}
    else:
        check(tmp_path, "x: [a:]\n", 1, 6, "séparez les éléments par des virgules")


def test_a_byte_order_mark_at_the_start_of_a_line(tmp_path):
    check(tmp_path, "contexte: |\n  a\n\ufeffb\n", 3, 1, "U+FEFF", "supprimez-le")


def test_a_byte_order_mark_before_a_key(tmp_path, loader):
    text = "id: 1\n\ufefftitre: a\n"
    if loader is yaml.SafeLoader:  # PyYAML reads the mark into the key: the schema then finds an unknown key
        assert load(tmp_path, text).data == {"id": 1, "\ufefftitre": "a"}
    else:  # libyaml skips it, and the key seems indented by one column
        check(tmp_path, text, 2, 1, "U+FEFF", "supprimez-le")


@pytest.mark.parametrize(
    ("text", "column", "fix"),
    [
        ('id: 1\ntitre: "C:\\dossier"\n', 11, '« titre: "C:\\\\dossier" »'),
        ('id: 1\ntitre: "a\\xZZ"\n', 10, '« titre: "a\\\\xZZ" »'),
    ],
    ids=["unknown", "incomplete"],
)
def test_a_bad_escape_between_double_quotes(tmp_path, text, column, fix):
    check(tmp_path, text, 2, column, "n'est pas un code d'échappement valide", "s'y écrit deux fois", fix)


def test_an_escape_beyond_unicode(tmp_path):
    check(tmp_path, 'id: 1\ntitre: "a\\U00110000"\n', 2, 10, "séquence d'échappement \\u… invalide")


def test_an_undefined_alias_and_a_duplicated_anchor(tmp_path):
    check(tmp_path, "id: 1\ntitre: *x\n", 2, 8, "un texte qui commence par « * »", '« titre: "*x" »')
    check(tmp_path, "a: &x 1\nb: &x 2\n", 2, 4, "ancre « &x » déjà définie ligne 1")


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("moyens:\n\tbudget: 1\n", 2, 1),
        ("titre: a\n\tpilote: b\n", 2, 1),
        ("contexte: |\n  a\n\tb\n", 3, 1),
        ("p:\n  -\ta\n", 2, 4),
    ],
)
def test_tabs(tmp_path, text, line, column):
    check(tmp_path, text, line, column, "tabulation : YAML n'accepte que des espaces")


@pytest.mark.parametrize(
    ("text", "line", "column", "code"),
    [("titre: a\ncontexte: b\x00c\n", 2, 12, "U+0000"), ("titre: a\ncontexte: b\x1bc\n", 2, 12, "U+001B")],
)
def test_control_characters_are_located_in_french(tmp_path, text, line, column, code):
    check(tmp_path, text, line, column, f"caractère invisible {code}")


@pytest.mark.parametrize(
    "text",
    [
        "b: *x : c\n",
        "a: &x 1\nb: *x c\n",
        ": a\n",
        "titre: a: b:\n  - c\n d\n",
        "- a\nb: c\n",
        "a: [b]\n  c: d\n",
        "x: [:a]\n",
        "a: !<abc\n",
        "%TAG ! tag:x,2000:\n%TAG ! tag:y,2000:\n---\na: 1\n",
        'titre: "a" \'b\' "c\n',
        "a:\n  - b\n  - c: d\n   e: f\n",
        "a: |\n  x\n b: 1\n",
        "a: 'x''y' z\n",
        "titre: Un texte long\n  qui continue\n  encore: ici\n",
        "[a, b]\nc: d\n",
    ],
)
def test_whatever_the_mistake_no_english_reaches_the_user(tmp_path, text):
    p = problem(tmp_path, text)
    assert p.rule == "yaml" and 1 <= p.line <= len(text.splitlines()) + 1
    assert not [fragment for fragment in ENGLISH if fragment in p.message], p.message


def test_validate_shows_the_file_line_column_and_the_quoted_fix(sample_copy):
    fiche = sample_copy / "actions" / "1.1.1.yaml"
    lines = fiche.read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if text.startswith("titre:"))
    edit(fiche, lines[line - 1], "titre: Rodéos urbains : prévenir")
    result = run("validate", sample_copy)
    assert result.exit_code == 1
    assert f"{fiche}:{line}:23: un texte qui contient « : » doit être entre guillemets" in result.output
    assert '« titre: "Rodéos urbains : prévenir" »' in result.output
    assert f"{line:>5} | titre: Rodéos urbains : prévenir\n" in result.output  # the line as typed, under the message


def test_in_a_huge_file_the_text_before_the_error_is_not_read_again(tmp_path, monkeypatch):
    monkeypatch.setattr(document, "_RESCAN_LIMIT", 20)
    p = check(tmp_path, "id: 1.1.1\npilote: pm\ntitre: Rodéos urbains : prévenir\n", 3, 23, "« : » inattendu")
    assert "guillemets" in p.message
