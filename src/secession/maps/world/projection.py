"""The world map's projection: Equal Earth (EPSG:8857), an equal-area world projection, with
every coordinate snapped to a fixed grid so that overlays are exact and repeatable.

Lon/lat input is first cut at the antimeridian and densified (``DENSIFY_DEGREES``), so
that an edge along a meridian follows the curved map edge instead of a straight chord; then
projected with pyproj and snapped to ``GRID_M`` metres with ``shapely.set_precision``. Every
later overlay (``intersection``, ``difference``) runs with the same ``grid_size``, so two
polygons that share an edge keep sharing it exactly (no slivers, no gaps).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import shapely

from secession.geo.world import LONLAT, polygonal, split_antimeridian

WORLD_CRS = "EPSG:8857"
PROJECTION_NOTE = "Projection: Equal Earth (EPSG:8857), equal-area"
#: Grid every projected coordinate is snapped to (metres).
GRID_M = 1.0
#: Longest edge (degrees) of lon/lat input before projecting.
DENSIFY_DEGREES = 1.0


@cache
def _forward() -> Any:
    import pyproj

    return pyproj.Transformer.from_crs(LONLAT, WORLD_CRS, always_xy=True)


def project_lonlat(geom: Any) -> Any:
    """Lon/lat polygons in the world projection, valid and snapped to the grid."""
    if geom is None or shapely.is_empty(geom):
        return shapely.Polygon()
    geom = split_antimeridian(geom)
    geom = shapely.segmentize(geom, DENSIFY_DEGREES)
    forward = _forward()

    def apply(xy: np.ndarray) -> np.ndarray:
        x, y = forward.transform(xy[:, 0], np.clip(xy[:, 1], -90.0, 90.0))
        return np.column_stack([x, y])

    out = shapely.set_precision(shapely.transform(geom, apply), GRID_M)
    if not shapely.is_valid(out):
        out = shapely.set_precision(shapely.make_valid(out), GRID_M)
    return polygonal(out)


def project_points(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat points in the world projection (metres)."""
    return _forward().transform(np.asarray(lon, float), np.asarray(lat, float))


@cache
def world_outline() -> Any:
    """The edge of the map: the whole sphere in Equal Earth (a rounded rectangle)."""
    lat = np.linspace(-90, 90, 181)
    lon = np.full_like(lat, 180.0)
    ring = np.vstack([np.column_stack([-lon, lat]), np.column_stack([lon[::-1], lat[::-1]])])
    x, y = project_points(ring[:, 0], ring[:, 1])
    return shapely.Polygon(np.column_stack([x, y]))


@cache
def graticule(step: float = 30.0) -> Any:
    """Meridians and parallels every ``step`` degrees, as projected lines."""
    lines = []
    for lon in np.arange(-180 + step, 180, step):
        lat = np.linspace(-90, 90, 91)
        lines.append(np.column_stack(project_points(np.full_like(lat, lon), lat)))
    for lat in np.arange(-90 + step, 90, step):
        lon = np.linspace(-180, 180, 181)
        lines.append(np.column_stack(project_points(lon, np.full_like(lon, lat))))
    return shapely.MultiLineString(lines)
