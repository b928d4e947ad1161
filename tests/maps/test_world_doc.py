"""The world-map document: plain JSON in, clear errors naming the field; territories from
GeoJSON polygons or from units of a dataset (Census shapes, the data folder's counties)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import shapely
from pyproj import Geod

from secession.exceptions import DataError, DataMissingError
from secession.maps.world.doc import FORMAT, parse_world_doc, read_world_doc
from secession.maps.world.territory import resolve_territory

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "world-peoples.json"
GEOD = Geod(ellps="WGS84")


def km2(geom) -> float:
    return abs(GEOD.geometry_area_perimeter(geom)[0]) / 1e6


@pytest.fixture
def raw() -> dict:
    return json.loads(EXAMPLE.read_text())


def test_example_document_reads_and_round_trips(raw) -> None:
    doc = read_world_doc(EXAMPLE)
    assert len(doc.peoples) == 6 and doc.base == "110m"
    northland = doc.peoples[0]
    assert northland.status == "recognised" and len(northland.recognised_by) == 3
    assert doc.peoples[3].indigenous and doc.peoples[4].within == ("Kosovo",)
    again = parse_world_doc(doc.to_dict())
    assert again.to_dict() == doc.to_dict()
    assert doc.to_dict()["format"] == FORMAT


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.pop("peoples"), "'peoples' must be a list"),
        (lambda d: d["peoples"][1].pop("name"), r"peoples\[1\].name: must be a non-empty text"),
        (
            lambda d: d["peoples"][1].update(status="free"),
            r"peoples\[1\] \(Example Riverland\)"
            r".status: 'free' is not one of declared, recognised",
        ),
        (lambda d: d["peoples"][2].update(id="northland"), "two peoples have the id 'northland'"),
        (lambda d: d["peoples"][0].update(recognised_by="everyone"), "must be a list of names"),
        (lambda d: d["peoples"][0].update(territory=[]), r"peoples\[0\].*territory: must be"),
        (lambda d: d.update(base="10m"), "base '10m' is not one of 110m, 50m"),
        (lambda d: d.update(format="other/2"), "format 'other/2'"),
        (lambda d: d["peoples"][0].update(left=42), r"\.left: must be a non-empty text"),
    ],
)
def test_bad_documents_name_the_field(raw, change, message) -> None:
    change(raw)
    with pytest.raises(DataError, match=message) as err:
        parse_world_doc(raw, "peoples.json")
    assert str(err.value).startswith("peoples.json")


def test_bad_files(tmp_path: Path) -> None:
    with pytest.raises(DataMissingError, match="no such file"):
        read_world_doc(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"peoples": [}')
    with pytest.raises(DataError, match=r"bad.json: not valid JSON .* line 1"):
        read_world_doc(bad)


@pytest.mark.parametrize(
    "territory, message",
    [
        ({"type": "Point", "coordinates": [0, 0]}, "a 'Point' is not a territory"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]},
            "not a valid polygon .Self-intersection",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [0, 95], [1, 95], [0, 0]]]},
            "latitude within ±90",
        ),
        ({"type": "Polygon", "coordinates": "x"}, "cannot be read"),
        ({"type": "FeatureCollection", "features": []}, "has no features"),
        ({"units": {"dataset": "plotly:states"}}, "ids: must be a non-empty list"),
        ({"units": {"dataset": "plotly:states", "ids": ["41", "99"]}}, r"1 id\(s\) not in .*99"),
        ({"units": {"ids": ["41"]}}, "name a dataset"),
    ],
)
def test_bad_territories_name_the_people(territory, message) -> None:
    with pytest.raises(DataError, match=message) as err:
        resolve_territory(territory, "doc.json: peoples[1] (X)")
    assert "doc.json: peoples[1] (X).territory" in str(err.value)


def test_feature_collection_and_units_territories() -> None:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": square}]}
    geom, _ = resolve_territory(fc, "x")
    assert shapely.equals(geom, shapely.box(0, 0, 1, 1))
    oregon, notes = resolve_territory({"units": {"dataset": "plotly:states", "ids": [41]}}, "x")
    assert 248_600 < km2(oregon) < 254_800  # Oregon's land area, and with all its water
    assert "longitude/latitude" in notes[0]


def test_alaska_districts_come_back_from_the_albers_inset(data_dir) -> None:
    """The 2020 result units of Alaska (40 election districts) are not in the Census file:
    their Albers USA inset is mapped back to lon/lat and must match Census Alaska."""
    from secession.maps.world.territory import _census, dataset_units, dissolve_lonlat

    ids, geometry, meta = dataset_units("us-counties-2020", None, None, data_dir)
    alaska = [i for i in ids if i.startswith("029")]
    assert len(alaska) == 40
    labels = ["ak" if i in alaska else None for i in ids]
    shapes, notes = dissolve_lonlat(ids, labels, geometry, meta, "test")
    census = _census("plotly:states")["02"]
    got = shapes["ak"]
    # 40 Alaska districts and 7 DC wards: the TopoJSON's units that the Census file lacks
    assert "47 units not in that file from their Albers inset" in notes[0]
    # the same land: areas within 3%, and most of each inside the other
    assert km2(got) == pytest.approx(km2(census), rel=0.03)
    overlap = shapely.area(shapely.intersection(got, census))
    assert overlap / shapely.area(census) > 0.95
    # a finding about the data: the TopoJSON's Alaska inset stops at 171.8°W, so the
    # western Aleutians (in the Census file, on both sides of 180°) are not in it
    assert shapely.bounds(got)[0] == pytest.approx(-171.8, abs=0.05)
    assert shapely.bounds(census)[0] < -179 and shapely.bounds(census)[2] > 179


def test_a_copy_of_the_document_is_not_changed(raw) -> None:
    before = copy.deepcopy(raw)
    parse_world_doc(raw)
    assert raw == before
