"""The files of a project are reported, not skipped: links out of it, pipes, folders, loops, unreadable ones."""

from __future__ import annotations

import os
import shutil
import signal
import socket
from pathlib import Path

import pytest
from conftest import only_problem, problems_of, run

from stspd.load import project as project_module

FICHE = "actions/1.1.1.yaml"


@pytest.fixture
def no_hang():
    """Fail instead of blocking forever if something opens a named pipe."""

    def hung(*_):
        raise AssertionError("the validation blocked: a named pipe was opened")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _only(project: Path, name: str):
    p = only_problem(project)
    assert (p.file, p.line, p.column, p.rule) == (str(project / name), 0, 0, "projet")
    return p


def test_a_link_out_of_the_project_is_refused_unread(project, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("id: SECRET-CONTENT\n", encoding="utf-8")
    (project / "actions" / "2.1.1.yaml").symlink_to(secret)
    p = _only(project, "actions/2.1.1.yaml")
    assert p.message.startswith("lien symbolique qui mène hors du dossier du projet : stspd ne le lit pas")
    result = run("validate", project)
    assert result.exit_code == 1 and "SECRET" not in result.output and str(secret) not in result.output


def test_a_link_to_a_device_is_refused(project):
    (project / "actions" / "2.1.1.yaml").symlink_to("/dev/zero")
    assert "hors du dossier du projet" in _only(project, "actions/2.1.1.yaml").message


def test_a_link_inside_the_project_is_followed(project):
    (project / "fiches-partagees").mkdir()
    (project / FICHE).rename(project / "fiches-partagees" / "1.1.1.yaml")
    (project / FICHE).symlink_to(Path("..") / "fiches-partagees" / "1.1.1.yaml")
    assert problems_of(project) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_reported_never_opened(project, no_hang):
    os.mkfifo(project / "actions" / "2.1.1.yaml")
    assert _only(project, "actions/2.1.1.yaml").message.startswith("ni fichier ni dossier (tube nommé, périphérique ou socket)")


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="Unix sockets")
def test_a_socket_is_reported(project):
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(project / "evaluations" / "2026.yaml"))
        assert "ni fichier ni dossier" in _only(project, "evaluations/2026.yaml").message


def test_a_folder_named_like_a_fiche_is_reported(project):
    (project / "actions" / "1.1.2.yaml").mkdir()
    assert _only(project, "actions/1.1.2.yaml").message == "c'est un dossier, pas un fichier"


def test_a_symlink_loop_is_reported(project):
    (project / "actions" / "a.yaml").symlink_to("b.yaml")
    (project / "actions" / "b.yaml").symlink_to("a.yaml")
    messages = {p.file.rsplit("/", 1)[-1]: p.message for p in problems_of(project)}
    assert set(messages) == {"a.yaml", "b.yaml"} and all(m.startswith("boucle de liens symboliques") for m in messages.values())


def test_a_dangling_link_is_reported(project):
    (project / "actions" / "2.1.1.yaml").symlink_to("absent.yaml")
    assert _only(project, "actions/2.1.1.yaml").message.startswith("introuvable")


def test_strategie_yml_beside_strategie_yaml_is_ambiguous(project):
    (project / "strategie.yml").write_text((project / "strategie.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    p = _only(project, "strategie.yml")
    assert (
        p.message
        == "strategie.yaml et strategie.yml sont tous deux présents : stspd lit strategie.yaml ; supprimez ou renommez l'autre"
    )


def test_diagnostic_yml_beside_diagnostic_yaml_is_ambiguous(project):
    (project / "diagnostic.yml").write_text("themes: []\n", encoding="utf-8")
    assert "diagnostic.yaml et diagnostic.yml sont tous deux présents" in _only(project, "diagnostic.yml").message


def test_a_project_with_only_strategie_yml_is_a_project(project):
    (project / "strategie.yaml").rename(project / "strategie.yml")
    assert problems_of(project) == []


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("1.1.2.yam", "1.1.2"),
        ("1.1.2.yaml.txt", "1.1.2"),
        ("1.1.2.YAML.TXT", "1.1.2"),
        ("1.1.2.ymal", "1.1.2"),
        ("1.1.2.yaml ", "1.1.2"),
    ],
)
def test_a_fiche_with_another_suffix_is_reported_with_its_right_name(project, name, stem):
    (project / "actions" / name).write_text("id: 1.1.2\n", encoding="utf-8")
    p = _only(project, f"actions/{name}")
    assert p.message == (
        f"fichier non lu : stspd ne lit dans actions/ que les fichiers en .yaml ou .yml ; "
        f"s'il s'agit d'une fiche action, renommez-le « {stem}.yaml »"
    )
    assert p.severity == "error"


@pytest.mark.parametrize(("name", "right"), [("2026.yam", "2026.yaml"), ("bilan-2026.yaml.txt", "2026.yaml")])
def test_an_evaluation_with_another_suffix_is_reported(project, name, right):
    (project / "evaluations" / name).write_text("annee: 2026\nfiches: []\n", encoding="utf-8")
    assert f"s'il s'agit d'une évaluation, renommez-le « {right} »" in _only(project, f"evaluations/{name}").message


def test_actions_as_a_file_is_reported(project):
    for path in (project / "actions").iterdir():
        path.unlink()
    (project / "actions").rmdir()
    (project / "actions").write_text("", encoding="utf-8")
    assert "actions devrait être un dossier" in _only(project, "actions").message


def test_a_folder_linked_out_of_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "2026.yaml").write_text("annee: 2026\nfiches: []\n", encoding="utf-8")
    shutil.rmtree(project / "evaluations")
    (project / "evaluations").symlink_to(outside, target_is_directory=True)
    assert "hors du dossier du projet" in _only(project, "evaluations").message


def _deny(monkeypatch, denied: Path, function: str):
    """Make `function` of os refuse `denied` as a folder without read permission would (tests run as root too)."""
    real = getattr(os, function)

    def refusing(path, *args, **kwargs):
        if Path(path).resolve() == denied.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(project_module.os, function, refusing)


def test_an_unreadable_evaluations_folder_is_reported_in_french(project, monkeypatch):
    _deny(monkeypatch, project / "evaluations", "scandir")
    p = _only(project, "evaluations")
    assert p.message == "illisible : accès refusé ; vérifiez les droits de lecture"


def test_an_unreadable_file_is_reported_in_french(project, monkeypatch):
    (project / "evaluations" / "2026.yaml").write_text("annee: 2026\nfiches: []\n", encoding="utf-8")
    _deny(monkeypatch, project / "evaluations" / "2026.yaml", "open")
    assert _only(project, "evaluations/2026.yaml").message == "illisible : accès refusé ; vérifiez les droits de lecture"
    result = run("validate", project)
    assert result.exit_code == 1 and "Traceback" not in result.output and "Permission denied" not in result.output


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads whatever the permissions")
def test_an_unreadable_folder_for_real(project):
    (project / "evaluations").chmod(0)
    try:
        assert _only(project, "evaluations").message.startswith("illisible : accès refusé")
    finally:
        (project / "evaluations").chmod(0o755)


def test_a_yaml_file_too_big_is_refused_unread(project, monkeypatch):
    monkeypatch.setattr(project_module, "MAX_YAML_BYTES", 1_000_000)
    (project / "actions" / "1.1.2.yaml").write_text("titre: " + "x" * 1_000_000 + "\n", encoding="utf-8")
    assert _only(project, "actions/1.1.2.yaml").message == "trop volumineux : 1 Mo au plus"
