"""A drawn region: keep the units whose point lies inside a polygon (lon/lat).

A region is a file any vector reader of the project opens (GeoJSON, GeoPackage,
shapefile, ...) holding Polygon or MultiPolygon features, a shapely geometry, or a GeoJSON
geometry (or Feature) as a mapping, as a web form stores a drawn region; its union is the
region. A file in a projected CRS is converted to lon/lat; a geometry without a
CRS must have lon/lat coordinates. A unit is in the region when its point lies inside:
the shapely ``representative_point`` of its lon/lat outline (the outline the earth's
distances use, :func:`secession.geo.lonlat.lonlat_geometry`), a point always inside the
unit, so a unit is kept or not whatever the shape of its outline.

Example
-------
>>> from shapely.geometry import box
>>> read_region(box(-124, 43, -122, 46)).bounds
(-124.0, 43.0, -122.0, 46.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from secession.exceptions import DataError

POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass(frozen=True)
class Region:
    """The region's union (lon/lat) and how to name it in reports and errors."""

    shape: Any
    label: str


def read_region(region: str | Path | Any) -> Any:
    """The region's lon/lat union from a file path or a shapely geometry (see the module)."""
    return as_region(region).shape


def as_region(region: str | Path | Any) -> Region:
    if isinstance(region, str | Path):
        return Region(_from_file(Path(region)), str(region))
    if isinstance(region, dict):
        return Region(_polygonal(from_geojson(region), "the drawn region"), "a drawn region")
    return Region(_polygonal(region, "the region"), "a drawn region")


def from_geojson(data: dict[str, Any]) -> Any:
    """The shapely geometry of a GeoJSON geometry or Feature mapping, or a clear error."""
    from shapely.errors import GEOSException
    from shapely.geometry import shape

    geometry = data.get("geometry") if data.get("type") == "Feature" else data
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONAL:
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise DataError(f"the drawn region: a region is a Polygon or MultiPolygon, not {kind!r}")
    try:
        return shape(geometry)
    except (
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        KeyError,
        OverflowError,  # an integer too large for a float
        RecursionError,
        GEOSException,
    ) as exc:
        raise DataError(f"the drawn region: not a readable GeoJSON polygon ({exc})") from None


def _from_file(path: Path) -> Any:
    from secession.geo.boundaries import read_vector

    if not path.exists():
        raise DataError(f"{path}: region file not found")
    try:
        frame = read_vector(path)
    except DataError as exc:
        raise DataError(
            f"{exc} (given as `region`, which expects polygons in a vector file)"
        ) from None
    if frame.empty or frame.geometry.isna().all():
        raise DataError(f"{path}: the region file has no geometry")
    if frame.crs is not None and not frame.crs.is_geographic:
        frame = frame.to_crs("EPSG:4326")
    kinds = sorted({g.geom_type for g in frame.geometry if g is not None and not g.is_empty})
    wrong = [k for k in kinds if k not in POLYGONAL]
    if wrong:
        raise DataError(f"{path}: a region is made of polygons; this file holds {', '.join(wrong)}")
    import shapely

    union = shapely.union_all([g for g in frame.geometry if g is not None])
    return _polygonal(union, str(path))


def _polygonal(geom: Any, label: str) -> Any:
    """A valid, non-empty polygonal geometry in lon/lat, or a clear error."""
    import shapely
    from shapely.geometry.base import BaseGeometry

    if not isinstance(geom, BaseGeometry):
        raise DataError(f"{label}: a region is a polygon, not {type(geom).__name__}")
    if geom.geom_type not in POLYGONAL:
        raise DataError(f"{label}: a region is made of polygons, not a {geom.geom_type}")
    if geom.is_empty:
        raise DataError(f"{label}: the region is empty")
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        raise DataError(f"{label}: the region has a coordinate that is not a finite number")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
        parts = [g for g in getattr(geom, "geoms", [geom]) if g.geom_type in POLYGONAL]
        geom = shapely.union_all(parts) if parts else None
    if geom is None or geom.is_empty or geom.area == 0:
        raise DataError(f"{label}: the region encloses no area")
    minx, miny, maxx, maxy = geom.bounds
    if not (minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90):
        raise DataError(
            f"{label}: the region's coordinates are not longitude/latitude "
            f"(x from {minx:g} to {maxx:g}, y from {miny:g} to {maxy:g}); give the file a "
            "CRS or its coordinates in degrees"
        )
    return geom


def graph_points(graph: Any) -> np.ndarray | None:
    """``(lon, lat)`` of each unit's point of a ``UnitGraph`` (the point a region keeps or
    not: :func:`unit_points` of its lon/lat outline), or ``None`` when its units have no
    geometry in known coordinates."""
    from secession.geo.lonlat import lonlat_geometry

    g = graph
    lonlat = lonlat_geometry(g.ids, g.geometry, g.meta, bool(g.meta.get("us_county")))
    return None if lonlat is None else unit_points(lonlat[0])


def unit_points(lonlat: Any) -> np.ndarray:
    """``(lon, lat)`` of each unit's point (``nan`` for a unit with no outline)."""
    import shapely

    geoms = np.asarray(lonlat.values, dtype=object)
    ok = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    out = np.full((len(geoms), 2), np.nan)
    if ok.any():
        out[ok] = shapely.get_coordinates(shapely.point_on_surface(geoms[ok].tolist()))
    return out


def inside(points: np.ndarray, shape: Any) -> np.ndarray:
    """True for each ``(lon, lat)`` point inside ``shape`` (or on its edge)."""
    import shapely

    ok = np.isfinite(points).all(axis=1)
    found = np.zeros(len(points), dtype=bool)
    if ok.any():
        shapely.prepare(shape)
        found[ok] = shapely.intersects_xy(shape, points[ok, 0], points[ok, 1])
    return found
