"""Separator cuts: every separator found really separates, and is minimal towards the
other side (each of its units touches both the piece and the region of the other side)."""

from __future__ import annotations

import numpy as np
import pytest

from secession.plan.separation import Csr, minimal_separator, pieces, separate
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


@pytest.mark.parametrize("seed", range(8))
def test_minimal_separators_separate_and_are_minimal(seed: int) -> None:
    g = synthetic_planar_graph(400, seed=seed)
    adj = Csr.of(g.adjacency_matrix())
    rng = np.random.default_rng(seed)
    checked = 0
    for _ in range(10):
        scope = rng.random(g.n_units) < 0.97 if seed % 2 else np.ones(g.n_units, dtype=bool)
        k, lab = pieces(adj, (rng.random(g.n_units) < 0.45) & scope)
        if k < 2:
            continue
        main = lab == 0
        for p in range(1, min(k, 8)):
            part = lab == p
            for a, b in ((part, main), (main, part)):
                sep = np.zeros(g.n_units, dtype=bool)
                sep[minimal_separator(adj, a, b, scope)] = True
                assert not (sep & (a | b)).any()
                reached = _reach(adj, a, scope & ~sep)
                assert not (reached & b).any()  # no path from a to b avoiding sep
                # every unit of sep borders a; and b's side of the cut reaches it
                region = _reach(adj, b, scope & ~sep & ~a)
                for v in np.flatnonzero(sep).tolist():
                    nb = adj.indices[adj.indptr[v] : adj.indptr[v + 1]]
                    assert a[nb].any()
                    assert region[nb].any() or not region.any()
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
