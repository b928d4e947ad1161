"""Water crossings: link units whose shores lie within a distance across water.

A pair of units is linked when it is not already adjacent, the geodesic distance between
their lon/lat outlines is positive and at most ``km``, and the shortest line between them
crosses no other unit (it runs over water, or over land outside the layout). Each link is
an ordinary edge for contiguity and the solvers, and each is listed (ids, names, km).

Distances are measured on the WGS84 ellipsoid between the two closest outline points;
the closest pair is found with longitudes scaled by the cosine of the pair's latitude, so
no drawing projection enters.

Example
-------
>>> from shapely.geometry import box
>>> links = water_links([box(0, 0, 1, 1), box(1.05, 0, 2, 1)], ["a", "b"], ["A", "B"],
...                     edges=[], km=10)
>>> [(w.a, w.b, round(w.km, 1)) for w in links]
[('a', 'b', 5.6)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

# The default for the US county layouts: the Straits of Mackinac (Mackinac County 26097 to
# Emmet 26047, 5.2 km, and to Cheboygan 26031, 5.3 km) and the Verrazzano Narrows
# (Richmond 36085 to Kings 36047, 1.5 km) are within it; every link it adds is listed in
# docs/data.md and by `secession data inspect`.
US_COUNTY_WATER_KM = 6.0
TOUCH_KM = 0.01  # closer than this is touching (a land border the layout lost), not water
KM_PER_DEGREE = 111.32
OPEN_SHARE = 0.5


@dataclass(frozen=True)
class WaterLink:
    """One crossing: units ``a`` and ``b`` (ids and names) and the distance in km."""

    a: str
    b: str
    name_a: str
    name_b: str
    km: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        return f"{self.a} {self.name_a} - {self.b} {self.name_b}: {self.km:.1f} km"


def water_links(
    lonlat: Any,
    ids: Sequence[str],
    names: Sequence[str],
    edges: Any,
    km: float,
) -> list[WaterLink]:
    """Every crossing of at most ``km`` between units not already adjacent (see module)."""
    import pyproj
    import shapely

    geoms = np.asarray(list(lonlat), dtype=object)
    ok = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    if km <= 0 or ok.sum() < 2:
        return []
    safe = np.where(ok, geoms, shapely.Point())
    lat = np.zeros(len(geoms))
    bounds = shapely.bounds(safe[ok].tolist())
    lat[ok] = np.maximum(np.abs(bounds[:, 1]), np.abs(bounds[:, 3]))
    reach = km / (KM_PER_DEGREE * np.cos(np.radians(np.minimum(lat, 85.0))))
    tree = shapely.STRtree(safe)
    left, right = tree.query(safe, predicate="dwithin", distance=reach)
    keep = (left < right) & ok[left] & ok[right]
    left, right = left[keep], right[keep]
    have = {(int(u), int(v)) for u, v in np.asarray(edges, dtype=np.int64).reshape(-1, 2)}
    have |= {(v, u) for u, v in have}
    pairs = [(int(u), int(v)) for u, v in zip(left, right, strict=True) if (u, v) not in have]
    geod = pyproj.Geod(ellps="WGS84")
    found: list[tuple[int, int, float, Any]] = []
    for u, v in pairs:
        line = _closest_line(safe[u], safe[v])
        (x0, y0), (x1, y1) = line.coords
        dist = geod.inv(x0, y0, x1, y1)[2] / 1000.0
        if TOUCH_KM < dist <= km:
            found.append((u, v, dist, line))
    out = []
    for u, v, dist, line in found:
        if _crosses_other_unit(tree, safe, line, u, v):
            continue
        out.append(WaterLink(str(ids[u]), str(ids[v]), str(names[u]), str(names[v]), dist))
    out.sort(key=lambda w: (w.a, w.b))
    return out


def _closest_line(a: Any, b: Any) -> Any:
    """The shortest line between ``a`` and ``b`` with longitudes scaled by the cosine of
    their mean latitude (locally a true-distance frame), in lon/lat."""
    import shapely

    lat = (a.centroid.y + b.centroid.y) / 2.0
    k = float(np.cos(np.radians(lat)))
    sa = shapely.transform(a, lambda xy: xy * [k, 1.0])
    sb = shapely.transform(b, lambda xy: xy * [k, 1.0])
    line = shapely.shortest_line(sa, sb)
    return shapely.transform(line, lambda xy: xy / [k, 1.0])


def _crosses_other_unit(tree: Any, geoms: np.ndarray, line: Any, u: int, v: int) -> bool:
    """Whether ``line`` runs through a unit other than ``u`` and ``v``, or mostly along
    units' borders (a line on a land border is no water crossing): at least
    :data:`OPEN_SHARE` of it must lie outside every unit."""
    import shapely

    near = tree.query(line, predicate="intersects").tolist()
    for w in near:
        if w not in (u, v) and shapely.relate_pattern(line, geoms[w], "T********"):
            return True
    land = shapely.union_all(geoms[sorted({*near, u, v})].tolist())
    return shapely.difference(line, land).length < OPEN_SHARE * line.length


def link_positions(links: Sequence[WaterLink], index: dict[str, int]) -> np.ndarray:
    """``(m, 2)`` positions of the links' units in a graph with id ``index``."""
    rows = [(index[w.a], index[w.b]) for w in links if w.a in index and w.b in index]
    return np.asarray(rows, dtype=np.int64).reshape(-1, 2)
