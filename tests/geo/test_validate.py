"""Join and validate: every mismatch reported by id and name; error, drop or keep."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from secession.exceptions import DataError
from secession.geo.load import load_graph
from secession.geo.validate import duplicate_issues

COLS = {"id_col": "id", "leave_col": "yes", "stay_col": "no", "name_col": "name"}
BOWTIE = Polygon([(2, 0), (3, 1), (3, 0), (2, 1)])  # self-intersecting


@pytest.fixture
def boundaries(tmp_path: Path) -> Path:
    """Four unit squares in a row, a b c d; d is a self-intersecting bow-tie."""
    frame = gpd.GeoDataFrame(
        {"id": ["a", "b", "c", "d"], "name": ["Ash", "Birch", "Cedar", "Dogwood"]},
        geometry=[box(-1, 0, 0, 1), box(0, 0, 1, 1), box(1, 0, 2, 1), BOWTIE],
        crs="EPSG:3857",
    )
    path = tmp_path / "units.geojson"
    frame.to_file(path)
    return path


def results(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "results.csv"
    path.write_text("id,name,yes,no\n" + rows)
    return path


def test_clean_join_repairs_invalid_geometry(tmp_path: Path, boundaries: Path) -> None:
    csv = results(tmp_path, "a,Ash,1,2\nb,Birch,3,4\nc,Cedar,5,6\nd,Dogwood,7,8\n")
    res = load_graph(results=csv, boundaries=boundaries, **COLS)
    g = res.graph
    assert g.ids.tolist() == ["a", "b", "c", "d"]
    assert g.edges().tolist() == [[0, 1], [1, 2], [2, 3]]
    (fix,) = res.report.issues
    assert (fix.kind, fix.unit_id, fix.name, fix.action) == (
        "invalid_geometry", "d", "Dogwood", "repaired"
    )  # fmt: skip
    assert "Self-intersection" in fix.detail
    repaired = g.geometry.iloc[3]
    assert repaired.is_valid and repaired.area == pytest.approx(0.5)


def test_mismatches_are_errors_listing_ids_and_names(tmp_path: Path, boundaries: Path) -> None:
    csv = results(tmp_path, "a,Ash,1,2\nb,Birch,3,4\nz,Zelkova,5,6\nd,Dogwood,7,8\n")
    with pytest.raises(DataError) as info:
        load_graph(results=csv, boundaries=boundaries, **COLS)
    text = str(info.value)
    assert "results with no boundary (1):\n  z Zelkova" in text
    assert "boundaries with no result (1):\n  c Cedar" in text
    assert "nothing was dropped" in text


def test_drop_and_keep_are_explicit(tmp_path: Path, boundaries: Path) -> None:
    csv = results(tmp_path, "a,Ash,1,2\nb,Birch,3,4\nz,Zelkova,5,6\nd,Dogwood,7,8\n")
    dropped = load_graph(results=csv, boundaries=boundaries, on_mismatch="drop", **COLS)
    assert dropped.graph.ids.tolist() == ["a", "b", "d"]
    assert dropped.graph.edges().tolist() == [[0, 1]]
    assert {
        (i.unit_id, i.action) for i in dropped.report.issues if i.kind != "invalid_geometry"
    } == {
        ("z", "dropped"),
        ("c", "dropped"),
    }
    kept = load_graph(results=csv, boundaries=boundaries, on_mismatch="keep", **COLS)
    g = kept.graph
    assert g.ids.tolist() == ["a", "b", "c", "d", "z"]
    assert g.leave[g.index_of("c")] == 0  # boundary with no result: zero votes
    assert g.geometry.iloc[g.index_of("z")].is_empty  # result with no boundary
    assert g.neighbors_of("z") == [] and g.leave.sum() == 1 + 3 + 5 + 7
    json.dumps(kept.report.to_dict())  # the report is plain data


def test_duplicate_ids_cannot_be_kept(tmp_path: Path, boundaries: Path) -> None:
    csv = results(tmp_path, "a,Ash,1,2\nb,Birch,3,4\nb,Birch again,5,6\nc,Cedar,1,1\nd,D,7,8\n")
    with pytest.raises(DataError, match=r"duplicate ids \(2\):\n  b Birch: appears 2 times"):
        load_graph(results=csv, boundaries=boundaries, **COLS)
    with pytest.raises(DataError, match="cannot keep"):
        load_graph(results=csv, boundaries=boundaries, on_mismatch="keep", **COLS)
    res = load_graph(results=csv, boundaries=boundaries, on_mismatch="drop", **COLS)
    assert res.graph.ids.tolist() == ["a", "c", "d"]


def test_bad_counts_are_reported_with_line(tmp_path: Path, boundaries: Path) -> None:
    csv = results(tmp_path, "a,Ash,1,2\nb,Birch,-3,4\nc,Cedar,n/a,1\nd,Dogwood,7,8\n")
    with pytest.raises(DataError) as info:
        load_graph(results=csv, boundaries=boundaries, **COLS)
    text = str(info.value)
    assert f"b Birch: yes = '-3' is negative ({csv}:3)" in text
    assert f"c Cedar: yes = 'n/a' is not a number ({csv}:4)" in text
    res = load_graph(results=csv, boundaries=boundaries, on_mismatch="drop", **COLS)
    assert res.graph.ids.tolist() == ["a", "d"]


def test_2016_statewide_rows_count_once_whatever_the_policy(data_dir: Path) -> None:
    for policy in ("keep", "drop", "error"):
        res = load_graph(year=2016, on_mismatch=policy, data_dir=data_dir)
        alaska = res.graph.groups["state"] == "AK"
        assert res.graph.leave[alaska].sum() == 93003 and alaska.sum() == 1


def test_duplicate_issues_name_every_line_of_each_id() -> None:
    ids = pd.Series(["a", "b", "a", "", "", "c", "b", "a"])
    lines = pd.Series([2, 3, 4, 5, 6, 7, 8, 9])
    found = [(i.unit_id, i.detail, i.source) for i in duplicate_issues(ids, ids, "f", lines)]
    assert found == [
        ("a", "appears 3 times (lines 2, 4, 9)", "f:2"),
        ("b", "appears 2 times (lines 3, 8)", "f:3"),
        ("a", "appears 3 times (lines 2, 4, 9)", "f:4"),
        ("b", "appears 2 times (lines 3, 8)", "f:8"),
        ("a", "appears 3 times (lines 2, 4, 9)", "f:9"),
    ]
