"""TopoJSON decoding and arc adjacency, on the real county and state files."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from secession.exceptions import DataError
from secession.geo.adjacency import polygon_adjacency
from secession.geo.topology import decode_arcs, read_topojson

COUNTIES = "us-president-county/2020-units-albers.topojson"
STATES = "us-president-county/2020-states-albers.topojson"


@pytest.fixture(scope="module")
def counties(data_dir: Path):
    return read_topojson(data_dir / COUNTIES)


@pytest.fixture(scope="module")
def states(data_dir: Path):
    return read_topojson(data_dir / STATES)


def neighbours(units, unit_id: str, edges: np.ndarray | None = None) -> set[str]:
    edges = units.edges if edges is None else edges
    i = units.ids.index(unit_id)
    return {units.ids[b] if a == i else units.ids[a] for a, b in edges.tolist() if i in (a, b)}


def edge_set(edges: np.ndarray) -> set[tuple[int, int]]:
    return {(int(a), int(b)) for a, b in edges}


def test_counties_units_and_edges(counties) -> None:
    assert len(counties.ids) == 3160
    assert counties.meta["object"] == "wards_districts_counties"
    assert counties.ids[:3] == ["02901", "02905", "02925"]  # text ids keep leading zeros
    assert counties.crs is None and "projected" in counties.meta["crs_note"]
    assert counties.geometry.crs is None
    assert len(counties.edges) == 8807
    assert (counties.edges[:, 0] < counties.edges[:, 1]).all()
    types = counties.geometry.dropna().geom_type.value_counts().to_dict()
    assert types == {"Polygon": 3096, "MultiPolygon": 59}
    # five small Virginia cities are null geometries in the file (collapsed by quantizing)
    assert counties.meta["null_geometry_ids"] == ["51600", "51610", "51580", "51678", "51685"]
    assert counties.properties.shape == (3160, 0)
    frame = counties.to_geodataframe()
    assert frame.shape == (3160, 2) and frame["id"].iloc[-1] == counties.ids[-1]


def test_multnomah_neighbours(counties) -> None:
    # Oregon: Clackamas, Columbia, Hood River, Washington; across the Columbia River the
    # Census county lines meet mid-river, so Clark and Skamania (WA) share a boundary too
    assert neighbours(counties, "41051") == {
        "41005",
        "41009",
        "41027",
        "41067",
        "53011",
        "53059",
    }


def test_decoding_matches_gdal(counties, states, data_dir: Path) -> None:
    """GDAL's TopoJSON driver is an independent decoder: same geometry, unit by unit."""
    for units, file, layer, count in (
        (counties, COUNTIES, "wards_districts_counties", 3155),  # GDAL skips 5 nulls
        (states, STATES, "state", 51),
    ):
        gdal = gpd.read_file(data_dir / file, layer=layer)
        assert len(gdal) == count
        ours = dict(zip(units.ids, units.geometry.values, strict=True))
        mine = np.array([ours[i] for i in gdal["id"]], dtype=object)
        theirs = gdal.geometry.to_numpy()
        assert shapely.equals_exact(shapely.normalize(mine), shapely.normalize(theirs)).all()


def test_arc_adjacency_equals_polygon_adjacency(counties) -> None:
    by_vertex = polygon_adjacency(counties.geometry, "rook")
    assert np.array_equal(by_vertex, counties.edges)


def test_geometric_rook_adds_only_overlaps(counties) -> None:
    """GerryChain's definition also links overlapping units; the file has ten such pairs."""
    geometric = polygon_adjacency(counties.geometry, "rook", method="geometric")
    extra = edge_set(geometric) - edge_set(counties.edges)
    assert edge_set(counties.edges) <= edge_set(geometric)
    ids = counties.ids
    named = {tuple(sorted((ids[a], ids[b]))) for a, b in extra}
    # the DC wards overlap Maryland/Virginia counties instead of sharing arcs with them
    assert named == {
        ("11004", "24031"),
        ("11004", "24033"),
        ("11003", "51059"),
        ("11003", "24031"),
        ("11008", "24033"),
        ("11007", "24033"),
        ("13021", "13225"),
        ("11003", "51013"),
        ("11005", "24033"),
        ("11002", "51013"),
    }
    g = counties.geometry.values
    pairs = np.array(sorted(extra))
    assert (shapely.area(shapely.intersection(g[pairs[:, 0]], g[pairs[:, 1]])) > 0).all()


def test_counties_components(counties) -> None:
    n = len(counties.ids)
    e = counties.edges
    adj = sparse.coo_matrix((np.ones(len(e)), (e[:, 0], e[:, 1])), shape=(n, n))
    count, labels = connected_components(adj, directed=False)
    sizes = np.bincount(labels)
    assert count == 15
    assert sorted(sizes.tolist())[-4:] == [2, 8, 40, 3099]
    ids = np.array(counties.ids)
    alaska = labels[ids == "02901"][0]
    assert set(ids[labels == alaska]) == {i for i in ids if i.startswith("02")}
    dc = labels[ids == "11001"][0]
    assert set(ids[labels == dc]) == {f"1100{k}" for k in range(1, 9)}


def test_states(states) -> None:
    ids = states.ids
    assert len(ids) == 51 and states.meta["object"] == "state"
    assert len(states.edges) == 106
    assert neighbours(states, "41") == {"06", "16", "32", "53"}  # OR: CA, ID, NV, WA
    # cartographic boundaries stop at the shore: water-only borders are no edges
    assert neighbours(states, "26") == {"18", "39", "55"}  # MI: IN, OH, WI (not MN, IL)
    assert neighbours(states, "15") == set() and neighbours(states, "02") == set()
    queen = polygon_adjacency(states.geometry, "queen")
    corners = {tuple(sorted((ids[a], ids[b]))) for a, b in edge_set(queen) - edge_set(states.edges)}
    assert corners == {("04", "08"), ("35", "49")}  # the Four Corners


def test_object_choice_and_errors(data_dir: Path, tmp_path: Path) -> None:
    units = read_topojson(data_dir / STATES, object_name="state")
    assert len(units.ids) == 51
    with pytest.raises(DataError, match=r"no object 'counties'.*\['state'\]"):
        read_topojson(data_dir / STATES, object_name="counties")
    with pytest.raises(DataError, match="file not found"):
        read_topojson(tmp_path / "missing.topojson")
    bad = tmp_path / "bad.topojson"
    bad.write_text("{not json")
    with pytest.raises(DataError, match=r"bad.topojson: not valid JSON"):
        read_topojson(bad)
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    with pytest.raises(DataError, match="not a TopoJSON file"):
        read_topojson(bad)


def _write(tmp_path: Path, topo: dict) -> Path:
    path = tmp_path / "t.topojson"
    path.write_text(json.dumps(topo))
    return path


def _square_topology() -> dict:
    """Two unit squares side by side; arc 1 is their shared edge."""
    return {
        "type": "Topology",
        "arcs": [
            [[1, 0], [0, 0], [0, 1], [1, 1]],  # left square's outer edges
            [[1, 1], [1, 0]],  # shared edge
            [[1, 1], [2, 1], [2, 0], [1, 0]],  # right square's outer edges
        ],
        "objects": {
            "cells": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": "L", "properties": {"v": 1}},
                    {"type": "Polygon", "arcs": [[~1, 2]], "id": "R", "properties": {"v": 2}},
                ],
            }
        },
    }


def test_small_topology_unquantized(tmp_path: Path) -> None:
    units = read_topojson(_write(tmp_path, _square_topology()))
    assert units.ids == ["L", "R"] and units.crs == "EPSG:4326"
    assert units.properties["v"].tolist() == [1, 2]
    assert units.edges.tolist() == [[0, 1]]
    assert units.geometry[0].area == 1.0 and units.geometry[1].area == 1.0
    assert units.geometry[0].equals(shapely.box(0, 0, 1, 1))
    assert units.geometry[1].equals(shapely.box(1, 0, 2, 1))


def test_bad_units_name_the_unit(tmp_path: Path) -> None:
    topo = _square_topology()
    topo["objects"]["cells"]["geometries"][1]["arcs"] = [[~1, 7]]
    with pytest.raises(DataError, match=r"unit 'R' references arc 7.*only 3 arcs"):
        read_topojson(_write(tmp_path, topo))
    topo = _square_topology()
    topo["objects"]["cells"]["geometries"][0] = {"type": "LineString", "arcs": [0], "id": "L"}
    with pytest.raises(DataError, match=r"unit 'L'.*LineString"):
        read_topojson(_write(tmp_path, topo))
    topo = _square_topology()
    topo["transform"] = {"scale": [1, 1]}
    with pytest.raises(DataError, match="bad transform"):
        read_topojson(_write(tmp_path, topo))
    topo = _square_topology()
    topo["objects"]["cells"]["geometries"][0]["arcs"] = [[0, 1.5]]
    with pytest.raises(DataError, match=r"unit 'L' has an arc reference that is not an integer"):
        read_topojson(_write(tmp_path, topo))
    topo = _square_topology()
    topo["objects"]["cells"]["geometries"][1]["arcs"] = [3]
    with pytest.raises(DataError, match=r"unit 'R' \(geometry 1\) has malformed 'arcs'"):
        read_topojson(_write(tmp_path, topo))
    topo = _square_topology()
    topo["arcs"][2][1] = [2]
    with pytest.raises(DataError, match=r"position that is not \[x, y\]"):
        read_topojson(_write(tmp_path, topo))


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(-3, 3) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
SPOTS = [
    ("arcs",),
    ("arcs", 0),
    ("arcs", 1, 0),
    ("transform",),
    ("objects",),
    ("objects", "cells"),
    ("objects", "cells", "geometries"),
    ("objects", "cells", "geometries", 0),
    ("objects", "cells", "geometries", 1, "arcs"),
    ("objects", "cells", "geometries", 1, "type"),
    ("objects", "cells", "geometries", 0, "id"),
]


@settings(max_examples=40, deadline=None)
@given(spot=st.sampled_from(SPOTS), value=JSON)
def test_garbage_gives_data_error(tmp_path_factory, spot, value) -> None:
    """Any value anywhere: either a clean read or a DataError naming the file."""
    topo = _square_topology()
    if spot == ("transform",):
        topo["transform"] = None
    node = topo
    for key in spot[:-1]:
        node = node[key]
    node[spot[-1]] = value
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.topojson"
    path.write_text(json.dumps(topo))
    try:
        units = read_topojson(path)
    except DataError as exc:
        assert "fuzz.topojson" in str(exc)
    else:
        assert len(units.ids) == len(units.geometry) == len(units.properties)


def test_point_and_zero_length_arcs_make_no_edge(tmp_path: Path) -> None:
    """Units meeting only at a zero-length arc or a one-point arc are not rook neighbours."""
    topo = {
        "type": "Topology",
        "arcs": [
            [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]],  # square A
            [[1, 1], [1, 1]],  # zero-length arc at A's corner
            [[1, 1], [2, 1], [2, 2], [1, 2], [1, 1]],  # square B, touching A at (1, 1)
            [[1, 1]],  # single-point arc
            [[5, 5], [6, 5], [5, 5]],  # collapsed ring
        ],
        "objects": {
            "o": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "id": 1},
                    {"type": "Polygon", "arcs": [[~1, 2, 3]], "id": 2},
                    {"type": "MultiPolygon", "arcs": [[[4]]], "id": 3},
                    {"type": None, "id": 4},
                ],
            }
        },
    }
    units = read_topojson(_write(tmp_path, topo))
    assert units.ids == ["1", "2", "3", "4"]
    assert len(units.edges) == 0
    assert units.geometry[0].area == 1.0 and units.geometry[1].area == 1.0
    assert units.geometry[2] is None and units.geometry[3] is None
    assert units.meta["degenerate_rings_dropped"] == 1
    assert units.meta["null_geometry_ids"] == ["3", "4"]
    assert polygon_adjacency(units.geometry, "queen").tolist() == [[0, 1]]


@settings(max_examples=40, deadline=None)
@given(
    arcs=st.lists(
        st.lists(
            st.tuples(st.integers(-(10**6), 10**6), st.integers(-(10**6), 10**6)),
            min_size=1,
            max_size=12,
        ),
        min_size=1,
        max_size=10,
    ),
    scale=st.tuples(st.floats(0.001, 1000), st.floats(0.001, 1000)),
    translate=st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)),
)
def test_delta_decoding_round_trip(arcs, scale, translate) -> None:
    deltas = [
        [list(a[0])] + [[x1 - x0, y1 - y0] for (x0, y0), (x1, y1) in itertools.pairwise(a)]
        for a in arcs
    ]
    pts, offsets = decode_arcs(deltas, {"scale": list(scale), "translate": list(translate)})
    expect = np.array([p for a in arcs for p in a], dtype=np.float64) * scale + translate
    assert np.array_equal(pts, expect)
    assert offsets.tolist() == np.cumsum([0] + [len(a) for a in arcs]).tolist()


def _grid_topology(rows: int, cols: int, splits: list[bool], nulls: set[int], q: int) -> dict:
    """A rows x cols grid of cells, each cell edge one quantized, delta-encoded arc."""
    arcs: list[list[list[int]]] = []

    def add(p0: tuple[int, int], p1: tuple[int, int]) -> int:
        pts = [p0, p1]
        if splits[len(arcs) % len(splits)]:  # an extra point in the middle of the edge
            pts = [p0, ((p0[0] + p1[0]) // 2, (p0[1] + p1[1]) // 2), p1]
        enc = [list(pts[0])] + [[b[0] - a[0], b[1] - a[1]] for a, b in itertools.pairwise(pts)]
        arcs.append(enc)
        return len(arcs) - 1

    h = {
        (r, c): add((c * q, r * q), ((c + 1) * q, r * q))
        for r in range(rows + 1)
        for c in range(cols)
    }
    v = {
        (r, c): add((c * q, r * q), (c * q, (r + 1) * q))
        for r in range(rows)
        for c in range(cols + 1)
    }
    geoms = []
    for r in range(rows):
        for c in range(cols):
            k = r * cols + c
            if k in nulls:
                geoms.append({"type": None, "id": f"c{k}"})
                continue
            ring = [h[r, c], v[r, c + 1], ~h[r + 1, c], ~v[r, c]]
            geoms.append({"type": "Polygon", "arcs": [ring], "id": f"c{k}"})
    return {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [100.0, -50.0]},
        "arcs": arcs,
        "objects": {"grid": {"type": "GeometryCollection", "geometries": geoms}},
    }


@settings(max_examples=15, deadline=None)
@given(
    rows=st.integers(1, 5),
    cols=st.integers(1, 5),
    splits=st.lists(st.booleans(), min_size=1, max_size=7),
    nulls=st.sets(st.integers(0, 24), max_size=5),
    q=st.sampled_from([2, 10, 1000]),
)
def test_grid_topologies(tmp_path_factory, rows, cols, splits, nulls, q) -> None:
    path = tmp_path_factory.mktemp("grid") / "grid.topojson"
    path.write_text(json.dumps(_grid_topology(rows, cols, splits, nulls, q)))
    units = read_topojson(path)
    n = rows * cols
    expect = set()
    for k in range(n):
        r, c = divmod(k, cols)
        for other in ([k + 1] if c + 1 < cols else []) + ([k + cols] if r + 1 < rows else []):
            if k not in nulls and other not in nulls:
                expect.add((k, other))
    assert edge_set(units.edges) == expect
    assert edge_set(polygon_adjacency(units.geometry, "rook")) == expect
    for k in range(n):
        g = units.geometry[k]
        if k in nulls:
            assert g is None
        else:
            r, c = divmod(k, cols)
            x0, y0 = 100 + c * q * 0.5, -50 + r * q * 0.25
            assert g.is_valid and g.equals(shapely.box(x0, y0, x0 + q * 0.5, y0 + q * 0.25))


def test_independent_encoder_round_trip(data_dir: Path, tmp_path: Path) -> None:
    """The `topojson` package encodes 50 Iowa counties; decoding gives back the same shapes."""
    tp = pytest.importorskip("topojson")
    df = gpd.read_file(data_dir / "ia-counties/IA_counties.zip").iloc[:50]
    topo = tp.Topology(df[["GEOID10", "geometry"]], prequantize=False, topology=True).to_dict()
    path = tmp_path / "ia.topojson"
    path.write_text(json.dumps(topo))
    units = read_topojson(path)
    assert len(units.ids) == 50 and units.crs == "EPSG:4326"
    assert units.properties["GEOID10"].tolist() == df["GEOID10"].astype(int).tolist()
    assert shapely.equals(units.geometry.values, df.geometry.values).all()
    expect = polygon_adjacency(df.geometry, "rook")
    assert len(expect) == 51  # pairs among these 50 (scattered) counties
    assert np.array_equal(units.edges, expect)


def test_arcs_nested_too_deep_give_data_error(tmp_path: Path) -> None:
    """Found by the property test on a fresh install: ``[[[]]]`` as a polygon's arcs."""
    topo = _square_topology()
    topo["objects"]["cells"]["geometries"][1]["arcs"] = [[[]]]
    with pytest.raises(DataError, match="malformed 'arcs'"):
        read_topojson(_write(tmp_path, topo))
