"""The bilan's charts, read back as images: their number, size, what is drawn where, the font, the same bytes."""

from __future__ import annotations

import io
import struct

import pytest
from conftest import SAMPLE
from PIL import Image, ImageDraw, ImageOps

from stspd.commands.valid import valid_model
from stspd.evaluation import bilan as bilan_module
from stspd.render import charts

DARK = 96  # a pixel darker than this is ink (lines, markers, hatches, text)


@pytest.fixture(scope="module")
def bilan() -> dict:
    _, view = valid_model(SAMPLE)
    return bilan_module.bilan_content(view, 2025)


@pytest.fixture(scope="module")
def images(bilan) -> dict[str, bytes]:
    return charts.all_charts(bilan)


def _open(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _inked(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Whether `box` of the image holds any pixel that is not white."""
    return ImageOps.invert(image.crop(box)).getbbox() is not None


def _dark_pixels(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> int:
    return sum(image.crop(box or (0, 0, *image.size)).histogram()[:DARK])


def _chunks(png: bytes) -> list[bytes]:
    """The PNG's chunk types, in order."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    kinds, offset = [], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kinds.append(png[offset + 4 : offset + 8])
        offset += 12 + length
    return kinds


def _indicators(axe: dict) -> list[tuple[dict, dict]]:
    return [(f, i) for f in axe["fiches"] for i in f.get("indicateurs", []) if i.get("cible")]


def test_one_bar_chart_then_a_figure_per_indicator_with_a_target(bilan, images):
    expected = ["etats-par-axe.png"]
    for axe in bilan["axes"]:
        expected += [f"indicateurs-axe-{axe['numero']}-{k}.png" for k in range(1, len(_indicators(axe)) + 1)]
    assert list(images) == expected and len(expected) == 1 + 81  # the sample's 81 indicators with a target
    assert list(charts.descriptions(bilan)) == expected[1:]
    assert charts.descriptions(bilan)["indicateurs-axe-4-1.png"].startswith("Trajectoire de l'indicateur 4.1.1 · ")
    for name, png in images.items():
        image = _open(png)
        assert image.format == "PNG" and image.mode == "L"
        assert tuple(map(round, image.info["dpi"])) == (150, 150)
        assert image.size == ((640, image.height) if name == "etats-par-axe.png" else (400, 360)), name


def test_each_figure_has_its_title_its_unit_and_its_plot(images):
    for name, png in images.items():
        if name == "etats-par-axe.png":
            continue
        image = _open(png)
        assert _inked(image, (0, 0, 400, 30)), name  # the title's first line
        assert _inked(image, (0, 56, 120, 76)), name  # the unit, over the value axis
        assert _dark_pixels(image, (0, 80, 400, 360)) > 1500, name  # axes, dashed line, markers


def _one_indicator(bilan: dict, **changes) -> tuple[dict, dict]:
    fiche = bilan["axes"][0]["fiches"][0]
    indicator = {**fiche["indicateurs"][0], **changes}
    return fiche, indicator


def test_the_measured_values_the_unit_and_the_direction_are_drawn(bilan):
    fiche, indicator = _one_indicator(bilan)
    measured = _open(charts.trajectory(fiche, indicator, [(2024, 9), (2025, 24)]))
    unmeasured = _open(charts.trajectory(fiche, indicator, []))
    plot = (0, 80, 400, 360)
    assert _dark_pixels(measured, plot) > _dark_pixels(unmeasured, plot) + 200  # the black line and its dots
    down = _open(charts.trajectory(fiche, {**indicator, "sens": "baisse"}, []))
    title = (0, 0, 400, 55)
    assert down.crop(title).tobytes() != unmeasured.crop(title).tobytes()  # « ↓ » after the title
    unit = (0, 56, 400, 78)
    assert _inked(unmeasured, unit)
    assert not _inked(_open(charts.trajectory(fiche, {k: v for k, v in indicator.items() if k != "unite"}, [])), unit)


def _bars(image: Image.Image) -> tuple[int, int, list[tuple[int, int]]]:
    """The x axis (its y), the y axis (its x), and each bar as (middle y, length from the y axis) from top to bottom."""
    rows = [image.crop((0, y, image.width, y + 1)).histogram() for y in range(image.height)]
    x_axis = max(range(image.height), key=lambda y: sum(rows[y][:DARK]))  # the longest black line
    columns = [image.crop((x, 0, x + 1, x_axis)).histogram() for x in range(image.width)]
    y_axis = max(range(image.width), key=lambda x: sum(columns[x][:DARK]))
    # Above the x axis, right of the y axis: a band of ink per bar.
    bars: list[list[int]] = []
    in_band = False
    for y in range(x_axis - 2):
        box = ImageOps.invert(image.crop((y_axis + 3, y, image.width, y + 1))).getbbox()
        if box and not in_band:
            bars.append([y, y, box[2]])
        elif box:
            bars[-1][1:] = [y, max(bars[-1][2], box[2])]
        in_band = box is not None
    return x_axis, y_axis, [((top + bottom) // 2, length) for top, bottom, length in bars]


def test_the_bars_are_as_long_as_the_axes_have_fiches(bilan, images):
    image = _open(images["etats-par-axe.png"])
    assert image.width == 640
    x_axis, y_axis, bars = _bars(image)
    totals = [row["fiches"] for row in bilan["synthese_axes"]]
    assert totals == [11, 5, 9, 4] and len(bars) == len(totals)
    per_fiche = bars[0][1] / totals[0]
    assert per_fiche > 35
    for (_, length), total in zip(bars, totals):
        assert length == pytest.approx(total * per_fiche, abs=4)
    # Ink inside the bars (the realisee segments are dark grey, the hatches black); the label and legend below.
    assert _dark_pixels(image, (y_axis + 3, 0, image.width, x_axis - 2)) > 20_000
    assert _inked(image, (0, x_axis + 30, image.width, image.height))


def test_every_state_has_its_grey_and_hatch(bilan):
    states = ["realisee", "en_cours", "non_engagee", "reportee", "abandonnee", "non_evaluee"]
    rows = [{**row, "etats": dict.fromkeys(states, 2)} for row in bilan["synthese_axes"]]
    image = _open(charts.states_per_axe({**bilan, "etats_ordre": states, "synthese_axes": rows}))
    _, y_axis, bars = _bars(image)
    assert len(bars) == 4
    middle, length = bars[0]
    width = length / len(states)
    # A window in each segment, clear of its outline and of its count (in the middle): six different looks.
    windows = [
        image.crop((round(y_axis + (k + 0.15) * width), middle - 15, round(y_axis + (k + 0.4) * width), middle + 15))
        for k in range(6)
    ]
    means = [sum(i * n for i, n in enumerate(w.histogram())) / (w.width * w.height) for w in windows]
    assert len({w.tobytes() for w in windows}) == 6
    assert means[0] < 60 and means[-1] > 150  # réalisée: dark grey; non évaluée: white, horizontal lines


def test_the_same_bilan_gives_the_same_bytes_without_date_or_software(bilan, images):
    assert charts.all_charts(bilan) == images
    for png in images.values():
        assert _chunks(png) == [b"IHDR", b"pHYs", *[b"IDAT"] * (len(_chunks(png)) - 3), b"IEND"]


def _glyphs(text: str) -> bytes:
    image = Image.new("L", (60, 40), 0)
    ImageDraw.Draw(image).text((5, 5), text, font=charts._font(16), fill=255)
    return image.tobytes()


def test_the_font_has_french_accents_and_the_signs_the_charts_use():
    missing, plain = _glyphs("\uffff"), _glyphs("e")
    for text in ("é", "è", "à", "ç", "É", "œ", "ô", "↓", "·", "…", "’", "€"):
        assert _glyphs(text) not in (missing, plain), text
    font = charts._font(16)
    assert font.getlength("1\u202f234") > font.getlength("1234")  # the thin space of French thousands
    assert font.getname() == ("Carlito", "Regular")  # the document's typeface


def test_a_no_break_space_is_drawn_as_a_space():
    """Carlito has no glyph for U+00A0 (the space before « ↓ »): a box would show."""
    mask, _, _ = charts._glyphs("juillet\u00a0↓", 16, "la")
    plain, _, _ = charts._glyphs("juillet ↓", 16, "la")
    assert mask.tobytes() == plain.tobytes()


def test_a_long_title_fits_two_lines_and_keeps_its_arrow():
    font = charts._font(16)
    label = "1.2.3 · " + "Nombre de jeunes accompagnés vers l'emploi ou la formation " * 3
    lines = charts._title(label, charts._DOWN, font, 360)
    assert len(lines) == 2 and lines[-1].endswith("…\u00a0↓")
    assert all(font.getlength(line) <= 360 for line in lines)
    assert charts._title("1.2.3 · Court", "", font, 360) == ["1.2.3 · Court"]
    assert charts._title("Anticonstitutionnellementintransmissible", "", font, 100)[0].startswith("Anticon")


@pytest.mark.parametrize(
    ("low", "high", "ticks"),
    [
        (0, 40, [0, 10, 20, 30, 40]),
        (0, 1000, [0, 200, 400, 600, 800, 1000]),
        (78, 80, [78, 78.5, 79, 79.5, 80]),
        (0.12, 0.2, [0.12, 0.14, 0.16, 0.18, 0.2]),
        (-12.5, 3, [-10, -5, 0]),
    ],
)
def test_a_few_round_ticks(low, high, ticks):
    assert charts._ticks(low, high, charts._nice_step(high - low, 5)) == ticks


@pytest.mark.parametrize(
    ("low", "high", "whole", "expected"),
    [
        (63, 70, True, (62, 70, 2)),  # the axis ends on round ticks below and above the values
        (3, 14, True, (0, 15, 5)),
        (0, 1000, True, (0, 1000, 200)),
        (330, 431, True, (300, 450, 50)),
        (55.5, 60.2, False, (55, 61, 1)),
        (0.12, 0.19, False, (0.12, 0.2, 0.02)),
        (78, 78, True, (70, 90, 5)),  # a single value: room around it
        (-12.5, 3, False, (-15, 5, 5)),
        (0, 6_000_000, True, (0, 6_000_000, 2_000_000)),
    ],
)
def test_an_axis_starts_and_ends_on_round_numbers(low, high, whole, expected):
    first, last, step = charts.axis(low, high, 5, whole)
    assert (first, last, step) == pytest.approx(expected)
    assert first <= low and last >= high
    assert charts._ticks(first, last, step)[0] == pytest.approx(first) and charts._ticks(first, last, step)[-1] == pytest.approx(
        last
    )


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (1000, 0, "1\u202f000"),  # thousands apart by a narrow no-break space
        (6_000_000, 0, "6\u202f000\u202f000"),  # never « 6e+06 »
        (78.5, 1, "78,5"),  # a decimal comma
        (80, 1, "80,0"),  # the same decimals along an axis
        (0.02, 2, "0,02"),
        (-15, 0, "\u221215"),  # a minus sign, not a hyphen
        (1234.5, 1, "1\u202f234,5"),
    ],
)
def test_an_axis_figure_is_written_the_french_way(value, digits, text):
    assert charts.number(value, digits) == text


def test_chart_text_takes_typographic_apostrophes():
    assert charts._clean("Nombre d'élèves  dans\nl'année") == "Nombre d\u2019élèves dans l\u2019année"
