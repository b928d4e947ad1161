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
    for geometry in geometries:
        _check_rings(geometry)
    try:
        shapes = [shape(g) for g in geometries]
    except Exception as exc:
        raise DataError(
            "The territory's coordinates cannot be read: give each point as a "
            "longitude, latitude pair"
        ) from exc
    for geom in shapes:
        if not isinstance(geom, Polygon | MultiPolygon):
            raise DataError(
                f"The territory is a {geom.geom_type}: it must be an outline (a polygon)"
            )
        if geom.is_empty:
            raise DataError("The territory is empty: draw or give at least three points")
        if not geom.is_valid:
            raise DataError(_plain_reason(shapely.is_valid_reason(geom)))
    merged = unary_union(shapes) if len(shapes) > 1 else shapes[0]
    minx, miny, maxx, maxy = merged.bounds
    if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
        raise DataError(
            "The territory's points must be longitude (-180 to 180) and latitude (-90 to 90); "
            f"these reach {minx:.3f}, {miny:.3f} to {maxx:.3f}, {maxy:.3f}"
        )
    return json.dumps(mapping(merged), separators=(",", ":"))


def parse_corners(text: str) -> str:
    """GeoJSON polygon text from typed corners, one "longitude, latitude" pair a line (or
    pairs separated by semicolons). Raises :class:`DataError` naming the bad line."""
    points = []
    lines = [part.strip() for line in text.splitlines() for part in line.split(";")]
    for number, line in enumerate((x for x in lines if x), start=1):
        values = line.replace(",", " ").split()
        try:
            lon, lat = (float(v) for v in values)
        except ValueError:
            raise DataError(
                f"Corner {number} ({line!r}) is not a longitude, latitude pair such as 12.5, 41.9"
            ) from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise DataError(
                f"Corner {number} ({line}): longitude goes from -180 to 180 and latitude "
                "from -90 to 90"
            )
        points.append([lon, lat])
    if len({tuple(p) for p in points}) < 3:
        raise DataError("An outline needs at least three distinct points")
    if points[0] != points[-1]:
        points.append(points[0])
    return json.dumps({"type": "Polygon", "coordinates": [points]})


def place_geojson(name: str) -> str:
    """GeoJSON of the named country's outline (Natural Earth 1:50m). DataError if unknown
    or if the world-atlas package is missing."""
    from secession.web.apps.communities import places

    outline = places.country_outline(name)
    if outline is None:
        raise DataError(f"No country called {name.strip()!r}: pick a name from the list")
    return json.dumps(mapping(outline))


def _check_rings(geometry: Any) -> None:
    """Refuse rings with fewer than three distinct points, in plain words."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    coords = geometry.get("coordinates") if kind else None
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    try:
        for rings in polygons or []:
            for ring in rings:
                distinct = {(float(p[0]), float(p[1])) for p in ring}
                if len(distinct) < 3:
                    raise DataError(
                        "An outline needs at least three distinct points "
                        f"(this one has {len(distinct)})"
                    )
    except (TypeError, ValueError, IndexError, KeyError) as exc:
        raise DataError(
            "The territory's coordinates cannot be read: give each point as a "
            "longitude, latitude pair"
        ) from exc


_PROBLEMS = {
    "self-intersection": "The outline crosses itself near {at}: move a point so the lines "
    "do not cross",
    "ring self-intersection": "The outline touches itself near {at}: move a point so the "
    "lines do not meet",
    "hole lies outside shell": "A hole lies outside its outline near {at}",
    "nested shells": "One outline lies inside another near {at}: give it as a hole instead",
    "too few points": "An outline needs at least three distinct points",
}


def _plain_reason(reason: str) -> str:
    """Shapely's validity reason ("Self-intersection[12.3 45.6]") in plain words."""
    name, _, rest = reason.partition("[")
    at = ""
    try:
        x, y = (float(v) for v in rest.rstrip("]").split()[:2])
        at = f"{abs(x):.1f} {'W' if x < 0 else 'E'}, {abs(y):.1f} {'S' if y < 0 else 'N'}"
    except ValueError:
        pass
    template = _PROBLEMS.get(name.strip().casefold())
    if template is None:
        template = "The outline is not a valid shape near {at}: check the order of its points"
    return template.format(at=at or "one of its points")


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
        return [g for i, f in enumerate(features) for g in _geometries(f, f"{where}.features[{i}]")]
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


def known_units(dataset: str) -> frozenset[str]:
    """The unit ids of ``dataset`` (one of :data:`UNIT_DATASETS`)."""
    return frozenset(_dataset(dataset).index)


def clean_unit_ids(dataset: str, unit_ids: list[str]) -> list[str]:
    """The distinct ids, sorted, each checked to be a unit of ``dataset``.

    Raises :class:`DataError` for an unknown dataset, no ids, or ids not in it (names them).
    """
    if dataset not in UNIT_DATASETS:
        raise DataError(f"unknown unit dataset {dataset!r}; known: {', '.join(UNIT_DATASETS)}")
    ids = sorted({str(u).strip() for u in unit_ids if str(u).strip()})
    if not ids:
        raise DataError("no unit ids given for the territory")
    frame = _dataset(dataset)
    missing = [u for u in ids if u not in frame.index]
    if missing:
        shown = ", ".join(missing[:10]) + (" ..." if len(missing) > 10 else "")
        raise DataError(f"{len(missing)} unit id(s) not in dataset {dataset}: {shown}")
    return ids


def units_territory(dataset: str, unit_ids: list[str]) -> tuple[str, str, list[str]]:
    """Union of the named units: (geometry JSON, coordinate system, cleaned ids).

    Raises :class:`DataError` for an unknown dataset or ids not in it (names them).
    """
    ids = clean_unit_ids(dataset, unit_ids)
    frame = _dataset(dataset)
    merged = unary_union(list(frame.loc[ids].geometry))
    merged = merged.simplify(_tolerance(merged), preserve_topology=True)
    return json.dumps(mapping(merged), separators=(",", ":")), UNIT_DATASETS[dataset][3], ids


def _tolerance(geom) -> float:
    minx, miny, maxx, maxy = geom.bounds
    return max(maxx - minx, maxy - miny) / 2000


def context_shapes(
    crs: str, bounds: tuple[float, float, float, float], territory=None
) -> list[tuple[str, Any]]:
    """Named outlines around a territory, so a reader sees where it is: for lon/lat
    territories the US states (inside the US) or the world's countries (see
    :func:`places.around`); for unit-based ones the dataset's own units (unnamed). Empty
    when no base map covers the area (or its file is missing)."""
    from shapely.geometry import box

    minx, miny, maxx, maxy = bounds
    window = box(minx, miny, maxx, maxy)
    tolerance = max(maxx - minx, maxy - miny) / 400
    if crs == LONLAT:
        from secession.web.apps.communities import places

        named = places.around(territory if territory is not None else window, window)
        shapes = [(n, g.simplify(tolerance)) for n, g in named]
        return [(n, g) for n, g in shapes if not g.is_empty]
    name = next((k for k, v in UNIT_DATASETS.items() if v[3] == crs), None)
    try:
        frame = _dataset(name) if name else None
    except (OSError, DataError):
        frame = None
    if frame is None:
        return []
    near = frame.geometry.iloc[frame.sindex.query(window)]
    shapes = [g.intersection(window).simplify(tolerance) for g in near]
    return [("", g) for g in shapes if not g.is_empty]


def description(geometry_json: str, crs: str = LONLAT) -> str:
    """A sentence for screen readers: size, where it lies, extent (lon/lat territories);
    for unit-based ones, the units it is made of."""
    if not geometry_json:
        return ""
    if crs != LONLAT:
        return "Made of whole analysis units (counties); their outline is drawn in a map projection"
    from secession.web.apps.communities import places

    return places.describe(shape(json.loads(geometry_json)))


def svg(
    geometry_json: str,
    crs: str = LONLAT,
    *,
    width: int = 480,
    label: str = "",
    context: bool = False,
    previous: str = "",
) -> str:
    """An inline SVG drawing of the territory (north up; lon/lat scaled by latitude).

    ``context``: also draw the surrounding outlines (see :func:`context_shapes`) in grey
    under the territory, with a margin around it. ``previous``: an earlier territory (same
    coordinate system), drawn as a dashed outline over it, so a change is seen.
    """
    if not geometry_json:
        return ""
    geom = shape(json.loads(geometry_json))
    before = shape(json.loads(previous)) if previous else None
    minx, miny, maxx, maxy = geom.bounds if before is None else geom.union(before).bounds
    background = None
    named: list[tuple[str, Any]] = []
    if context:
        margin = max(maxx - minx, maxy - miny) * 0.35
        frame = (minx - margin, miny - margin, maxx + margin, maxy + margin)
        named = context_shapes(crs, frame, geom)
        if named:
            minx, miny, maxx, maxy = frame
            background = _path_data([g for _, g in named])
    xscale = math.cos(math.radians((miny + maxy) / 2)) if crs == LONLAT else 1.0
    span_x = max((maxx - minx) * xscale, 1e-9)
    span_y = max(maxy - miny, 1e-9)
    height = max(40, min(int(width * span_y / span_x), 2 * width))
    scale = min((width - 8) / span_x, (height - 8) / span_y)

    def point(x: float, y: float) -> str:
        return f"{4 + (x - minx) * xscale * scale:.1f},{4 + (maxy - y) * scale:.1f}"

    words = (
        ". ".join(t for t in (label, description(geometry_json, crs)) if t) if context else label
    )
    title = f"<title>{_escape(label)}</title>" if label else ""
    desc = f"<desc>{_escape(words)}</desc>" if words and words != label else ""
    names = _labels(named, (maxx - minx) * (maxy - miny), point, width)
    dashed = (
        f'<path d="{_path_data([before])(point)}" fill="none" stroke="#b35806" '
        'stroke-width="2" stroke-dasharray="6 4"/>'
        if before is not None
        else ""
    )
    under = (
        f'<path d="{background(point)}" fill="#fff" stroke="#8c959f" stroke-width="0.6"/>'
        if background
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="territory"'
        f"{' aria-label=' + chr(34) + _escape(words) + chr(34) if words else ''}>{title}{desc}"
        f'{under}<path d="{_path_data([geom])(point)}" fill="#9ecae1" fill-opacity="0.85" '
        f'fill-rule="evenodd" stroke="#08519c" stroke-width="1.5"/>{dashed}{names}</svg>'
    )


def _labels(named, window_area: float, point, width: int, most: int = 8) -> str:
    """Text labels of the largest named outlines in view (at a point inside each)."""
    big = sorted(
        ((g.area, n, g) for n, g in named if n and g.area > 0.02 * window_area),
        key=lambda t: -t[0],
    )[:most]
    size = max(10, round(width / 40))
    out = []
    for _, name, geom in big:
        x, y = point(*geom.representative_point().coords[0]).split(",")
        out.append(
            f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="middle" fill="#24292f" '
            f'stroke="#fff" stroke-width="3" paint-order="stroke">{_escape(name)}</text>'
        )
    return "".join(out)


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
