"""The bilan's charts, read back as images: their number, size, what is drawn where, the font, the same bytes."""

from __future__ import annotations

import io
import math
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


def test_one_bar_chart_then_a_figure_per_nine_indicators_of_each_axe(bilan, images):
    expected = ["etats-par-axe.png"]
    for axe in bilan["axes"]:
        count = math.ceil(len(_indicators(axe)) / charts.PER_FIGURE)
        expected += [f"indicateurs-axe-{axe['numero']}-{part}.png" for part in range(1, count + 1)]
    assert list(images) == expected and len(expected) == 12
    for name, png in images.items():
        image = _open(png)
        assert image.format == "PNG" and image.mode == "L"
        assert tuple(map(round, image.info["dpi"])) == (150, 150)
        assert 1000 <= image.width <= 1300, name


def test_a_trajectory_figure_has_a_row_of_345_pixels_per_three_indicators(bilan, images):
    for axe in bilan["axes"]:
        indicators = _indicators(axe)
        for part, start in enumerate(range(0, len(indicators), charts.PER_FIGURE), start=1):
            shown = len(indicators[start : start + charts.PER_FIGURE])
            image = _open(images[f"indicateurs-axe-{axe['numero']}-{part}.png"])
            assert image.size == (1200, 345 * math.ceil(shown / 3))


def test_each_indicator_is_drawn_in_its_cell_and_the_cells_left_over_are_blank(bilan, images):
    last = _open(images["indicateurs-axe-4-2.png"])  # axe 4 has 10 indicators: one in its second figure
    assert len(_indicators(bilan["axes"][3])) == 10
    assert _dark_pixels(last, (0, 60, 400, 345)) > 2000  # axes, dashed line, markers
    assert not _inked(last, (420, 0, 1200, 345))
    full = _open(images["indicateurs-axe-1-1.png"])
    for row in range(3):
        for column in range(3):
            cell = (column * 400, row * 345, column * 400 + 400, row * 345 + 345)
            title = (cell[0], cell[1], cell[2], cell[1] + 55)
            assert _dark_pixels(full, cell) > 2000 and _inked(full, title)


def _one_indicator(bilan: dict, **changes) -> tuple[dict, dict]:
    fiche = bilan["axes"][0]["fiches"][0]
    indicator = {**fiche["indicateurs"][0], **changes}
    return fiche, indicator


def test_the_measured_values_and_the_direction_are_drawn(bilan):
    fiche, indicator = _one_indicator(bilan)
    measured = _open(charts.trajectories(bilan, [(fiche, indicator)]))
    unmeasured = _open(charts.trajectories(bilan, [(fiche, {**indicator, "id": "jamais-mesure"})]))
    plot = (0, 60, 400, 345)
    assert _dark_pixels(measured, plot) > _dark_pixels(unmeasured, plot) + 200  # the black line and its dots
    down = _open(charts.trajectories(bilan, [(fiche, {**indicator, "sens": "baisse"})]))
    title = (0, 0, 400, 55)
    assert down.crop(title).tobytes() != measured.crop(title).tobytes()  # « ↓ » after the title


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
    assert image.width == 1050
    x_axis, y_axis, bars = _bars(image)
    totals = [row["fiches"] for row in bilan["synthese_axes"]]
    assert totals == [11, 5, 9, 4] and len(bars) == len(totals)
    per_fiche = bars[0][1] / totals[0]
    assert per_fiche > 50
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
    assert font.getname() == ("DejaVu Sans", "Book")


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
