"""YAML traps become located errors, never silent data loss nor a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import edit, only_problem, problems_of

from stspd.problems import ProblemError
from stspd.yamlload import load_document


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


def test_deep_nesting_is_rejected_without_crashing(tmp_path):
    p = problem(tmp_path, "a: " + "[" * 200_000 + "]" * 200_000 + "\n")
    assert "imbriquée" in p.message


def test_nesting_too_deep_for_stspd_yet_cheap_to_read_is_rejected_at_its_line(tmp_path):
    text = "".join(f"{'  ' * level}k{level}:\n" for level in range(100)) + "  " * 100 + "fin: 1\n"
    p = problem(tmp_path, text)
    assert "imbriquée" in p.message and p.line == 66


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
    [("no", "la valeur booléenne false"), ("1.10", "le nombre 1.1"), ("12:30", "le nombre 750"), ("on", "la valeur booléenne true")],
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
    assert p.line == 22 and "date valide" in p.message
