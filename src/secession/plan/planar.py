"""Faces of a planar unit graph, for the border inequalities of the exact solver.

On a connected plane graph a cut ``delta(S)`` leaves both ``S`` and its complement
connected exactly when it is a bond, and bonds are the simple cycles of the dual graph
(Whitney). A simple dual cycle passes each dual vertex, i.e. each face, at most once, so
every face has at most two cut edges on its boundary walk (an edge met twice on the walk,
a bridge, counts twice). This holds for any plane embedding of the graph, so the one
computed by ``networkx.check_planarity`` will do; no geometry is needed. Faces of three
distinct edges add nothing (any cut meets a triangle in 0 or 2 edges, and the LP bound
``|a-b| + |b-c| + |a-c| <= 2`` holds on [0, 1] anyway), so only longer faces are returned.
"""

from __future__ import annotations

from collections import Counter

import numpy as np


def border_faces(n: int, edges: np.ndarray, *, min_len: int = 4) -> list[dict[int, int]] | None:
    """Faces as ``{edge index: multiplicity}`` for a planar graph, or ``None`` if not planar.

    ``edges`` is an ``(m, 2)`` array; edge indices refer to its rows. Only faces whose
    boundary walk has at least ``min_len`` edges (with multiplicity) are returned.
    """
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(map(tuple, np.asarray(edges, dtype=np.int64).tolist()))
    planar, embedding = nx.check_planarity(graph)
    if not planar:
        return None
    index = {}
    for k, (u, v) in enumerate(np.asarray(edges, dtype=np.int64).tolist()):
        index[(u, v)] = k
        index[(v, u)] = k
    seen: set[tuple[int, int]] = set()
    faces: list[dict[int, int]] = []
    for u, v in embedding.edges():
        if (u, v) in seen:
            continue
        walk = embedding.traverse_face(u, v, mark_half_edges=seen)
        if len(walk) < min_len and len(walk) > 2:
            continue
        steps = Counter(index[(walk[i], walk[(i + 1) % len(walk)])] for i in range(len(walk)))
        if sum(steps.values()) >= min_len:
            faces.append(dict(steps))
    return faces
