"""Contiguity repair for the fast solver: keep the best pieces of a side, join them by corridors.

A *side* is a boolean mask (the leaving units, or the staying ones). Its pieces are the
connected components of the induced subgraph. A multi-source Dijkstra from every unit of
the side (node cost = the loss of flipping that unit onto the side) gives each other unit
its nearest piece; every graph edge between two such regions is a corridor between two
pieces. The minimum spanning forest of these corridors, pruned by a tree dynamic program
(piece prizes against corridor costs), decides which pieces are joined and which dropped.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from numba import njit

EPS = 1e-7
BIG = 1e15


@njit(cache=True)
def label_same(indptr, indices, key):  # pragma: no cover - compiled
    """Pieces of equal ``key`` (units with a negative key are skipped, label -1)."""
    n = len(key)
    label = np.full(n, -1, dtype=np.int64)
    queue = np.empty(n, dtype=np.int64)
    count = 0
    for s in range(n):
        if key[s] < 0 or label[s] >= 0:
            continue
        label[s] = count
        head = 0
        tail = 1
        queue[0] = s
        while head < tail:
            x = queue[head]
            head += 1
            for j in range(indptr[x], indptr[x + 1]):
                y = indices[j]
                if label[y] < 0 and key[y] == key[s]:
                    label[y] = count
                    queue[tail] = y
                    tail += 1
        count += 1
    return count, label


@njit(cache=True)
def touching(indptr, indices, mask):  # pragma: no cover - compiled
    """Units adjacent to ``mask`` (units of ``mask`` only if they have a neighbour in it)."""
    n = len(mask)
    out = np.zeros(n, np.bool_)
    for v in range(n):
        if mask[v]:
            for j in range(indptr[v], indptr[v + 1]):
                out[indices[j]] = True
    return out


def pieces(indptr: np.ndarray, indices: np.ndarray, mask: np.ndarray) -> tuple[int, np.ndarray]:
    """Number of pieces of ``mask`` and a piece label per unit (-1 off the side)."""
    key = np.where(mask, 0, -1).astype(np.int64)
    k, label = label_same(indptr, indices, key)
    return int(k), label


@njit(cache=True)
def _voronoi(indptr, indices, piece, cost_in, limit=np.inf):  # pragma: no cover - compiled
    """Multi-source Dijkstra from every unit with ``piece >= 0``; node costs on entry.

    Units farther than ``limit`` are left unreached (distance ``inf``).
    """
    n = len(piece)
    dist = np.full(n, np.inf)
    pred = np.full(n, -1, dtype=np.int64)
    region = np.full(n, -1, dtype=np.int64)
    heap = [(0.0, np.int64(0))]
    heap.pop()
    for i in range(n):
        if piece[i] >= 0:
            dist[i] = 0.0
            region[i] = piece[i]
            heap.append((0.0, np.int64(i)))
    heapq.heapify(heap)
    while heap:
        d, x = heapq.heappop(heap)
        if d > dist[x]:
            continue
        for j in range(indptr[x], indptr[x + 1]):
            y = indices[j]
            c = cost_in[y]
            if not np.isfinite(c):
                continue
            nd = d + c
            if nd < dist[y] and nd <= limit:
                dist[y] = nd
                pred[y] = x
                region[y] = region[x]
                heapq.heappush(heap, (nd, y))
    return dist, pred, region


@njit(cache=True)
def _kruskal(k, a, b, cost):  # pragma: no cover - compiled
    """Indices of a minimum spanning forest over ``k`` nodes (edges in any order)."""
    order = np.argsort(cost, kind="mergesort")
    parent = np.arange(k)
    out = np.empty(len(a), dtype=np.int64)
    m = 0
    for t in range(len(order)):
        i = order[t]
        x = a[i]
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        y = b[i]
        while parent[y] != y:
            parent[y] = parent[parent[y]]
            y = parent[y]
        if x != y:
            parent[y] = x
            out[m] = i
            m += 1
    return out[:m]


@dataclass
class Corridors:
    """Pieces of a side and the cheapest corridor between neighbouring pieces."""

    n_pieces: int
    piece: np.ndarray  # piece label per unit, -1 off the side
    pred: np.ndarray  # Dijkstra predecessor per unit (-1 at sources / unreachable)
    a: np.ndarray  # piece pair (a, b), corridor cost, and the graph edge (u, v) it crosses
    b: np.ndarray
    cost: np.ndarray
    u: np.ndarray
    v: np.ndarray


def corridors(
    indptr: np.ndarray, indices: np.ndarray, mask: np.ndarray, add_cost: np.ndarray
) -> Corridors:
    """Voronoi regions of the pieces of ``mask`` and the cheapest corridor per piece pair.

    ``add_cost[i]`` is the loss of moving unit ``i`` onto the side (``inf``: never).
    """
    n = len(mask)
    n_pieces, piece = pieces(indptr, indices, mask)
    empty = np.zeros(0, dtype=np.int64)
    if n_pieces <= 1:
        none = np.full(n, -1)
        return Corridors(n_pieces, piece, none, empty, empty, empty * 1.0, empty, empty)
    cost_in = np.where(mask, 0.0, add_cost) + EPS
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    dist, pred, region = _voronoi(indptr, indices, piece, cost_in)
    ru, rv = region[rows], region[indices]
    cross = (ru >= 0) & (rv >= 0) & (ru < rv)
    eu, ev = rows[cross].astype(np.int64), indices[cross].astype(np.int64)
    c = dist[eu] + dist[ev]
    a, b = ru[cross], rv[cross]
    order = np.lexsort((c, b, a))
    a, b, c, eu, ev = a[order], b[order], c[order], eu[order], ev[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    return Corridors(
        n_pieces, piece, pred.astype(np.int64), a[first], b[first], c[first], eu[first], ev[first]
    )


def spanning_forest(cor: Corridors) -> np.ndarray:
    """Indices (into the corridor arrays) of a minimum spanning forest of the pieces."""
    if len(cor.a) == 0:
        return np.zeros(0, dtype=np.int64)
    return _kruskal(cor.n_pieces, cor.a, cor.b, cor.cost)


@njit(cache=True)
def _best_subtrees(k, ea, eb, ecost, prize):  # pragma: no cover - compiled
    """Per tree of the forest, the connected subtree with the largest prize minus cost.

    Returns the chosen pieces, the tree of each piece and the value of each tree's best.
    """
    deg = np.zeros(k + 1, dtype=np.int64)
    for i in range(len(ea)):
        deg[ea[i] + 1] += 1
        deg[eb[i] + 1] += 1
    ptr = np.cumsum(deg)
    adj = np.empty(2 * len(ea), dtype=np.int64)
    acost = np.empty(2 * len(ea), dtype=np.float64)
    fill = ptr[:-1].copy()
    for i in range(len(ea)):
        adj[fill[ea[i]]] = eb[i]
        acost[fill[ea[i]]] = ecost[i]
        fill[ea[i]] += 1
        adj[fill[eb[i]]] = ea[i]
        acost[fill[eb[i]]] = ecost[i]
        fill[eb[i]] += 1
    seen = np.zeros(k, dtype=np.bool_)
    parent = np.full(k, -1, dtype=np.int64)
    pcost = np.zeros(k, dtype=np.float64)
    value = np.zeros(k, dtype=np.float64)
    chosen = np.zeros(k, dtype=np.bool_)
    order = np.empty(k, dtype=np.int64)
    tree = np.zeros(k, dtype=np.int64)
    tree_value = np.zeros(k, dtype=np.float64)
    n_trees = 0
    for root in range(k):
        if seen[root]:
            continue
        n_trees += 1
        # BFS order of this tree
        head = 0
        tail = 0
        order[tail] = root
        tail += 1
        seen[root] = True
        while head < tail:
            x = order[head]
            head += 1
            for j in range(ptr[x], ptr[x + 1]):
                y = adj[j]
                if not seen[y]:
                    seen[y] = True
                    parent[y] = x
                    pcost[y] = acost[j]
                    order[tail] = y
                    tail += 1
        for t in range(tail - 1, -1, -1):
            x = order[t]
            value[x] += prize[x]
            if parent[x] >= 0 and value[x] - pcost[x] > 0:
                value[parent[x]] += value[x] - pcost[x]
        best = -1
        for t in range(tail):
            x = order[t]
            tree[x] = n_trees - 1
            if best < 0 or value[x] > value[best]:
                best = x
        tree_value[n_trees - 1] = value[best]
        if value[best] <= 0:
            continue
        # take best and every child subtree worth its corridor
        chosen[best] = True
        for t in range(tail):
            x = order[t]
            if x != best and parent[x] >= 0 and chosen[parent[x]] and value[x] - pcost[x] > 0:
                chosen[x] = True
    return chosen, tree, tree_value[:n_trees]


@njit(cache=True)
def _paint_paths(mask, pred, us, vs):  # pragma: no cover - compiled
    for i in range(len(us)):
        for start in (us[i], vs[i]):
            x = start
            while x >= 0 and not mask[x]:
                mask[x] = True
                x = pred[x]


def add_corridors(mask: np.ndarray, cor: Corridors, edge_ids: np.ndarray) -> np.ndarray:
    """A copy of ``mask`` with the units of the given corridors moved onto the side."""
    out = mask.copy()
    if len(edge_ids):
        _paint_paths(out, cor.pred, cor.u[edge_ids], cor.v[edge_ids])
    return out


def keep_best_connected(
    indptr: np.ndarray,
    indices: np.ndarray,
    mask: np.ndarray,
    prize: np.ndarray,
    add_cost: np.ndarray,
    must: np.ndarray,
    comp: np.ndarray,
) -> np.ndarray:
    """One piece per input component: join the worthwhile pieces, drop the others.

    ``prize`` is each unit's value on the side; pieces holding a ``must`` unit are kept
    when they can be joined; ``comp`` is the input component of each unit.
    Returns the new side mask (dropped pieces leave it, corridor units join it).
    """
    cor = corridors(indptr, indices, mask, add_cost)
    if cor.n_pieces == 0:
        return mask.copy()
    on = cor.piece >= 0
    piece_prize = np.bincount(cor.piece[on], weights=prize[on], minlength=cor.n_pieces)
    piece_prize += BIG * np.bincount(cor.piece[on], weights=must[on], minlength=cor.n_pieces)
    forest = spanning_forest(cor)
    chosen, tree, tree_value = _best_subtrees(
        cor.n_pieces, cor.a[forest], cor.b[forest], cor.cost[forest], piece_prize
    )
    # one tree per input component: the most valuable one (trees split by blocked units)
    piece_comp = np.zeros(cor.n_pieces, dtype=np.int64)
    piece_comp[cor.piece[on]] = comp[on]
    tree_comp = np.zeros(len(tree_value), dtype=np.int64)
    tree_comp[tree] = piece_comp
    order = np.lexsort((-tree_value, tree_comp))
    first = np.ones(len(order), dtype=bool)
    first[1:] = tree_comp[order][1:] != tree_comp[order][:-1]
    best_tree = np.zeros(len(tree_value), dtype=bool)
    best_tree[order[first]] = True
    chosen &= best_tree[tree]
    used = forest[chosen[cor.a[forest]] & chosen[cor.b[forest]]]
    keep = mask & np.where(on, chosen[np.maximum(cor.piece, 0)], False)
    return add_corridors(keep, cor, used)


def merge_small(
    indptr: np.ndarray,
    indices: np.ndarray,
    mask: np.ndarray,
    prize: np.ndarray,
    add_cost: np.ndarray,
    pop: np.ndarray,
    min_pop: float,
) -> np.ndarray:
    """Join pieces below ``min_pop`` to neighbours through corridors worth their cost.

    Kruskal over corridors by cost: a corridor is taken when one of its two groups is
    still below the minimum and the corridor costs less than that group's prize.
    """
    cor = corridors(indptr, indices, mask, add_cost)
    if cor.n_pieces <= 1:
        return mask.copy()
    on = cor.piece >= 0
    k = cor.n_pieces
    gpop = np.bincount(cor.piece[on], weights=pop[on], minlength=k)
    gval = np.bincount(cor.piece[on], weights=prize[on], minlength=k)
    parent = np.arange(k)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    taken = []
    for i in np.argsort(cor.cost, kind="stable").tolist():
        ra, rb = find(int(cor.a[i])), find(int(cor.b[i]))
        if ra == rb:
            continue
        small_a, small_b = gpop[ra] < min_pop, gpop[rb] < min_pop
        if not (small_a or small_b):
            continue
        worth = (gval[ra] if small_a else 0.0) + (gval[rb] if small_b else 0.0)
        if cor.cost[i] >= worth:
            continue
        parent[rb] = ra
        gpop[ra] += gpop[rb]
        gval[ra] += gval[rb] - cor.cost[i]
        taken.append(i)
    return add_corridors(mask, cor, np.asarray(taken, dtype=np.int64))


SPH_MAX_PIECES = 400  # above this many pieces, join by the spanning forest instead
SPH_MAX_WORK = 50_000_000  # ... or above this many pieces times units


def _with_holes(indptr, indices, side, prize, comp) -> np.ndarray:
    """``side`` plus every other-side piece that is not the best one of its component."""
    n_other, other = pieces(indptr, indices, ~side)
    if n_other <= 1:
        return side
    on = other >= 0
    value = np.bincount(other[on], weights=-prize[on], minlength=n_other)
    piece_comp = np.zeros(n_other, dtype=np.int64)
    piece_comp[other[on]] = comp[on]
    order = np.lexsort((-value, piece_comp))
    first = np.ones(n_other, dtype=bool)
    first[1:] = piece_comp[order][1:] != piece_comp[order][:-1]
    keep = np.zeros(n_other, dtype=bool)
    keep[order[first]] = True
    return side | (on & ~keep[np.maximum(other, 0)])


def grow_connected(
    indptr: np.ndarray,
    indices: np.ndarray,
    mask: np.ndarray,
    prize: np.ndarray,
    add_cost: np.ndarray,
    must: np.ndarray,
    comp: np.ndarray,
) -> np.ndarray:
    """One piece per input component, grown from the best piece by shortest paths.

    Repeatedly joins the piece whose cheapest path from the grown set gains the most,
    counting the holes the new path would enclose (they would join the side too); a
    piece whose join does not pay is skipped. Falls back to :func:`keep_best_connected`
    when there are too many pieces for one shortest-path search per piece.
    """
    k, piece = pieces(indptr, indices, mask)
    if k <= 1:
        return mask.copy()
    if k > SPH_MAX_PIECES or k * len(mask) > SPH_MAX_WORK:
        return keep_best_connected(indptr, indices, mask, prize, add_cost, must, comp)
    on = piece >= 0
    value = np.bincount(piece[on], weights=prize[on], minlength=k)
    value += BIG * np.bincount(piece[on], weights=must[on], minlength=k)
    piece_comp = np.zeros(k, dtype=np.int64)
    piece_comp[piece[on]] = comp[on]
    order = np.lexsort((-value, piece_comp))
    first = np.ones(k, dtype=bool)
    first[1:] = piece_comp[order][1:] != piece_comp[order][:-1]
    roots = order[first]
    roots = roots[value[roots] > 0]
    tree = on & np.isin(piece, roots)
    cost_in = np.where(mask, 0.0, add_cost) + EPS
    skipped = np.zeros(k, dtype=bool)
    current = float(prize[_with_holes(indptr, indices, tree, prize, comp)].sum())
    while True:
        seeds = np.where(tree, 0, -1).astype(np.int64)
        open_value = value[~skipped & ~np.isin(np.arange(k), np.unique(piece[tree]))]
        if len(open_value) == 0:
            break
        dist, pred, _ = _voronoi(indptr, indices, seeds, cost_in, float(open_value.max()))
        reach = np.full(k, np.inf)
        at = np.full(k, -1, dtype=np.int64)
        outside = on & ~tree & ~skipped[np.maximum(piece, 0)]
        idx = np.flatnonzero(outside)
        if len(idx) == 0:
            break
        # cheapest entry unit of every candidate piece
        srt = idx[np.lexsort((dist[idx], piece[idx]))]
        head = np.ones(len(srt), dtype=bool)
        head[1:] = piece[srt][1:] != piece[srt][:-1]
        reach[piece[srt[head]]] = dist[srt[head]]
        at[piece[srt[head]]] = srt[head]
        gain = value - reach
        gain[skipped] = -np.inf
        gain[np.isin(np.arange(k), np.unique(piece[tree]))] = -np.inf
        best = int(np.argmax(gain))
        if not np.isfinite(gain[best]) or gain[best] <= 0:
            break
        trial = tree | (piece == best)
        x = int(at[best])
        while x >= 0 and not tree[x]:
            trial[x] = True
            x = int(pred[x])
        trial = trial | (on & np.isin(piece, np.unique(piece[_touching(indptr, indices, trial)])))
        new = float(prize[_with_holes(indptr, indices, trial, prize, comp)].sum())
        if new > current or value[best] >= BIG:
            tree, current = trial, new
        else:
            skipped[best] = True
    return tree


def _touching(indptr, indices, side) -> np.ndarray:
    """Units next to ``side`` (or on it)."""
    return touching(indptr, indices, np.ascontiguousarray(side, dtype=np.bool_)) | side
