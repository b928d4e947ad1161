"""The drawing pad of the founding form: a lon/lat base map (US states, Census 2016
cartographic boundaries shipped in the ``plotly-geo`` package) on which people click the
corners of their territory. A small script turns the clicks into a GeoJSON polygon."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from shapely.geometry import MultiPolygon, box


@dataclass(frozen=True)
class Pad:
    """Projection of the pad: x = (lon - west) * xscale * k, y = (north - lat) * k."""

    west: float = -125.0
    south: float = 24.0
    east: float = -66.0
    north: float = 50.0
    width: int = 640

    @property
    def xscale(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    @property
    def k(self) -> float:
        return self.width / ((self.east - self.west) * self.xscale)

    @property
    def height(self) -> int:
        return round((self.north - self.south) * self.k)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.xscale * self.k, (self.north - lat) * self.k


def _states_file() -> Path | None:
    try:
        import _plotly_geo
    except ImportError:
        return None
    path = Path(_plotly_geo.__file__).parent / "package_data" / "cb_2016_us_state_500k.shp"
    return path if path.exists() else None


@lru_cache(maxsize=2)
def base_paths(pad: Pad = Pad()) -> str:
    """SVG path data of the state outlines inside the pad (empty if plotly-geo is missing)."""
    path = _states_file()
    if path is None:
        return ""
    import geopandas as gpd

    frame = gpd.read_file(path)
    clip = box(pad.west, pad.south, pad.east, pad.north)
    parts: list[str] = []
    for geom in frame.geometry:
        geom = geom.intersection(clip).simplify(0.05, preserve_topology=True)
        if geom.is_empty:
            continue
        polys = list(geom.geoms) if isinstance(geom, MultiPolygon) else [geom]
        for poly in polys:
            if poly.geom_type != "Polygon" or poly.area < 0.01:
                continue
            pts = [pad.xy(x, y) for x, y in poly.exterior.coords]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)
