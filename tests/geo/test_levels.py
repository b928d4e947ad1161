"""``--aggregate``: merged adjacency equals the adjacency of the dissolved geometry."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest

from secession.exceptions import DataError
from secession.geo.adjacency import polygon_adjacency
from secession.geo.load import load_graph
from secession.geo.states import lookup
from secession.geo.topology import read_topojson


def _pairs(ids, edges) -> set[tuple[str, str]]:
    return {tuple(sorted((str(ids[a]), str(ids[b])))) for a, b in np.asarray(edges)}


def test_counties_to_states_equal_dissolved_and_state_file(data_dir: Path) -> None:
    res = load_graph(data_dir=data_dir, aggregate="state", water_links=0)
    g = res.graph
    assert (g.n_units, g.n_edges, g.n_components) == (51, 106, 3)
    assert sorted(g.ids[g.islands]) == ["AK", "HI"]
    assert g.names[g.index_of("OR")] == "Oregon"
    assert g.neighbors_of("DC") == ["MD", "VA"]
    # the Four Corners meet at a point only: no rook edge between AZ-CO and NM-UT
    assert "CO" not in g.neighbors_of("AZ") and "UT" not in g.neighbors_of("NM")
    edges = _pairs(g.ids, g.edges())
    # 1. the adjacency of the dissolved county geometry
    assert edges == _pairs(g.ids, polygon_adjacency(g.geometry, "rook", method="geometric"))
    # 2. an independent source: the shared arcs of the separate state TopoJSON
    st = read_topojson(data_dir / "us-president-county/2020-states-albers.topojson")
    codes = [lookup(i).code for i in st.ids]
    assert edges == _pairs(codes, st.edges)
    # votes are summed, and the mismatch report of the counties is kept
    assert g.leave.sum() == 81264994 and g.stay.sum() == 74208196
    assert g.leave[g.index_of("OR")] == 1340383
    assert res.report.counts() == {"merged": 8, "invalid_geometry": 7}


def test_nh_wards_to_counties_equal_dissolved(data_dir: Path) -> None:
    nh = data_dir / "nh-wards/NH.zip"
    wards = load_graph(units=nh, leave_col="PRES16D", stay_col="PRES16R", population_col="TOTPOP")
    g = load_graph(
        units=nh,
        leave_col="PRES16D",
        stay_col="PRES16R",
        population_col="TOTPOP",
        aggregate="county",
    ).graph
    assert (g.n_units, g.n_edges, g.n_components) == (10, 19, 1)
    assert g.names.tolist() == g.ids.tolist() and "Grafton" in g.ids
    assert _pairs(g.ids, g.edges()) == _pairs(
        g.ids, polygon_adjacency(g.geometry, "rook", method="geometric")
    )
    # independent dissolve of the raw shapefile by its COUNTY column
    raw = gpd.read_file(nh).dissolve(by="COUNTY").reset_index()
    assert _pairs(g.ids, g.edges()) == _pairs(
        raw["COUNTY"].tolist(), polygon_adjacency(raw.geometry, "rook", method="geometric")
    )
    assert g.population.sum() == wards.graph.population.sum() == 1316470
    assert g.leave.sum() == 348526 and g.stay.sum() == 345790
    # Coös borders Carroll and Grafton only
    assert g.neighbors_of("Coos") == ["Carroll", "Grafton"]


def test_any_column_of_a_graph_file(data_dir: Path) -> None:
    g = load_graph(
        graph=data_dir / "graphs/ar-2525.json",
        leave_col="ARV2016PRE",
        stay_col="ARV2016P_1",
        aggregate="county",
    ).graph
    assert (g.n_units, g.n_components) == (75, 1)  # Arkansas has 75 counties
    assert round(g.leave.sum()) == 380494 and round(g.stay.sum()) == 684872
    cd = load_graph(
        graph=data_dir / "graphs/pa-vtd-9059.json",
        leave_col="VoteA",
        stay_col="VoteB",
        aggregate="CD",
    ).graph
    assert cd.n_units == 18 and cd.n_components == 1  # Pennsylvania's 18 districts (2011)
    assert set(cd.groups) == {"CD"}


def test_county_level_of_county_units_is_a_no_op(data_dir: Path) -> None:
    g = load_graph(data_dir=data_dir, states=["OR"], aggregate="county").graph
    assert (g.n_units, g.n_edges) == (36, 81)
    assert "already US counties" in g.meta["notes"][-1]


def test_unknown_levels_are_clear_errors(data_dir: Path, cli) -> None:
    with pytest.raises(DataError, match="no state column"):
        load_graph(
            graph=data_dir / "graphs/ar-2525.json",
            leave_col="ARV2016PRE",
            stay_col="ARV2016P_1",
            aggregate="state",
        )
    r = cli("data", "inspect", "--state", "OR", "--aggregate", "precinct")
    assert r.exit_code != 0 and "Traceback" not in r.output
    assert "unknown level or column" in r.stderr and "state_name" in r.stderr


def test_cli_aggregate(cli, data_dir: Path) -> None:
    r = cli(
        "data",
        "inspect",
        "--units",
        data_dir / "nh-wards/NH.zip",
        "--leave-col",
        "PRES16D",
        "--stay-col",
        "PRES16R",
        "--aggregate",
        "county",
        "--json",
    )
    assert r.exit_code == 0, r.output
    facts = json.loads(r.stdout)
    assert (facts["units"], facts["edges"]) == (10, 19)
    assert "aggregated 320 units to 10 by county" in facts["notes"]


def test_aggregated_cache_keeps_the_issues_of_the_kept_states(cli, tmp_path: Path) -> None:
    cache = tmp_path / "states.npz"
    r = cli("data", "inspect", "--aggregate", "state", "--save-graph", cache, "--json")
    assert r.exit_code == 0, r.output
    r = cli("data", "inspect", "--graph", cache, "--state", "VA", "--state", "HI", "--json")
    facts = json.loads(r.stdout)
    assert (facts["units"], facts["edges"]) == (2, 0)
    # the county-level issues of Virginia and Hawaii travel with the merged states
    ids = sorted(i["unit_id"] for i in facts["mismatches"]["issues"])
    assert ids == ["15005", "51580", "51600", "51610", "51678", "51685"]
    r = cli("data", "inspect", "--graph", cache, "--state", "OR", "--state", "CA", "--json")
    facts = json.loads(r.stdout)
    assert (facts["units"], facts["edges"], facts["mismatches"]["issues"]) == (2, 1, [])
