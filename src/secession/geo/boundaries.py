"""Read unit boundaries: TopoJSON, GeoJSON, shapefile (also zipped), GeoPackage, plotly-geo.

``plotly:counties`` and ``plotly:states`` name the US Census 2016 cartographic boundaries
(1:500k, lon/lat, NAD83) that ship inside the PyPI package ``plotly-geo``
(``_plotly_geo/package_data/cb_2016_us_county_500k.*`` and ``cb_2016_us_state_500k.*``);
no download is needed.

Example
-------
>>> b = read_boundaries("plotly:states")
>>> len(b.ids), b.ids[:2]
(56, ['01', '02'])
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from secession.exceptions import DataError, DataMissingError
from secession.geo.states import BY_FIPS, state_of_fips

PLOTLY_SOURCES = {
    "plotly:counties": ("cb_2016_us_county_500k", "GEOID"),
    "plotly:states": ("cb_2016_us_state_500k", "GEOID"),
}
PLOTLY_CRS = "EPSG:4269"  # NAD83 lon/lat, as every Census cartographic boundary file
ID_CANDIDATES = (
    "GEOID",
    "GEOID20",
    "GEOID10",
    "id",
    "ID",
    "fips",
    "FIPS",
    "GEOID_1",
    "Precinct",  # the MGGG state shapefiles (nh-wards/NH.zip)
    "PRECINCT",
)
NAME_CANDIDATES = ("name", "NAME", "NAME20", "NAME10", "NAMELSAD", "NAMELSAD10")
_LSAD = {
    "03": "City and Borough",
    "04": "Borough",
    "05": "Census Area",
    "06": "County",
    "12": "Municipality",
    "13": "Municipio",
    "15": "Parish",
    "25": "city",
}


@dataclass(eq=False)
class Boundaries:
    """Boundary units: ids, names, properties, geometry and (TopoJSON only) rook edges."""

    path: str
    ids: list[str]
    names: list[str]
    properties: pd.DataFrame
    geometry: Any  # geopandas.GeoSeries
    edges: np.ndarray | None = None  # rook edges from shared arcs, when known
    crs: Any = None
    meta: dict[str, Any] = field(default_factory=dict)


def plotly_geo_file(stem: str) -> Path:
    """Path of a shapefile shipped in the ``plotly-geo`` package."""
    try:
        import _plotly_geo
    except ImportError:
        raise DataMissingError(
            "the plotly-geo package is not installed; install it with `pip install plotly-geo`"
        ) from None
    path = Path(_plotly_geo.__file__).parent / "package_data" / f"{stem}.shp"
    if not path.is_file():
        raise DataMissingError(f"{path} is missing from the installed plotly-geo package")
    return path


@cache
def us_county_names() -> dict[str, str]:
    """County FIPS -> ``"Multnomah County, OR"`` from the plotly-geo Census table."""
    import pyogrio

    table = pyogrio.read_dataframe(
        plotly_geo_file("cb_2016_us_county_500k"), read_geometry=False, encoding="utf-8"
    )
    out = {}
    for geoid, name, lsad in zip(table["GEOID"], table["NAME"], table["LSAD"], strict=True):
        st = state_of_fips(geoid)
        kind = _LSAD.get(lsad, "")
        out[str(geoid)] = f"{name} {kind}".strip() + (f", {st.code}" if st else "")
    return out


def fips_name(unit_id: str) -> str:
    """A readable name for a US FIPS-coded unit (county, AK district, DC ward, state)."""
    uid = str(unit_id)
    if len(uid) == 2 and uid in BY_FIPS:
        return BY_FIPS[uid].name
    if len(uid) == 5 and uid.isdigit():
        try:
            names = us_county_names()
        except DataError:
            names = {}
        if uid in names:
            return names[uid]
        st = state_of_fips(uid)
        if st is not None and st.code == "AK" and uid[2] == "9":
            return f"Alaska election district {int(uid[3:])}"
        if st is not None and st.code == "DC":
            return f"District of Columbia ward {int(uid[2:])}"
        if st is not None:
            return f"{st.name} unit {uid}"
    return uid


def is_topojson(path: Path) -> bool:
    if path.suffix.lower() == ".topojson":
        return True
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    with path.open("rb") as fh:
        head = fh.read(4096).decode("utf-8", "replace")
    return '"Topology"' in head


def read_vector(path: str | Path, encoding: str | None = None) -> Any:
    """Read a vector file (GeoJSON, shapefile, zipped shapefile, GeoPackage) as GeoDataFrame."""
    import geopandas as gpd
    import pyogrio

    path = Path(path)
    if not path.exists():
        raise DataMissingError(f"boundary file not found: {path}")
    try:
        layers = pyogrio.list_layers(path)
        layer = None
        if len(layers) > 1:
            polygonal = [name for name, kind in layers if kind and "Polygon" in str(kind)]
            layer = polygonal[0] if polygonal else layers[0][0]
        extra = {"encoding": encoding} if encoding else {}
        frame = gpd.read_file(path, layer=layer, engine="pyogrio", **extra)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise DataError(f"{path}: not a readable boundary file ({exc})") from None
    except (ValueError, RuntimeError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from None
    if "geometry" not in frame or len(frame) == 0:
        raise DataError(f"{path}: no features with geometry")
    return frame


def pick_column(
    frame: pd.DataFrame, given: str | None, candidates: tuple[str, ...], what: str, path: str
) -> str | None:
    """The column ``given`` (checked) or the first candidate present; None if none."""
    if given is not None:
        if given not in frame.columns:
            cols = ", ".join(c for c in frame.columns if c != "geometry")
            raise DataError(f"{path}: {what} column {given!r} not found; columns are: {cols}")
        return given
    return next((c for c in candidates if c in frame.columns), None)


def read_boundaries(
    source: str | Path,
    *,
    id_col: str | None = None,
    name_col: str | None = None,
    strict_id: bool = True,
) -> Boundaries:
    """Read boundaries from a file or a ``plotly:`` source; ids are strings.

    ``id_col`` names the id column; with ``strict_id=False`` a file without that column
    falls back to the usual id columns (``GEOID``, ``id``, ...) instead of failing.
    """
    text = str(source)
    if text in PLOTLY_SOURCES:
        stem, default_id = PLOTLY_SOURCES[text]
        # the Census files ship without .prj and .cpg: NAD83 lon/lat, UTF-8 text
        frame = read_vector(plotly_geo_file(stem), encoding="utf-8")
        frame = frame.set_crs(PLOTLY_CRS, allow_override=True)
        bounds = _from_frame(text, frame, id_col or default_id, name_col)
        if name_col is None:
            bounds.names = [fips_name(i) for i in bounds.ids]
        return bounds
    if text.startswith("plotly:"):
        raise DataError(f"unknown source {text!r}: use {' or '.join(PLOTLY_SOURCES)}")
    path = Path(source)
    if not path.exists():
        raise DataMissingError(f"boundary file not found: {path}")
    if is_topojson(path):
        return _from_topojson(path, id_col, name_col)
    frame = read_vector(path)
    if not strict_id and id_col is not None and id_col not in frame.columns:
        id_col = None
    return _from_frame(str(path), frame, id_col, name_col)


def _from_topojson(path: Path, id_col: str | None, name_col: str | None) -> Boundaries:
    from secession.geo.topology import read_topojson

    topo = read_topojson(path)
    props = topo.properties.reset_index(drop=True)
    if id_col is not None and id_col in props.columns:
        ids = [str(v).strip() for v in props[id_col]]
    else:
        ids = [str(v) for v in topo.ids]
    if any(not i or i == "None" for i in ids):
        raise DataError(f"{path}: some geometries have no id (give `id_col`)")
    names = _names(props, ids, name_col, str(path))
    return Boundaries(
        str(path), ids, names, props, topo.geometry, np.asarray(topo.edges), topo.crs, topo.meta
    )


def _from_frame(path: str, frame: Any, id_col: str | None, name_col: str | None) -> Boundaries:
    col = pick_column(frame, id_col, ID_CANDIDATES, "id", path)
    if col is None:
        cols = ", ".join(c for c in frame.columns if c != "geometry")
        raise DataError(f"{path}: no id column found; name it with `id_col` (columns: {cols})")
    ids = [str(v).strip() for v in frame[col]]
    props = pd.DataFrame(frame.drop(columns="geometry"))
    names = _names(props, ids, name_col, path)
    return Boundaries(
        path, ids, names, props, frame.geometry.reset_index(drop=True), None, frame.crs
    )


def _names(props: pd.DataFrame, ids: list[str], name_col: str | None, path: str) -> list[str]:
    col = pick_column(props, name_col, NAME_CANDIDATES, "name", path)
    if col is not None:
        return [str(v) for v in props[col]]
    return [fips_name(i) for i in ids]
