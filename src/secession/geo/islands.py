"""Link islands and other small pieces of the unit graph to their nearest unit elsewhere.

Only used when the user asks (``--link-islands``); the loader records every added link.
Each connected component except the largest gets one edge: the closest pair of units
(smallest geometric distance, ties broken by lowest positions) between it and any other
component. Linked components are merged and the step repeats (Borůvka's rounds) until the
graph is connected, so two islands that are each other's nearest still end up attached.

Example
-------
>>> from shapely.geometry import box
>>> geoms = [box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 0, 6, 1)]
>>> nearest_neighbour_links(geoms, [0, 0, 1]).tolist()
[[1, 2]]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from secession.exceptions import DataError
from secession.geo.adjacency import _as_geometry_array, unique_edges

__all__ = ["nearest_neighbour_links"]


def _nearest_outside(
    tree: shapely.STRtree,
    geoms: np.ndarray,
    members: np.ndarray,
    labels: np.ndarray,
    label: int,
    start: float,
) -> tuple[float, int, int] | None:
    """(distance, member, other) of the closest pair between ``members`` and other labels."""
    usable = labels >= 0
    if not (usable & (labels != label)).any():
        return None
    mine = geoms[members]
    radius = start
    for _ in range(64):  # the radius grows 4x per step: 64 steps pass any finite extent
        left, right = tree.query(mine, predicate="dwithin", distance=radius)
        outside = (labels[right] != label) & usable[right]
        if outside.any():
            a, b = members[left[outside]], right[outside]
            dist = shapely.distance(geoms[a], geoms[b])
            lo, hi = np.minimum(a, b), np.maximum(a, b)
            best = np.lexsort((hi, lo, dist))[0]  # nearest, then lowest positions
            return float(dist[best]), int(a[best]), int(b[best])
        radius *= 4.0
    raise DataError(f"units {members[:5].tolist()}: no distance to other units can be measured")


def nearest_neighbour_links(geometry: Any, component_labels: Any) -> np.ndarray:
    """Edges that connect every component to its nearest unit in another component.

    Parameters
    ----------
    geometry
        GeoSeries or sequence of shapely geometries, one per unit. Units with no geometry
        (``None``/empty) are never linked.
    component_labels
        Component label per unit (e.g. ``UnitGraph.component``).

    Returns
    -------
    numpy.ndarray
        ``(m, 2)`` int64 positions, ``i < j``, sorted; empty when already connected.
    """
    geoms = _as_geometry_array(geometry)
    labels = np.asarray(component_labels).reshape(-1)
    if labels.size != geoms.size:
        raise DataError(
            f"component labels: expected {geoms.size} values (one per unit), got {labels.size}"
        )
    _, labels = np.unique(labels, return_inverse=True)
    labels = labels.astype(np.int64)
    has_geom = shapely.is_geometry(geoms) & ~shapely.is_empty(geoms)
    labels = np.where(has_geom, labels, -1)
    if np.unique(labels[labels >= 0]).size <= 1:
        return np.empty((0, 2), dtype=np.int64)
    tree = shapely.STRtree(geoms)  # None entries are skipped by the tree
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms[has_geom])
    start = max(xmax - xmin, ymax - ymin, 1e-12) * 1e-4
    links: list[tuple[int, int]] = []
    while True:
        present, sizes = np.unique(labels[labels >= 0], return_counts=True)
        if present.size <= 1:
            break
        largest = present[np.lexsort((present, -sizes))[0]]
        round_links = []
        for label in present:
            if label == largest:
                continue
            members = np.flatnonzero(labels == label)
            found = _nearest_outside(tree, geoms, members, labels, int(label), start)
            if found is not None:
                round_links.append((found[1], found[2]))
        if not round_links:
            break
        links.extend(round_links)
        # merge the linked components and go again until one remains
        pairs = np.asarray(round_links, dtype=np.int64)
        m = present.max() + 1
        joined = sparse.coo_matrix(
            (np.ones(len(pairs)), (labels[pairs[:, 0]], labels[pairs[:, 1]])), shape=(m, m)
        )
        _, merged = connected_components(joined, directed=False)
        labels = np.where(labels >= 0, merged[np.maximum(labels, 0)], -1)
    return unique_edges(np.asarray(links, dtype=np.int64).reshape(-1, 2))
