"""Units of the Albers USA layout that have no Census shape, mapped back to lon/lat.

The county TopoJSON of the data folder draws the lower 48 in an Albers conic (exactly
``+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=37.5 +lon_0=-96``, NAD83, metres) and moves
Alaska (shrunk) and Hawaii as insets. Alaska's 2020 election districts are not in the
Census 2016 county file, so their lon/lat shapes come from the inset: the inset is taken to
be an affine image of an Albers conic of the state, and that affine map is fitted by
iterative closest points between the outline of the state's units in the inset and the
state's Census outline (``plotly:states``) in the conic. The fit's residuals are kept
(:attr:`InsetFit.median_km`); a fit worse than :data:`MAX_MEDIAN_KM` is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from secession.exceptions import DataError

#: Conic of each inset state (the meridian chosen so that the inset is not rotated).
CONICS = {
    "02": "+proj=aea +lat_1=55 +lat_2=65 +lat_0=50 +lon_0=-148 +datum=WGS84 +units=m",
    "15": "+proj=aea +lat_1=8 +lat_2=18 +lat_0=3 +lon_0=-157 +datum=WGS84 +units=m",
}
ROUNDS = 40
KEEP = 0.8  # share of closest point pairs used per round (islands one outline lacks)
MAX_MEDIAN_KM = 5.0


@dataclass(frozen=True)
class InsetFit:
    """Affine map from inset coordinates to the state's conic, and its residuals."""

    state: str
    matrix: np.ndarray
    shift: np.ndarray
    median_km: float
    p95_km: float

    def to_lonlat(self, geom: Any) -> Any:
        import pyproj

        back = pyproj.Transformer.from_crs(CONICS[self.state], "EPSG:4326", always_xy=True)

        def apply(xy: np.ndarray) -> np.ndarray:
            x, y = (xy @ self.matrix.T + self.shift).T
            lon, lat = back.transform(x, y)
            return np.column_stack([lon, lat])

        return shapely.transform(geom, apply)


def _outline_points(geom: Any, step: float) -> np.ndarray:
    return shapely.get_coordinates(shapely.segmentize(shapely.boundary(geom), step))


def fit_inset(state: str, inset_shape: Any, census_lonlat: Any) -> InsetFit:
    """Fit the inset of ``state`` (two-digit FIPS) from the union of its units in the inset
    (``inset_shape``) to its Census outline (``census_lonlat``)."""
    import pyproj
    from scipy.spatial import cKDTree

    if state not in CONICS:
        raise DataError(f"state {state} is not an inset of the Albers USA layout")
    forward = pyproj.Transformer.from_crs("EPSG:4326", CONICS[state], always_xy=True)
    target = shapely.transform(
        census_lonlat, lambda xy: np.column_stack(forward.transform(xy[:, 0], xy[:, 1]))
    )
    src_geom = shapely.make_valid(inset_shape)
    scale = float(np.sqrt(shapely.area(target) / shapely.area(src_geom)))
    dst = _outline_points(target, 2_000.0)
    src = _outline_points(src_geom, 2_000.0 / scale)
    tree = cKDTree(dst)
    matrix = np.eye(2) * scale
    shift = np.asarray(shapely.centroid(target).coords[0]) - matrix @ np.asarray(
        shapely.centroid(src_geom).coords[0]
    )
    for _ in range(ROUNDS):
        dist, j = tree.query(src @ matrix.T + shift)
        keep = dist <= np.quantile(dist, KEEP)
        design = np.column_stack([src[keep], np.ones(int(keep.sum()))])
        sol, *_ = np.linalg.lstsq(design, dst[j[keep]], rcond=None)
        matrix, shift = sol[:2].T, sol[2]
    dist, _ = tree.query(src @ matrix.T + shift)
    fit = InsetFit(
        state, matrix, shift, float(np.median(dist)) / 1000, float(np.quantile(dist, 0.95)) / 1000
    )
    if fit.median_km > MAX_MEDIAN_KM:
        raise DataError(
            f"the Albers USA inset of state {state} could not be mapped back to lon/lat (median "
            f"misfit {fit.median_km:.1f} km against the Census outline)"
        )
    return fit
