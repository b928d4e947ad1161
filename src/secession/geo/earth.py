"""Units on the earth: longitude/latitude outlines and distances between sets of units.

Distances between units are great-circle distances (mean earth radius) between their
outline points, never distances in a drawing projection: the Albers USA TopoJSON moves
Alaska and Hawaii next to Mexico. Where the lon/lat shapes come from:

- US county layouts: the Census 2016 county boundaries shipped in ``plotly-geo``, by FIPS
  id; units the Census file does not have (Alaska's 2020 election districts) are taken from
  their own Albers inset, mapped back to lon/lat by :mod:`secession.geo.insets`;
- any other geometry with a geographic CRS (or lon/lat coordinates) as it is, a projected
  CRS (New Hampshire's EPSG:3437) converted to lon/lat;
- no geometry, or projected coordinates of unknown CRS: no distances (``None``).

Finding those shapes is :func:`secession.geo.lonlat.lonlat_geometry`; this module only
holds the points and measures.

:class:`EarthPoints` keeps only outline points on the unit sphere (outlines simplified to
about half a kilometre), so it follows the graph through subsets and aggregation cheaply.

Example
-------
>>> from shapely.geometry import box
>>> pts = EarthPoints.from_lonlat([box(0, 0, 1, 1), box(2, 0, 3, 1)])
>>> round(pts.distance_km([0], [1]))
111
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

EARTH_RADIUS_KM = 6371.0088
SIMPLIFY_DEGREES = 0.005  # outline simplification before taking points (about 0.5 km)
MAX_PAIR_BLOCK = 4_000_000  # unit pairs compared at once when bounding distances
RANK_MAX_UNITS = 64  # sets up to this size are answered from a ranking of nearby units
RANK_POINTS = 32  # nearest outline points searched around each point of such a set
RANK_CACHE = 4096  # rankings kept per EarthPoints


def to_xyz(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Points on the unit sphere from degrees."""
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def chord_to_km(chord: np.ndarray | float) -> np.ndarray | float:
    """Great-circle distance in km for a chord length on the unit sphere."""
    return 2.0 * np.arcsin(np.clip(np.asarray(chord) / 2.0, 0.0, 1.0)) * EARTH_RADIUS_KM


@dataclass(frozen=True, eq=False)
class EarthPoints:
    """Outline points of every unit on the unit sphere; unit ``i`` owns
    ``xyz[start[i]:start[i + 1]]``. A unit with no shape owns no point (no distance)."""

    xyz: np.ndarray
    start: np.ndarray
    source: str = ""

    @classmethod
    def from_lonlat(cls, geoms: Any, source: str = "") -> EarthPoints:
        """From lon/lat shapely geometries (``None`` or empty: a unit with no point)."""
        import shapely

        arr = np.asarray(list(geoms), dtype=object)
        ok = np.array([g is not None and not g.is_empty for g in arr], dtype=bool)
        simple = np.empty(len(arr), dtype=object)
        simple[ok] = shapely.simplify(arr[ok].tolist(), SIMPLIFY_DEGREES, preserve_topology=False)
        bad = ok.copy()
        bad[ok] = shapely.is_empty(simple[ok].tolist())
        simple[bad] = arr[bad]  # too small to simplify: keep the shape
        counts = np.zeros(len(arr), dtype=np.int64)
        coords = np.zeros((0, 2))
        if ok.any():
            coords, index = shapely.get_coordinates(simple[ok].tolist(), return_index=True)
            counts[np.flatnonzero(ok)] = np.bincount(index, minlength=int(ok.sum()))
        start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return cls(to_xyz(coords[:, 0], coords[:, 1]), start, source)

    @property
    def n_units(self) -> int:
        return len(self.start) - 1

    def points_of(self, i: int) -> np.ndarray:
        return self.xyz[self.start[i] : self.start[i + 1]]

    @cached_property
    def _owner(self) -> np.ndarray:
        return np.repeat(np.arange(self.n_units, dtype=np.int64), np.diff(self.start))

    @cached_property
    def _centres(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(centre, radius, has points) per unit: every point lies within radius (chord)."""
        n = self.n_units
        counts = np.diff(self.start)
        has = counts > 0
        sums = np.zeros((n, 3))
        np.add.at(sums, self._owner, self.xyz)
        centre = np.zeros((n, 3))
        centre[has] = sums[has] / counts[has, None]
        norm = np.linalg.norm(centre, axis=1)
        centre[has & (norm > 0)] /= norm[has & (norm > 0), None]
        radius = np.zeros(n)
        if len(self.xyz):
            np.maximum.at(
                radius, self._owner, np.linalg.norm(self.xyz - centre[self._owner], axis=1)
            )
        return centre, radius, has

    def has_points(self) -> np.ndarray:
        return self._centres[2]

    # ----------------------------------------------------------------- derived sets
    def subset(self, pos: np.ndarray) -> EarthPoints:
        """The points of the units at positions ``pos`` (in that order)."""
        pos = np.asarray(pos, dtype=np.int64)
        counts = np.diff(self.start)[pos]
        take = np.concatenate(
            [np.arange(self.start[i], self.start[i + 1]) for i in pos.tolist()] or [np.zeros(0)]
        ).astype(np.int64)
        return EarthPoints(
            self.xyz[take], np.concatenate([[0], np.cumsum(counts)]).astype(np.int64), self.source
        )

    def merged(self, inverse: np.ndarray, k: int) -> EarthPoints:
        """Points of ``k`` merged units, unit ``i`` going to ``inverse[i]``."""
        owner_new = np.asarray(inverse, dtype=np.int64)[self._owner]
        order = np.argsort(owner_new, kind="stable")
        counts = np.bincount(owner_new, minlength=k)
        start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        return EarthPoints(self.xyz[order], start, self.source)

    # ----------------------------------------------------------------- distances
    @cached_property
    def _tree(self) -> Any:
        from scipy.spatial import cKDTree

        return cKDTree(self.xyz)

    @cached_property
    def _ranks(self) -> dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray, float]]:
        return {}

    def _ranked(self, a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
        """Units near the small set ``a``, nearest first: ``(unit, chord, unit of a, R)``,
        exact for every unit closer than ``R`` (the points of ``a``'s neighbourhood
        searched); kept, as the same islands come back in every plan of a search."""
        key = np.sort(a).tobytes()
        found = self._ranks.get(key)
        if found is None:
            pts = np.concatenate([np.arange(self.start[i], self.start[i + 1]) for i in a])
            k = min(RANK_POINTS, len(self.xyz))
            dist, idx = self._tree.query(self.xyz[pts], k=k)
            dist, idx = dist.reshape(len(pts), -1), idx.reshape(len(pts), -1)
            reach = float(dist[:, -1].min()) if k < len(self.xyz) else np.inf
            owner = self._owner[idx.ravel()]
            src = np.repeat(self._owner[pts], dist.shape[1])
            order = np.lexsort((owner, dist.ravel()))
            owner, flat, src = owner[order], dist.ravel()[order], src[order]
            units, first = np.unique(owner, return_index=True)
            back = np.argsort(flat[first], kind="stable")
            found = (units[back], flat[first][back], src[first][back], reach)
            if len(self._ranks) > RANK_CACHE:
                self._ranks.clear()
            self._ranks[key] = found
        return found

    def nearest(self, a: Any, b: Any) -> tuple[float, int, int]:
        """``(km, i, j)``: the closest pair of a unit ``i`` of ``a`` and ``j`` of ``b``
        (positions); ``(inf, -1, -1)`` when either has no point. Exact on the outline
        points: for a small ``a`` from a ranking of the units around it, else unit pairs
        are visited by a lower bound from their centres and radii."""
        centre, radius, has = self._centres
        a0 = np.asarray(a, dtype=np.int64).reshape(-1)
        if 0 < len(a0) <= RANK_MAX_UNITS and has[a0].any():
            units, chord, src, reach = self._ranked(a0[has[a0]])
            inside = np.zeros(self.n_units, dtype=bool)
            inside[np.asarray(b, dtype=np.int64).reshape(-1)] = True
            hit = np.flatnonzero(inside[units])
            if len(hit) and chord[hit[0]] < reach:
                h = hit[0]
                return float(chord_to_km(chord[h])), int(src[h]), int(units[h])
        a = np.asarray(a, dtype=np.int64).reshape(-1)
        b = np.asarray(b, dtype=np.int64).reshape(-1)
        a, b = a[has[a]], b[has[b]]
        if not len(a) or not len(b):
            return float("inf"), -1, -1
        # Lower bounds per unit from centres and radii; the pair with the smallest bound
        # gives an upper bound U; only units within U of the other set can hold the nearest
        # pair, and one k-d tree query over their points finds it exactly.
        lb_a = np.full(len(a), np.inf)
        lb_b = np.full(len(b), np.inf)
        first, first_lb = (int(a[0]), int(b[0])), np.inf
        step = max(1, MAX_PAIR_BLOCK // len(b))
        for lo in range(0, len(a), step):
            aa = a[lo : lo + step]
            d = np.linalg.norm(centre[aa][:, None, :] - centre[b][None, :, :], axis=2)
            lb = np.maximum(d - radius[aa][:, None] - radius[b][None, :], 0.0)
            lb_a[lo : lo + step] = lb.min(axis=1)
            np.minimum(lb_b, lb.min(axis=0), out=lb_b)
            k = int(np.argmin(lb))
            if lb.flat[k] < first_lb:
                first_lb = float(lb.flat[k])
                first = (int(aa[k // len(b)]), int(b[k % len(b)]))
        pa, pb = self.points_of(first[0]), self.points_of(first[1])
        upper = float(np.sqrt(((pa[:, None, :] - pb[None, :, :]) ** 2).sum(axis=2)).min())
        ca, cb = a[lb_a <= upper], b[lb_b <= upper]
        points_a = np.concatenate([np.arange(self.start[i], self.start[i + 1]) for i in ca])
        points_b = np.concatenate([np.arange(self.start[i], self.start[i + 1]) for i in cb])
        from scipy.spatial import cKDTree

        dist, idx = cKDTree(self.xyz[points_b]).query(self.xyz[points_a], k=1)
        at = int(np.argmin(dist))
        best = float(dist[at])
        bi, bj = int(self._owner[points_a[at]]), int(self._owner[points_b[idx[at]]])
        return float(chord_to_km(best)), bi, bj

    def distance_km(self, a: Any, b: Any) -> float:
        """Great-circle distance in km between the nearest outline points of ``a`` and ``b``."""
        return self.nearest(a, b)[0]
