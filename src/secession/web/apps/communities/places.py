"""Named outlines territories are drawn over, found by and described with: the world's
countries (Natural Earth, from the npm package ``world-atlas``) and the US states
(Census 2016 cartographic boundaries, from the ``plotly-geo`` package)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pyproj import Geod
from shapely import make_valid
from shapely.geometry.base import BaseGeometry

from secession.assets import npm_file
from secession.exceptions import DataMissingError

WORLD_PACKAGE = "world-atlas"
WORLD_FILE = "countries-50m.json"
UNITED_STATES = "United States of America"
_GEOD = Geod(ellps="WGS84")


@lru_cache(maxsize=1)
def countries():
    """The world's countries (columns ``name``, ``geometry``; valid lon/lat polygons).

    Raises :class:`DataMissingError` naming the npm package when it is not installed.
    Natural Earth keeps N. Cyprus, Somaliland, Kosovo and a few more with no id: they are
    found by name like every other country."""
    import geopandas as gpd

    frame = gpd.read_file(npm_file(WORLD_PACKAGE, WORLD_FILE), layer="countries")
    frame = frame[["name", "geometry"]].copy()
    frame["geometry"] = [g if g.is_valid else make_valid(g) for g in frame.geometry]
    return frame.set_crs("EPSG:4326", allow_override=True)


def _states_file() -> Path | None:
    try:
        import _plotly_geo
    except ImportError:
        return None
    path = Path(_plotly_geo.__file__).parent / "package_data" / "cb_2016_us_state_500k.shp"
    return path if path.exists() else None


@lru_cache(maxsize=1)
def us_states():
    """The US states (columns ``name``, ``geometry``), or None when plotly-geo is missing."""
    path = _states_file()
    if path is None:
        return None
    import geopandas as gpd

    frame = gpd.read_file(path)  # NAD83 lon/lat: within a metre or two of WGS84
    return frame.rename(columns={"NAME": "name"})[["name", "geometry"]]


def country_names() -> list[str]:
    """Country names for the place search (empty when world-atlas is missing)."""
    try:
        return sorted(countries()["name"])
    except DataMissingError:
        return []


def country_outline(name: str) -> BaseGeometry | None:
    """The outline of the country called ``name`` (any case), or None."""
    frame = countries()
    match = frame[frame["name"].str.casefold() == name.strip().casefold()]
    return None if match.empty else match.geometry.iloc[0]


def area_km2(geom: BaseGeometry) -> float:
    """Geodesic area on the WGS84 ellipsoid, in square kilometres."""
    return abs(_GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def around(geom: BaseGeometry, window: BaseGeometry) -> list[tuple[str, BaseGeometry]]:
    """Named outlines inside ``window``: US states when the territory lies mostly in the
    US (and plotly-geo is installed), else the world's countries. Empty when neither base
    is installed."""
    frame = _base_for(geom)
    if frame is None:
        return []
    near = frame.iloc[frame.sindex.query(window)]
    return [(n, g.intersection(window)) for n, g in zip(near["name"], near.geometry, strict=True)]


def _base_for(geom: BaseGeometry):
    try:
        world = countries()
    except DataMissingError:
        world = None
    states = us_states()
    if states is not None and _in_us(geom, world, states):
        return states
    return world


def _in_us(geom, world, states) -> bool:
    if world is not None:
        country, _ = _largest_overlap(world, geom)
        return country == UNITED_STATES
    return bool(states.sindex.query(geom.representative_point(), predicate="intersects").size)


def _largest_overlap(frame, geom) -> tuple[str | None, BaseGeometry | None]:
    hits = frame.iloc[frame.sindex.query(geom, predicate="intersects")]
    best, shape, most = None, None, -1.0
    for name, other in zip(hits["name"], hits.geometry, strict=True):
        overlap = other.intersection(geom).area
        if overlap > most:
            best, shape, most = name, other, overlap
    return best, shape


def describe(geom: BaseGeometry) -> str:
    """A sentence giving a lon/lat territory's size, where it lies and its extent, e.g.
    "About 1,200 km² in the west of Oregon, United States; from 123.5 W to 121.0 W,
    43.1 N to 45.6 N"."""
    minx, miny, maxx, maxy = geom.bounds
    extent = f"from {_lon(minx)} to {_lon(maxx)}, {_lat(miny)} to {_lat(maxy)}"
    size = f"About {_round(area_km2(geom)):,} km²"
    where = _where(geom)
    return f"{size} {where}; {extent}" if where else f"{size}; {extent}"


def _where(geom) -> str:
    try:
        world = countries()
    except DataMissingError:
        world = None
    states = us_states()
    if world is not None:
        country, outline = _largest_overlap(world, geom)
        if country is None:
            return "at sea"
        if country == UNITED_STATES and states is not None:
            state, state_outline = _largest_overlap(states, geom)
            if state is not None:
                return f"{_part(geom, state_outline)} {state}, United States"
        return f"{_part(geom, outline)} {country}"
    if states is not None:
        state, outline = _largest_overlap(states, geom)
        if state is not None:
            return f"{_part(geom, outline)} {state}, United States"
    return ""


def _part(geom, region) -> str:
    """Where in ``region`` the territory lies: "in the west of", "covering most of"..."""
    if geom.intersection(region).area > 0.5 * region.area:
        return "covering most of"
    minx, miny, maxx, maxy = region.bounds
    point = geom.representative_point()
    fx = (point.x - minx) / max(maxx - minx, 1e-9)
    fy = (point.y - miny) / max(maxy - miny, 1e-9)
    ns = "north" if fy > 2 / 3 else "south" if fy < 1 / 3 else ""
    ew = "east" if fx > 2 / 3 else "west" if fx < 1 / 3 else ""
    side = "-".join(s for s in (ns, ew) if s) or "centre"
    return f"in the {side} of"


def _round(km2: float) -> int:
    """Two significant figures (at least 1)."""
    if km2 < 1:
        return 1
    digits = len(str(int(km2))) - 2
    return int(round(km2, -digits)) if digits > 0 else round(km2)


def _lon(x: float) -> str:
    return f"{abs(x):.1f} {'W' if x < 0 else 'E'}"


def _lat(y: float) -> str:
    return f"{abs(y):.1f} {'S' if y < 0 else 'N'}"
