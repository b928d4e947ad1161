"""networkx JSON graphs (node-link and adjacency layouts) read without networkx."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.readwrite import json_graph

from secession.exceptions import DataError
from secession.geo.graph_json import read_networkx_json


def nx_edges(graph: nx.Graph, ids: list[str]) -> set[tuple[int, int]]:
    pos = {name: i for i, name in enumerate(ids)}
    out = set()
    for a, b in graph.edges:
        i, j = pos[str(a)], pos[str(b)]
        if i != j:
            out.add((min(i, j), max(i, j)))
    return out


def as_set(edges: np.ndarray) -> set[tuple[int, int]]:
    return {(int(a), int(b)) for a, b in edges}


def test_pennsylvania_node_link(data_dir: Path) -> None:
    path = data_dir / "graphs/pa-vtd-9059.json"
    g = read_networkx_json(path)
    assert len(g.ids) == 9059 and len(g.edges) == 25519
    assert g.meta["layout"] == "node-link (links)"
    assert g.ids[:3] == ["0", "2", "3"]  # file order, not sorted
    assert {"VoteA", "VoteB", "POP100"} <= set(g.attributes.columns)
    assert len(g.attributes) == 9059
    # networkx itself, as the independent reader
    doc = json.loads(path.read_text())
    graph = json_graph.node_link_graph(doc, edges="links")
    assert as_set(g.edges) == nx_edges(graph, g.ids)
    pop = sum(d["POP100"] for _, d in graph.nodes(data=True))
    assert g.attributes["POP100"].sum() == pop


def test_arkansas_adjacency(data_dir: Path) -> None:
    path = data_dir / "graphs/ar-2525.json"
    g = read_networkx_json(path)
    assert len(g.ids) == 2525 and len(g.edges) == 7129
    assert g.meta["layout"] == "adjacency"
    assert g.ids[:2] == ["0", "7"]  # integer ids kept as text, in file order
    assert "repeated_edges_dropped" not in g.meta and "self_loops_dropped" not in g.meta
    doc = json.loads(path.read_text())
    graph = json_graph.adjacency_graph(doc)
    assert as_set(g.edges) == nx_edges(graph, g.ids)
    assert g.attributes["POP10"].sum() == pytest.approx(
        sum(d["POP10"] for _, d in graph.nodes(data=True))
    )


def test_edges_key_and_loops(tmp_path: Path) -> None:
    graph = nx.Graph()
    graph.add_nodes_from([("a", {"v": 1}), ("b", {"v": 2}), (3, {"v": 3})])
    graph.add_edges_from([("a", "b"), ("b", 3), (3, 3)])
    doc = json_graph.node_link_data(graph, edges="edges")
    path = tmp_path / "g.json"
    path.write_text(json.dumps(doc))
    g = read_networkx_json(path)
    assert g.ids == ["a", "b", "3"] and g.meta["layout"] == "node-link (edges)"
    assert g.edges.tolist() == [[0, 1], [1, 2]]
    assert g.meta["self_loops_dropped"] == 1
    assert g.attributes["v"].tolist() == [1, 2, 3]


def write(tmp_path: Path, doc: object, raw: str | None = None) -> Path:
    path = tmp_path / "graph.json"
    path.write_text(raw if raw is not None else json.dumps(doc))
    return path


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"links": []}, "no 'nodes'"),
        ({"nodes": [{"id": 1}]}, "no 'links', 'edges' or 'adjacency'"),
        ({"nodes": {"id": 1}, "links": []}, "'nodes' is not a list"),
        ({"nodes": [{"id": 1}, {"x": 2}], "links": []}, "node 1 has no 'id'"),
        ({"nodes": [{"id": 1}, {"id": "1"}], "links": []}, r"duplicate node ids.*'1'"),
        ({"nodes": [{"id": 1}], "links": [{"source": 1, "target": 9}]}, r"not in 'nodes'.*'9'"),
        ({"nodes": [{"id": 1}], "links": [{"source": 1}]}, "edge 0 has no 'target'"),
        ({"nodes": [{"id": 1}], "links": [5]}, "edge 0 is not an object"),
        ({"nodes": [{"id": 1}, {"id": 2}], "adjacency": [[]]}, "1 entries for 2 nodes"),
        ({"nodes": [{"id": 1}], "adjacency": [[{"x": 1}]]}, "node '1': item 0 has no 'id'"),
        ({"nodes": [{"id": 1}], "adjacency": [{"id": 1}]}, "of node '1' is not a list"),
        ([1, 2], "not a networkx JSON graph"),
    ],
)
def test_malformed(tmp_path: Path, doc: object, message: str) -> None:
    with pytest.raises(DataError, match=message) as info:
        read_networkx_json(write(tmp_path, doc))
    assert "graph.json" in str(info.value)


def test_not_json_or_missing(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"graph.json: not valid JSON"):
        read_networkx_json(write(tmp_path, None, raw='{"nodes": ['))
    with pytest.raises(DataError, match="file not found"):
        read_networkx_json(tmp_path / "none.json")


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(0, 25),
    pairs=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)), max_size=60),
    layout=st.sampled_from(["links", "edges", "adjacency"]),
    text_ids=st.booleans(),
)
def test_round_trip_random_graphs(tmp_path_factory, n, pairs, layout, text_ids) -> None:
    graph = nx.Graph()
    name = (lambda i: f"u{i}") if text_ids else (lambda i: i)
    graph.add_nodes_from((name(i), {"w": i * 0.5}) for i in range(n))
    graph.add_edges_from((name(a), name(b)) for a, b in pairs if a < n and b < n)
    if layout == "adjacency":
        doc = json_graph.adjacency_data(graph)
    else:
        doc = json_graph.node_link_data(graph, edges=layout)
    path = tmp_path_factory.mktemp("g") / "g.json"
    path.write_text(json.dumps(doc))
    g = read_networkx_json(path)
    assert g.ids == [str(name(i)) for i in range(n)]
    assert as_set(g.edges) == nx_edges(graph, g.ids)
    if n:
        assert g.attributes["w"].tolist() == [i * 0.5 for i in range(n)]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)
LINKS = {"nodes": [{"id": 1, "a": 2}, {"id": "x"}], "links": [{"source": 1, "target": "x"}]}
ADJ = {"nodes": [{"id": 1, "a": 2}, {"id": "x"}], "adjacency": [[{"id": "x"}], [{"id": 1}]]}
SPOTS = [
    (LINKS, ("nodes",)),
    (LINKS, ("nodes", 0)),
    (LINKS, ("nodes", 0, "id")),
    (LINKS, ("links",)),
    (LINKS, ("links", 0)),
    (LINKS, ("links", 0, "target")),
    (ADJ, ("adjacency",)),
    (ADJ, ("adjacency", 0)),
    (ADJ, ("adjacency", 0, 0)),
    (ADJ, ("adjacency", 1, 0, "id")),
]


@settings(max_examples=40, deadline=None)
@given(spot=st.sampled_from(SPOTS), value=JSON)
def test_garbage_gives_data_error(tmp_path_factory, spot, value) -> None:
    """Any value anywhere: either a clean read or a DataError naming the file."""
    base, where = spot
    doc = json.loads(json.dumps(base))
    node = doc
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.json"
    path.write_text(json.dumps(doc))
    try:
        g = read_networkx_json(path)
    except DataError as exc:
        assert "fuzz.json" in str(exc)
    else:
        assert len(g.ids) == len(g.attributes) and g.edges.shape[1] == 2
