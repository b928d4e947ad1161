"""Territories: validate GeoJSON polygons (shapely), build them from analysis units, and
draw them as inline SVG on the server."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import unary_union

from secession.exceptions import DataError
from secession.web.edge import BadInput, loads

LONLAT = "EPSG:4326"
# Analysis datasets a territory can be drawn from: name -> (file in the data folder, layer,
# id column, coordinate system label).
UNIT_DATASETS = {
    "us-counties-2020": (
        "us-president-county/2020-units-albers.topojson",
        "wards_districts_counties",
        "id",
        "albers-usa",
    ),
}


def parse_geojson(text: str) -> str:
    """Validate a GeoJSON polygon and return it as compact geometry JSON (lon/lat).

    Accepts a Polygon or MultiPolygon geometry, a Feature, or a FeatureCollection of
    polygons (merged). Raises :class:`DataError` naming what is wrong.
    """
    try:
        obj = loads(text, where="territory")
    except BadInput as exc:
        raise DataError(str(exc)) from None
    geometries = _geometries(obj)
    try:
        shapes = [shape(g) for g in geometries]
    except Exception as exc:
        raise DataError(f"territory geometry cannot be read: {exc}") from exc
    for i, geom in enumerate(shapes):
        if not isinstance(geom, Polygon | MultiPolygon):
            raise DataError(f"territory part {i} is a {geom.geom_type}, not a polygon")
        if geom.is_empty:
            raise DataError(f"territory part {i} is empty")
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            raise DataError(f"territory part {i} is not a valid polygon: {reason}")
    merged = unary_union(shapes) if len(shapes) > 1 else shapes[0]
    minx, miny, maxx, maxy = merged.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise DataError(
            "territory coordinates must be longitude/latitude (WGS84): found bounds "
            f"{minx:.3f},{miny:.3f},{maxx:.3f},{maxy:.3f}"
        )
    return json.dumps(mapping(merged), separators=(",", ":"))


_CONTAINERS = ("Feature", "FeatureCollection")
_GEOMETRY_TYPES = (
    "Polygon",
    "MultiPolygon",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "GeometryCollection",
)


def _geometries(obj: Any, where: str = "territory") -> list[dict]:
    """The geometry objects of a geometry, Feature or FeatureCollection (checked shapes)."""
    if not isinstance(obj, dict) or "type" not in obj:
        raise DataError(f"{where} must be a GeoJSON object with a 'type'")
    kind = obj["type"]
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            raise DataError(f"{where}: 'features' of a FeatureCollection must be a list")
        if not features:
            raise DataError(f"{where}: the FeatureCollection has no features")
        return [
            g
            for i, f in enumerate(features)
            for g in _geometries(f, f"{where}.features[{i}]")
        ]
    if kind == "Feature":
        geometry = obj.get("geometry")
        if not geometry:
            raise DataError(f"{where}: the Feature has no geometry")
        if not isinstance(geometry, dict) or geometry.get("type") in _CONTAINERS:
            raise DataError(f"{where}: the Feature's geometry must be a geometry object")
        return [geometry]
    if kind not in _GEOMETRY_TYPES:
        raise DataError(f"{where}: unknown GeoJSON type {str(kind)[:40]!r}")
    return [obj]


@lru_cache(maxsize=4)
def _dataset(name: str):
    import geopandas as gpd

    from secession.settings import data_file

    relative, layer, id_col, _ = UNIT_DATASETS[name]
    frame = gpd.read_file(data_file(relative), layer=layer)
    return frame.set_index(frame[id_col].astype(str))


def units_territory(dataset: str, unit_ids: list[str]) -> tuple[str, str, list[str]]:
    """Union of the named units: (geometry JSON, coordinate system, cleaned ids).

    Raises :class:`DataError` for an unknown dataset or ids not in it (names them).
    """
    if dataset not in UNIT_DATASETS:
        raise DataError(f"unknown unit dataset {dataset!r}; known: {', '.join(UNIT_DATASETS)}")
    ids = sorted({u.strip() for u in unit_ids if u.strip()})
    if not ids:
        raise DataError("no unit ids given for the territory")
    frame = _dataset(dataset)
    missing = [u for u in ids if u not in frame.index]
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise DataError(f"{len(missing)} unit id(s) not in dataset {dataset}: {shown}")
    merged = unary_union(list(frame.loc[ids].geometry))
    merged = merged.simplify(_tolerance(merged), preserve_topology=True)
    return json.dumps(mapping(merged), separators=(",", ":")), UNIT_DATASETS[dataset][3], ids


def _tolerance(geom) -> float:
    minx, miny, maxx, maxy = geom.bounds
    return max(maxx - minx, maxy - miny) / 2000


def context_shapes(crs: str, bounds: tuple[float, float, float, float]) -> list:
    """Outlines around a territory, so a reader sees where it is: US states (plotly-geo's
    Census 2016 file) for lon/lat territories, the dataset's own units for unit-based
    ones. Empty when no base map covers the area (or its file is missing)."""
    from shapely.geometry import box

    frame = None
    try:
        if crs == LONLAT:
            frame = _states()
        else:
            name = next((k for k, v in UNIT_DATASETS.items() if v[3] == crs), None)
            frame = _dataset(name) if name else None
    except (OSError, DataError):
        frame = None
    if frame is None:
        return []
    minx, miny, maxx, maxy = bounds
    window = box(minx, miny, maxx, maxy)
    near = frame.geometry.iloc[frame.sindex.query(window)]
    tolerance = max(maxx - minx, maxy - miny) / 400
    shapes = [g.intersection(window).simplify(tolerance) for g in near]
    return [g for g in shapes if not g.is_empty]


@lru_cache(maxsize=1)
def _states():
    from secession.web.apps.communities.drawpad import _states_file

    path = _states_file()
    if path is None:
        return None
    import geopandas as gpd

    return gpd.read_file(path)


def svg(
    geometry_json: str,
    crs: str = LONLAT,
    *,
    width: int = 480,
    label: str = "",
    context: bool = False,
) -> str:
    """An inline SVG drawing of the territory (north up; lon/lat scaled by latitude).

    ``context``: also draw the surrounding outlines (see :func:`context_shapes`) in grey
    under the territory, with a margin around it.
    """
    if not geometry_json:
        return ""
    geom = shape(json.loads(geometry_json))
    minx, miny, maxx, maxy = geom.bounds
    background = ""
    if context:
        margin = max(maxx - minx, maxy - miny) * 0.35
        frame = (minx - margin, miny - margin, maxx + margin, maxy + margin)
        shapes = context_shapes(crs, frame)
        if shapes:
            minx, miny, maxx, maxy = frame
            background = _path_data(shapes)
    xscale = math.cos(math.radians((miny + maxy) / 2)) if crs == LONLAT else 1.0
    span_x = max((maxx - minx) * xscale, 1e-9)
    span_y = max(maxy - miny, 1e-9)
    height = max(40, min(int(width * span_y / span_x), 2 * width))
    scale = min((width - 8) / span_x, (height - 8) / span_y)

    def point(x: float, y: float) -> str:
        return f"{4 + (x - minx) * xscale * scale:.1f},{4 + (maxy - y) * scale:.1f}"

    title = f"<title>{_escape(label)}</title>" if label else ""
    under = (
        f'<path d="{background(point)}" fill="#fff" stroke="#8c959f" stroke-width="0.6"/>'
        if background
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="territory"'
        f"{' aria-label=' + chr(34) + _escape(label) + chr(34) if label else ''}>{title}"
        f'{under}<path d="{_path_data([geom])(point)}" fill="#9ecae1" fill-opacity="0.85" '
        'fill-rule="evenodd" stroke="#08519c" stroke-width="1.5"/></svg>'
    )


def _path_data(shapes):
    """A function of the point projection giving the SVG path of every polygon ring."""
    rings = []
    for geom in shapes:
        parts = getattr(geom, "geoms", [geom])
        for part in parts:
            if isinstance(part, Polygon):
                rings.extend([part.exterior, *part.interiors])
            elif isinstance(part, MultiPolygon):
                for poly in part.geoms:
                    rings.extend([poly.exterior, *poly.interiors])

    def draw(point) -> str:
        return "".join("M" + "L".join(point(x, y) for x, y in ring.coords) + "Z" for ring in rings)

    return draw


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
