"""The countries of the world from Natural Earth, read offline from the npm package
``world-atlas`` (``countries-110m.json`` or ``countries-50m.json``, TopoJSON, ISC licence;
Natural Earth itself is in the public domain).

The files store lon/lat on the sphere, so a ring may jump across the antimeridian (Russia's
Chukotka, Fiji, Antarctica around the south pole); :func:`split_antimeridian` cuts such
polygons at ±180° so that they are valid planar polygons. A few more shapes are invalid as
decoded (Sudan and North Korea at 1:110m): they are repaired with ``make_valid`` and listed
in :attr:`WorldCountries.repaired`.

Countries are known by their *key*, the Natural Earth name (unique in each file), and can be
looked up by name or by their ISO 3166-1 numeric id. Some features have no id at all
(N. Cyprus, Somaliland and Kosovo in both files; Indian Ocean Ter. and Siachen Glacier at
1:50m): their ``id`` is ``None`` and they are found by name only. At 1:50m the id ``036``
names both Australia and Ashmore and Cartier Is., so that id is ambiguous there.

Example
-------
>>> world = load_countries("110m")
>>> world.find("Kosovo"), world.ids[world.find("Kosovo")]
('Kosovo', None)
>>> world.find("840")
'United States of America'
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import shapely

from secession.assets import npm_file
from secession.exceptions import DataError

PACKAGE = "world-atlas"
BASES = {"110m": "countries-110m.json", "50m": "countries-50m.json"}
SCALES = {"110m": "1:110m", "50m": "1:50m"}
LONLAT = "EPSG:4326"


@dataclass(frozen=True, eq=False)
class WorldCountries:
    """Natural Earth countries in lon/lat: ``keys`` (names) index ``ids`` (ISO numeric or
    ``None``) and ``geometry`` (valid polygons, cut at the antimeridian)."""

    base: str
    keys: list[str]
    ids: list[str | None]
    geometry: np.ndarray  # shapely (Multi)Polygons, lon/lat
    path: str
    version: str
    repaired: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def index(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.keys)}

    @property
    def source(self) -> str:
        """A one-line credit for map notes."""
        return (
            f"Countries: Natural Earth {SCALES[self.base]} admin-0 (public domain), "
            f"from the npm package {PACKAGE} {self.version} (ISC licence)"
        )

    def find(self, text: str) -> str:
        """The key of the country named ``text`` (a Natural Earth name, any case, or an ISO
        3166-1 numeric id such as ``840`` or ``"036"``).

        Raises :class:`DataError` naming close names when there is no such country, or the
        countries that share an ambiguous id."""
        wanted = str(text).strip()
        by_name = {k.casefold(): k for k in self.keys}
        if wanted.casefold() in by_name:
            return by_name[wanted.casefold()]
        if wanted.isdigit():
            code = wanted.zfill(3)
            hits = [k for k, i in zip(self.keys, self.ids, strict=True) if i == code]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise DataError(
                    f"country id {code} names {len(hits)} features in Natural Earth "
                    f"{SCALES[self.base]} ({', '.join(hits)}): give the name instead"
                )
        close = difflib.get_close_matches(wanted, self.keys, n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise DataError(
            f"no country {wanted!r} in Natural Earth {SCALES[self.base]} (give a name as "
            f"Natural Earth writes it, e.g. 'United States of America', or an ISO numeric "
            f"id such as 840){hint}"
        )


def _unwrap(xy: np.ndarray) -> tuple[np.ndarray, int]:
    """Longitudes made continuous across ±180 jumps; also the net number of turns
    (non-zero for a ring that circles a pole)."""
    out = xy.copy()
    step = np.diff(xy[:, 0])
    shift = np.where(step > 180, -360.0, np.where(step < -180, 360.0, 0.0))
    out[1:, 0] += np.cumsum(shift)
    turns = round((out[-1, 0] - out[0, 0]) / 360.0)
    return out, turns


def _polar_ring(xy: np.ndarray, turns: int) -> np.ndarray:
    """Close a ring that goes once around a pole through that pole."""
    pole = -90.0 if xy[:, 1].mean() < 0 else 90.0
    end, start = xy[-1, 0], xy[0, 0]
    return np.vstack([xy, [[end, pole], [start, pole], xy[0]]])


def split_antimeridian(geom: Any) -> Any:
    """``geom`` (lon/lat polygons) with every ring that jumps across ±180° unwrapped and cut
    at the antimeridian, so that each piece lies within -180..180 as a planar polygon.

    Rings given with longitudes beyond ±180 (a territory drawn across the antimeridian as
    170..190) are cut the same way. Geometry that never leaves -180..180 nor jumps is
    returned unchanged.
    """
    if geom is None or shapely.is_empty(geom):
        return geom
    xy = shapely.get_coordinates(geom)
    jumps = bool(np.any(np.abs(np.diff(xy[:, 0])) > 180))
    if not jumps and xy[:, 0].min() >= -180 and xy[:, 0].max() <= 180:
        return geom
    pieces = []
    for poly in shapely.get_parts(geom):
        rings = [np.asarray(poly.exterior.coords)[:, :2]]
        rings += [np.asarray(r.coords)[:, :2] for r in poly.interiors]
        shell, turns = _unwrap(rings[0])
        if turns:
            shell = _polar_ring(shell, turns)
        holes = []
        centre = shell[:, 0].mean()
        for ring in rings[1:]:
            hole, _ = _unwrap(ring)
            hole[:, 0] += 360.0 * round((centre - hole[:, 0].mean()) / 360.0)
            holes.append(hole)
        piece = shapely.make_valid(shapely.Polygon(shell, holes))
        for k in (-1, 0, 1):
            window = shapely.box(-180 + 360 * k, -90, 180 + 360 * k, 90)
            part = shapely.intersection(piece, window)
            if not shapely.is_empty(part):
                pieces.append(shapely.transform(part, lambda c, k=k: c - [360.0 * k, 0.0]))
    return polygonal(shapely.union_all(pieces))


def polygonal(geom: Any) -> Any:
    """The polygons of ``geom`` (lines and points left by an overlay dropped); an empty
    polygon when there are none."""
    if geom is None:
        return shapely.Polygon()
    kind = shapely.get_type_id(geom)
    if kind in (3, 6):  # Polygon, MultiPolygon
        return geom
    parts = [p for p in shapely.get_parts(geom) if shapely.get_type_id(p) in (3, 6)]
    if not parts:
        return shapely.Polygon()
    flat = [q for p in parts for q in shapely.get_parts(p)]
    return flat[0] if len(flat) == 1 else shapely.MultiPolygon(flat)


@cache
def load_countries(base: str = "110m") -> WorldCountries:
    """The Natural Earth countries of ``base`` (``"110m"`` or ``"50m"``), valid, in lon/lat.

    Raises :class:`DataMissingError` naming the npm package when it is not installed, and
    :class:`DataError` for an unknown base or a file that is not the package's TopoJSON.
    """
    from secession.geo.topology import read_topojson

    if base not in BASES:
        raise DataError(f"unknown world base {base!r}: use {' or '.join(BASES)}")
    path = npm_file(PACKAGE, BASES[base])
    try:
        version = json.loads(npm_file(PACKAGE, "package.json").read_text("utf-8"))["version"]
    except (ValueError, KeyError):
        version = "(unknown version)"
    topo = read_topojson(path, "countries")
    if "name" not in topo.properties.columns:
        raise DataError(f"{path}: countries have no 'name' property")
    keys = [str(n) for n in topo.properties["name"]]
    if len(set(keys)) != len(keys):
        raise DataError(f"{path}: country names are not unique")
    ids = _raw_ids(path)
    out = np.empty(len(keys), dtype=object)
    repaired = []
    for i, geom in enumerate(topo.geometry.values):
        if geom is None:
            raise DataError(f"{path}: country {keys[i]!r} has no shape")
        fixed = split_antimeridian(geom)
        if not shapely.is_valid(fixed):
            fixed = polygonal(shapely.make_valid(fixed))
        if fixed is not geom:
            repaired.append(keys[i])
        out[i] = fixed
    return WorldCountries(base, keys, ids, out, str(path), version, repaired)


def _raw_ids(path: Any) -> list[str | None]:
    """The ``id`` of each feature as the file has it (``None`` where there is none: the
    TopoJSON reader numbers those by position, which could clash with a real id)."""
    doc = json.loads(path.read_text("utf-8"))
    return [
        None if g.get("id") is None else str(g["id"])
        for g in doc["objects"]["countries"]["geometries"]
    ]
