"""Image helpers for map tests: baseline comparison and "is this colour a tint of that one"."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np

from secession.geo.graph import UnitGraph
from secession.maps.style import hex_to_rgb
from secession.plan.model import Plan, PlanConstraints

UPDATE_ENV = "SECESSION_UPDATE_BASELINES"


def assert_matches_baseline(actual: Path, baseline: Path, tol: float = 3.0) -> None:
    """RMS difference (0..255 scale) of ``actual`` against the committed ``baseline``.

    Set ``SECESSION_UPDATE_BASELINES=1`` once to (re)write the baseline, then look at it.
    """
    from matplotlib.testing.compare import compare_images

    if os.environ.get(UPDATE_ENV) == "1":
        baseline.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(actual, baseline)
    assert baseline.exists(), f"missing baseline {baseline} (run once with {UPDATE_ENV}=1)"
    result = compare_images(str(baseline), str(actual), tol=tol, in_decorator=True)
    assert result is None, f"{actual.name} differs from {baseline.name}: {result}"


def tint_strength(color: np.ndarray | str, base: str, tol: float = 0.025) -> float | None:
    """If ``color`` is ``base`` mixed with white (``1 - s * (1 - base)``, within ``tol`` per
    channel on a 0..1 scale), return ``s``; otherwise ``None``."""
    c = hex_to_rgb(color) if isinstance(color, str) else np.asarray(color, dtype=float)[:3]
    room = 1.0 - hex_to_rgb(base)
    dark = 1.0 - c
    s = float(dark @ room / (room @ room))
    if np.max(np.abs(dark - s * room)) > tol:
        return None
    return s


def best_country(color: np.ndarray | str, palette: list[str]) -> int | None:
    """Index of the palette colour ``color`` is a tint of (``None`` if none or ambiguous)."""
    hits = [i for i, p in enumerate(palette) if tint_strength(color, p) is not None]
    return hits[0] if len(hits) == 1 else None


def hand_plan(graph: UnitGraph, country: np.ndarray, labels: list[str]) -> Plan:
    """A plan with the given assignment; satisfied voters counted directly."""
    country = np.asarray(country, dtype=np.int64)
    leaves = country > 0
    satisfied = float(graph.leave[leaves].sum() + graph.stay[~leaves].sum())
    return Plan(
        graph=graph,
        country=country,
        labels=labels,
        satisfied_voters=satisfied,
        upper_bound=graph.upper_bound,
        best_bound=graph.upper_bound,
        proven_optimal=False,
        solver="hand",
        seconds=0.0,
        constraints=PlanConstraints(max_countries=None),
    )


def html_table(page: str, table_id: str) -> list[list[str]]:
    """Text of every row (header first) of the table with ``id=table_id`` (stdlib parser)."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0
            self.rows: list[list[str]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag == "table" and ("id", table_id) in attrs:
                self.depth = 1
            elif self.depth and tag == "tr":
                self.rows.append([])
            elif self.depth and tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if self.depth and tag in ("td", "th") and self.cell is not None:
                self.rows[-1].append("".join(self.cell).strip())
                self.cell = None
            elif self.depth and tag == "table":
                self.depth = 0

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    p = Parser()
    p.feed(page)
    return p.rows


def as_number(text: str) -> float:
    """``"1,234"`` or ``"56.7%"`` as a float."""
    return float(text.replace(",", "").rstrip("%"))


def wheel_drag_and_reset(page) -> None:
    """In a map page open in Playwright: the wheel zooms in, a drag pans, a double-click
    restores the first view (the shared script, maps/templates/maptip.js)."""
    svg = page.locator("svg#map")
    start = svg.get_attribute("viewBox")
    box = svg.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -200)
    zoomed = [float(v) for v in svg.get_attribute("viewBox").split()]
    assert zoomed[2] < float(start.split()[2])  # narrower: zoomed in
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 80, box["y"] + box["height"] / 2)
    page.mouse.up()
    panned = [float(v) for v in svg.get_attribute("viewBox").split()]
    assert panned[0] < zoomed[0] and panned[2] == zoomed[2]  # dragged right: moved left
    svg.dblclick()
    assert svg.get_attribute("viewBox") == start
