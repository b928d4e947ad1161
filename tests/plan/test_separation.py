"""Separator cuts: the batched separators equal the definition computed one piece at a
time; every separator really separates; a small search budget only adds units."""

from __future__ import annotations

import numpy as np
import pytest

from secession.plan.kernels.separation import Csr, PieceSearch, pieces, separate, separators_to_main
from secession.plan.synthetic import synthetic_planar_graph


def _reach(adj: Csr, start: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    seen = start & allowed
    queue = list(np.flatnonzero(seen))
    while queue:
        v = queue.pop()
        for u in adj.indices[adj.indptr[v] : adj.indptr[v + 1]].tolist():
            if allowed[u] and not seen[u]:
                seen[u] = True
                queue.append(u)
    return seen


def reference_separator(
    adj: Csr, part: np.ndarray, other: np.ndarray, scope: np.ndarray
) -> np.ndarray:
    """The definition, one piece at a time: the units of ``N(part)`` (in scope) that touch
    the region reachable from ``other`` without entering ``part`` or ``N(part)``; all of
    ``N(part)`` when none does."""
    boundary = np.zeros(len(part), dtype=bool)
    for v in np.flatnonzero(part).tolist():
        boundary[adj.indices[adj.indptr[v] : adj.indptr[v + 1]]] = True
    boundary &= scope & ~part
    region = _reach(adj, other & ~boundary, scope & ~part & ~boundary)
    sep = [
        v
        for v in np.flatnonzero(boundary).tolist()
        if region[adj.indices[adj.indptr[v] : adj.indptr[v + 1]]].any()
    ]
    return np.asarray(sep if sep else np.flatnonzero(boundary).tolist(), dtype=np.int64)


def _cases(seeds: range):
    """Random scopes and roundings on synthetic maps: (adj, scope, lab, k, main piece)."""
    for seed in seeds:
        g = synthetic_planar_graph(400, seed=seed)
        adj = Csr.of(g.adjacency_matrix())
        rng = np.random.default_rng(seed)
        for _ in range(6):
            scope = rng.random(g.n_units) < 0.97 if seed % 2 else np.ones(g.n_units, dtype=bool)
            k, lab = pieces(adj, (rng.random(g.n_units) < rng.uniform(0.3, 0.6)) & scope)
            if k >= 2:
                yield adj, scope, lab, k, int(rng.integers(k))


@pytest.mark.parametrize("seed", range(8))
def test_separators_equal_the_definition(seed: int) -> None:
    checked = 0
    for adj, scope, lab, k, m in _cases(range(seed, seed + 1)):
        main = lab == m
        ptr, to_main = separators_to_main(adj, main, scope, lab, k)
        search = PieceSearch(adj, main, scope)
        assert ptr[m + 1] == ptr[m]  # nothing for the main piece itself
        for p in range(k):
            if p == m:
                continue
            part = lab == p
            got = search.separator(np.flatnonzero(part), budget=10**9)
            assert np.array_equal(got, reference_separator(adj, part, main, scope))
            got = to_main[ptr[p] : ptr[p + 1]]
            assert np.array_equal(got, reference_separator(adj, main, part, scope))
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("seed", range(4))
def test_separators_separate_and_a_small_budget_only_adds_units(seed: int) -> None:
    checked = 0
    for adj, scope, lab, k, m in _cases(range(100 + seed, 101 + seed)):
        main = lab == m
        ptr, to_main = separators_to_main(adj, main, scope, lab, k)
        search = PieceSearch(adj, main, scope)
        for p in range(k):
            if p == m:
                continue
            part = lab == p
            exact = set(reference_separator(adj, part, main, scope).tolist())
            for a, b, found in (
                (part, main, search.separator(np.flatnonzero(part), budget=3)),
                (main, part, to_main[ptr[p] : ptr[p + 1]]),
            ):
                sep = np.zeros(len(lab), dtype=bool)
                sep[found] = True
                assert not (sep & (a | b)).any()
                assert not (_reach(adj, a, scope & ~sep) & b).any()  # no path around it
                for v in found.tolist():  # every unit borders the piece it surrounds
                    assert a[adj.indices[adj.indptr[v] : adj.indptr[v + 1]]].any()
            assert exact <= set(search.separator(np.flatnonzero(part), budget=3).tolist())
            checked += 1
    assert checked > 20


def test_cuts_are_violated_at_the_point_they_come_from() -> None:
    g = synthetic_planar_graph(300, seed=5)
    adj = Csr.of(g.adjacency_matrix())
    s = np.random.default_rng(5).random(g.n_units)
    scope = np.ones(g.n_units, dtype=bool)
    cuts = separate(adj, s, scope, threshold=0.6)
    assert cuts
    assert all(c.violation(s) > 0 for c in cuts)
