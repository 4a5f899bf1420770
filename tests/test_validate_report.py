"""No terminal escape sequence reaches the screen or a CI log: control characters are shown, not sent."""

from __future__ import annotations

import json

import pytest
from conftest import edit, run

from stspd.check.report import render
from stspd.problems import Problem

FICHE = "actions/1.1.1.yaml"
ESC = "\x1b"
# A file name and a key can hold what a YAML value cannot: an escape that clears the screen, retitles the window
PROBLEM = Problem(
    f"actions/{ESC}[2J1.1.1.yaml", 3, 9, "schema", f"clé inconnue « {ESC}]0;pwn\x07x\u202ey\x9b »", f"ti\ttre{ESC}[31m: rouge"
)


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_no_control_character_is_written(fmt):
    output = render([PROBLEM], fmt, "1 erreur")
    assert not any(ord(c) < 0x20 and c not in "\n\t" or 0x7F <= ord(c) <= 0x9F or c == "\u202e" for c in output)


def test_text_shows_control_characters_as_pictures_and_keeps_the_caret_in_place():
    lines = render([PROBLEM], "text", "1 erreur").splitlines()
    assert lines[0] == "actions/␛[2J1.1.1.yaml:3:9: clé inconnue « ␛]0;pwn␇x\\u202ey\\u009b » [schema]"
    assert lines[1] == "    3 | ti\ttre␛[31m: rouge"
    assert lines[2].index("^") - lines[1].index("|") == len("| ti") + 4 + len("tre␛[")  # a tab is 4 wide, ␛ one


def test_github_annotations_cannot_be_split_or_injected():
    line = render([Problem("a.yaml", 1, 1, "schema", "x\n::set-env name=A::b\r%")], "github", "s").splitlines()[0]
    assert line == "::error file=a.yaml,line=1,col=1,title=stspd schema::x␊::set-env name=A::b␍%25"


def test_json_keeps_the_exact_strings_for_tools():
    data = json.loads(render([PROBLEM], "json", "1 erreur"))
    assert data["erreurs"][0]["file"] == PROBLEM.file and data["erreurs"][0]["message"] == PROBLEM.message


def test_a_file_name_with_an_escape_sequence_is_shown_inert(project):
    (project / "actions" / f"{ESC}[31m1.1.2.yaml.txt").write_text("id: 1.1.2\n", encoding="utf-8")
    result = run("validate", project)
    assert result.exit_code == 1 and ESC not in result.output and "actions/␛[31m1.1.2.yaml.txt: fichier non lu" in result.output


def test_a_key_with_an_escape_sequence_is_refused_and_shown_inert(project):
    edit(project / FICHE, "pilote: ville", 'pilote: ville\n"\\e[2Jcle": x')
    for fmt in ("text", "github"):
        result = run("validate", project, "--format", fmt)
        assert result.exit_code == 1 and ESC not in result.output and "caractère invisible U+001B" in result.output
