"""A people's territory as lon/lat polygons: a drawn GeoJSON polygon, or units of a dataset.

Units are read through :mod:`secession.geo` and dissolved:

- ``"us-counties-2020"``: the result units of the data folder
  (``us-president-county/2020-units-albers.topojson``), drawn from the Census 2016 county
  shapes of the same FIPS ids (``plotly:counties``), since the TopoJSON is in an Albers USA
  layout with Alaska and Hawaii moved;
- ``"plotly:counties"``, ``"plotly:states"``: the Census 2016 shapes themselves;
- any boundary file (GeoJSON, shapefile, GeoPackage; ``"id_col"`` names its id column) with
  a coordinate system, or in lon/lat.

Where a unit's lon/lat shape comes from is decided in one place for the whole package,
:func:`secession.geo.lonlat.lonlat_geometry` (Census counties by FIPS; Alaska's 2020
election districts, which the Census file lacks, from their own Albers inset mapped back).
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
    return bool(meta.get("us_county")) or str(meta.get("layout", "")).startswith("us-county")


def lonlat_units(ids: Sequence[str], geometry: Any, meta: dict[str, Any]) -> tuple[list[Any], str]:
    """Lon/lat shape of each unit (``None`` where there is none) and where they came from:
    the one definition the planner uses too (:func:`secession.geo.lonlat.lonlat_geometry`:
    Census counties by FIPS, Alaska's districts from their Albers inset, or the units' own
    coordinates). Projected coordinates with no CRS cannot be placed on the earth."""
    import geopandas as gpd

    from secession.geo.lonlat import lonlat_geometry

    if geometry is not None and not isinstance(geometry, gpd.GeoSeries):
        geometry = gpd.GeoSeries(list(geometry))
    found = lonlat_geometry(
        np.asarray([str(i) for i in ids]), geometry, meta, is_us_county_layout(meta)
    )
    if found is None:
        raise DataError(
            "the units' shapes are projected and name no coordinate system (or there are "
            "none): they cannot be placed on the world map (give boundaries in lon/lat or "
            "with a CRS)"
        )
    shapes, source = found
    return list(shapes.values), source


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
