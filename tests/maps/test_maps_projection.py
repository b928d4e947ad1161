"""Drawing projections: lon/lat data gets an equal-area projection, projected data stays."""

from __future__ import annotations

import numpy as np
from pyproj import Geod

from secession.maps.projection import display_geometry, is_lonlat


def test_lonlat_units_get_an_equal_area_projection(ia_graph) -> None:
    assert is_lonlat(ia_graph.geometry, ia_graph.meta)
    projected, note = display_geometry(ia_graph.geometry, ia_graph.meta)
    assert "equal-area" in note and projected.crs.is_projected
    # areas in the drawing match geodesic areas on the ellipsoid (an independent measure)
    geod = Geod(ellps="GRS80")
    for i in (0, 40, 98):
        true_area = abs(geod.geometry_area_perimeter(ia_graph.geometry.iloc[i])[0])
        assert abs(projected.iloc[i].area / true_area - 1) < 0.002


def test_albers_topojson_is_drawn_as_it_is(orwa_graph) -> None:
    assert orwa_graph.geometry.crs is None
    assert not is_lonlat(orwa_graph.geometry, orwa_graph.meta)
    drawn, note = display_geometry(orwa_graph.geometry, orwa_graph.meta)
    assert drawn is orwa_graph.geometry and "Albers" in note


def test_projection_centre_ignores_the_antimeridian() -> None:
    import geopandas as gpd
    from shapely.geometry import box

    # two small boxes either side of the antimeridian plus one in Alaska proper
    boxes = [box(179, 51, 179.5, 52), box(-179.5, 51, -179, 52), box(-150, 61, -149, 62)]
    geo = gpd.GeoSeries(boxes, crs="EPSG:4326")
    _, note = display_geometry(geo, {})
    lon = float(note.rsplit(",", 1)[1].strip(" °"))
    assert lon < -100  # centred in the Pacific/Alaska, not near Greenwich
    assert np.isfinite(lon)
