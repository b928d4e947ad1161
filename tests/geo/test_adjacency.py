"""Polygon adjacency: identical to libpysal (vertex definition) and GerryChain (geometric)."""

from __future__ import annotations

import itertools
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Polygon, box

from secession.exceptions import DataError
from secession.geo.adjacency import pairs_sharing_key, polygon_adjacency

FILES = {"ia": "ia-counties/IA_counties.zip", "nh": "nh-wards/NH.zip"}


def as_set(edges: np.ndarray) -> set[tuple[int, int]]:
    return {(int(a), int(b)) for a, b in edges}


EXPECTED = {  # (rook, queen) edge counts, also given by libpysal below
    "ia": (222, 294),
    "nh": (844, 889),
}


def test_identical_to_libpysal(data_dir: Path) -> None:
    """One test (libpysal takes seconds to import): both files, rook and queen."""
    from libpysal.weights import Queen, Rook

    for name, kind in itertools.product(sorted(FILES), ("rook", "queen")):
        df = gpd.read_file(data_dir / FILES[name])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cls = Rook if kind == "rook" else Queen
            w = cls.from_dataframe(df, use_index=False, silence_warnings=True)
        theirs = {(min(i, j), max(i, j)) for i, js in w.neighbors.items() for j in js}
        ours = polygon_adjacency(df.geometry, kind)
        assert len(ours) == EXPECTED[name][kind == "queen"], (name, kind)
        assert as_set(ours) == theirs, (name, kind)
        assert (ours[:, 0] < ours[:, 1]).all()
        assert np.array_equal(ours, np.unique(ours, axis=0))  # sorted, no repeats


def test_iowa_known_neighbours(data_dir: Path) -> None:
    df = gpd.read_file(data_dir / FILES["ia"])
    fips = df["GEOID10"].astype(str).tolist()
    edges = polygon_adjacency(df.geometry, "rook")
    polk = fips.index("19153")  # Polk County (Des Moines)
    nbrs = {fips[b] if a == polk else fips[a] for a, b in edges.tolist() if polk in (a, b)}
    # Story, Jasper, Marion, Warren, Dallas, Boone (Madison only touches Polk at a corner)
    assert nbrs == {"19169", "19099", "19125", "19181", "19049", "19015"}
    queen = polygon_adjacency(df.geometry, "queen")
    qn = {fips[b] if a == polk else fips[a] for a, b in queen.tolist() if polk in (a, b)}
    assert qn - nbrs == {"19121"}


def test_geometric_matches_gerrychain(data_dir: Path) -> None:
    gerrychain = pytest.importorskip("gerrychain")
    df = gpd.read_file(data_dir / FILES["nh"])
    for kind, count in (("rook", 854), ("queen", 896)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            graph = gerrychain.Graph.from_geodataframe(df, adjacency=kind)
        theirs = {(min(a, b), max(a, b)) for a, b in graph.edges}
        ours = polygon_adjacency(df.geometry, kind, method="geometric")
        assert len(ours) == count
        assert as_set(ours) == theirs
        # the geometric definition only adds pairs to the vertex one
        assert as_set(polygon_adjacency(df.geometry, kind)) <= as_set(ours)


def test_vertex_definition_misses_sliver_borders(data_dir: Path) -> None:
    """NH neighbours whose common border was digitised with different vertices.

    libpysal's definition (and method="vertex") misses them; the geometric one finds them,
    each with more than 1,000 feet of shared boundary (EPSG:3437 is in US feet).
    """
    df = gpd.read_file(data_dir / FILES["nh"])
    g = df.geometry.to_numpy()
    vertex = as_set(polygon_adjacency(g, "rook"))
    extra = sorted(as_set(polygon_adjacency(g, "rook", method="geometric")) - vertex)
    names = {tuple(sorted((df.Precinct.iloc[a], df.Precinct.iloc[b]))) for a, b in extra}
    assert names == {
        ("Roxbury - Entire", "Sullivan - Entire"),
        ("Nelson - Entire", "Roxbury - Entire"),
        ("Marlborough - Entire", "Roxbury - Entire"),
        ("Gilford - Entire", "Laconia - Ward 1"),
        ("Belmont - Entire", "Laconia - Ward 3"),
        ("Laconia - Ward 3", "Laconia - Ward 5"),
        ("Portsmouth - Ward 1", "Portsmouth - Ward 2"),
        ("Portsmouth - Ward 2", "Portsmouth - Ward 5"),
        ("Portsmouth - Ward 2", "Portsmouth - Ward 4"),
        ("Portsmouth - Ward 2", "Portsmouth - Ward 3"),
    }
    pairs = np.array(extra)
    shared = shapely.length(shapely.intersection(g[pairs[:, 0]], g[pairs[:, 1]]))
    assert (shared > 1000).all()


def test_t_junction_vertex_vs_geometric() -> None:
    """Two squares on one long rectangle: shared boundary, but no shared segment."""
    geoms = [box(0, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2)]
    assert polygon_adjacency(geoms, "rook").tolist() == [[1, 2]]
    # the rectangle's corners (0,1) and (2,1) are vertices of the squares
    assert polygon_adjacency(geoms, "queen").tolist() == [[0, 1], [0, 2], [1, 2]]
    expect = [[0, 1], [0, 2], [1, 2]]
    assert polygon_adjacency(geoms, "rook", method="geometric").tolist() == expect
    assert polygon_adjacency(geoms, "queen", method="geometric").tolist() == expect


def test_corners_holes_multipolygons() -> None:
    ring = Polygon(box(0, 0, 3, 3).exterior.coords, [box(1, 1, 2, 2).exterior.coords])
    inner = box(1, 1, 2, 2)
    corner = box(-1, -1, 0, 0)  # touches the ring at one point
    pieces = MultiPolygon([box(5, 0, 6, 1), box(3, 0, 4, 3)])  # second part borders the ring
    geoms = [ring, inner, corner, pieces]
    assert polygon_adjacency(geoms, "rook").tolist() == [[0, 1], [0, 3]]
    assert polygon_adjacency(geoms, "queen").tolist() == [[0, 1], [0, 2], [0, 3]]
    for kind in ("rook", "queen"):
        geometric = polygon_adjacency(geoms, kind, method="geometric")
        assert geometric.tolist() == polygon_adjacency(geoms, kind).tolist()


def test_missing_invalid_and_bad_input() -> None:
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])  # self-intersecting, not repaired
    geoms = [box(0, 0, 1, 1), None, Polygon(), box(1, 0, 2, 1), bowtie]
    assert polygon_adjacency(geoms, "rook").tolist() == [[0, 3]]
    assert [0, 4] in polygon_adjacency(geoms, "queen").tolist()  # shares vertex (0, 0)
    assert polygon_adjacency([], "rook").shape == (0, 2)
    assert polygon_adjacency([None, None], "queen", method="geometric").shape == (0, 2)
    with pytest.raises(DataError, match="kind must be 'rook' or 'queen'"):
        polygon_adjacency(geoms, "bishop")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="method"):
        polygon_adjacency(geoms, method="magic")  # type: ignore[arg-type]
    with pytest.raises(DataError, match="position 1 is not a shapely geometry"):
        polygon_adjacency([box(0, 0, 1, 1), "POLYGON"])
    with pytest.raises(DataError, match="tolerance"):
        polygon_adjacency(geoms, tolerance=-1)


def test_tolerance_snaps_near_vertices() -> None:
    geoms = [box(0, 0, 1, 1), box(1 + 1e-9, 0, 2, 1)]
    assert polygon_adjacency(geoms, "rook").tolist() == []
    assert polygon_adjacency(geoms, "rook", tolerance=1e-6).tolist() == [[0, 1]]
    assert polygon_adjacency(geoms, "rook", method="geometric").tolist() == []
    with pytest.raises(DataError, match="method='vertex' only"):
        polygon_adjacency(geoms, "rook", method="geometric", tolerance=1e-6)


def test_accepts_geodataframe(data_dir: Path) -> None:
    df = gpd.read_file(data_dir / FILES["ia"])
    assert np.array_equal(polygon_adjacency(df, "rook"), polygon_adjacency(df.geometry, "rook"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 9)), max_size=60))
def test_pairs_sharing_key_brute_force(rows) -> None:
    keys = np.array([k for k, _ in rows], dtype=np.int64)
    members = np.array([m for _, m in rows], dtype=np.int64)
    expect = set()
    for key in set(keys.tolist()):
        group = sorted(set(members[keys == key].tolist()))
        expect |= set(itertools.combinations(group, 2))
    got = pairs_sharing_key(keys, members)
    assert as_set(got) == expect and len(got) == len(expect)


def test_geometric_repairs_invalid_shapes_when_geos_fails(monkeypatch) -> None:
    """GEOS may throw on invalid shapes (GerryChain then stops); we repair and retry."""
    from secession.geo import adjacency

    real = adjacency._geometric_pairs
    seen: list[bool] = []

    def first_call_fails(geoms, kind):
        seen.append(bool(shapely.is_valid(geoms[0])))
        if len(seen) == 1:
            raise shapely.errors.GEOSException("TopologyException: side location conflict")
        return real(geoms, kind)

    monkeypatch.setattr(adjacency, "_geometric_pairs", first_call_fails)
    bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    geoms = [bowtie, box(2, 0, 3, 2), box(-1, 0, 0, 2)]
    assert polygon_adjacency(geoms, "rook", method="geometric").tolist() == [[0, 1], [0, 2]]
    assert seen == [False, True]  # the retry saw the repaired bowtie
