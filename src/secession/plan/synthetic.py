"""Seeded synthetic planar unit graphs for tests and benchmarks.

Points are drawn in clusters (towns) over a sparse background (countryside) in the unit
square and joined by their Delaunay triangulation (a planar graph, like the rook adjacency
of a map). Votes follow a smooth random field (neighbouring units vote alike, as on real
maps) with unit-level noise; population is heavier in the clusters.

Example
-------
>>> g = synthetic_planar_graph(500, seed=1)
>>> g.n_units, g.n_components
(500, 1)
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage
from scipy.spatial import Delaunay

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph

FIELD_SIZE = 256


def _points(n: int, rng: np.random.Generator) -> np.ndarray:
    n_clustered = int(n * 0.6)
    n_centres = max(3, n // 3000)
    centres = rng.uniform(0.05, 0.95, size=(n_centres, 2))
    spread = rng.uniform(0.01, 0.06, size=n_centres)
    which = rng.integers(0, n_centres, size=n_clustered)
    clustered = centres[which] + rng.normal(size=(n_clustered, 2)) * spread[which, None]
    background = rng.uniform(0.0, 1.0, size=(n - n_clustered, 2))
    # wrap around instead of clipping: clipped points would pile up on the square's edges
    return np.mod(np.concatenate([clustered, background]), 1.0)


def _spread_bits(x: np.ndarray) -> np.ndarray:
    x = x.astype(np.uint64)
    for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
        x = (x | (x << np.uint64(shift))) & np.uint64(mask)
    return x


def _morton_order(pts: np.ndarray) -> np.ndarray:
    """Order along a Z curve: neighbours get nearby positions (cache-friendly graphs)."""
    q = (pts * 65535).astype(np.uint64)
    return np.argsort(_spread_bits(q[:, 0]) | (_spread_bits(q[:, 1]) << np.uint64(1)))


def _field(pts: np.ndarray, rng: np.random.Generator, smooth: float) -> np.ndarray:
    noise = rng.normal(size=(FIELD_SIZE, FIELD_SIZE))
    grid = ndimage.gaussian_filter(noise, sigma=smooth, mode="wrap")
    grid = (grid - grid.mean()) / (grid.std() + 1e-12)
    coords = (pts.T * (FIELD_SIZE - 1)).astype(np.float64)
    return ndimage.map_coordinates(grid, coords, order=1, mode="nearest")


def synthetic_planar_graph(n: int, *, seed: int, smooth: float = 12.0) -> UnitGraph:
    """A connected planar graph of ``n`` units with spatially correlated two-side votes.

    Units carry ``groups["block"]`` (a 10 x 10 grid of blocks) for planning on a coarser
    level. Deterministic for a given seed.
    """
    if n < 3:
        raise DataError(f"synthetic graph needs at least 3 units, got {n}")
    rng = np.random.default_rng(seed)
    pts = _points(n, rng)
    pts = pts[_morton_order(pts)]
    tri = Delaunay(pts, qhull_options="Qbb Qc Qt")
    s = tri.simplices.astype(np.int64)
    edges = np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
    share = 1.0 / (1.0 + np.exp(-(0.9 * _field(pts, rng, smooth) + 0.35 * rng.normal(size=n))))
    density = np.bincount(edges.ravel(), minlength=n)  # busier near clusters
    population = np.round(rng.lognormal(mean=7.0, sigma=0.6, size=n) * (1 + 0.1 * density))
    turnout = rng.uniform(0.45, 0.7, size=n)
    two_side = np.round(population * turnout * rng.uniform(0.9, 0.98, size=n))
    leave = np.round(two_side * share)
    stay = two_side - leave
    other = np.round(population * turnout) - two_side
    block = (np.minimum((pts * 10).astype(np.int64), 9) * [10, 1]).sum(axis=1)
    ids = np.char.add("s", np.arange(n).astype(str)).astype(object)
    return UnitGraph.from_edges(
        ids,
        leave,
        stay,
        edges,
        other=np.maximum(other, 0),
        population=population,
        groups={"block": np.char.add("b", block.astype(str)).astype(object)},
        meta={"source": "synthetic_planar_graph", "n": n, "seed": seed},
    )
