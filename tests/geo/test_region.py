"""A drawn region (``load_graph(region=...)``, ``--region FILE``) on the real county data:
the units kept are exactly those whose lon/lat point lies inside, as shapely says."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import Polygon, mapping

from secession.exceptions import DataError
from secession.geo.insets import census_counties
from secession.geo.load import load_graph

# a hand-drawn polygon over the Willamette Valley and the central coast of Oregon
WILLAMETTE = Polygon(
    [(-124.2, 44.9), (-122.3, 45.5), (-121.9, 44.6), (-122.6, 43.6), (-124.1, 43.9)]
)


def write_region(folder: Path, geom, name: str = "region.geojson") -> Path:
    path = folder / name
    feature = {"type": "Feature", "properties": {}, "geometry": mapping(geom)}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


def oregon_inside(geom) -> list[str]:
    """Oregon counties whose representative point (Census lon/lat outline) lies in ``geom``."""
    found = census_counties()
    return sorted(
        uid
        for uid, shape in found.items()
        if uid.startswith("41") and geom.intersects(shape.representative_point())
    )


def test_region_keeps_exactly_the_counties_whose_point_is_inside(tmp_path, data_dir):
    expected = oregon_inside(WILLAMETTE)
    assert 5 <= len(expected) <= 15  # a few counties, not none nor the state
    path = write_region(tmp_path, WILLAMETTE)
    loaded = load_graph(region=path, data_dir=data_dir)
    assert sorted(loaded.graph.ids.tolist()) == expected  # the whole country, cut
    with_state = load_graph(states=["OR"], region=path, data_dir=data_dir)
    assert sorted(with_state.graph.ids.tolist()) == expected
    region = with_state.graph.meta["region"]
    assert region == {"source": str(path), "kept": len(expected), "of": 36}
    assert f"region {path}: {len(expected)} of 36 units kept" in " ".join(
        with_state.graph.meta["notes"]
    )
    assert str(path) in with_state.report.sources
    # contiguity is that of the kept counties alone, and the earth follows them
    assert with_state.graph.earth.n_units == len(expected)
    for uid in expected:
        assert all(n in expected for n in with_state.graph.neighbors_of(uid))


def test_a_shapely_geometry_and_a_projected_file_give_the_same_units(tmp_path, data_dir):
    expected = oregon_inside(WILLAMETTE)
    drawn = load_graph(states=["OR"], region=WILLAMETTE, data_dir=data_dir)
    assert sorted(drawn.graph.ids.tolist()) == expected
    projected = tmp_path / "region.gpkg"
    gpd.GeoDataFrame(geometry=[WILLAMETTE], crs="EPSG:4326").to_crs("EPSG:2992").to_file(projected)
    from_file = load_graph(states=["OR"], region=projected, data_dir=data_dir)
    assert sorted(from_file.graph.ids.tolist()) == expected


def test_two_features_are_their_union(tmp_path, data_dir):
    a, b = shapely.box(-124.3, 44.3, -123.2, 45.0), shapely.box(-119.0, 42.0, -116.4, 43.5)
    path = tmp_path / "two.geojson"
    gpd.GeoDataFrame(geometry=[a, b], crs="EPSG:4326").to_file(path)
    loaded = load_graph(states=["OR"], region=path, data_dir=data_dir)
    assert sorted(loaded.graph.ids.tolist()) == oregon_inside(shapely.union(a, b))


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ({"type": "Point", "coordinates": [-123, 44]}, "made of polygons; this file holds Point"),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
            "no unit's point lies inside the region",
        ),
        (
            {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [2, 0], [0, 0]]]},
            "encloses no area",
        ),
    ],
)
def test_bad_regions_are_refused_clearly(tmp_path, data_dir, content, needle):
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(content))
    with pytest.raises(DataError, match=needle) as found:
        load_graph(states=["OR"], region=path, data_dir=data_dir)
    assert str(path) in str(found.value)


def test_coordinates_that_are_not_lonlat_are_refused(data_dir):
    with pytest.raises(DataError, match="not longitude/latitude"):
        load_graph(states=["OR"], region=shapely.box(500000, 4800000, 600000, 4900000))


def test_plan_region_on_the_command_line(cli, tmp_path, data_dir):
    path = write_region(tmp_path, WILLAMETTE)
    out = tmp_path / "plan"
    r = cli(
        "plan", "--state", "OR", "--region", path, "--leave", "gop", "--solver", "exact",
        "--no-maps", "--data-dir", data_dir, "--out", out,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["source"]["region"]["kept"] == len(oregon_inside(WILLAMETTE))
    ids = (out / "assignment.csv").read_text().split()[1:]
    assert sorted(line.split(",")[0] for line in ids) == oregon_inside(WILLAMETTE)


BAD_FILES = {
    "missing": (None, "region file not found"),
    "not a vector file": ("this is not geometry", "given as --region"),  # the flag typed
    "points": (
        json.dumps({"type": "Point", "coordinates": [-123, 44]}),
        "this file holds Point",
    ),
    "empty collection": (
        json.dumps({"type": "FeatureCollection", "features": []}),
        "no features with geometry",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_region_files_give_one_line_and_fail(cli, tmp_path, data_dir, kind):
    text, needle = BAD_FILES[kind]
    path = tmp_path / "bad.geojson"
    if text is not None:
        path.write_text(text)
    r = cli("plan", "--state", "OR", "--region", path, "--no-maps", "--out", tmp_path / "p")
    assert r.exit_code != 0, r.output
    assert "Traceback" not in r.output + r.stderr
    assert str(path) in r.stderr and needle in r.stderr
    assert len([line for line in r.stderr.splitlines() if line.strip()]) == 1, r.stderr


def test_help_names_the_region_option(cli):
    r = cli("plan", "--help")
    words = " ".join(r.stdout.replace("│", " ").split())
    assert "--region FILE" in words and "whose point lies inside these polygons" in words
