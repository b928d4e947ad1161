"""Neighbours of US counties from the Census 2016 boundaries shipped in ``plotly-geo``.

Used by ``--link-islands`` for county units that have no geometry in their own source
(the quantized 2020 TopoJSON loses five small Virginia independent cities): their
neighbours are read from the Census cartographic boundaries instead, and reported.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def census_county_neighbours(ids: Iterable[str], kind: str = "rook") -> dict[str, list[str]]:
    """County FIPS -> FIPS of the counties it borders (rook: a shared line; queen: a point).

    Ids not found in the Census 2016 county file are left out of the result.
    """
    import shapely

    from secession.geo.boundaries import read_boundaries

    wanted = [i for i in ids if len(i) == 5 and i.isdigit()]
    if not wanted:
        return {}
    census = read_boundaries("plotly:counties")
    geoms = np.asarray(census.geometry.values, dtype=object)
    where = {uid: k for k, uid in enumerate(census.ids)}
    tree = shapely.STRtree(geoms)
    out: dict[str, list[str]] = {}
    for uid in wanted:
        k = where.get(uid)
        if k is None:
            continue
        shape = geoms[k]
        found = []
        for c in tree.query(shape, predicate="intersects").tolist():
            if c == k:
                continue
            if kind == "rook":
                shared = shapely.intersection(shape.boundary, geoms[c].boundary)
                if shapely.length(shared) <= 0:
                    continue
            found.append(census.ids[c])
        out[uid] = sorted(found)
    return out
