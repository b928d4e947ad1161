"""Figures of a scenario comparison: small multiples, the swing chart, the probability map."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap, to_hex

from secession.maps.mapdata import MapData
from secession.maps.static import DPI, draw_small_map
from secession.maps.style import PALETTE


def small_multiples(maps: list[tuple[str, MapData]], path: str | Path) -> Path:
    """One small map per scenario on a grid (two columns), written as PNG."""
    n = len(maps)
    cols = 1 if n == 1 else 2
    rows = math.ceil(n / cols)
    minx, miny, maxx, maxy = maps[0][1].geometry.total_bounds
    aspect = float(np.clip((maxy - miny) / max(maxx - minx, 1e-9), 0.3, 2.0))
    fig, axes = plt.subplots(
        rows, cols, figsize=(6.2 * cols, 6.2 * aspect * rows + 0.5 * rows), squeeze=False
    )
    for ax, (caption, data) in zip(axes.flat, maps, strict=False):
        draw_small_map(ax, data, caption)
    for ax in list(axes.flat)[n:]:
        ax.set_axis_off()
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def swing_chart(
    rows: list[dict[str, Any]],
    leave_label: str,
    path: str | Path,
    *,
    people: str = "people",
    order: list[str] | None = None,
) -> Path:
    """Satisfied share and population leaving against the uniform swing, per scenario
    (``people``: what the population counts, e.g. ``"voters"``; ``order``: scenario order)."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.6))
    names = list(dict.fromkeys(r["scenario"] for r in rows))
    if order:
        names = [n for n in order if n in names] + [n for n in names if n not in order]
    for i, name in enumerate(names):
        pts = sorted(
            (r["value"], r) for r in rows if r["scenario"] == name and "infeasible" not in r
        )
        if not pts:
            continue
        x = [p[0] for p in pts]
        color = PALETTE[(i + 1) % len(PALETTE)]
        ax1.plot(x, [p[1]["satisfied_share"] * 100 for p in pts], "o-", color=color, label=name)
        ax2.plot(x, [p[1]["new_population"] / 1e6 for p in pts], "o-", color=color, label=name)
    bound = sorted({(r["value"], r["upper_bound_share"]) for r in rows if "upper_bound_share" in r})
    if bound:
        ax1.plot(
            [b[0] for b in bound],
            [b[1] * 100 for b in bound],
            "--",
            color="#555555",
            label="bound: every unit on its side",
        )
    ax1.set_ylabel("voters in the country they chose (%)")
    ax2.set_ylabel(f"{people} in new countries (millions)")
    for ax in (ax1, ax2):
        ax.set_xlabel(f"uniform swing towards {leave_label} (points)")
        ax.grid(True, color="#dddddd")
        ax.axvline(0, color="#999999", linewidth=0.8)
    handles, labels = ax1.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8.5, frameon=False)
    fig.suptitle("Sensitivity: re-planned under a uniform swing of vote shares", fontsize=12)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    path = Path(path)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path


def probability_map(
    data: MapData, p_leave: np.ndarray, draws: int, caption: str, path: str | Path
) -> Path:
    """Units coloured by the probability of ending in a new country over the draws."""
    stay, new = data.colors[0], data.colors[1] if len(data.colors) > 1 else PALETTE[1]
    cmap = LinearSegmentedColormap.from_list("p", [stay, "#f7f7f7", new])
    minx, miny, maxx, maxy = data.geometry.total_bounds
    aspect = float(np.clip((maxy - miny) / max(maxx - minx, 1e-9), 0.3, 2.0))
    fig = plt.figure(figsize=(11, 11 * aspect * 0.96 + 1.3))
    ax = fig.add_axes([0.02, 0.16, 0.96, 0.74])
    fills = [to_hex(cmap(float(p))) for p in np.clip(np.asarray(p_leave, dtype=float), 0, 1)]
    data.geometry.plot(ax=ax, color=fills, edgecolor="white", linewidth=0.1)
    data.country_outlines.boundary.plot(ax=ax, color="#111111", linewidth=0.9)
    ax.set_aspect("equal")
    ax.set_axis_off()
    cax = fig.add_axes([0.3, 0.1, 0.4, 0.022])
    sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(0, 1))
    cb = fig.colorbar(sm, cax=cax, orientation="horizontal")
    cb.set_label(f"probability of ending in a new country ({draws} draws)", fontsize=9)
    fig.text(0.02, 0.96, caption, fontsize=12, weight="bold")
    fig.text(
        0.02, 0.925, "black lines: borders of the unperturbed plan", fontsize=9, color="#444444"
    )
    fig.text(0.02, 0.015, f"{data.source}. {data.projection}.", fontsize=7.5, color="#555555")
    path = Path(path)
    fig.savefig(path, dpi=DPI)
    plt.close(fig)
    return path
