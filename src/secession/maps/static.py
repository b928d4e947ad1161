"""Static plan maps (PNG and SVG) drawn with matplotlib's Agg backend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # never open a window; safe before pyplot is imported

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from secession.maps.mapdata import MapData, legend_countries
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


def legend_handles(data: MapData) -> list[Patch]:
    """A patch per country present, then the stranded-unit marker."""
    shown, more = legend_countries(data)
    handles = [
        Patch(facecolor=data.colors[c], edgecolor="#111111", linewidth=0.6, label=data.names[c])
        for c in shown
    ]
    if more:
        handles.append(
            Patch(facecolor="none", edgecolor="none", label=f"... and {more} more new countries")
        )
    handles.append(
        Patch(
            facecolor="white",
            edgecolor=STRANDED_EDGE,
            hatch=HATCH,
            linewidth=0.6,
            label="stranded: unit's majority voted for the other side",
        )
    )
    return handles


def _margin_bar(fig: Figure, rect: list[float], color: str) -> None:
    ax = fig.add_axes(rect)
    steps = np.linspace(0, FULL_MARGIN, 64)
    cmap = LinearSegmentedColormap.from_list("m", [shade(color, m) for m in steps])
    ax.imshow(steps[None, :], aspect="auto", cmap=cmap, extent=(0, FULL_MARGIN * 100, 0, 1))
    ax.set_yticks([])
    ticks = [0, FULL_MARGIN * 50, FULL_MARGIN * 100]
    ax.set_xticks(ticks, [f"{t:.0f}" for t in ticks[:-1]] + [f"≥{ticks[-1]:.0f}"])
    ax.tick_params(labelsize=7, length=2)
    ax.set_title("unit margin (points); pale = close vote", fontsize=7.5, loc="left")


def draw_plan_map(data: MapData) -> Figure:
    """A full plan map: title, units, outlines, legend, margin scale, source and projection."""
    aspect = _aspect(data)
    map_h = FIG_WIDTH * 0.96 * aspect
    shown, more = legend_countries(data)
    n_rows = (len(shown) + (1 if more else 0) + 1 + 1) // 2
    legend_h = 0.35 + 0.22 * n_rows
    head_h, foot_h = 0.75, 0.3
    height = head_h + map_h + legend_h + foot_h
    fig = plt.figure(figsize=(FIG_WIDTH, height), dpi=DPI)
    fig.text(0.02, 1 - 0.3 / height, data.title, fontsize=13, weight="bold", va="center")
    fig.text(0.02, 1 - 0.58 / height, data.subtitle, fontsize=9, color="#333333", va="center")
    ax = fig.add_axes([0.02, (legend_h + foot_h) / height, 0.96, map_h / height], label="map")
    draw_units(ax, data)
    fig.legend(
        handles=legend_handles(data),
        loc="upper left",
        bbox_to_anchor=(0.02, (legend_h + foot_h) / height),
        ncol=2,
        fontsize=8.5,
        frameon=False,
        handlelength=2.2,
        handleheight=1.2,
    )
    _margin_bar(
        fig,
        [0.72, (foot_h + legend_h - 0.45) / height, 0.24, 0.14 / height],
        data.colors[data.present[0]] if data.present else data.colors[0],
    )
    fig.text(
        0.02,
        0.12 / height,
        f"{data.source}. {data.projection}.",
        fontsize=7.5,
        color="#555555",
    )
    return fig


def draw_small_map(ax: Any, data: MapData, title: str) -> None:
    """A compact map for small multiples: units and outlines, short title, no legend."""
    draw_units(ax, data, linewidth=0.05)
    ax.set_title(title, fontsize=9, loc="left")


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
