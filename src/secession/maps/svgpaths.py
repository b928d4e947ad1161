"""Turn polygons into compact SVG path strings fitted to a fixed-width view box.

Shared borders are simplified together (``shapely.coverage_simplify``) so neighbouring units
keep meeting exactly; coordinates are rounded to a tenth of a view-box unit, which keeps a
national county map to a few megabytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

VIEW_WIDTH = 1000.0
#: Simplification tolerance in view-box units (about half a pixel at full width).
TOLERANCE_PX = 0.5


@dataclass(frozen=True)
class ViewBox:
    """Maps drawing coordinates ``(x, y)`` to view-box coordinates (y pointing down)."""

    minx: float
    maxy: float
    scale: float
    width: float
    height: float

    @classmethod
    def fit(cls, bounds: np.ndarray, width: float = VIEW_WIDTH) -> ViewBox:
        minx, miny, maxx, maxy = (float(b) for b in bounds)
        span = max(maxx - minx, 1e-9)
        scale = width / span
        return cls(minx, maxy, scale, width, max((maxy - miny) * scale, 1.0))

    def apply(self, xy: np.ndarray) -> np.ndarray:
        out = np.empty_like(xy, dtype=np.float64)
        out[:, 0] = (xy[:, 0] - self.minx) * self.scale
        out[:, 1] = (self.maxy - xy[:, 1]) * self.scale
        return out


def simplify_coverage(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify polygons that tile the plane, keeping shared edges shared."""
    if tolerance <= 0:
        return geoms
    try:
        out = shapely.coverage_simplify(geoms, tolerance)
        if np.any(shapely.is_empty(out) & ~shapely.is_empty(geoms)):
            raise ValueError("coverage simplification emptied a unit")
        return out
    except Exception:  # not a clean coverage: simplify each unit on its own
        return shapely.simplify(geoms, tolerance, preserve_topology=True)


def _ring_path(coords: np.ndarray) -> str:
    r = np.round(coords, 1)
    # Drop repeated points created by rounding, keep at least a triangle.
    keep = np.ones(len(r), dtype=bool)
    keep[1:] = np.any(r[1:] != r[:-1], axis=1)
    r = r[keep]
    if len(r) > 1 and np.all(r[0] == r[-1]):
        r = r[:-1]
    if len(r) < 3:
        return ""
    text = " ".join(f"{x:g},{y:g}" for x, y in r.tolist())
    return "M" + text + "Z"


def geometry_path(geom: Any, view: ViewBox) -> str:
    """SVG path data for one (multi)polygon or line geometry in view-box coordinates."""
    if geom is None or shapely.is_empty(geom):
        return ""
    parts = []
    for part in shapely.get_parts(geom):
        if isinstance(part, shapely.Polygon):
            rings = [part.exterior, *part.interiors]
            parts.extend(_ring_path(view.apply(np.asarray(r.coords)[:, :2])) for r in rings)
        elif isinstance(part, shapely.LineString | shapely.LinearRing):
            c = np.round(view.apply(np.asarray(part.coords)[:, :2]), 1)
            if len(c) >= 2:
                parts.append("M" + " ".join(f"{x:g},{y:g}" for x, y in c.tolist()))
    return "".join(p for p in parts if p)


def paths(geoms: np.ndarray, view: ViewBox) -> list[str]:
    """Path data of every geometry (empty string for an empty one)."""
    return [geometry_path(g, view) for g in geoms]
