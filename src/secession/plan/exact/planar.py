"""Faces of a (nearly) planar unit graph, for the border inequalities of the exact solver.

On a connected plane graph a cut ``delta(S)`` leaves both ``S`` and its complement
connected exactly when it is a bond, and bonds are the simple cycles of the dual graph
(Whitney). A simple dual cycle passes each dual vertex, i.e. each face, at most once, so
every face has at most two cut edges on its boundary walk (an edge met twice on the walk,
a bridge, counts twice). This holds for any plane embedding of the graph, so the one
computed by ``networkx.check_planarity`` will do; no geometry is needed. Faces of three
distinct edges add nothing (any cut meets a triangle in 0 or 2 edges, and the LP bound
``|a-b| + |b-c| + |a-c| <= 2`` holds on [0, 1] anyway), so only longer faces are returned.

Real rook graphs are often not planar (a county in two parts, overlaps). Then
:func:`nearly_planar_faces` keeps a maximal planar subgraph ``H`` and draws each left-out
edge of ``F`` as a curve through the faces of ``H`` along a cheapest dual path (a face
costs its length, so curves keep to small faces and spare the outer face and lakes),
crossing the edges of ``H`` on that path once each; two curves are drawn to cross at most
once in each face they share. ``multiplicity[p]`` bounds the crossing points of pair
``p``. A pair ``p = (e, e')`` is *split* when ``e`` lies inside one side and ``e'`` inside
the other. For a face ``f`` of ``H`` that no curve enters:

    sum_{e on f} y_e <= 2 + 2 * sum_p multiplicity[p] * split_p

Proof: put a point ``w`` inside ``f`` and join it to one corner of each of the ``k`` runs
of the new country and the ``k`` runs of the rest along the boundary walk (``2k`` cut
edges). Remove a small disk around ``w``: what is left is a disk ``D`` whose boundary
meets the spokes in alternating colours. The new country's drawing ``R`` (a spanning tree
plus its spokes) is connected and meets the boundary at the ``k`` red points, so any two
blue points are separated in ``D`` by an arc of ``R`` between red points: the ``k`` blue
points lie in ``k`` different regions of ``D`` minus ``R``. The rest's drawing is
connected and meets all ``k`` regions, so it crosses ``R`` at least ``k - 1`` times. Spokes
cross nothing (no edge or curve enters ``f``), so each crossing is between an edge inside
the new country and an edge inside the rest: a split pair. Hence ``k - 1`` is at most the
number of crossing points, which is at most ``sum_p multiplicity[p] * split_p``. With no
split pair this is the planar inequality. ``tests/plan/test_exact_nonplanar.py`` checks it
over every plan of random graphs that are not planar.
"""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

ORDER_SEED = 0  # seed of the random edge orders tried for a planar subgraph


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
    return [f for f, _ in _faces(embedding, _index(edges)) if sum(f.values()) >= min_len]


def _index(edges: np.ndarray) -> dict[tuple[int, int], int]:
    index = {}
    for k, (u, v) in enumerate(np.asarray(edges, dtype=np.int64).tolist()):
        index[(u, v)] = k
        index[(v, u)] = k
    return index


def _faces(embedding, index) -> list[tuple[dict[int, int], list[tuple[int, int]]]]:
    """Every face: ``({edge: multiplicity}, half-edges of its walk)``."""
    seen: set[tuple[int, int]] = set()
    out = []
    for u, v in embedding.edges():
        if (u, v) in seen:
            continue
        walk = embedding.traverse_face(u, v, mark_half_edges=seen)
        halves = [(walk[i], walk[(i + 1) % len(walk)]) for i in range(len(walk))]
        if len(walk) == 1:  # isolated vertex: no edges
            continue
        out.append((dict(Counter(index[h] for h in halves)), halves))
    return out


@dataclass
class NearlyPlanar:
    """Faces of a planar subgraph and the crossings of the left-out edges (see module)."""

    faces: list[dict[int, int]]  # usable faces, ``{edge index: multiplicity}``
    left_out: list[int] = field(default_factory=list)  # edge indices of F
    crossings: list[tuple[int, int]] = field(default_factory=list)  # edge index pairs
    # most crossing points of each pair in the drawing (1, or shared faces of two curves)
    multiplicity: list[int] = field(default_factory=list)
    blocked: int = 0  # faces left out because a curve of F enters them


def nearly_planar_faces(
    n: int,
    edges: np.ndarray,
    *,
    min_len: int = 4,
    max_left_out: int = 400,
    order: np.ndarray | None = None,
    prefer_out: np.ndarray | None = None,
    tries: int = 1,
) -> NearlyPlanar | None:
    """Faces and crossing pairs for any graph; ``None`` if more than ``max_left_out`` edges
    must be left out to reach a planar subgraph. ``order`` (a permutation of the edges)
    says which edges to keep first; the last ones are the first to be left out. With
    ``tries > 1`` as many seeded random orders are tried as well, and the one that leaves
    out the fewest edges is kept (the greedy planar subgraph depends a lot on the order).
    ``prefer_out`` (a mask over the edges) marks edges that had better be left out; each
    left-out edge not marked is swapped for a nearby marked one when planarity allows."""
    import networkx as nx
    import rustworkx as rx

    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    m = len(edges)
    rg = rx.PyGraph()
    rg.add_nodes_from(range(n))
    left: list[int] = []
    if m and not _rx_planar_with(rg, edges):
        left = _fewest_left_out(n, edges, np.arange(m) if order is None else order, tries)
        if len(left) > max_left_out:
            return None
        if prefer_out is not None:
            left = _swap_out(n, edges, left, np.asarray(prefer_out, dtype=bool))
    drop = np.zeros(m, dtype=bool)
    drop[left] = True
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(map(tuple, edges[~drop].tolist()))
    planar, embedding = nx.check_planarity(graph)
    if not planar:  # cannot happen: H was checked planar
        return None
    index = _index(edges)
    faces = _faces(embedding, index)
    if not left:
        return NearlyPlanar([f for f, _ in faces if sum(f.values()) >= min_len])
    face_of: dict[tuple[int, int], int] = {}
    for k, (_, halves) in enumerate(faces):
        for h in halves:
            face_of[h] = k
    length = [sum(f.values()) for f, _ in faces]
    # dual graph: faces joined across each edge of H
    dual: list[list[tuple[int, int]]] = [[] for _ in faces]
    for e, (u, v) in enumerate(edges.tolist()):
        if drop[e] or (u, v) not in face_of:
            continue
        f, g = face_of[(u, v)], face_of[(v, u)]
        if f != g:
            dual[f].append((g, e))
            dual[g].append((f, e))
    around: dict[int, set[int]] = {}
    for (u, _), f in face_of.items():
        around.setdefault(u, set()).add(f)
    blocked: set[int] = set()
    route_faces: list[set[int]] = []
    crossings: dict[tuple[int, int], int] = {}
    for e in left:
        a, b = (int(t) for t in edges[e])
        path_faces, crossed = _route(dual, around.get(a, set()), around.get(b, set()), length)
        if path_faces is None:  # a or b isolated in H: draw nothing, block everything
            return NearlyPlanar([], left, [], len(faces))
        blocked |= path_faces
        route_faces.append(path_faces)
        for c in crossed:  # a cheapest dual path crosses an edge at most once
            crossings[(e, c)] = 1
    for i in range(len(left)):
        for j in range(i + 1, len(left)):
            shared = len(route_faces[i] & route_faces[j])
            if shared:  # drawn to cross at most once inside each shared face
                crossings[(left[i], left[j])] = shared
    usable = [
        f for k, (f, _) in enumerate(faces) if k not in blocked and sum(f.values()) >= min_len
    ]
    pairs = sorted(crossings)
    return NearlyPlanar(usable, left, pairs, [crossings[p] for p in pairs], len(blocked))


def _rx_planar_with(rg, edges: np.ndarray) -> bool:
    import rustworkx as rx

    g = rg.copy()
    g.add_edges_from_no_data([tuple(e) for e in edges.tolist()])
    return rx.is_planar(g)


def _fewest_left_out(n: int, edges: np.ndarray, order: np.ndarray, tries: int) -> list[int]:
    """:func:`_left_out` for ``order`` and ``tries - 1`` seeded random orders: the fewest."""
    rng = np.random.default_rng(ORDER_SEED)
    best = _left_out(n, edges, np.asarray(order))
    for _ in range(tries - 1):
        if not best:
            break
        other = _left_out(n, edges, rng.permutation(len(edges)))
        if len(other) < len(best):
            best = other
    return best


def _left_out(n: int, edges: np.ndarray, order: np.ndarray) -> list[int]:
    """Edges left out of a maximal planar subgraph, built greedily: a spanning forest first,
    then the other edges in blocks, halving a block whenever it breaks planarity."""
    import rustworkx as rx

    g = rx.PyGraph()
    g.add_nodes_from(range(n))
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    rest: list[int] = []
    for e in order.tolist():
        u, v = int(edges[e, 0]), int(edges[e, 1])
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[ru] = rv
            g.add_edge(u, v, e)
        else:
            rest.append(e)
    left: list[int] = []

    def add(block: list[int]) -> None:
        idx = [g.add_edge(int(edges[e, 0]), int(edges[e, 1]), e) for e in block]
        if rx.is_planar(g):
            return
        for i in idx:
            g.remove_edge_from_index(i)
        if len(block) == 1:
            left.append(block[0])
            return
        add(block[: len(block) // 2])
        add(block[len(block) // 2 :])

    for i in range(0, len(rest), 64):
        add(rest[i : i + 64])
    return left


def _swap_out(n: int, edges: np.ndarray, left: list[int], prefer: np.ndarray) -> list[int]:
    """Swap each left-out edge that is not preferred for a preferred kept edge within two
    steps of it, when the planar subgraph stays planar (same number left out)."""
    import rustworkx as rx

    m = len(edges)
    out = np.zeros(m, dtype=bool)
    out[left] = True
    g = rx.PyGraph()
    g.add_nodes_from(range(n))
    index = {}
    for e in np.flatnonzero(~out).tolist():
        index[e] = g.add_edge(int(edges[e, 0]), int(edges[e, 1]), e)
    incident: list[list[int]] = [[] for _ in range(n)]
    for e, (u, v) in enumerate(edges.tolist()):
        incident[u].append(e)
        incident[v].append(e)
    for e in list(left):
        if prefer[e]:
            continue
        u, v = (int(t) for t in edges[e])
        near = {u, v}
        for w in (u, v):
            near |= {int(x) for f in incident[w] for x in edges[f]}
        candidates = sorted({f for w in near for f in incident[w] if prefer[f] and not out[f]})
        new = g.add_edge(u, v, e)
        for f in candidates:
            g.remove_edge_from_index(index[f])
            if rx.is_planar(g):
                out[e], out[f] = False, True
                index[e] = new
                del index[f]
                break
            index[f] = g.add_edge(int(edges[f, 0]), int(edges[f, 1]), f)
        else:
            g.remove_edge_from_index(new)
    return np.flatnonzero(out).tolist()


def _route(
    dual, start: set[int], goal: set[int], length: list[int]
) -> tuple[set[int] | None, list[int]]:
    """Cheapest dual path from a face at one end to a face at the other, a face costing its
    boundary length: its faces and the edges it crosses. Every face on the path loses its
    inequality, so the path keeps to small faces and spares the long ones (the outer face,
    lakes), whose inequalities carry the most."""
    if not start or not goal:
        return None, []
    best: dict[int, int] = {f: length[f] for f in start}
    prev: dict[int, tuple[int, int] | None] = {f: None for f in start}
    heap = [(length[f], f) for f in start]
    heapq.heapify(heap)
    end = None
    while heap:
        d, f = heapq.heappop(heap)
        if d > best[f]:
            continue
        if f in goal:
            end = f
            break
        for g, e in dual[f]:
            nd = d + length[g]
            if nd < best.get(g, nd + 1):
                best[g] = nd
                prev[g] = (f, e)
                heapq.heappush(heap, (nd, g))
    if end is None:
        return None, []
    path, crossed = {end}, []
    step = prev[end]
    while step is not None:
        f, e = step
        path.add(f)
        crossed.append(e)
        step = prev[f]
    return path, crossed


@dataclass
class SplitFaces:
    """Faces of the graph with the units of ``split`` doubled (see :func:`split_faces`):
    every face has at most ``2 + 2 * len(split)`` cut edges in any plan with both sides
    connected. Only faces longer than that are kept."""

    faces: list[dict[int, int]]
    split: list[int]

    @property
    def limit(self) -> int:
        return 2 + 2 * len(self.split)


def split_faces(
    n: int, edges: np.ndarray, left_out: list[int], *, all_faces: bool = False
) -> SplitFaces | None:
    """Faces of ``G''``: the graph with copies of units taking over the left-out edges.

    Each left-out edge is moved to a copy ``w'`` of one of its units ``w`` (a copy takes
    several edges when the graph stays planar; a new copy is a pendant vertex, so ``G''``
    is always planar). ``split`` lists the unit of every copy. Only faces longer than the
    limit are returned (they are the ones with an inequality), unless ``all_faces``.

    Proof of the limit: in ``G''`` (every copy on its unit's side) the new country has at
    most ``1 + c_S`` pieces, ``c_S`` the copies of its units, since each copy cuts a
    connected set into at most one more piece; the rest at most ``1 + c_R``. On a face
    with ``k`` runs of each side, the ``a`` red pieces touching it split the disk outside
    the face into at least ``k - a + 1`` regions holding the ``k`` blue runs, and pieces
    of a plane graph cannot cross, so ``b >= k - a + 1``:
    ``2k <= 2(a + b - 1) <= 2 + 2 (c_S + c_R)``.
    """
    import networkx as nx
    import rustworkx as rx

    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    out = set(left_out)
    drawn: dict[tuple[int, int], int] = {}
    for e, (u, v) in enumerate(edges.tolist()):
        if e not in out:
            drawn[(u, v)] = drawn[(v, u)] = e
    probe = rx.PyGraph()  # fast planarity checks; networkx embeds the result
    probe.add_nodes_from(range(n + len(left_out)))
    probe.add_edges_from_no_data([k for k in drawn if k[0] < k[1]])
    split: list[int] = []  # the unit of each copy; copy i is vertex n + i
    copies: dict[int, list[int]] = {}
    # most-shared units first, so that one copy can take several left-out edges
    count = Counter(int(u) for e in left_out for u in edges[e])
    for e in sorted(left_out, key=lambda e: (-max(count[int(u)] for u in edges[e]), e)):
        a, b = (int(t) for t in edges[e])
        ends = sorted((a, b), key=lambda u: (-count[u], u))
        target = None
        for w in ends:  # an existing copy of either end, if the graph stays planar
            other = b if w == a else a
            for c in copies.get(w, []):
                k = probe.add_edge(c, other, None)
                if rx.is_planar(probe):
                    target = (c, other)
                    break
                probe.remove_edge_from_index(k)
            if target:
                break
        if target is None:  # a new copy: a pendant edge keeps the graph planar
            w = ends[0]
            c = n + len(split)
            split.append(w)
            copies.setdefault(w, []).append(c)
            target = (c, b if w == a else a)
            probe.add_edge(*target, None)
        drawn[target] = drawn[target[::-1]] = e
    graph = nx.Graph(list(drawn))
    graph.add_nodes_from(range(n + len(split)))
    planar, embedding = nx.check_planarity(graph)
    if not planar:  # cannot happen: every step kept it planar
        return None
    limit = 2 + 2 * len(split)
    faces = [f for f, _ in _faces(embedding, drawn) if all_faces or sum(f.values()) > limit]
    return SplitFaces(faces, split)


def fewest_copies(n: int, edges: np.ndarray, left_out: list[int]) -> SplitFaces | None:
    """:func:`split_faces` for the given left-out edges and for those of the greedy planar
    subgraph with the edges taken in order and in reverse, whichever needs the fewest
    copies (the lowest limit on every face; on the US counties 8, 6 and 4 copies)."""
    edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    options = [sorted(left_out)]
    for order in (np.arange(len(edges)), np.arange(len(edges))[::-1]):
        other = sorted(_left_out(n, edges, order))
        if other not in options:
            options.append(other)
    found = [s for s in (split_faces(n, edges, o) for o in options) if s is not None]
    return min(found, key=lambda s: len(s.split), default=None)
