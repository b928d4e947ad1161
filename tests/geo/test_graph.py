"""The unit graph itself: construction, derived graphs and the cache file."""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import box

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph


def _path_graph() -> UnitGraph:
    # a - b - c   d (island); self loop and duplicate edge are dropped
    return UnitGraph.from_edges(
        ids=["a", "b", "c", "d"],
        leave=[5, 1, 0, 2],
        stay=[1, 4, 3, 2],
        other=[1, 0, 0, 0],
        edges=np.array([[0, 1], [1, 0], [1, 2], [2, 2]]),
        groups={"state": ["X", "X", "Y", "Y"]},
        geometry=gpd.GeoSeries([box(0, 0, 1, 1), box(1, 0, 2, 1), box(2, 0, 3, 1), None]),
    )


def test_construction_dedupes_edges_and_finds_islands() -> None:
    g = _path_graph()
    assert g.n_edges == 2
    assert g.edges().tolist() == [[0, 1], [1, 2]]
    assert g.neighbors_of("b") == ["a", "c"]
    assert g.islands.tolist() == [3]
    assert g.component.tolist() == [0, 0, 0, 1]  # largest component first
    assert g.population.tolist() == [7, 5, 3, 4]  # total votes when not given
    assert g.upper_bound == 5 + 4 + 3 + 2


def test_duplicate_ids_and_bad_lengths_are_data_errors() -> None:
    with pytest.raises(DataError, match="duplicate unit ids: a"):
        UnitGraph.from_edges(ids=["a", "a"], leave=[1, 1], stay=[1, 1], edges=np.empty((0, 2)))
    with pytest.raises(DataError, match="leave: expected 2 values, got 1"):
        UnitGraph.from_edges(ids=["a", "b"], leave=[1], stay=[1, 1], edges=np.empty((0, 2)))
    with pytest.raises(DataError, match="unknown unit id: 'z'"):
        _path_graph().index_of("z")


def test_subgraph_and_aggregate_keep_adjacency() -> None:
    g = _path_graph()
    sub = g.subgraph([1, 2, 3])
    assert sub.ids.tolist() == ["b", "c", "d"]
    assert sub.edges().tolist() == [[0, 1]]
    agg = g.aggregate("state")
    assert agg.ids.tolist() == ["X", "Y"]
    assert agg.leave.tolist() == [6, 2] and agg.stay.tolist() == [5, 5]
    assert agg.edges().tolist() == [[0, 1]]  # b-c joins X and Y
    swapped = g.swapped()
    assert swapped.leave.tolist() == g.stay.tolist()


def test_with_edges_does_not_change_the_original_meta() -> None:
    g = _path_graph()
    linked = g.with_edges(np.array([[2, 3]]), note="linked d")
    assert linked.n_components == 1
    assert linked.meta["notes"] == ["linked d"]
    assert "notes" not in g.meta


def test_cache_round_trip_with_geometry(tmp_path: Path) -> None:
    g = _path_graph()
    h = UnitGraph.load(g.save(tmp_path / "g.npz"))
    assert h.ids.tolist() == g.ids.tolist()
    assert h.edges().tolist() == g.edges().tolist()
    assert h.groups["state"].tolist() == ["X", "X", "Y", "Y"]
    assert h.geometry.iloc[1].equals(box(1, 0, 2, 1))
    assert h.geometry.iloc[3] is None


def test_a_damaged_cache_file_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a cache")
    with pytest.raises(DataError, match="cannot read graph cache file"):
        UnitGraph.load(bad)
