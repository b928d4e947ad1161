"""Census county shapes in lon/lat, and the Albers USA insets of the TopoJSON mapped back.

The county TopoJSON of the data folder is drawn in an Albers USA layout (metres): the
lower 48 in an Albers conic, Alaska shrunk and Hawaii moved as insets beside Mexico. Units
that the Census 2016 county file (``plotly-geo``) does not have, such as Alaska's 2020
election districts, are mapped back to lon/lat through their inset: each inset is an
Albers conic on the sphere followed by an affine map, and that map is fitted to the
Census state outline (``plotly:states``) by iterative closest points against the states
TopoJSON of the data folder. Measured fit (the fit's own residuals, outline points): Alaska
median 0.7 km, 95th percentile 2.9 km (``lon_0 = -148``, the meridian at which the inset
is not rotated); Hawaii median 0.2 km; tested in ``tests/geo/test_earth.py``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from secession.exceptions import DataError

STATES_TOPOJSON = "2020-states-albers.topojson"  # beside the county TopoJSON
CONIC = "+proj=aea +lat_1={a} +lat_2={b} +lat_0={c} +lon_0={lon} +R=6371008.8 +units=m"
INSETS = {  # state FIPS -> (standard parallels, centre latitude, central meridian)
    "02": (55.0, 65.0, 50.0, -148.0),
    "15": (8.0, 18.0, 3.0, -157.0),
    "": (29.5, 45.5, 37.5, -96.0),  # the lower 48
}
ICP_ROUNDS = 30
ICP_KEEP = 0.8  # share of closest matches used in each round (islands one side lacks)


@lru_cache(maxsize=1)
def census_counties() -> dict[str, Any]:
    """FIPS -> lon/lat shape of every county of the Census 2016 file (``plotly:counties``)."""
    from secession.geo.boundaries import read_boundaries

    b = read_boundaries("plotly:counties")
    geoms = b.geometry.to_crs("EPSG:4326").values
    return dict(zip(b.ids, geoms, strict=True))


def _inset_key(state_fips: str) -> str:
    return state_fips if state_fips in INSETS else ""


def from_inset(shape: Any, state_fips: str, states_file: str) -> Any:
    """``shape`` (Albers USA TopoJSON metres) in lon/lat, through its state's inset;
    ``states_file`` is the states TopoJSON of the same layout. ``None`` without it."""
    import shapely

    fit = _fitted(_inset_key(state_fips), str(states_file))
    if fit is None:
        return None
    matrix, shift, back = fit

    def inverse(xy: np.ndarray) -> np.ndarray:
        x, y = (xy @ matrix.T + shift).T
        lon, lat = back.transform(x, y)
        return np.column_stack([lon, lat])

    return shapely.transform(shape, inverse)


@lru_cache(maxsize=4)
def _fitted(key: str, states_file: str) -> tuple[np.ndarray, np.ndarray, Any] | None:
    """Affine map from the TopoJSON inset to the conic, and the conic's inverse; ``None``
    when the states TopoJSON is not in the data folder."""
    import pyproj
    import shapely
    from scipy.spatial import cKDTree

    from secession.geo.boundaries import read_boundaries

    try:
        topo = read_boundaries(states_file)
    except DataError:
        return None
    census = read_boundaries("plotly:states")
    a, b, c, lon = INSETS[key]
    conic = CONIC.format(a=a, b=b, c=c, lon=lon)
    forward = pyproj.Transformer.from_crs("EPSG:4326", conic, always_xy=True)
    back = pyproj.Transformer.from_crs(conic, "EPSG:4326", always_xy=True)

    present = {str(i) for i in topo.ids}

    def pick(ids: list[str], geoms: Any) -> Any:
        chosen = [
            g
            for i, g in zip(ids, geoms, strict=True)
            if _inset_key(str(i)) == key and str(i) in present
        ]
        return shapely.union_all(shapely.make_valid(np.asarray(chosen, dtype=object)))

    src_shape = pick(topo.ids, topo.geometry.values)
    dst_ll = pick(census.ids, census.geometry.to_crs("EPSG:4326").values)
    dst_shape = shapely.transform(
        dst_ll, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))
    )
    src = shapely.get_coordinates(shapely.boundary(src_shape))
    dst = shapely.get_coordinates(shapely.boundary(dst_shape))
    tree = cKDTree(dst)
    scale = np.sqrt(dst_shape.area / src_shape.area)
    matrix = np.eye(2) * scale
    shift = np.asarray(dst_shape.centroid.coords[0]) - matrix @ np.asarray(
        src_shape.centroid.coords[0]
    )
    for _ in range(ICP_ROUNDS):
        dist, j = tree.query(src @ matrix.T + shift)
        keep = dist <= np.quantile(dist, ICP_KEEP)
        design = np.column_stack([src[keep], np.ones(int(keep.sum()))])
        sol, *_ = np.linalg.lstsq(design, dst[j[keep]], rcond=None)
        matrix, shift = sol[:2].T, sol[2]
    return matrix, shift, back


def inset_residuals_km(state_fips: str, states_file: str) -> np.ndarray:
    """Distances (km) from the mapped-back TopoJSON outline of an inset to the Census
    outline, per outline point (for tests and the docs)."""
    import shapely
    from scipy.spatial import cKDTree

    from secession.geo.boundaries import read_boundaries
    from secession.geo.earth import chord_to_km, to_xyz

    topo = read_boundaries(states_file)
    census = read_boundaries("plotly:states")
    mine = [g for i, g in zip(topo.ids, topo.geometry.values, strict=True) if i == state_fips]
    ref = [
        g
        for i, g in zip(census.ids, census.geometry.to_crs("EPSG:4326").values, strict=True)
        if i == state_fips
    ]
    got = from_inset(shapely.make_valid(mine[0]), state_fips, states_file)
    a = shapely.get_coordinates(shapely.boundary(got))
    b = shapely.get_coordinates(shapely.boundary(ref[0]))
    dist, _ = cKDTree(to_xyz(b[:, 0], b[:, 1])).query(to_xyz(a[:, 0], a[:, 1]))
    return np.asarray(chord_to_km(dist))
