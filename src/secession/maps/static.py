"""Static plan maps (PNG and SVG) drawn with matplotlib's Agg backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # never open a window; safe before pyplot is imported

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from secession.i18n import gettext_for
from secession.maps.mapdata import MapData, label_points, legend_countries
from secession.maps.style import FULL_MARGIN, STRANDED_EDGE, shade

FIG_WIDTH = 11.0
DPI = 150
HATCH = "////"


def _aspect(data: MapData) -> float:
    minx, miny, maxx, maxy = data.geometry.total_bounds
    w, h = max(maxx - minx, 1e-9), max(maxy - miny, 1e-9)
    return float(np.clip(h / w, 0.3, 2.0))


def draw_units(ax: Any, data: MapData, *, linewidth: float = 0.15) -> None:
    """Draw the units (shaded fills, stranded hatching) and the outlines on ``ax``."""
    geo = data.geometry
    geo.plot(ax=ax, color=data.units["fill"].tolist(), edgecolor="white", linewidth=linewidth)
    stranded = data.units["stranded"].to_numpy()
    if stranded.any():
        with plt.rc_context({"hatch.linewidth": 0.5, "hatch.color": STRANDED_EDGE}):
            geo[stranded].plot(
                ax=ax,
                facecolor="none",
                edgecolor=STRANDED_EDGE,
                hatch=HATCH,
                linewidth=0.0,
            )
    if data.group_outlines is not None:
        data.group_outlines.boundary.plot(ax=ax, color="#555555", linewidth=0.35)
    data.country_outlines.boundary.plot(ax=ax, color="#111111", linewidth=1.1)
    minx, miny, maxx, maxy = geo.total_bounds
    pad_x, pad_y = (maxx - minx) * 0.01, (maxy - miny) * 0.01
    ax.set_xlim(minx - pad_x, maxx + pad_x)
    ax.set_ylim(miny - pad_y, maxy + pad_y)
    ax.set_aspect("equal")
    ax.set_axis_off()


def draw_labels(ax: Any, data: MapData, *, fontsize: float = 7.0) -> list[Any]:
    """Each new country's short name at a point of its largest piece, white halo; a label
    that would overlap one already placed (larger countries first) is moved above or below
    its point, and left out only when every place overlaps (it stays in the legend)."""
    points = label_points(data)
    pop = data.units.groupby("country")["population"].sum()
    order = sorted(points, key=lambda c: -float(pop.get(c, 0)))
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    placed: list[Any] = []
    texts = []
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    for c in order:
        x, y = points[c]
        text = ax.annotate(
            data.names[c], (x, y), xytext=(0, 0), textcoords="offset points",
            ha="center", va="center", fontsize=fontsize, color="#111111",
            path_effects=halo, annotation_clip=False,
        )  # fmt: skip
        for dy in (0, fontsize * 1.2, -fontsize * 1.2, fontsize * 2.4, -fontsize * 2.4):
            text.set_position((0, dy))
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            if not any(box.overlaps(b) for b in placed):
                placed.append(box)
                texts.append(text)
                break
        else:
            text.remove()
    return texts


def legend_handles(data: MapData) -> list[Patch]:
    """A patch per country present, then the stranded-unit marker."""
    _ = gettext_for(data.lang)
    handles = [
        Patch(facecolor=data.colors[c], edgecolor="#111111", linewidth=0.6, label=data.names[c])
        for c in legend_countries(data)
    ]
    handles.append(
        Patch(
            facecolor="white",
            edgecolor=STRANDED_EDGE,
            hatch=HATCH,
            linewidth=0.6,
            label=_("stranded: unit's majority voted for the other side"),
        )
    )
    return handles


def _margin_bar(fig: Figure, rect: list[float], color: str, lang: str) -> None:
    _ = gettext_for(lang)
    ax = fig.add_axes(rect)
    steps = np.linspace(0, FULL_MARGIN, 64)
    cmap = LinearSegmentedColormap.from_list("m", [shade(color, m) for m in steps])
    ax.imshow(steps[None, :], aspect="auto", cmap=cmap, extent=(0, FULL_MARGIN * 100, 0, 1))
    ax.set_yticks([])
    ticks = [0, FULL_MARGIN * 50, FULL_MARGIN * 100]
    ax.set_xticks(ticks, [f"{t:.0f}" for t in ticks[:-1]] + [f"≥{ticks[-1]:.0f}"])
    ax.tick_params(labelsize=7, length=2)
    ax.set_title(_("unit margin (points); pale = close vote"), fontsize=7.5, loc="left")


def draw_plan_map(data: MapData) -> Figure:
    """A full plan map: title, units, outlines, legend, margin scale, source and projection."""
    aspect = _aspect(data)
    map_h = FIG_WIDTH * 0.96 * aspect
    entries = len(legend_countries(data)) + 1
    ncol = legend_columns(entries)
    n_rows = -(-entries // ncol) + 1  # one more row beside the margin scale
    legend_h = 0.35 + 0.2 * n_rows
    head_h, foot_h = 0.75, 0.3
    height = head_h + map_h + legend_h + foot_h
    fig = plt.figure(figsize=(FIG_WIDTH, height), dpi=DPI)
    fig.text(0.02, 1 - 0.3 / height, data.title, fontsize=13, weight="bold", va="center")
    fig.text(0.02, 1 - 0.58 / height, data.subtitle, fontsize=9, color="#333333", va="center")
    ax = fig.add_axes([0.02, (legend_h + foot_h) / height, 0.96, map_h / height], label="map")
    draw_units(ax, data)
    draw_labels(ax, data)
    fig.legend(
        handles=legend_handles(data),
        loc="upper left",
        bbox_to_anchor=(0.02, (legend_h + foot_h) / height),
        ncol=ncol,
        fontsize=8.5 if ncol <= 2 else 7.5,
        frameon=False,
        handlelength=2.2,
        handleheight=1.2,
    )
    _margin_bar(
        fig,
        [0.72, (foot_h + legend_h - 0.45) / height, 0.24, 0.14 / height],
        data.colors[data.present[0]] if data.present else data.colors[0],
        data.lang,
    )
    fig.text(
        0.02,
        0.12 / height,
        f"{data.source}. {data.projection}.",
        fontsize=7.5,
        color="#555555",
    )
    return fig


def legend_columns(entries: int) -> int:
    """Legend columns for ``entries`` lines: two for a few, up to four for 40 countries."""
    return 2 if entries <= 12 else 3 if entries <= 24 else 4


def draw_small_map(ax: Any, data: MapData, title: str) -> None:
    """A compact map for small multiples: units, outlines, short title, and its own key
    below the map (every country present with its colour and short name)."""
    draw_units(ax, data, linewidth=0.05)
    ax.set_title(title, fontsize=9, loc="left")
    handles = legend_handles(data)[:-1]  # the stranded marker is explained in the text
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0),
        ncol=legend_columns(len(handles)),
        fontsize=6.5,
        frameon=False,
        handlelength=1.4,
        handleheight=0.9,
        columnspacing=0.8,
        labelspacing=0.25,
    )


def write_static_maps(data: MapData, out_dir: str | Path, stem: str = "map") -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg`` into ``out_dir``; return their paths."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    fig = draw_plan_map(data)
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    try:
        fig.savefig(paths[0], dpi=DPI, metadata={"Software": None})
        # a fixed salt makes the SVG's element ids, and so the file, the same on every run
        with plt.rc_context({"svg.hashsalt": "secession"}):
            fig.savefig(paths[1], metadata={"Date": None})
    finally:
        plt.close(fig)
    return paths
