"""Charts of the bilan, drawn with matplotlib (imported here only: 0.5 s that no other command pays).

Readable in black and white: hatches and grey levels for the états, markers and line styles for trajectories.
"""

from __future__ import annotations

import io
import textwrap

from stspd.evaluation import compute

_HATCHES = {
    "realisee": "",
    "en_cours": "///",
    "non_engagee": "...",
    "reportee": "xx",
    "abandonnee": "\\\\\\",
    "non_evaluee": "--",
}
_GREYS = {
    "realisee": "0.15",
    "en_cours": "0.55",
    "non_engagee": "0.95",
    "reportee": "0.75",
    "abandonnee": "0.35",
    "non_evaluee": "1.0",
}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 8, "svg.hashsalt": "stspd", "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _png(figure) -> bytes:
    import matplotlib.pyplot as plt

    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=150, metadata={"Software": None})
    plt.close(figure)
    return out.getvalue()


def states_per_axe(bilan: dict) -> bytes:
    """Fiches per état, one stacked bar per axe."""
    plt = _pyplot()
    rows = bilan["synthese_axes"]
    figure, axes = plt.subplots(figsize=(7, 0.6 + 0.55 * len(rows)))
    labels = [f"Axe {row['axe']['id']}" for row in rows][::-1]
    left = [0] * len(rows)
    for state in bilan["etats_ordre"]:
        counts = [row["etats"].get(state, 0) for row in rows][::-1]
        axes.barh(
            labels,
            counts,
            left=left,
            color=_GREYS[state],
            hatch=_HATCHES[state],
            edgecolor="black",
            linewidth=0.6,
            label=bilan["etat_libelles"][state],
        )
        for y, (start, count) in enumerate(zip(left, counts)):
            if count:
                axes.text(
                    start + count / 2,
                    y,
                    str(count),
                    ha="center",
                    va="center",
                    fontsize=7,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"},
                )
        left = [a + b for a, b in zip(left, counts)]
    axes.set_xlabel("Nombre de fiches actions")
    axes.legend(ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.35 if len(rows) < 4 else -0.2), frameon=False)
    figure.subplots_adjust(left=0.1, right=0.98, top=0.97, bottom=0.42 if len(rows) < 4 else 0.32)
    return _png(figure)


PER_FIGURE = 9  # three rows of three: a figure that fits a page


def trajectories(bilan: dict, indicators: list[tuple[dict, dict]]) -> bytes:
    """Each indicator: its values over the years against the baseline and the target."""
    plt = _pyplot()
    columns = 3
    lines = (len(indicators) + columns - 1) // columns
    figure, grid = plt.subplots(lines, columns, figsize=(8, 2.3 * lines), squeeze=False)
    values = {year: compute.values_of(e) for year, e in ((e["annee"], e) for e in bilan["evaluations"]) if year <= bilan["annee"]}
    for index, (fiche, indicator) in enumerate(indicators):
        plot = grid[index // columns][index % columns]
        baseline, target = indicator.get("reference"), indicator["cible"]
        if baseline:
            plot.plot(
                [baseline["annee"], target["annee"]],
                [baseline["valeur"], target["valeur"]],
                linestyle="--",
                color="0.5",
                linewidth=0.8,
            )
            plot.plot([baseline["annee"]], [baseline["valeur"]], marker="s", color="0.4", linestyle="none")
        plot.plot([target["annee"]], [target["valeur"]], marker="*", markersize=9, color="black", linestyle="none")
        measured = sorted(
            (year, v[(fiche["id"], indicator["id"])])
            for year, v in values.items()
            if v.get((fiche["id"], indicator["id"])) is not None
        )
        if measured:
            plot.plot([y for y, _ in measured], [v for _, v in measured], marker="o", color="black", linewidth=1.4)
        direction = " ↓" if indicator.get("sens") == "baisse" else ""
        title = textwrap.shorten(f"{fiche['id']} · {indicator['libelle']}", 84, placeholder="…") + direction
        plot.set_title(textwrap.fill(title, 44), fontsize=6.5, loc="left")
        plot.tick_params(labelsize=6)
        plot.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    for index in range(len(indicators), lines * columns):
        grid[index // columns][index % columns].axis("off")
    # Fixed margins: tight_layout measures every label and costs a second per figure.
    figure.subplots_adjust(
        left=0.07,
        right=0.98,
        top=1 - 0.5 / figure.get_figheight(),
        bottom=0.35 / figure.get_figheight(),
        hspace=0.75,
        wspace=0.32,
    )
    return _png(figure)


def all_charts(bilan: dict) -> dict[str, bytes]:
    """File name → PNG, in the order the document shows them."""
    charts = {"etats-par-axe.png": states_per_axe(bilan)}
    for axe in bilan["axes"]:
        indicators = [(f, i) for f in axe["fiches"] for i in f.get("indicateurs", []) if i.get("cible")]
        for part, start in enumerate(range(0, len(indicators), PER_FIGURE), start=1):
            charts[f"indicateurs-axe-{axe['numero']}-{part}.png"] = trajectories(bilan, indicators[start : start + PER_FIGURE])
    return charts
