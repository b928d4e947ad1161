"""The world map as PNG and SVG (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # never open a window; safe before pyplot is imported

import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from secession.i18n import ngettext_for
from secession.maps.world.model import WorldMap
from secession.maps.world.projection import graticule, world_outline
from secession.maps.world.style import (
    COUNTRY_EDGE,
    COUNTRY_FILL,
    GRATICULE,
    NOTE,
    PEOPLE_EDGE,
    SEA,
    STATUS_COLORS,
    TEXT,
    status_words,
)

FIG_WIDTH = 11.0
DPI = 150
LABEL_SIZE = 7.5


def _plot(ax: Any, geoms: list[Any], **style: Any) -> None:
    import geopandas as gpd

    geoms = [g for g in geoms if g is not None and not shapely.is_empty(g)]
    if geoms:
        gpd.GeoSeries(geoms).plot(ax=ax, **style)


def draw_world(ax: Any, wm: WorldMap) -> None:
    """Sea, graticule, countries, peoples and labels on ``ax`` (in projected metres)."""
    layout = wm.layout
    _plot(ax, [world_outline()], color=SEA, edgecolor="#9fb3c4", linewidth=0.6)
    lines = graticule()
    for line in shapely.get_parts(lines):
        xy = np.asarray(line.coords)
        ax.plot(xy[:, 0], xy[:, 1], color=GRATICULE, linewidth=0.35, zorder=1)
    countries = [f.geometry for f in layout.features if f.kind == "country"]
    _plot(ax, countries, color=COUNTRY_FILL, edgecolor=COUNTRY_EDGE, linewidth=0.3, zorder=2)
    for status in ("declared", "recognised", "contested"):
        shapes = [f.geometry for f in wm.drawn if f.status == status]
        _plot(
            ax,
            shapes,
            color=STATUS_COLORS[status],
            edgecolor=PEOPLE_EDGE,
            linewidth=0.5,
            zorder=3,
        )
    minx, miny, maxx, maxy = wm.extent
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal")
    ax.set_axis_off()
    _labels(ax, wm)


def _labels(ax: Any, wm: WorldMap) -> None:
    """A name at each people's label point, skipping labels that would overlap."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    placed: list[Any] = []
    skipped = 0
    for f, (x, y) in wm.label_points():
        text = ax.text(
            x,
            y,
            f.name,
            fontsize=LABEL_SIZE,
            color=TEXT,
            ha="center",
            va="center",
            zorder=5,
            path_effects=[pe.withStroke(linewidth=2.2, foreground="white")],
        )
        box = text.get_window_extent(renderer=renderer).expanded(1.05, 1.1)
        if any(box.overlaps(b) for b in placed):
            text.remove()
            skipped += 1
            continue
        placed.append(box)
    wm.labels_skipped = skipped


def legend_handles(wm: WorldMap) -> list[Patch]:
    statuses = ["recognised", "declared"] + (["contested"] if wm.counts.get("contested") else [])
    handles = [
        Patch(
            facecolor=STATUS_COLORS[s],
            edgecolor=PEOPLE_EDGE,
            linewidth=0.6,
            label=status_words(s, wm.doc.point_of_view, wm.lang),
        )
        for s in statuses
    ]
    handles.append(
        Patch(
            facecolor=COUNTRY_FILL,
            edgecolor="#999999",
            linewidth=0.6,
            label=wm._("Countries as Natural Earth draws them"),
        )
    )
    return handles


def draw_world_map(wm: WorldMap) -> Figure:
    """The full figure: title, counts, rule, map, legend and source note."""
    minx, miny, maxx, maxy = wm.extent
    map_h = FIG_WIDTH * 0.96 * (maxy - miny) / (maxx - minx)
    head_h, legend_h, foot_h = 1.0, 0.62, 0.42
    height = head_h + map_h + legend_h + foot_h
    fig = plt.figure(figsize=(FIG_WIDTH, height), dpi=DPI)
    fig.text(0.02, 1 - 0.28 / height, wm.title, fontsize=13, weight="bold", va="center")
    fig.text(0.02, 1 - 0.56 / height, wm.subtitle, fontsize=9.5, color="#333333", va="center")
    fig.text(
        0.02,
        1 - 0.82 / height,
        wm._("Recognition rule: {rule}").format(rule=wm.rule),
        fontsize=9,
        color="#333333",
        va="center",
        style="italic",
    )
    ax = fig.add_axes([0.02, (legend_h + foot_h) / height, 0.96, map_h / height], label="map")
    draw_world(ax, wm)
    fig.legend(
        handles=legend_handles(wm),
        loc="upper left",
        bbox_to_anchor=(0.02, (legend_h + foot_h) / height),
        ncol=2,
        fontsize=8.5,
        frameon=False,
        handlelength=2.2,
        handleheight=1.2,
    )
    note = wm.source_note
    if wm.labels_skipped:
        n = wm.labels_skipped
        note += " " + ngettext_for(wm.lang)(
            "{n} label left out for space: the interactive map names all.",
            "{n} labels left out for space: the interactive map names all.",
            n,
        ).format(n=n)
    fig.text(0.02, 0.16 / height, note, fontsize=7, color=NOTE, wrap=True)
    return fig


def write_world_static(wm: WorldMap, out_dir: str | Path, stem: str = "world-map") -> list[Path]:
    """Write ``<stem>.png`` and ``<stem>.svg``; return their paths."""
    out = Path(out_dir)
    fig = draw_world_map(wm)
    paths = [out / f"{stem}.png", out / f"{stem}.svg"]
    try:
        fig.savefig(paths[0], dpi=DPI, metadata={"Software": None})
        with plt.rc_context({"svg.hashsalt": "secession"}):
            fig.savefig(paths[1], metadata={"Date": None})
    finally:
        plt.close(fig)
    return paths
