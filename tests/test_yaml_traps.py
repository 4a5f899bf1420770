"""YAML traps become located errors, never silent data loss nor a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import edit, only_problem, problems_of

from stspd.load import document
from stspd.load.document import load_document
from stspd.problems import ProblemError


def load(tmp_path: Path, content: bytes | str):
    path = tmp_path / "f.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return load_document(path, "f.yaml")


def problem(tmp_path: Path, content: bytes | str):
    with pytest.raises(ProblemError) as caught:
        load(tmp_path, content)
    return caught.value.problem


def test_duplicate_key_is_an_error_at_the_second_key(tmp_path):
    p = problem(tmp_path, "titre: a\npilote: pm\ntitre: b\n")
    assert (p.line, p.column) == (3, 1)
    assert "« titre » en double (déjà à la ligne 1)" in p.message


def test_distinct_keys_load(tmp_path):
    assert load(tmp_path, "titre: a\npilote: pm\n").data == {"titre": "a", "pilote": "pm"}


def test_tab_indentation_is_named(tmp_path):
    p = problem(tmp_path, "moyens:\n\tbudget: 1\n")
    assert p.line == 2 and "tabulation" in p.message


def test_spaces_indentation_loads(tmp_path):
    assert load(tmp_path, "moyens:\n  budget: 1\n").data == {"moyens": {"budget": 1}}


def test_latin1_file_is_located(tmp_path):
    p = problem(tmp_path, "titre: a\ncontexte: caf\xe9\n".encode("latin-1"))
    assert (p.line, p.column) == (2, 14) and "UTF-8" in p.message


def test_utf8_with_bom_loads(tmp_path):
    assert load(tmp_path, "\ufefftitre: café\n").data == {"titre": "café"}


@pytest.mark.parametrize("content", ["", "\n\n", "# seulement un commentaire\n"])
def test_empty_file_is_an_error(tmp_path, content):
    assert "vide" in problem(tmp_path, content).message


def test_billion_laughs_is_rejected(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{','.join(['*' + previous] * 9)}]")
    p = problem(tmp_path, "\n".join(lines) + "\n")
    assert "alias" in p.message and p.line >= 1


def test_a_few_aliases_load(tmp_path):
    assert load(tmp_path, "a: &x [1, 2]\nb: *x\n").data == {"a": [1, 2], "b": [1, 2]}


def test_recursive_alias_is_rejected(tmp_path):
    assert "récursif" in problem(tmp_path, "a: &x [*x]\n").message


# PyYAML with libyaml (the wheels' default) and without it (a platform without wheel): the same answers.
LOADERS = [pytest.param(yaml.SafeLoader, id="pure-python")]
if yaml.__with_libyaml__:
    LOADERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


@pytest.fixture(params=LOADERS)
def loader(request, monkeypatch):
    monkeypatch.setattr(document, "_Loader", request.param)
    return request.param


NESTING = "structure imbriquée sur plus de 64 niveaux : ce n'est pas un fichier stspd"


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        # libyaml ≥ 0.2.5 (PyYAML 6.0.4's wheels) stops a line of brackets at its own limit, in English, before stspd's
        ("a: " + "[" * 200_000 + "]" * 200_000 + "\n", 1, 68),
        ("a: " + "{a: " * 2000 + "}" * 2000 + "\n", 1, 260),
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1200)), 66, 129),
        ("- " * 3000 + "a\n", 1, 131),
        ("".join(f"{'  ' * level}k{level}:\n" for level in range(100)) + "  " * 100 + "fin: 1\n", 66, 131),
    ],
    ids=["flow-sequences", "flow-mappings", "block-sequences", "compact-sequences", "block-mappings"],
)
def test_deep_nesting_is_rejected_in_french_at_the_65th_level_whatever_the_loader(tmp_path, loader, text, line, column):
    p = problem(tmp_path, text)
    assert (p.line, p.column, p.message) == (line, column, NESTING)


def test_libyaml_nesting_message_is_never_shown(tmp_path, loader):
    p = problem(tmp_path, "a: " + "[" * 1500 + "\n")
    assert p.message == NESTING and "exceeded" not in p.message


def test_a_structure_64_levels_deep_loads(tmp_path, loader):
    assert load(tmp_path, "a: " + "[" * 64 + "1" + "]" * 64 + "\n").data["a"] is not None


@pytest.mark.parametrize(
    ("content", "code", "line", "column"),
    [
        ("titre: a\ncontexte: b\x01c\n", "U+0001", 2, 12),  # typed (pasted) in the file
        ("titre: a\ncontexte: b\x7fc\n", "U+007F", 2, 12),
        ('titre: a\ncontexte: "b\\ec"\n', "U+001B", 2, 11),  # made by an escape between double quotes
        ('titre: a\ncontexte: "b\\0c"\n', "U+0000", 2, 11),
        ('titre: a\ncontexte: "b\\vc"\n', "U+000B", 2, 11),
        ('titre: a\ncontexte: "b\\x9bc"\n', "U+009B", 2, 11),
        ('titre: a\ncontexte: "b\\rc"\n', "U+000D", 2, 11),
        ('titre: a\ncontexte: "b\\Nc"\n', "U+0085", 2, 11),
        ('titre: a\n"b\\e": c\n', "U+001B", 2, 1),  # in a key
    ],
)
def test_control_characters_are_refused_where_they_are(tmp_path, loader, content, code, line, column):
    p = problem(tmp_path, content)
    assert (p.rule, p.line, p.column) == ("yaml", line, column)
    assert p.message.startswith(f"caractère invisible {code}") and "casserait les documents" in p.message


def test_a_lone_surrogate_is_refused_in_french(tmp_path, loader):
    p = problem(tmp_path, 'titre: "a\\ud800b"\n')
    assert p.line == 1 and ("U+D800" in p.message or "séquence d'échappement \\u" in p.message)


def test_tabs_line_feeds_and_crlf_line_ends_are_text(tmp_path, loader):
    data = load(tmp_path, 'titre: "a\\tb\\r\\nc"\r\ncontexte: |\r\n  x\r\n  y\r\n').data
    assert data == {"titre": "a\tb\r\nc", "contexte": "x\ny\n"}


@pytest.mark.parametrize(
    ("content", "what"), [("a: " + "1" * 5000 + "\n", "un nombre entier"), ("a: !!int douze\n", "un nombre entier")]
)
def test_unreadable_numbers_are_said_in_french(tmp_path, loader, content, what):
    p = problem(tmp_path, content)
    assert p.line == 1 and p.message.startswith("valeur illisible : « ") and p.message.endswith(f"» ne se lit pas comme {what}")
    assert len(p.message) < 200  # the 5,000 digits are not all repeated


def test_several_documents_are_refused(tmp_path):
    assert "plusieurs documents" in problem(tmp_path, "a: 1\n---\nb: 2\n").message


def test_python_tags_are_refused(tmp_path):
    assert "étiquette" in problem(tmp_path, "a: !!python/object:os.system ls\n").message


def test_dates_stay_as_typed(tmp_path):
    assert load(tmp_path, "date: 2025-03-12\n").data == {"date": "2025-03-12"}


def test_keys_stay_as_typed(tmp_path):
    assert load(tmp_path, "1.10: a\nno: b\n").data == {"1.10": "a", "no": "b"}


@pytest.mark.parametrize(
    ("typed", "reading"),
    [
        ("no", "la valeur booléenne false"),
        ("1.10", "le nombre 1.1"),
        ("12:30", "le nombre 750"),
        ("on", "la valeur booléenne true"),
    ],
)
def test_unquoted_value_read_as_another_type_is_explained(project, typed, reading):
    edit(project / "actions" / "1.1.1.yaml", "titre: Intitulé de l'action", f"titre: {typed}")
    p = only_problem(project)
    assert p.file.endswith("1.1.1.yaml") and p.line == 5
    assert f"« {typed} » sans guillemets est lu par YAML comme {reading}" in p.message


def test_quoted_value_is_text(project):
    edit(project / "actions" / "1.1.1.yaml", "titre: Intitulé de l'action", 'titre: "no"')
    assert problems_of(project) == []


def test_date_where_text_is_meant_is_kept(project):
    edit(project / "actions" / "1.1.1.yaml", "titre: Intitulé de l'action", "titre: 2025-03-12")
    assert problems_of(project) == []


def test_invalid_date_is_located(project):
    edit(project / "strategie.yaml", "  # date: 2025-03-12", "  date: 2025-13-45")
    p = only_problem(project)
    assert p.line == 30 and "date valide" in p.message
