"""Charts of the bilan, drawn with Pillow: about 15 ms a figure (matplotlib took 0.3 s, and 0.5 s to import).

Readable in black and white: grey levels and hatches for the états, markers and line styles for the trajectories.
Shapes are drawn at SCALE times the size and reduced (a box filter: their antialiasing); text is drawn at the
final size by FreeType, crisper than reduced text. The font is the document's, the Carlito shipped in
stspd/data/fonts (Pillow's own font has no accents), laid out by Pillow's basic engine rather than Raqm, which a
machine may lack: with Pillow pinned (its wheels bring FreeType), the same bilan gives the same bytes on every
machine. Numbers are written the French way (fr.number: « 1 234,5 », never « 6e+05 »), axes end on round ticks.

Each indicator is a figure of its own: the documents set three in a line and let the lines flow from page to page
(a figure of nine left a third of its page empty when the next did not fit), and a phone shows one a line.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from functools import cache, lru_cache

from PIL import Image, ImageDraw, ImageFont

from stspd import fr
from stspd.evaluation import compute
from stspd.evaluation.bilan import BilanContent
from stspd.evaluation.period import PeriodContent
from stspd.model.types import Fiche, Indicator, Statistic, end_year
from stspd.resources import data_dir

SCALE = 3  # shapes drawn 3× larger, then reduced: 3 × 3 samples a pixel
DPI = 150  # written in the PNG; the documents size the figures by their width
BLACK, WHITE = 0, 255
_ELLIPSIS, _DOWN = "…", "\u00a0↓"  # a no-break space: the arrow stays with the title's last word

# Fill (grey level) and hatch of each état: told apart without colour.
_GREYS = {"realisee": 38, "en_cours": 140, "non_engagee": 242, "reportee": 191, "abandonnee": 89, "non_evaluee": 255}
_HATCHES = {"realisee": "", "en_cours": "/", "non_engagee": ".", "reportee": "x", "abandonnee": "\\", "non_evaluee": "-"}

Point = tuple[float, float]


@cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(data_dir() / "fonts" / "Carlito-Regular.ttf"), size, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=2048)
def _glyphs(text: str, size: int, anchor: str) -> tuple[Image.Image, int, int]:
    """The text as a mask, and where its top left corner is from the anchor point: the years, the ticks and the
    counts recur in every figure, and FreeType would draw them again each time."""
    font = _font(size)
    text = text.replace("\u00a0", " ")  # Carlito has no glyph for the no-break space: the wrapping has kept it
    box = font.getbbox(text, anchor=anchor)
    left, top, right, bottom = math.floor(box[0]), math.floor(box[1]), math.ceil(box[2]), math.ceil(box[3])
    mask = Image.new("L", (max(1, right - left), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-left, -top), text, font=font, anchor=anchor, fill=255)
    return mask, left, top


def _clean(text: str) -> str:
    """One line of composed characters (the basic layout draws no combining accent over its letter), with the
    typographic apostrophe that pandoc gives the document's text."""
    return " ".join(unicodedata.normalize("NFC", text).split()).replace("'", "\u2019")


def number(value: float, digits: int = 0) -> str:
    """A figure of an axis: « 1 234,50 » with `digits` decimals, a narrow no-break space between thousands, a minus
    sign (−) rather than a hyphen; never scientific notation."""
    return fr.number(value, digits, fixed=True)


def axis(low: float, high: float, count: int, whole: bool = False) -> tuple[float, float, float]:
    """An axis from `low` to `high` in at most about `count` round steps: (first tick, last tick, step), the first
    at or below `low` and the last at or above `high`, so that the axis ends on a figure (`whole`: whole steps)."""
    if low == high:  # a single value: a step around it
        low, high = low - (abs(low) * 0.1 or 1), high + (abs(high) * 0.1 or 1)
    step = _nice_step(high - low, count, whole)
    first, last = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
    return round(first, 12), round(last, 12), step


class _Canvas:
    """A figure: shapes on a SCALE× greyscale image, texts kept for the reduced one. Coordinates in final pixels."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.image = Image.new("L", (width * SCALE, height * SCALE), WHITE)
        self.draw = ImageDraw.Draw(self.image)
        self.texts: list[tuple[Point, str, int, str]] = []

    @staticmethod
    def at(x: float, y: float) -> tuple[int, int]:
        return round(x * SCALE), round(y * SCALE)

    def line(self, points: Sequence[Point], width: float, fill: int = BLACK) -> None:
        self.draw.line([self.at(*p) for p in points], fill=fill, width=max(1, round(width * SCALE)), joint="curve")

    def dashed(self, start: Point, end: Point, width: float, fill: int, dash: float = 7, gap: float = 4.5) -> None:
        length = math.dist(start, end)
        if not length:
            return
        x, y = start[0] * SCALE, start[1] * SCALE
        ux, uy = (end[0] - start[0]) / length * SCALE, (end[1] - start[1]) / length * SCALE
        line, thickness = self.draw.line, max(1, round(width * SCALE))
        position = 0.0
        while position < length:
            stop = min(position + dash, length)
            line(
                ((round(x + ux * position), round(y + uy * position)), (round(x + ux * stop), round(y + uy * stop))),
                fill,
                thickness,
            )
            position += dash + gap

    def box(self, left: float, top: float, right: float, bottom: float, fill: int | None, outline: int | None = None) -> None:
        self.draw.rectangle(
            (*self.at(left, top), self.at(right, bottom)[0] - 1, self.at(right, bottom)[1] - 1),
            fill=fill,
            outline=outline,
            width=max(1, round(0.9 * SCALE)),
        )

    def patch(self, left: float, top: float, right: float, bottom: float) -> None:
        """A white patch with rounded corners, under a text."""
        self.draw.rounded_rectangle((*self.at(left, top), *self.at(right, bottom)), radius=3 * SCALE, fill=WHITE)

    def square(self, centre: Point, size: float, fill: int) -> None:
        x, y = centre
        self.box(x - size / 2, y - size / 2, x + size / 2, y + size / 2, fill)

    def circle(self, centre: Point, diameter: float, fill: int) -> None:
        x, y = centre
        r = diameter / 2
        self.draw.ellipse((*self.at(x - r, y - r), *self.at(x + r, y + r)), fill=fill)

    def star(self, centre: Point, size: float, fill: int) -> None:
        """A five-pointed star whose points touch a circle of diameter `size` (matplotlib's « * »)."""
        outer, inner = size / 2, size / 2 * 0.382
        points = []
        for k in range(10):
            angle = math.pi / 2 + k * math.pi / 5
            radius = outer if k % 2 == 0 else inner
            points.append(self.at(centre[0] + radius * math.cos(angle), centre[1] - radius * math.sin(angle)))
        self.draw.polygon(points, fill=fill)

    def hatched(self, left: float, top: float, right: float, bottom: float, grey: int, hatch: str) -> None:
        """A bar: its grey, its hatch (anchored to the figure, so that neighbours line up) and a black outline."""
        x0, y0 = self.at(left, top)
        x1, y1 = self.at(right, bottom)
        if x1 - x0 < 1 or y1 - y0 < 1:
            return
        tile = Image.new("L", (x1 - x0, y1 - y0), grey)
        _draw_hatch(ImageDraw.Draw(tile), hatch, x0, y0, x1 - x0, y1 - y0)
        self.image.paste(tile, (x0, y0))
        self.box(left, top, right, bottom, None, BLACK)

    def text(self, at: Point, text: str, size: int, anchor: str = "la") -> None:
        self.texts.append((at, text, size, anchor))

    def png(self) -> bytes:
        image = self.image.reduce(SCALE)
        for (x, y), text, size, anchor in self.texts:
            mask, left, top = _glyphs(text, size, anchor)
            image.paste(BLACK, (round(x) + left, round(y) + top), mask)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False, dpi=(DPI, DPI))  # no date, no software: the same bytes each time
        return out.getvalue()


_HATCH_STEP = 9 * SCALE  # pixels between two hatch lines, on the large image
_HATCH_WIDTH = round(1.1 * SCALE)


def _draw_hatch(draw: ImageDraw.ImageDraw, hatch: str, x0: int, y0: int, width: int, height: int) -> None:
    """Hatch lines on a tile whose top left corner is at (x0, y0) of the figure."""
    step = _HATCH_STEP
    if hatch in ("/", "\\", "x"):
        if hatch == "x":
            step = round(step * 1.5)
        # « / »: x + y is a multiple of step; « \ »: x − y is. Lines run past the tile: Pillow clips them.
        for slope, phase in (("/", x0 + y0), ("\\", x0 - y0)):
            if hatch not in (slope, "x"):
                continue
            first = -((phase) % step) - height
            for c in range(first, width + height + step, step):
                if slope == "/":
                    draw.line([(c + height, 0), (c, height)], fill=BLACK, width=_HATCH_WIDTH)
                else:
                    draw.line([(c, 0), (c + height, height)], fill=BLACK, width=_HATCH_WIDTH)
    elif hatch == "-":
        for y in range(-(y0 % step), height, step):
            draw.line([(0, y), (width, y)], fill=BLACK, width=_HATCH_WIDTH)
    elif hatch == ".":
        r = 1.6 * SCALE
        for row, y in enumerate(range(-(y0 % step), height + step, step)):
            shift = (step // 2) * ((row + y0 // step) % 2)  # dots in quincunx
            for x in range(-(x0 % step) + shift - step, width + step, step):
                draw.ellipse((x - r, y - r, x + r, y + r), fill=BLACK)


def _nice_step(span: float, count: int, whole: bool = False) -> float:
    """The smallest step of 1, 2, 2.5 or 5 times a power of ten giving at most `count` intervals over `span`
    (`whole`: a whole number, without 2.5)."""
    raw = span / count
    power = 10.0 ** math.floor(math.log10(raw))
    multiples = (1, 2, 5, 10) if whole else (1, 2, 2.5, 5, 10)
    return max(1 if whole else 0, next(m * power for m in multiples if raw <= m * power * (1 + 1e-9)))


def _ticks(low: float, high: float, step: float) -> list[float]:
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


def _decimals(step: float) -> int:
    return next((d for d in range(13) if abs(round(step, d) - step) < 1e-9 * step), 12)


def _wrap(words: list[str], fits: Callable[[str], bool]) -> list[str]:
    """Greedy wrap; a word longer than a line is cut."""
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            lines.append(current)
        while not fits(word) and len(word) > 1:
            cut = max(1, next((n for n in range(len(word) - 1, 0, -1) if fits(word[:n])), 1))
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _title(text: str, suffix: str, font: ImageFont.FreeTypeFont, width: float, most: int = 2) -> list[str]:
    """`text` + `suffix` on at most `most` lines of `width` pixels; cut with « … » when longer, the suffix kept."""

    def fits(line: str) -> bool:
        return font.getlength(line) <= width

    words = _clean(text).split(" ")
    words[-1] += suffix
    lines = _wrap(words, fits)
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and not fits(last + _ELLIPSIS + suffix):
        last = last[:-1]
    if " " in last and lines[most - 1][len(last) : len(last) + 1] not in ("", " "):  # cut between words if it can
        last = last.rsplit(" ", 1)[0]
    return [*lines[: most - 1], last.rstrip() + _ELLIPSIS + suffix]


# The stacked bars: sizes in pixels of the final image (150 dpi, about 4.3 inches wide).
_BARS_WIDTH = 640  # set at 65 % of a page's width, its text is the size of the document's; on a phone, legible
_BAR_PITCH, _BAR_HEIGHT = 64, 46
_LABEL, _TICK, _COUNT = 21, 19, 18  # Carlito's small letters are short: sizes a little larger than a wider face's
_TICK_LENGTH, _AXIS_WIDTH = 7, 1.7


def states_per_axe(bilan: BilanContent) -> bytes:
    """Fiches per état, one stacked bar per axe (the first axe on top), a legend below."""
    rows = bilan["synthese_axes"]
    return _states(
        [f"Axe {row['axe']['id']}" for row in rows], [row["etats"] for row in rows], bilan["etats_ordre"], bilan["etat_libelles"]
    )


def states_per_year(period: PeriodContent) -> bytes:
    """Fiches per état, one stacked bar per year evaluated (the first year on top), a legend below."""
    rows = period["etats_par_annee"]
    return _states(
        [str(row["annee"]) for row in rows], [row["etats"] for row in rows], period["etats_ordre"], period["etat_libelles"]
    )


def _states(names: list[str], rows: list[dict[str, int]], states: list[str], state_labels: dict[str, str]) -> bytes:
    """Fiches per état: a stacked bar per row, named on the left, with the count of each état in its segment."""
    labels = [_clean(name) for name in names]
    totals = [sum(row.get(state, 0) for state in states) for row in rows]
    label_font, count_font = _font(_LABEL), _font(_COUNT)

    _, last, whole_step = axis(0, max(totals, default=0) or 1, 8, whole=True)
    top_value, step = round(last), round(whole_step)
    left = 16 + max((label_font.getlength(label) for label in labels), default=0) + _TICK_LENGTH + 8
    right = _BARS_WIDTH - 24
    top = 12
    bottom = top + _BAR_PITCH * len(rows) + 6
    scale = (right - left) / top_value

    # The legend's entries, in rows as wide as the figure allows.
    swatch_width, swatch_height, gap = 38, 22, 30
    entries = [(state, _clean(state_labels[state])) for state in states]
    widths = [swatch_width + 9 + label_font.getlength(label) for _, label in entries]
    legend_rows: list[list[int]] = [[]] if entries else []
    for index, entry_width in enumerate(widths):
        line = legend_rows[-1]
        if line and sum(widths[i] + gap for i in line) + entry_width > _BARS_WIDTH - 40:
            legend_rows.append([])
        legend_rows[-1].append(index)
    axis_label_y = bottom + _TICK_LENGTH + 8 + _TICK + 12
    legend_top = axis_label_y + _LABEL + 22
    height = legend_top + len(legend_rows) * (swatch_height + 14) + 6
    canvas = _Canvas(_BARS_WIDTH, math.ceil(height))

    for index, (row, label) in enumerate(zip(rows, labels, strict=True)):
        middle = top + 6 + _BAR_PITCH * index + _BAR_PITCH / 2
        canvas.line([(left - _TICK_LENGTH, middle), (left, middle)], _AXIS_WIDTH)
        canvas.text((left - _TICK_LENGTH - 6, middle), label, _LABEL, "rm")
        start = 0
        segments = []
        for state in states:
            count = row.get(state, 0)
            if count:
                x0, x1 = left + start * scale, left + (start + count) * scale
                canvas.hatched(x0, middle - _BAR_HEIGHT / 2, x1, middle + _BAR_HEIGHT / 2, _GREYS[state], _HATCHES[state])
                segments.append(((x0 + x1) / 2, str(count)))
                start += count
        for centre, text in segments:  # each count on a white patch, readable over any hatch
            half_width, half_height = count_font.getlength(text) / 2 + 4, _COUNT / 2 + 2
            canvas.patch(centre - half_width, middle - half_height, centre + half_width, middle + half_height)
            canvas.text((centre, middle), text, _COUNT, "mm")

    canvas.line([(left, top), (left, bottom)], _AXIS_WIDTH)
    canvas.line([(left, bottom), (right, bottom)], _AXIS_WIDTH)
    for value in range(0, top_value + 1, step):
        x = left + value * scale
        canvas.line([(x, bottom), (x, bottom + _TICK_LENGTH)], _AXIS_WIDTH)
        canvas.text((x, bottom + _TICK_LENGTH + 5), number(value), _TICK, "mt")
    canvas.text(((left + right) / 2, axis_label_y), "Nombre de fiches actions", _LABEL, "mt")

    for line_index, line in enumerate(legend_rows):
        y = legend_top + line_index * (swatch_height + 14)
        x = (_BARS_WIDTH - (sum(widths[i] for i in line) + gap * (len(line) - 1))) / 2
        for index in line:
            state, label = entries[index]
            canvas.hatched(x, y, x + swatch_width, y + swatch_height, _GREYS[state], _HATCHES[state])
            canvas.text((x + swatch_width + 9, y + swatch_height / 2), label, _LABEL, "lm")
            x += widths[index] + gap
    return canvas.png()


# A trajectory: sizes in pixels of the final image (150 dpi). Three side by side fill a page's width (16.6 cm:
# each at about 190 dpi there); a phone shows one across its width.
_CELL_WIDTH, _CELL_HEIGHT, _MARGIN = 400, 360, 10
_TITLE, _SMALL = 19, 17
_BASELINE_GREY, _TARGET_LINE_GREY = 102, 128


def _values(bilan: BilanContent) -> dict[int, dict[tuple[str, str], float | None]]:
    """Year → (fiche id, indicator id) → value, for the years up to the bilan's."""
    return {e["annee"]: compute.values_of(e) for e in bilan["evaluations"] if e["annee"] <= bilan["annee"]}


def trajectory(fiche: Fiche, indicator: Indicator, measured: list[tuple[int, float]]) -> bytes:
    """One indicator: its title, its unit over the value axis, the baseline → target line, the measures (year, value)."""
    suffix = _DOWN if indicator.get("sens") == "baisse" else ""
    baseline = indicator.get("reference")
    return _line_chart(
        f"{fiche['id']} · {indicator['libelle']}",
        suffix,
        indicator.get("unite", ""),
        measured,
        (baseline["annee"], baseline["valeur"]) if baseline else None,
        (indicator["cible"]["annee"], indicator["cible"]["valeur"]),
    )


def series(title: str, unit: str, measured: list[tuple[int, float]]) -> bytes:
    """A statistic over the years (a row of the diagnostic's tables): its values, joined, in its unit."""
    return _line_chart(title, "", unit, measured, None, None)


def _line_chart(
    title_text: str,
    suffix: str,
    unit_text: str,
    measured: list[tuple[int, float]],
    baseline: tuple[int, float] | None,
    target: tuple[int, float] | None,
) -> bytes:
    canvas = _Canvas(_CELL_WIDTH, _CELL_HEIGHT)
    points = ([baseline] if baseline else []) + ([target] if target else []) + measured
    left, width = _MARGIN, _CELL_WIDTH - 2 * _MARGIN

    title_font, small_font = _font(_TITLE), _font(_SMALL)
    title = _title(title_text, suffix, title_font, width)
    for line_number, line in enumerate(title):
        canvas.text((left, 10 + line_number * (_TITLE + 4)), line, _TITLE)
    unit_top = 10 + 2 * (_TITLE + 4) + 6
    unit = _clean(unit_text)
    if unit:
        canvas.text((left, unit_top), _title(unit, "", small_font, width, 1)[0], _SMALL)

    # Values: about five round intervals (whole ones for counts), the axis ending on its first and last ticks.
    whole = all(float(v).is_integer() for _, v in points)
    low, high, step = axis(min(v for _, v in points), max(v for _, v in points), 5, whole)
    digits = 0 if whole else _decimals(step)
    y_ticks = [(v, number(v, digits)) for v in _ticks(low, high, step)]
    plot_left = left + max(small_font.getlength(label) for _, label in y_ticks) + _TICK_LENGTH + 6
    plot_right = left + width - 8
    # Years: one tick a year, or a round number of years, as many as there is room for.
    first, last = min(y for y, _ in points), max(y for y, _ in points)
    room = max(1, int((plot_right - plot_left) // (small_font.getlength("2000") + 8)) - 1)
    year_step = round(_nice_step(last - first, room, whole=True)) if last > first else 1
    x_ticks = [int(y) for y in _ticks(first, last, year_step)]
    margin = 0.05 * (last - first) if last > first else 0.6
    x_low, x_high = first - margin, last + margin
    plot_top = unit_top + _SMALL + 14  # room for the top tick's label and for the star at the top
    plot_bottom = _CELL_HEIGHT - 40
    axis_bottom = plot_bottom + 8  # the year axis a little below the lowest tick: no marker sits on it

    def at(year: float, value: float) -> Point:
        return (
            plot_left + (year - x_low) / (x_high - x_low) * (plot_right - plot_left),
            plot_bottom - (value - low) / (high - low) * (plot_bottom - plot_top),
        )

    canvas.line([(plot_left, plot_top), (plot_left, axis_bottom), (plot_right, axis_bottom)], _AXIS_WIDTH)
    for value, label in y_ticks:
        y = at(x_low, value)[1]
        canvas.line([(plot_left - _TICK_LENGTH, y), (plot_left, y)], _AXIS_WIDTH)
        canvas.text((plot_left - _TICK_LENGTH - 4, y), label, _SMALL, "rm")
    for year in x_ticks:
        x = at(year, low)[0]
        canvas.line([(x, axis_bottom), (x, axis_bottom + _TICK_LENGTH)], _AXIS_WIDTH)
        canvas.text((x, axis_bottom + _TICK_LENGTH + 4), str(year), _SMALL, "mt")

    if target:
        goal = at(*target)
        if baseline:
            start = at(*baseline)
            canvas.dashed(start, goal, 1.7, _TARGET_LINE_GREY)
            canvas.square(start, 12, _BASELINE_GREY)
        canvas.star(goal, 21, BLACK)
    if measured:
        path = [at(year, value) for year, value in measured]
        if len(path) > 1:
            canvas.line(path, 3)
        for point in path:
            canvas.circle(point, 12.5, BLACK)
    return canvas.png()


def _targeted(bilan: BilanContent) -> Iterator[tuple[str, Fiche, Indicator]]:
    """Each indicator with a target and the name of its figure: indicateurs-axe-N-K.png, K from 1 in the axe."""
    for axe in bilan["axes"]:
        indicators = [(f, i) for f in axe["fiches"] for i in f.get("indicateurs", []) if i.get("cible")]
        for number_in_axe, (fiche, indicator) in enumerate(indicators, start=1):
            yield f"indicateurs-axe-{axe['numero']}-{number_in_axe}.png", fiche, indicator


def all_charts(bilan: BilanContent) -> dict[str, bytes]:
    """File name → PNG, in the order the document shows them: the états per axe, then each indicator with a target."""
    charts = {"etats-par-axe.png": states_per_axe(bilan)}
    values = _values(bilan)  # made once for all the figures: 2,000 indicators a year in a large strategy
    for name, fiche, indicator in _targeted(bilan):
        key = (fiche["id"], indicator["id"])
        measured = sorted((year, value) for year, v in values.items() if (value := v.get(key)) is not None)
        charts[name] = trajectory(fiche, indicator, measured)
    return charts


def descriptions(bilan: BilanContent) -> dict[str, str]:
    """What each indicator's figure shows, in words: its alternative text (read aloud, shown when not loaded)."""
    return {
        name: f"Trajectoire de l'indicateur {fiche['id']} · {indicator['libelle']}" for name, fiche, indicator in _targeted(bilan)
    }


def statistics_charts(tables: list[Statistic]) -> dict[str, bytes]:
    """File name → PNG: each row of `tables` (the diagnostic's imported ones) with two published values or more."""
    return {name: series(title, unit, measured) for name, title, unit, measured in _rows_to_draw(tables)}


def statistics_descriptions(tables: list[Statistic]) -> dict[str, str]:
    """What each of those figures shows, in words: its alternative text."""
    return {
        name: f"Évolution de « {title} » de {measured[0][0]} à {measured[-1][0]}"
        for name, title, _, measured in _rows_to_draw(tables)
    }


def _rows_to_draw(tables: list[Statistic]) -> Iterator[tuple[str, str, str, list[tuple[int, float]]]]:
    """(figure's name, title, unit, (year, value) published): statistiques-ID--R.png, R the row's rank from 1."""
    for table in tables:
        for r, row in enumerate(table["lignes"], start=1):
            measured = [
                (end_year(column), float(v))
                for column, v in zip(table["annees"], row["valeurs"], strict=True)
                if isinstance(v, (int, float))
            ]
            if len(measured) >= 2:
                yield f"statistiques-{table['id']}--{r}.png", row["indicateur"], row.get("unite", ""), measured
