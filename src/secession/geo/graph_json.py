"""Read ready adjacency graphs saved by networkx as JSON, without building networkx objects.

Both layouts written by ``networkx.readwrite.json_graph`` are read:

- node-link (``node_link_data``): ``nodes`` plus ``links`` (networkx < 3.4) or ``edges``
  (networkx >= 3.4), each edge naming its ``source`` and ``target`` node ids;
- adjacency (``adjacency_data``): ``nodes`` plus ``adjacency``, one list of
  ``{"id": neighbour, ...}`` per node, in node order.

Node ids are kept as strings (``0`` and ``"0"`` are the same unit). Node attributes become
a DataFrame aligned with ``ids``; edges become ``(m, 2)`` int64 positions, undirected,
deduplicated, ``i < j``. Self-loops and repeated edges are dropped and counted in ``meta``.

Example
-------
>>> from secession.settings import data_file
>>> g = read_networkx_json(data_file("graphs/ar-2525.json"))
>>> len(g.ids), len(g.edges)
(2525, 7129)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from secession.exceptions import DataError
from secession.geo.adjacency import unique_edges
from secession.geo.topology import gc_paused, load_json

__all__ = ["NxGraphData", "read_networkx_json"]


@dataclass(frozen=True, eq=False)
class NxGraphData:
    """Nodes, node attributes and undirected edges of a networkx JSON graph."""

    ids: list[str]
    attributes: pd.DataFrame
    edges: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)


def _fail(path: Path, what: str) -> DataError:
    return DataError(f"{path}: {what}")


def _load(path: Path) -> dict[str, Any]:
    doc = load_json(path)
    if not isinstance(doc, dict):
        raise _fail(path, "not a networkx JSON graph (expected an object with 'nodes')")
    return doc


def _node_ids(path: Path, nodes: Any) -> tuple[list[str], list[dict[str, Any]]]:
    if not isinstance(nodes, list):
        raise _fail(path, "'nodes' is not a list")
    ids: list[str] = []
    attrs: list[dict[str, Any]] = []
    for pos, node in enumerate(nodes):
        if not isinstance(node, dict):
            raise _fail(path, f"node {pos} is not an object")
        if "id" not in node or node["id"] is None:
            raise _fail(path, f"node {pos} has no 'id'")
        ids.append(str(node["id"]))
        attrs.append({k: v for k, v in node.items() if k != "id"})
    index = pd.Index(ids)
    if not index.is_unique:
        dup = index[index.duplicated()].unique()[:5].tolist()
        raise _fail(path, f"duplicate node ids (as text): {dup}")
    return ids, attrs


def _positions(path: Path, ids: list[str], index: pd.Index, names: list[str], what: str):
    pos = index.get_indexer(names)
    if (pos < 0).any():
        bad = [names[i] for i in np.flatnonzero(pos < 0)[:5]]
        raise _fail(path, f"{what} names nodes not in 'nodes': {bad}")
    return pos.astype(np.int64)


def _endpoint(path: Path, edge: Any, pos: int, key: str, kind: str) -> str:
    if not isinstance(edge, dict):
        raise _fail(path, f"{kind} {pos} is not an object")
    try:
        value = edge[key]
    except KeyError:
        raise _fail(path, f"{kind} {pos} has no '{key}'") from None
    if value is None:
        raise _fail(path, f"{kind} {pos} has a null '{key}'")
    return str(value)


def read_networkx_json(path: str | Path) -> NxGraphData:
    """Read a networkx node-link or adjacency JSON graph (see the module docstring).

    Raises
    ------
    DataError
        The file is missing, not JSON, or not a networkx graph (no ``nodes``; neither
        ``links``, ``edges`` nor ``adjacency``), a node lacks an id, ids repeat, or an edge
        names an unknown node. The message names the file and what is wrong.
    """
    path = Path(path)
    with gc_paused():
        return _read(path)


def _read(path: Path) -> NxGraphData:
    doc = _load(path)
    if "nodes" not in doc:
        raise _fail(path, "not a networkx JSON graph: no 'nodes'")
    ids, attrs = _node_ids(path, doc["nodes"])
    index = pd.Index(ids)
    meta: dict[str, Any] = {"source": str(path), "directed": bool(doc.get("directed", False))}
    if doc.get("multigraph"):
        meta["multigraph"] = True

    if "adjacency" in doc:
        meta["layout"] = "adjacency"
        adjacency = doc["adjacency"]
        if not isinstance(adjacency, list):
            raise _fail(path, "'adjacency' is not a list")
        if len(adjacency) != len(ids):
            raise _fail(path, f"'adjacency' has {len(adjacency)} entries for {len(ids)} nodes")
        try:  # fast path; on any problem, find and name the bad entry
            raw_names = [nbr["id"] for row in adjacency for nbr in row]
            counts = [len(row) for row in adjacency]
            if None in raw_names or not all(isinstance(row, list) for row in adjacency):
                raise TypeError
            names = [str(v) for v in raw_names]
        except (KeyError, TypeError, IndexError):
            for i, row in enumerate(adjacency):
                if not isinstance(row, list):
                    raise _fail(path, f"adjacency entry of node {ids[i]!r} is not a list") from None
                for k, nbr in enumerate(row):
                    _endpoint(path, nbr, k, "id", f"adjacency of node {ids[i]!r}: item")
            raise _fail(path, "'adjacency' is malformed") from None
        left = np.repeat(np.arange(len(ids), dtype=np.int64), counts)
        right = _positions(path, ids, index, names, "'adjacency'")
    else:
        key = "links" if "links" in doc else "edges" if "edges" in doc else None
        if key is None:
            raise _fail(path, "not a networkx JSON graph: no 'links', 'edges' or 'adjacency'")
        meta["layout"] = f"node-link ({key})"
        links = doc[key]
        if not isinstance(links, list):
            raise _fail(path, f"'{key}' is not a list")
        try:  # fast path; on any problem, find and name the bad edge
            raw_sources = [e["source"] for e in links]
            raw_targets = [e["target"] for e in links]
            if None in raw_sources or None in raw_targets:
                raise TypeError
            sources = [str(v) for v in raw_sources]
            targets = [str(v) for v in raw_targets]
        except (KeyError, TypeError, IndexError):
            for k, e in enumerate(links):
                _endpoint(path, e, k, "source", "edge")
                _endpoint(path, e, k, "target", "edge")
            raise _fail(path, f"'{key}' is malformed") from None
        left = _positions(path, ids, index, sources, f"'{key}'")
        right = _positions(path, ids, index, targets, f"'{key}'")

    raw = np.column_stack([left, right]) if left.size else np.empty((0, 2), dtype=np.int64)
    loops = int((raw[:, 0] == raw[:, 1]).sum())
    edges = unique_edges(raw)
    if loops:
        meta["self_loops_dropped"] = loops
    listed = len(raw) - loops
    # the adjacency layout lists each undirected edge twice, node-link once
    expected = 2 * len(edges) if meta["layout"] == "adjacency" else len(edges)
    if listed != expected:
        meta["repeated_edges_dropped"] = listed - expected
    attributes = pd.DataFrame.from_records(attrs, index=pd.RangeIndex(len(ids)))
    if isinstance(doc.get("graph"), dict) and doc["graph"]:
        meta["graph"] = doc["graph"]
    return NxGraphData(ids=ids, attributes=attributes, edges=edges, meta=meta)
