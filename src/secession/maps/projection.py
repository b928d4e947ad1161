"""Put unit geometry in a projection fit for drawing.

- Geometry with a projected CRS (e.g. New Hampshire's EPSG:3437) is drawn as it is.
- Geometry with no CRS that the graph's ``meta`` says is projected (the Albers USA TopoJSON:
  ``meta["projected"]`` true, or ``meta["crs"]``/``meta["projection"]`` naming a projection)
  is drawn as it is.
- Longitude/latitude (a geographic CRS, or no CRS with coordinates inside ±180/±90) gets a
  Lambert azimuthal equal-area projection centred on the data, so areas compare truly.
"""

from __future__ import annotations

from typing import Any

import numpy as np

EQUAL_AREA = "+proj=laea +lat_0={lat:.4f} +lon_0={lon:.4f} +datum=WGS84 +units=m +no_defs"


def _says_projected(meta: dict[str, Any]) -> bool:
    if meta.get("projected") is True:
        return True
    for key in ("projection", "crs", "geometry_crs"):
        value = str(meta.get(key) or "").lower()
        if value and any(w in value for w in ("albers", "projected", "laea", "utm", "epsg:3")):
            return True
    return False


def is_lonlat(geometry: Any, meta: dict[str, Any] | None = None) -> bool:
    """Whether ``geometry`` (a GeoSeries) holds longitude/latitude coordinates."""
    crs = geometry.crs
    if crs is not None:
        return bool(crs.is_geographic)
    if _says_projected(meta or {}):
        return False
    minx, miny, maxx, _maxy = geometry.total_bounds
    return bool(np.isfinite([minx, maxx]).all() and minx >= -181 and maxx <= 181 and miny >= -91)


def display_geometry(geometry: Any, meta: dict[str, Any] | None = None) -> tuple[Any, str]:
    """Return ``(GeoSeries in a drawing projection, description of that projection)``."""
    if not is_lonlat(geometry, meta):
        crs = geometry.crs
        if crs is not None:
            return geometry, f"projection: {crs.name}"
        meta = meta or {}
        name = meta.get("projection")
        if not name:
            source = str(meta.get("boundaries") or meta.get("units") or "").lower()
            name = "Albers USA, as in the source" if "albers" in source else "as in the source"
        return geometry, f"projection: {name}"
    geo = geometry if geometry.crs is not None else geometry.set_crs("EPSG:4326")
    # Centre on the median unit, not the bounding box: data crossing the antimeridian
    # (the Aleutians) would otherwise centre the projection on Greenwich.
    b = geo.bounds.to_numpy()
    b = b[np.isfinite(b).all(axis=1)]
    lon = float(np.median((b[:, 0] + b[:, 2]) / 2.0)) if len(b) else 0.0
    lat = float(np.median((b[:, 1] + b[:, 3]) / 2.0)) if len(b) else 0.0
    proj = EQUAL_AREA.format(lat=lat, lon=lon)
    return geo.to_crs(proj), f"projection: Lambert equal-area centred {lat:.1f}°, {lon:.1f}°"
