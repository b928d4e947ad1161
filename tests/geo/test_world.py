"""Natural Earth countries from the npm package world-atlas: read offline, valid, cut at the
antimeridian, known by name (the features with no id included)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from secession.exceptions import DataError, DataMissingError
from secession.geo.world import load_countries, split_antimeridian

GEOD = Geod(ellps="WGS84")
NO_ID = {
    "110m": {"N. Cyprus", "Somaliland", "Kosovo"},
    "50m": {"N. Cyprus", "Somaliland", "Kosovo", "Indian Ocean Ter.", "Siachen Glacier"},
}


def km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


@pytest.mark.parametrize("base, count", [("110m", 177), ("50m", 241)])
def test_every_country_is_a_valid_planar_polygon(base: str, count: int) -> None:
    world = load_countries(base)
    assert len(world) == count and len(set(world.keys)) == count
    assert shapely.is_valid(world.geometry).all()
    bounds = shapely.bounds(world.geometry)
    assert bounds[:, 0].min() >= -180 and bounds[:, 2].max() <= 180
    assert bounds[:, 1].min() >= -90 and bounds[:, 3].max() <= 90
    # as decoded, Russia, Fiji and Antarctica jump across ±180 and overlap half the world
    assert {"Russia", "Fiji", "Antarctica"} <= set(world.repaired)


@pytest.mark.parametrize("base", ["110m", "50m"])
def test_features_with_no_id_are_found_by_name(base: str) -> None:
    world = load_countries(base)
    no_id = {k for k, i in zip(world.keys, world.ids, strict=True) if i is None}
    assert no_id == NO_ID[base]
    for name in NO_ID[base]:
        assert world.find(name) == name
        assert world.find(name.upper()) == name
    # the TopoJSON reader numbers id-less features by position; those numbers are no ids:
    # Somaliland is feature 58 of the 50m file, and 58 is no country's ISO code
    with pytest.raises(DataError, match="no country '58'"):
        world.find("58")


def test_ids_and_names() -> None:
    world = load_countries("110m")
    assert world.find("840") == world.find("united states of america")
    assert world.find("36") == "Australia"  # ISO numeric ids are three digits: 036
    with pytest.raises(DataError, match="did you mean 'United States of America'"):
        world.find("United States of Amerika")
    # at 1:50m the id 036 names Australia and Ashmore and Cartier Is.
    with pytest.raises(DataError, match="036 names 2 features"):
        load_countries("50m").find("036")


def test_areas_are_true_on_the_earth_and_agree_between_scales() -> None:
    small, medium = load_countries("110m"), load_countries("50m")
    # published land areas (km²): Russia 16.4-17.1 M, Fiji 18,300, Antarctica 12.3-14.0 M
    expected = {
        "Russia": (16.3e6, 17.3e6),
        "Fiji": (17e3, 20e3),
        "Antarctica": (12.2e6, 14.2e6),
        "United States of America": (9.1e6, 9.9e6),
        "Kosovo": (10.0e3, 11.6e3),
    }
    for name, (low, high) in expected.items():
        a = km2(small.geometry[small.index[name]])
        b = km2(medium.geometry[medium.index[name]])
        assert low < a < high and low < b < high, (name, a, b)
        # the two scales generalise differently: 3% for large countries, 6% for islands
        assert abs(a / b - 1) < (0.03 if b > 1e5 else 0.06), name


def test_split_antimeridian_keeps_the_area() -> None:
    across = shapely.box(170, 60, 190, 65)  # given past 180, as a territory may be
    split = split_antimeridian(across)
    parts = shapely.get_parts(split)
    assert len(parts) == 2 and shapely.is_valid(split)
    assert shapely.bounds(split).tolist() == [-180.0, 60.0, 180.0, 65.0]
    east, west = shapely.box(170, 60, 180, 65), shapely.box(-180, 60, -170, 65)
    assert km2(split) == pytest.approx(km2(east) + km2(west), rel=1e-9)
    # a ring that jumps from 179 to -179 is the same land
    jump = shapely.Polygon([(175, 10), (-175, 10), (-175, 12), (175, 12)])
    halves = km2(shapely.box(175, 10, 180, 12)) + km2(shapely.box(-180, 10, -175, 12))
    assert km2(split_antimeridian(jump)) == pytest.approx(halves, rel=1e-9)
    # plain polygons are returned as they are
    plain = shapely.box(0, 0, 1, 1)
    assert split_antimeridian(plain) is plain


def test_missing_package_names_it(monkeypatch, tmp_path) -> None:
    import secession.assets as assets

    monkeypatch.setattr(assets, "node_modules_dirs", lambda: [tmp_path])
    load_countries.cache_clear()
    try:
        with pytest.raises(DataMissingError, match=r"npm package 'world-atlas'.*npm ci"):
            load_countries("110m")
    finally:
        load_countries.cache_clear()


def test_unknown_base() -> None:
    with pytest.raises(DataError, match="unknown world base '10m'"):
        load_countries("10m")


def test_polar_ring_closes_through_the_pole() -> None:
    world = load_countries("110m")
    antarctica = world.geometry[world.index["Antarctica"]]
    assert shapely.contains(antarctica, shapely.Point(0, -89.9))
    assert not shapely.contains(antarctica, shapely.Point(0, 0))
    assert np.isclose(shapely.bounds(antarctica)[1], -90)
