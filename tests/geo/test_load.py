"""load_graph on every real dataset: exact counts, known neighbours, components, totals."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from secession.exceptions import DataError
from secession.geo.boundaries import read_boundaries
from secession.geo.load import load_graph

NH = {"id_col": "Precinct", "leave_col": "PRES16D", "stay_col": "PRES16R"}
IA = {"id_col": "GEOID10", "leave_col": "PRES16D", "stay_col": "PRES16R", "name_col": "NAME10"}


def edge_ids(graph) -> set[tuple[str, str]]:
    return {tuple(sorted((graph.ids[a], graph.ids[b]))) for a, b in graph.edges().tolist()}


def brute_force_rook(ids: list[str], geoms: list) -> set[tuple[str, str]]:
    """Rook pairs by testing every pair with shapely (shared boundary or overlap)."""
    out = set()
    for a, b in itertools.combinations(range(len(ids)), 2):
        if geoms[a] is None or geoms[b] is None or not geoms[a].intersects(geoms[b]):
            continue
        common = geoms[a].intersection(geoms[b])
        if common.length > 0 or common.area > 0:
            out.add(tuple(sorted((ids[a], ids[b]))))
    return out


@pytest.fixture(scope="module")
def counties(data_dir: Path):
    # the adjacency of the boundaries as such; water links: tests/geo/test_earth.py
    return load_graph(data_dir=data_dir, water_links=0)


def test_2020_counties_counts(counties) -> None:
    g, report = counties.graph, counties.report
    assert (g.n_units, g.n_edges, g.n_components) == (3152, 8796, 14)
    assert np.bincount(g.component).tolist() == [3100, 40] + [1] * 12
    assert g.leave_label == "dem" and g.stay_label == "gop"
    # DC's eight wards are one result unit; Kalawao votes with Maui
    assert sorted(i.unit_id for i in report.of("merged")) == [
        *(f"1100{w}" for w in range(2, 9)),
        "15005",
    ]
    assert report.of("result_without_boundary") == report.of("boundary_without_result") == []


def test_2020_totals_match_the_csv(counties, data_dir: Path) -> None:
    sums = {"votes_dem": 0, "votes_gop": 0, "total_votes": 0}
    with (data_dir / "us-president-county/2020.csv").open() as fh:
        for row in csv.DictReader(fh):
            for k in sums:
                sums[k] += int(row[k])
    g = counties.graph
    assert g.leave.sum() == sums["votes_dem"]
    assert g.stay.sum() == sums["votes_gop"]
    assert g.total_votes.sum() == sums["total_votes"] == g.population.sum()


def test_multnomah_neighbours(counties) -> None:
    # Columbia, Washington, Clackamas, Hood River (OR); Clark, Skamania (WA, across the river)
    assert counties.graph.neighbors_of("41051") == [
        "41005", "41009", "41027", "41067", "53011", "53059"
    ]  # fmt: skip
    i = counties.graph.index_of("41051")
    assert counties.graph.groups["state"][i] == "OR"
    assert counties.graph.groups["state_name"][i] == "Oregon"


def test_dc_joins_maryland_and_virginia(counties) -> None:
    # the DC ward arcs are not shared with Maryland's; the geometric test finds the border
    assert {"24031", "24033", "51013"} <= set(counties.graph.neighbors_of("11001"))


def test_alaska_and_hawaii_are_apart(counties) -> None:
    g = counties.graph
    state, comp = g.groups["state"], g.component
    main = comp[g.index_of("41051")]
    assert set(comp[state == "AK"]) == {1} and (comp == 1).sum() == 40
    hawaii = comp[state == "HI"]
    assert len(set(hawaii)) == 4 and main not in hawaii
    assert (comp == main).sum() == 3100 and not np.isin(["AK", "HI"], state[comp == main]).any()


def test_oregon_edges_match_census_geometry() -> None:
    """Oregon's edges from the TopoJSON equal brute-force rook pairs on Census polygons."""
    g = load_graph(states=["Oregon"]).graph
    assert (g.n_units, g.n_edges) == (36, 81)
    census = read_boundaries("plotly:counties")
    pos = [i for i, uid in enumerate(census.ids) if uid.startswith("41")]
    expected = brute_force_rook(
        [census.ids[i] for i in pos], [census.geometry.iloc[i] for i in pos]
    )
    assert edge_ids(g) == expected


def test_state_filter_accepts_codes_and_names() -> None:
    g = load_graph(states=["or", "Washington"]).graph
    assert g.n_units == 36 + 39
    assert set(g.groups["state"]) == {"OR", "WA"}
    assert g.neighbors_of("41051")[-2:] == ["53011", "53059"]
    with pytest.raises(DataError, match="unknown state 'Atlantis'"):
        load_graph(states=["Atlantis"])


def test_queen_adds_the_four_corners(counties) -> None:
    queen = load_graph(adjacency="queen", water_links=0).graph
    assert queen.n_edges == 9167
    assert edge_ids(counties.graph) < edge_ids(queen)
    # Apache AZ - Montezuma CO and San Juan NM - San Juan UT meet at one point only
    assert "04001" not in counties.graph.neighbors_of("08083")
    assert "04001" in queen.neighbors_of("08083")
    assert "35045" in queen.neighbors_of("49037")


def test_link_islands_within_states_and_reported() -> None:
    states = ["HI", "MA", "WA", "VA"]
    before = load_graph(states=states, water_links=0).graph
    res = load_graph(states=states, link_islands=True, water_links=0)
    g = res.graph
    linked = {(i.unit_id, i.action) for i in res.report.of("linked")}
    assert ("53055", "linked") in linked  # San Juan County, WA -> Skagit
    assert ("51115", "linked") in linked  # VA's Eastern Shore (joined via MD only) -> Mathews
    # Fairfax city has no geometry in the file: its neighbour comes from the Census file
    assert ("51600", "linked") in linked
    assert g.neighbors_of("51600") == ["51059"]  # inside Fairfax County
    assert g.neighbors_of("51610") == ["51013", "51059"]  # Falls Church: Arlington, Fairfax
    assert g.neighbors_of("51685") == ["51153", "51683"]  # Manassas Park: Prince William, Manassas
    assert g.n_edges == before.n_edges + 7 + 7 == 395
    # each state becomes one piece: Virginia's 95 counties and 38 independent cities
    assert np.bincount(before.component).tolist() == [126, 38, 12, 2] + [1] * 12
    assert np.bincount(g.component).tolist() == [133, 39, 14, 4]
    assert "53057" in g.neighbors_of("53055")


def test_aggregate_to_states(counties) -> None:
    states = counties.graph.aggregate("state", dissolve=False)
    assert (states.n_units, states.n_edges, states.n_components) == (51, 106, 3)
    assert states.neighbors_of("OR") == ["CA", "ID", "NV", "WA"]
    assert states.leave.sum() == counties.graph.leave.sum()


def test_2016_alaska_rows_merged_into_one_statewide_unit() -> None:
    res = load_graph(year=2016)  # no --on-mismatch needed any more
    g, report = res.graph, res.report
    assert g.n_units == 3113 and list(g.ids[g.groups["state"] == "AK"]) == ["02000"]
    ak = g.index_of("02000")
    assert (g.leave[ak], g.stay[ak]) == (93003, 130413)  # the statewide totals, once
    merged = [i for i in report.of("merged") if i.unit_id.startswith("02")]
    assert len(merged) == 29 and {i.action for i in merged} == {"merged into 02000"}
    assert "repeat the statewide totals" in merged[0].detail
    assert not report.of("repeated_votes") and not report.of("boundary_without_result")
    assert g.earth.has_points()[ak]  # drawn with the 40 districts, on the earth
    assert [(i.unit_id, i.action) for i in report.of("renamed")] == [("46113", "renamed to 46102")]
    assert "46102" in g.index


def test_nh_wards_from_units_file(data_dir: Path) -> None:
    res = load_graph(units=data_dir / "nh-wards/NH.zip", population_col="TOTPOP", **NH)
    g = res.graph
    assert (g.n_units, g.n_edges, g.n_components) == (320, 854, 1)
    # official 2016 NH results: Clinton 348,526, Trump 345,790
    assert (g.leave.sum(), g.stay.sum()) == (348526, 345790)
    assert g.population.sum() == 1316470  # 2010 census population of NH
    assert g.leave_label == "PRES16D" and set(g.groups["state"]) == {"NH"}
    assert res.report.issues == []


def test_nh_edges_match_brute_force(data_dir: Path) -> None:
    frame = gpd.read_file(data_dir / "nh-wards/NH.zip")
    g = load_graph(units=data_dir / "nh-wards/NH.zip", **NH).graph
    tree = shapely.STRtree(frame.geometry.values)
    left, right = tree.query(frame.geometry.values, predicate="intersects")
    ids = frame["Precinct"].tolist()
    expected = set()
    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        if a < b:
            common = frame.geometry.iat[a].intersection(frame.geometry.iat[b])
            if common.length > 0 or common.area > 0:
                expected.add(tuple(sorted((ids[a], ids[b]))))
    assert edge_ids(g) == expected


def test_ia_counties_from_units_file(data_dir: Path) -> None:
    path = data_dir / "ia-counties/IA_counties.zip"
    g = load_graph(units=path, population_col="TOTPOP", **IA).graph
    assert (g.n_units, g.n_edges, g.n_components) == (99, 222, 1)
    # official 2016 Iowa results: Clinton 653,669, Trump 800,983
    assert (g.leave.sum(), g.stay.sum()) == (653669, 800983)
    assert g.names[g.index_of("19153")] == "Polk"
    frame = gpd.read_file(path)
    ids = [str(v) for v in frame["GEOID10"]]
    assert edge_ids(g) == brute_force_rook(ids, list(frame.geometry))
    # Polk County (Des Moines) borders Boone, Story, Jasper, Marion, Warren, Dallas
    assert g.neighbors_of("19153") == ["19015", "19049", "19099", "19125", "19169", "19181"]


def test_pa_graph_json(data_dir: Path) -> None:
    g = load_graph(
        graph=data_dir / "graphs/pa-vtd-9059.json",
        leave_col="VoteA",
        stay_col="VoteB",
        population_col="POP100",
    ).graph
    assert (g.n_units, g.n_edges, g.n_components) == (9059, 25519, 1)
    nodes = json.loads((data_dir / "graphs/pa-vtd-9059.json").read_text())["nodes"]
    assert g.leave.sum() == pytest.approx(sum(n["VoteA"] for n in nodes))
    assert g.population.sum() == sum(n["POP100"] for n in nodes) == 12702379
    assert g.geometry is None


def test_ar_graph_json_is_dem_versus_gop(data_dir: Path) -> None:
    """ARV2016PRE / ARV2016P_1 are Clinton and Trump votes (not one side and the total)."""
    g = load_graph(
        graph=data_dir / "graphs/ar-2525.json",
        leave_col="ARV2016PRE",
        stay_col="ARV2016P_1",
        population_col="POP10",
    ).graph
    assert (g.n_units, g.n_edges) == (2525, 7129)
    # official 2016 Arkansas results: Clinton 380,494, Trump 684,872
    assert round(g.leave.sum()) == 380494 and round(g.stay.sum()) == 684872
    # a "total" column could never be smaller than its part; here it often is
    assert (g.leave > g.stay).sum() == 504
    assert g.population.sum() == 2903495  # Arkansas 2010 census population
    # the senate pair runs the other way: ARV2016SEN is Boozman (R), ARV2016S_1 Eldridge (D)
    nodes = json.loads((data_dir / "graphs/ar-2525.json").read_text())["nodes"]
    assert round(sum(n["ARV2016SEN"] for n in nodes)) == 661984
    assert round(sum(n["ARV2016S_1"] for n in nodes)) == 400602
    assert set(g.groups) == {"county"}


def test_one_source_only(data_dir: Path) -> None:
    with pytest.raises(DataError, match="one source only"):
        load_graph(units=data_dir / "nh-wards/NH.zip", graph=data_dir / "graphs/ar-2525.json")
    with pytest.raises(DataError, match="needs unit geometry"):
        load_graph(
            graph=data_dir / "graphs/ar-2525.json",
            leave_col="ARV2016PRE",
            stay_col="ARV2016P_1",
            link_islands=True,
        )
