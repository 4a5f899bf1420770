"""Everything a build starts is bounded and cleaned up; whatever stops it, the previous outputs stay whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLE, edit, run

HANGING_FILTER = "function Pandoc(doc)\n  while true do end\nend\n"


def _templates(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "modeles"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def _processes_mentioning(text: str) -> list[str]:
    """Command lines of the running processes that name `text` (a private temporary folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if entry.name.isdigit() and text in command and str(os.getpid()) != entry.name:
            found.append(command)
    return found


def _left_behind(folder: Path) -> list[str]:
    """What a build left in the temporary folder: it keeps nothing there."""
    return [p.name for p in folder.iterdir()]


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """A temporary folder of this test's own: what a build leaves there is seen."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def _stspd(*args, env=None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "stspd", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        text=True,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="reads /proc")
def test_a_hung_converter_is_killed_at_its_limit(tmp_path, private_tmp):
    own = _templates(tmp_path, "stspd.lua", HANGING_FILTER)
    process = _stspd(
        "build", SAMPLE, "--format", "docx,html", "--output", tmp_path / "dist", "--templates", own, env={"STSPD_TIME_LIMIT": "2"}
    )
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert "pandoc (docx) : arrêté au bout de 2 s (limite de temps" in err or "pandoc (html) : arrêté au bout de 2 s" in err
    assert "Traceback" not in err and not (tmp_path / "dist").exists()
    assert not _left_behind(private_tmp) and not _processes_mentioning(str(private_tmp))


@pytest.mark.skipif(sys.platform == "win32", reason="signals and /proc")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_build_kills_its_converters_and_removes_its_files(tmp_path, private_tmp, signum):
    out = tmp_path / "dist"
    assert run("build", SAMPLE, "--format", "md", "--output", out).exit_code == 0
    before = (out / "strategie.md").read_bytes()
    own = _templates(tmp_path, "stspd.lua", HANGING_FILTER)
    process = _stspd("build", SAMPLE, "--format", "docx,pdf,md", "--output", out, "--templates", own)
    deadline = time.monotonic() + 30
    while not _processes_mentioning(str(private_tmp)) or len(_processes_mentioning(str(private_tmp))) < 2:
        assert time.monotonic() < deadline, "the converters never started"
        time.sleep(0.05)
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130 and "Interrompu : rien n'a été écrit." in err and "Traceback" not in err
    assert "Aborted" not in err
    assert not _processes_mentioning(str(private_tmp)) and not _left_behind(private_tmp)
    assert (out / "strategie.md").read_bytes() == before and [p.name for p in out.iterdir()] == ["strategie.md"]


def test_a_slow_typst_layout_is_stopped_too(tmp_path, private_tmp, monkeypatch):
    monkeypatch.setenv("STSPD_TIME_LIMIT", "4")
    # 10^8 steps of Typst's interpreter: minutes of work, whatever the machine
    slow = _templates(tmp_path, "style.typ", "#let n = 0\n#for i in range(10000) { for j in range(10000) { n = n + 1 } }\n")
    result = run("build", SAMPLE, "--format", "pdf", "--output", tmp_path / "dist", "--templates", slow)
    assert result.exit_code == 1 and "Typst (pdf) : arrêté au bout de 4 s" in result.output, result.output
    assert not (tmp_path / "dist").exists() and not _left_behind(private_tmp)


def test_a_full_disk_leaves_the_previous_outputs_intact(tmp_path, monkeypatch):
    out = tmp_path / "dist"
    assert run("build", SAMPLE, "--format", "md,html", "--output", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_fdopen = os.fdopen

    def fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        if ".strategie.html." in os.readlink(f"/proc/self/fd/{fd}"):  # the second file to be written
            handle.close()
            raise OSError(28, "No space left on device", str(out / "strategie.html"))
        return handle

    monkeypatch.setattr("stspd.output.atomic.os.fdopen", fdopen)
    from stspd.cli import entry

    monkeypatch.setattr(sys, "argv", ["stspd", "build", str(SAMPLE), "--format", "md,html", "--output", str(out)])
    edit_sample = tmp_path / "valmont"
    del edit_sample  # the same data would give the same bytes: what matters is that nothing was replaced
    with pytest.raises(SystemExit) as ended:
        entry()
    assert ended.value.code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temporary file left either


def test_an_output_folder_under_a_file_is_a_french_error(tmp_path, capsys, monkeypatch):
    (tmp_path / "fichier").write_text("x", encoding="utf-8")
    from stspd.cli import entry

    monkeypatch.setattr(
        sys, "argv", ["stspd", "build", str(SAMPLE), "--format", "md", "--output", str(tmp_path / "fichier" / "dist")]
    )
    with pytest.raises(SystemExit) as ended:
        entry()
    err = capsys.readouterr().err
    assert ended.value.code == 1 and "un élément du chemin est un fichier, pas un dossier" in err or "existe déjà" in err, err


@pytest.mark.parametrize("value", ["demain", "-5", "1e9", "99999999999999"])
def test_a_malformed_source_date_epoch_is_misuse(value, tmp_path, capsys, monkeypatch):
    from stspd.cli import entry

    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    monkeypatch.setattr(sys, "argv", ["stspd", "build", str(SAMPLE), "--format", "md", "--output", str(tmp_path)])
    with pytest.raises(SystemExit) as ended:
        entry()
    assert ended.value.code == 2 and "SOURCE_DATE_EPOCH doit être un nombre de secondes" in capsys.readouterr().err


@pytest.mark.parametrize("expression", ["range(10**9) | list", "'x' * 10**10", "10 ** (10 ** 10)", "5 | length", "[1] * 10**9"])
def test_runaway_arithmetic_in_a_town_template_is_a_french_error(expression, tmp_path):
    own = _templates(tmp_path, "annexes.md.j2", "# Annexes\n\n{{ (" + expression + ") | length }}\n")
    result = run("build", SAMPLE, "--format", "md", "--output", tmp_path / "dist", "--templates", own)
    assert result.exit_code == 1 and "modèle" in result.output and "Traceback" not in result.output, result.output
    assert not (tmp_path / "dist").exists()


def test_words_of_thousands_of_letters_still_make_a_pdf(sample_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("STSPD_TIME_LIMIT", "60")  # a bound, not a timing: Typst must not spin on a long word
    edit(sample_copy / "actions/1.1.1.yaml", "description: |\n", "description: |\n  " + "prévention" * 500 + "\n\n")
    edit(sample_copy / "actions/1.1.1.yaml", "public: [", "public: [" + "x" * 290 + ", ")  # a table cell, at its bound
    result = run("build", sample_copy, "--format", "pdf", "--output", tmp_path)
    assert result.exit_code == 0, result.output
