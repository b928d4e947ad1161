"""A people's territory as lon/lat polygons: a drawn GeoJSON polygon, or units of a dataset.

Units are read through :mod:`secession.geo` and dissolved:

- ``"us-counties-2020"``: the result units of the data folder
  (``us-president-county/2020-units-albers.topojson``), drawn from the Census 2016 county
  shapes of the same FIPS ids (``plotly:counties``), since the TopoJSON is in an Albers USA
  layout with Alaska and Hawaii moved;
- ``"plotly:counties"``, ``"plotly:states"``: the Census 2016 shapes themselves;
- any boundary file (GeoJSON, shapefile, GeoPackage; ``"id_col"`` names its id column) with
  a coordinate system, or in lon/lat.

Units of a US county layout that the Census file does not hold (Alaska's 2020 election
districts, 40 units) come from their own Albers USA shape mapped back to lon/lat: exactly
for the lower 48 (the layout's conic is known), through a fitted inset for Alaska and
Hawaii (:mod:`secession.maps.world.insets`). :func:`lonlat_units` is the one place that
decides where a unit's lon/lat shape comes from (the planner's lon/lat units in
``secession.geo`` can replace it when they land).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from secession.exceptions import DataError
from secession.geo.world import polygonal

US_COUNTIES = "us-counties-2020"
CENSUS_COUNTIES = "plotly:counties"
CENSUS_STATES = "plotly:states"
DATASETS = (US_COUNTIES, CENSUS_COUNTIES, CENSUS_STATES)
MAX_ABS_LON = 540.0
#: The lower 48 of the data folder's Albers USA TopoJSON (checked against the Census shapes).
ALBERS_USA_CONUS = "+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=37.5 +lon_0=-96 +datum=NAD83 +units=m"


def geojson_territory(obj: dict[str, Any], where: str) -> Any:
    """A GeoJSON polygon territory as one valid lon/lat (Multi)Polygon."""
    from shapely.geometry import shape

    kind = obj.get("type")
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list) or not features:
            raise DataError(f"{where}: the FeatureCollection has no features")
        parts = [geojson_territory(f, f"{where}.features[{i}]") for i, f in enumerate(features)]
        return polygonal(shapely.union_all(parts))
    if kind == "Feature":
        geometry = obj.get("geometry")
        if not isinstance(geometry, dict):
            raise DataError(f"{where}: the Feature has no geometry")
        return geojson_territory(geometry, where)
    if kind not in ("Polygon", "MultiPolygon"):
        raise DataError(f"{where}: a {kind!r} is not a territory (give a Polygon or MultiPolygon)")
    try:
        geom = shape(obj)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.ShapelyError) as exc:
        raise DataError(f"{where}: the polygon cannot be read ({exc})") from None
    if geom.is_empty:
        raise DataError(f"{where}: the polygon is empty")
    xy = shapely.get_coordinates(geom)
    if not np.isfinite(xy).all():
        raise DataError(f"{where}: coordinates must be finite numbers")
    if np.abs(xy[:, 1]).max() > 90 or np.abs(xy[:, 0]).max() > MAX_ABS_LON:
        raise DataError(
            f"{where}: coordinates must be longitude, latitude in degrees (latitude within "
            f"±90); found bounds {', '.join(f'{b:.3f}' for b in geom.bounds)}"
        )
    if not geom.is_valid:
        raise DataError(f"{where}: not a valid polygon ({shapely.is_valid_reason(geom)})")
    return geom


@cache
def _census(source: str) -> dict[str, Any]:
    from secession.geo.boundaries import read_boundaries

    b = read_boundaries(source)
    return dict(zip(b.ids, b.geometry.to_crs("EPSG:4326").values, strict=True))


def is_us_county_layout(meta: dict[str, Any]) -> bool:
    """Whether units are US counties by FIPS (the county results of the data folder)."""
    return str(meta.get("layout", "")).startswith("us-county")


def _albers_lonlat(ids: list[str], geometry: Any, wanted: list[int]) -> dict[int, Any]:
    """Lon/lat shapes of the units at positions ``wanted`` from their Albers USA geometry:
    the exact inverse conic for the lower 48, a fitted inset for Alaska and Hawaii."""
    import pyproj

    from secession.maps.world.insets import CONICS, fit_inset

    census_states = _census(CENSUS_STATES)
    geoms = list(geometry.values)
    back = pyproj.Transformer.from_crs(ALBERS_USA_CONUS, "EPSG:4326", always_xy=True)
    fits: dict[str, Any] = {}
    out: dict[int, Any] = {}
    for k in wanted:
        shape = geoms[k]
        if shape is None or shapely.is_empty(shape):
            continue
        state = str(ids[k])[:2]
        if state in CONICS:
            if state not in fits:
                own = [
                    g
                    for i, g in zip(ids, geoms, strict=True)
                    if str(i).startswith(state) and g is not None
                ]
                fits[state] = fit_inset(
                    state, shapely.union_all(shapely.make_valid(own)), census_states[state]
                )
            out[k] = shapely.make_valid(fits[state].to_lonlat(shape))
        else:
            out[k] = shapely.make_valid(
                shapely.transform(
                    shape, lambda xy: np.column_stack(back.transform(xy[:, 0], xy[:, 1]))
                )
            )
    return out


def lonlat_units(ids: Sequence[str], geometry: Any, meta: dict[str, Any]) -> tuple[list[Any], str]:
    """Lon/lat shape of each unit (``None`` where there is none) and where they came from.

    US county layouts: the Census 2016 county of the same FIPS id, else (Alaska's election
    districts) the unit's own Albers USA shape mapped back (:mod:`.insets`). Otherwise the
    units' own geometry: as it is in lon/lat, converted from a projected CRS. Projected
    coordinates with no CRS cannot be placed on the earth.
    """
    import geopandas as gpd

    ids = [str(i) for i in ids]
    if is_us_county_layout(meta):
        census = _census(CENSUS_COUNTIES)
        shapes = [census.get(i) for i in ids]
        missing = [k for k, s in enumerate(shapes) if s is None]
        source = "Census 2016 county shapes (plotly-geo) by FIPS"
        if missing and geometry is not None:
            for k, shape in _albers_lonlat(ids, geometry, missing).items():
                shapes[k] = shape
            source += (
                f"; {len(missing)} units not in that file from their Albers USA shape, "
                "mapped back to lon/lat"
            )
        return shapes, source
    if geometry is None:
        raise DataError("the units have no shapes: nothing to place on the world map")
    geo = geometry if isinstance(geometry, gpd.GeoSeries) else gpd.GeoSeries(list(geometry))
    if geo.crs is not None:
        how = "lon/lat" if geo.crs.is_geographic else f"shapes ({geo.crs.name})"
        return list(geo.to_crs("EPSG:4326").values), f"the units' own {how}"
    minx, miny, maxx, maxy = geo.total_bounds
    says_projected = bool(meta.get("projected")) or "albers" in str(meta.get("boundaries", ""))
    if says_projected or not (minx >= -181 and maxx <= 181 and miny >= -91 and maxy <= 91):
        raise DataError(
            "the units' shapes are projected and name no coordinate system: they cannot be "
            "placed on the world map (give boundaries in lon/lat or with a CRS)"
        )
    return list(geo.values), "the units' own lon/lat shapes"


def dissolve_lonlat(
    ids: Sequence[str],
    labels: Sequence[str | None],
    geometry: Any,
    meta: dict[str, Any],
    where: str,
) -> tuple[dict[str, Any], list[str]]:
    """One lon/lat (Multi)Polygon per label from the units carrying it (``None``: a unit of
    the dataset in no territory), and a note saying where the shapes came from."""
    shapes, source = lonlat_units(ids, geometry, meta)
    labels = list(labels)
    missing = [str(ids[k]) for k, s in enumerate(shapes) if s is None and labels[k] is not None]
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise DataError(f"{where}: {len(missing)} unit(s) have no shape to draw ({shown})")
    out: dict[str, Any] = {}
    for label in sorted({lab for lab in labels if lab is not None}):
        parts = [s for s, lab in zip(shapes, labels, strict=True) if lab == label]
        parts = [shapely.make_valid(p) for p in parts if not shapely.is_empty(p)]
        out[label] = polygonal(shapely.union_all(parts))
    return out, [f"{where}: units drawn from {source}"]


def dataset_units(
    dataset: str, id_col: str | None, base_dir: Path | None, data_dir: Path | None = None
) -> tuple[list[str], Any, dict[str, Any]]:
    """Ids, geometry and meta of a named dataset or boundary file (``data_dir``: the data
    folder, default ``$SECESSION_DATA``)."""
    from secession.geo.boundaries import read_boundaries

    if dataset == US_COUNTIES:
        from secession.geo.load import COUNTY_BOUNDARIES
        from secession.settings import data_file

        b = read_boundaries(data_file(COUNTY_BOUNDARIES, data_dir))
        return b.ids, b.geometry, {"layout": "us-county-2020", "boundaries": b.path}
    if dataset in (CENSUS_COUNTIES, CENSUS_STATES):
        b = read_boundaries(dataset)
        return b.ids, b.geometry, {"boundaries": dataset}
    path = Path(dataset).expanduser()
    if not path.is_absolute() and base_dir is not None:
        path = base_dir / path
    b = read_boundaries(path, id_col=id_col)
    geometry = b.geometry
    if b.crs is not None and getattr(geometry, "crs", None) is None:
        geometry = geometry.set_crs(b.crs)
    return b.ids, geometry, {"boundaries": str(path)}


def units_territory(
    spec: Any, where: str, base_dir: Path | None = None, data_dir: Path | None = None
) -> tuple[Any, list[str]]:
    """``{"dataset": ..., "ids": [...], "id_col": ...}`` as one lon/lat (Multi)Polygon."""
    if not isinstance(spec, dict):
        raise DataError(f"{where}.units: must be an object with 'dataset' and 'ids'")
    dataset = spec.get("dataset")
    if not isinstance(dataset, str) or not dataset.strip():
        raise DataError(
            f"{where}.units.dataset: name a dataset ({', '.join(DATASETS)}) or a boundary file"
        )
    raw = spec.get("ids")
    if not isinstance(raw, list) or not raw or not all(isinstance(i, str | int) for i in raw):
        raise DataError(f"{where}.units.ids: must be a non-empty list of unit ids")
    wanted = {str(i).strip() for i in raw}
    id_col = spec.get("id_col")
    ids, geometry, meta = dataset_units(dataset.strip(), id_col, base_dir, data_dir)
    unknown = sorted(wanted - set(ids))
    if unknown:
        shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        raise DataError(f"{where}.units.ids: {len(unknown)} id(s) not in {dataset}: {shown}")
    labels = ["territory" if i in wanted else None for i in ids]
    shapes, notes = dissolve_lonlat(ids, labels, geometry, meta, where)
    return shapes["territory"], notes


def resolve_territory(
    territory: dict[str, Any] | None,
    where: str,
    base_dir: Path | None = None,
    data_dir: Path | None = None,
) -> tuple[Any, list[str]]:
    """A territory of the world-map document as one lon/lat (Multi)Polygon, with notes
    (``None`` for a people that gave no territory)."""
    if territory is None:
        return None, [f"{where}: no territory given: listed, not drawn"]
    if "units" in territory:
        return units_territory(territory["units"], f"{where}.territory", base_dir, data_dir)
    return geojson_territory(territory, f"{where}.territory"), []
