"""The logo: a PNG or JPEG file of the project that every format of the build can read, checked without decoding it."""

from __future__ import annotations

import io
import os
import struct
import subprocess
import sys

import pytest
from conftest import edit, only_problem, problems_of, run
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image  # the tests make images; stspd's validation reads their bytes only

from stspd.check.rules import logo as logo_rule


def image(kind: str = "PNG", size=(120, 60), mode: str = "RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 0).save(buffer, format=kind, **options)
    return buffer.getvalue()


def without_first_segment(jpeg: bytes) -> bytes:
    """The JPEG without its first segment (JFIF), so that the next one (Exif) comes first."""
    return jpeg[:2] + jpeg[4 + struct.unpack(">H", jpeg[4:6])[0] :]


def exif(**tags) -> bytes:
    data = Image.Exif()
    for name, value in tags.items():
        data[ExifTags.Base[name]] = value
    return data.tobytes()


@pytest.fixture
def with_logo(project):
    edit(project / "strategie.yaml", "titre: Stratégie", "logo: images/logo.png\ntitre: Stratégie")
    (project / "images").mkdir()
    return project


def logo_problem(project, data: bytes | None, name: str = "logo.png") -> str:
    if name != "logo.png":
        edit(project / "strategie.yaml", "logo: images/logo.png", f"logo: images/{name}")
    if data is not None:
        (project / "images" / name).write_bytes(data)
    p = only_problem(project)
    assert (p.file, p.line, p.column, p.rule) == (str(project / "strategie.yaml"), 6, 7, "logo")
    prefix = f"logo : « images/{name} » "
    assert p.message.startswith(prefix)
    return p.message.removeprefix(prefix)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (image("PNG"), "logo.png"),
        (image("PNG", mode="P"), "logo.png"),
        (image("PNG", mode="I;16"), "logo.png"),
        (image("PNG", dpi=(300, 300)), "logo.png"),
        (image("JPEG"), "logo.jpg"),
        (image("JPEG", mode="L"), "logo.jpeg"),
        (image("JPEG", progressive=True), "logo.JPG"),
        (without_first_segment(image("JPEG", exif=exif(Make="Caméra", XResolution=300, YResolution=300))), "logo.jpg"),
        (image("PNG", size=(5000, 1)), "logo.png"),
    ],
)
def test_readable_logos_pass(with_logo, data, name):
    edit(with_logo / "strategie.yaml", "logo: images/logo.png", f"logo: images/{name}")
    (with_logo / "images" / name).write_bytes(data)
    assert problems_of(with_logo) == []


PNG = image("PNG")
JPEG = image("JPEG")


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0xFF]) + data[index + 1 :]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"pas une image", "logo.png", "n'est ni un PNG ni un JPEG"),
        (JPEG, "logo.png", "est un JPEG mais son nom dit .png : renommez-le « images/logo.jpg »"),
        (PNG, "logo.jpg", "est un PNG mais son nom dit .jpg : renommez-le « images/logo.png »"),
        (PNG[: len(PNG) // 2], "logo.png", "est tronqué : le fichier s'arrête avant la fin de l'image ; exportez-le à nouveau"),
        (JPEG[: len(JPEG) * 2 // 3], "logo.jpg", "est tronqué"),
        (_flip(PNG, PNG.index(b"IDAT") + 6), "logo.png", "est abîmé (un bloc PNG ne correspond pas à sa somme de contrôle)"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "logo.png", "est abîmé"),  # the signature, then nothing of a PNG
        (image("JPEG", mode="CMYK"), "logo.jpg", "est un JPEG sans en-tête JFIF ni Exif (souvent un JPEG en CMJN"),
        (without_first_segment(JPEG), "logo.jpg", "est un JPEG sans en-tête JFIF ni Exif"),
        (
            JPEG[:13] + b"\x01\0\0\0\0" + JPEG[18:],
            "logo.jpg",
            "déclare une résolution nulle, que Word ne sait pas mettre à l'échelle",
        ),
        (image("PNG", dpi=(0.3, 0.3)), "logo.png", "déclare une résolution nulle"),
        (
            without_first_segment(image("JPEG", exif=exif(XResolution=0, YResolution=72, ResolutionUnit=2))),
            "logo.jpg",
            "déclare une résolution nulle",
        ),
        (
            image("PNG", size=(6000, 10), mode="P"),
            "logo.png",
            "mesure 6000 × 10 pixels : de 1 à 5000 pixels de côté ; exportez-le plus petit",
        ),
    ],
)
def test_logos_the_build_cannot_read_are_refused(with_logo, data, name, message):
    assert logo_problem(with_logo, data, name).startswith(message)


def test_a_missing_logo(with_logo):
    p = only_problem(with_logo)
    assert (p.line, p.message) == (6, "logo : fichier « images/logo.png » introuvable dans le projet")


def test_a_logo_linked_out_of_the_project_is_not_read(with_logo, tmp_path):
    (tmp_path / "ailleurs.png").write_bytes(PNG)
    (with_logo / "images" / "logo.png").symlink_to(tmp_path / "ailleurs.png")
    assert logo_problem(with_logo, None).startswith("lien symbolique qui mène hors du dossier du projet")


def test_a_logo_up_the_tree_is_not_read(with_logo, tmp_path):
    (with_logo.parent / "dehors.png").write_bytes(PNG)
    edit(with_logo / "strategie.yaml", "logo: images/logo.png", "logo: ../dehors.png")
    p = only_problem(with_logo)
    assert p.line == 6 and p.message.startswith("logo : « ../dehors.png » chemin qui mène hors du dossier du projet")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_logo_that_is_a_pipe_is_not_opened(with_logo):
    os.mkfifo(with_logo / "images" / "logo.png")
    assert logo_problem(with_logo, None).startswith("ni fichier ni dossier (tube nommé")


def test_a_logo_that_is_a_folder(with_logo):
    (with_logo / "images" / "logo.png").mkdir()
    assert logo_problem(with_logo, None) == "c'est un dossier, pas un fichier"


def test_a_logo_is_at_most_5_mb(with_logo):
    assert logo_problem(with_logo, PNG + b"\0" * 5_000_000) == "trop volumineux : 5 Mo au plus"


@settings(max_examples=300, deadline=None)
@given(
    source=st.sampled_from([PNG, JPEG, without_first_segment(image("JPEG", exif=exif(Make="x", XResolution=72)))]),
    cut=st.integers(min_value=0),
    changes=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 255)), max_size=4),
)
def test_whatever_the_bytes_the_check_answers_in_french(source, cut, changes):
    data = bytearray(source[: cut % (len(source) + 1)] if cut % 3 == 0 else source)
    for index, value in changes:
        if data:
            data[index % min(len(data), 300)] = value
    name = "logo.png" if source.startswith(b"\x89PNG") else "logo.jpg"
    try:
        logo_rule.image_check(bytes(data), name)
    except logo_rule._Unusable as error:
        assert str(error)[0].islower()  # a French sentence following the file's name, never an exception's text


def test_a_broken_logo_stops_the_build_before_it_starts(sample_copy, tmp_path):
    (sample_copy / "logo.png").write_bytes(image("PNG", dpi=(0.3, 0.3)))  # it made the DOCX build divide by zero
    result = run("build", sample_copy, "--format", "docx", "--output", tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output and "résolution nulle" in result.output


def test_checking_the_logo_imports_no_image_library(with_logo):
    (with_logo / "images" / "logo.png").write_bytes(PNG)
    code = (
        "import sys\nfrom stspd.check.validation import validate_project\n"
        f"assert validate_project(__import__('pathlib').Path({str(with_logo)!r}))[1] == []\n"
        "print(sorted({'PIL', 'docx', 'typst', 'jinja2'} & {m.split('.')[0] for m in sys.modules}))\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
