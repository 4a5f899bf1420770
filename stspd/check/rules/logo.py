"""The logo named in strategie.yaml is a PNG or JPEG file inside the project, one every format of the build can use.

Checked on its bytes, never decoded: validation imports no image library. What is checked is what the build's
readers stumble on: Typst decodes the image (a cut or damaged file, a JPEG named .png), python-docx reads the
header for the Word document (it knows a JPEG only by its JFIF or Exif header, and divides by the resolution it
finds there). The pixels themselves are not checked: a damaged compressed stream with right checksums still passes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator

from stspd.check.index import Index
from stspd.check.shapes import mapping, text
from stspd.load.project import Absent, Project, Refused, read_inside
from stspd.problems import Problem

NAME = "logo"
MAX_BYTES = 5_000_000  # a logo weighs tens of kilobytes; a 5 MB one is a photograph
MAX_SIDE = 5000  # pixels: a logo printed 3 cm wide at 300 dpi needs 350; decoding 5000 × 5000 already takes 100 MB
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8"
# PNG colour types and their allowed bit depths (PNG specification, 11.2.2)
_PNG_DEPTHS = {0: {1, 2, 4, 8, 16}, 2: {8, 16}, 3: {1, 2, 4, 8}, 4: {8, 16}, 6: {8, 16}}
# JPEG frames every reader decodes: baseline, extended and progressive, Huffman-coded (not lossless, not arithmetic)
_COMMON_FRAMES = {0xC0, 0xC1, 0xC2}
_FRAMES = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOF0 to SOF15; C4, C8, CC are other segments
_SCAN, _END = 0xDA, 0xD9
_TRUNCATED = "est tronqué : le fichier s'arrête avant la fin de l'image ; exportez-le à nouveau"
_NO_RESOLUTION = (
    "déclare une résolution nulle, que Word ne sait pas mettre à l'échelle : exportez-le à nouveau "
    "avec une résolution (72 ou 300 points par pouce)"
)


class _Unusable(Exception):
    """Why the image would break the build, said after its name."""


def check(project: Project, index: Index) -> Iterator[Problem]:
    strategie = project.strategie
    name = text(mapping(strategie.data).get("logo")) if strategie else None
    if strategie is None or not name:  # no logo, or one the schema reports
        return
    try:
        image_check(read_inside(project.root, project.root / name, MAX_BYTES), name)
    except Absent:
        yield strategie.problem(("logo",), NAME, f"logo : fichier « {name} » introuvable dans le projet")
    except (Refused, _Unusable) as error:
        yield strategie.problem(("logo",), NAME, f"logo : « {name} » {error}")


def image_check(data: bytes, name: str) -> None:
    """Raise _Unusable unless `data` is a PNG or JPEG, as its name says, that the build can read."""
    suffix = name.rsplit(".", 1)[-1].lower()
    if data.startswith(_PNG):
        kind, size = "png", _png_size(data)
    elif data.startswith(_JPEG):
        kind, size = "jpeg", _jpeg_size(data)
    else:
        raise _Unusable("n'est ni un PNG ni un JPEG")
    if (kind == "png") != (suffix == "png"):  # Typst picks its decoder by the name
        right = name.rsplit(".", 1)[0] + (".png" if kind == "png" else ".jpg")
        raise _Unusable(f"est un {kind.upper()} mais son nom dit .{suffix} : renommez-le « {right} »")
    width, height = size
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise _Unusable(f"mesure {width} × {height} pixels : de 1 à {MAX_SIDE} pixels de côté ; exportez-le plus petit")


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height, after walking the chunks to IEND and checking each one's CRC."""
    position, size, pixels = len(_PNG), None, False
    while True:
        if position + 12 > len(data):
            raise _Unusable(_TRUNCATED)
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data):
            raise _Unusable(_TRUNCATED)
        body = data[position + 8 : end - 4]
        if not (kind.isascii() and kind.isalpha()) or zlib.crc32(kind + body) != struct.unpack(">I", data[end - 4 : end])[0]:
            raise _Unusable("est abîmé (un bloc PNG ne correspond pas à sa somme de contrôle) : exportez-le à nouveau")
        if size is None:
            size = _png_header(kind, body)
        elif kind == b"pHYs":
            _png_resolution(body)
        pixels |= kind == b"IDAT"
        if kind == b"IEND":
            break
        position = end
    if not pixels:
        raise _Unusable("est un PNG sans image (aucun bloc IDAT) : exportez-le à nouveau")
    return size


def _png_header(kind: bytes, body: bytes) -> tuple[int, int]:
    if kind != b"IHDR" or len(body) != 13:
        raise _Unusable("est un PNG sans en-tête IHDR : exportez-le à nouveau")
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", body)
    if depth not in _PNG_DEPTHS.get(colour, ()) or compression or filtering or interlace > 1:
        raise _Unusable("est un PNG à l'en-tête invalide (profondeur, couleurs ou compression inconnues) : exportez-le à nouveau")
    return width, height


def _png_resolution(body: bytes) -> None:
    """python-docx reads the first pHYs chunk: in pixels per metre (unit 1), fewer than 20 round to 0 dpi."""
    if len(body) != 9:
        raise _Unusable("est un PNG dont le bloc de résolution (pHYs) est abîmé : exportez-le à nouveau")
    per_metre_x, per_metre_y, unit = struct.unpack(">IIB", body)
    if unit == 1 and any(value and round(value * 0.0254) == 0 for value in (per_metre_x, per_metre_y)):
        raise _Unusable(_NO_RESOLUTION)


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height of the first frame, after walking the segments to the image data, which must end."""
    # python-docx knows a JPEG by « JFIF » or « Exif » at byte 6: the first segment must be one of those headers.
    if (data[2:4], data[6:10]) not in ((b"\xff\xe0", b"JFIF"), (b"\xff\xe1", b"Exif")):
        raise _Unusable(
            "est un JPEG sans en-tête JFIF ni Exif (souvent un JPEG en CMJN, pour l'imprimeur) : "
            "exportez-le en JPEG RVB ou en PNG"
        )
    position, size = 2, None
    while True:
        if position + 4 > len(data):
            raise _Unusable(_TRUNCATED)
        if data[position] != 0xFF or data[position + 1] in (0xD8, _END):
            raise _Unusable("est un JPEG abîmé (ses segments ne s'enchaînent pas) : exportez-le à nouveau")
        marker = data[position + 1]
        if marker == 0xFF:  # a fill byte before the marker
            position += 1
            continue
        length = struct.unpack(">H", data[position + 2 : position + 4])[0]
        segment = data[position + 4 : position + 2 + length]
        if length < 2 or len(segment) != length - 2:
            raise _Unusable(_TRUNCATED)
        _jpeg_resolution(marker, segment)
        if marker in _FRAMES and size is None:
            size = _jpeg_frame(marker, segment)
        if marker == _SCAN:
            break
        position += 2 + length
    if size is None:
        raise _Unusable("est un JPEG sans image (aucun segment de trame avant les données) : exportez-le à nouveau")
    if data.rfind(b"\xff\xd9") < position:
        raise _Unusable(_TRUNCATED)
    return size


def _jpeg_frame(marker: int, segment: bytes) -> tuple[int, int]:
    if len(segment) < 6:
        raise _Unusable(_TRUNCATED)
    precision, height, width, components = struct.unpack(">BHHB", segment[:6])
    if marker not in _COMMON_FRAMES or precision != 8:
        raise _Unusable(
            "est un JPEG d'un type rare (sans perte, à codage arithmétique ou sur 12 bits) que les documents "
            "n'affichent pas : exportez-le en JPEG standard ou en PNG"
        )
    if components not in (1, 3):
        raise _Unusable("est un JPEG en CMJN (quatre encres, pour l'imprimeur) : exportez-le en RVB ou en PNG")
    return width, height


def _jpeg_resolution(marker: int, segment: bytes) -> None:
    """The resolution python-docx reads in every JFIF (APP0) and Exif (APP1) header: it parses them all, and divides
    by the first one's (docx/image/jpeg.py, tiff.py)."""
    if marker == 0xE0:  # JFIF: « JFIF\0 », version (2), unit, x and y densities
        if len(segment) < 12:
            raise _Unusable(_TRUNCATED)
        unit, density_x, density_y = struct.unpack(">BHH", segment[7:12])
        if unit in (1, 2) and 0 in (density_x, density_y):
            raise _Unusable(_NO_RESOLUTION)
    elif segment[:6] == b"Exif\0\0":
        _exif_resolution(segment[6:])


def _exif_resolution(tiff: bytes) -> None:
    """python-docx reads every entry of the first TIFF directory, and the resolution from X/YResolution."""
    order = ">" if tiff[:2] == b"MM" else "<"

    damaged = _Unusable("est un JPEG dont l'en-tête Exif est abîmé : exportez-le à nouveau")

    def read(form: str, offset: int):
        size = struct.calcsize(order + form)
        if not 0 <= offset <= len(tiff) - size:
            raise damaged
        return struct.unpack(order + form, tiff[offset : offset + size])[0]

    entries = {}
    directory = read("L", 4)
    for index in range(read("H", directory)):
        at = directory + 2 + 12 * index
        tag, kind, count, offset = read("H", at), read("H", at + 2), read("L", at + 4), read("L", at + 8)
        if kind == 2:  # text, of `count` bytes with its final NUL, which python-docx decodes as UTF-8
            if count == 0:
                raise damaged
            try:
                read(f"{count - 1}s", offset).decode("utf-8")
            except UnicodeDecodeError:
                raise damaged from None
        elif kind in (3, 4):
            entries[tag] = read("H" if kind == 3 else "L", at + 8) if count == 1 else None
        elif kind == 5:  # a fraction
            numerator, denominator = (read("L", offset), read("L", offset + 4)) if count == 1 else (None, 1)
            if denominator == 0:
                raise _Unusable(_NO_RESOLUTION)
            entries[tag] = None if numerator is None else numerator / denominator
    unit = entries.get(0x0128, 2)
    for tag in (0x011A, 0x011B):  # XResolution, YResolution
        if tag in entries and unit != 1:
            value = entries[tag]
            if value is None or round(value * (1 if unit == 2 else 2.54)) <= 0:
                raise _Unusable(_NO_RESOLUTION)
