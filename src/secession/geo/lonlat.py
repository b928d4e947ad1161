"""Lon/lat outlines of a layout's units, where the earth's distances are measured from.

The sources are listed in :mod:`secession.geo.earth`: for US county layouts the Census
2016 county boundaries by FIPS id (Alaska's districts mapped back from their Albers inset
by :mod:`secession.geo.insets`), otherwise the input's own geographic or projected
coordinates; ``None`` where there are none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from secession.geo.insets import STATES_TOPOJSON, census_counties, from_inset


def lonlat_geometry(
    ids: np.ndarray, geometry: Any, meta: dict[str, Any], us_county: bool
) -> tuple[Any, str] | None:
    """``(lon/lat GeoSeries aligned with ids, where it came from)``, or ``None``.

    See the module docstring for the sources.
    """
    import geopandas as gpd

    if us_county:
        return _us_county_lonlat(ids, geometry, meta)
    if geometry is None:
        return None
    if geometry.crs is not None:
        if geometry.crs.is_geographic:
            return geometry, "the input's own longitude/latitude"
        return geometry.to_crs(
            "EPSG:4326"
        ), f"the input's geometry ({geometry.crs.name}) in lon/lat"
    if _looks_lonlat(geometry, meta):
        return gpd.GeoSeries(geometry.values, crs="EPSG:4326"), "the input's own longitude/latitude"
    return None


def _looks_lonlat(geometry: Any, meta: dict[str, Any]) -> bool:
    """No CRS, not said to be projected, and coordinates inside +-180/+-90."""
    if meta.get("projected") or "albers" in str(meta.get("boundaries", "")).lower():
        return False
    minx, miny, maxx, maxy = geometry.total_bounds
    return bool(
        np.isfinite([minx, maxx]).all()
        and minx >= -181
        and maxx <= 181
        and miny >= -91
        and maxy <= 91
    )


def _us_county_lonlat(ids: np.ndarray, geometry: Any, meta: dict[str, Any]) -> tuple[Any, str]:
    import geopandas as gpd

    states_file = str(Path(str(meta.get("boundaries", ""))).parent / STATES_TOPOJSON)
    census = census_counties()
    out = []
    inset = 0
    for i, uid in enumerate(np.asarray(ids).astype(str).tolist()):
        shape = census.get(uid)
        if shape is None and geometry is not None:
            own = geometry.iloc[i]
            if own is not None and not own.is_empty:
                shape = from_inset(own, uid[:2], states_file)
                inset += 1
        out.append(shape)
    source = "Census 2016 county boundaries (plotly-geo) by FIPS"
    if inset:
        source += (
            f"; {inset} units not in that file from their Albers inset, mapped back to lon/lat"
        )
    return gpd.GeoSeries(out, crs="EPSG:4326"), source
