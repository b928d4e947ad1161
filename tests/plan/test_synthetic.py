"""Synthetic planar graphs: planar, connected, seeded, with spatially correlated votes."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from secession.exceptions import DataError
from secession.plan.synthetic import synthetic_planar_graph


def test_planar_connected_and_triangulated() -> None:
    g = synthetic_planar_graph(3000, seed=7)
    assert g.n_units == 3000
    assert g.n_components == 1
    planar, _ = nx.check_planarity(g.to_networkx())
    assert planar
    # a Delaunay triangulation of n points has at most 3n - 6 edges, and close to it
    assert 2.5 * 3000 < g.n_edges <= 3 * 3000 - 6


def test_deterministic_for_a_seed() -> None:
    a = synthetic_planar_graph(1000, seed=3)
    b = synthetic_planar_graph(1000, seed=3)
    c = synthetic_planar_graph(1000, seed=4)
    assert np.array_equal(a.indices, b.indices) and np.array_equal(a.leave, b.leave)
    assert not np.array_equal(a.leave, c.leave)


def test_votes_are_spatially_correlated_and_counts_consistent() -> None:
    g = synthetic_planar_graph(5000, seed=1)
    share = g.leave / (g.leave + g.stay)
    e = g.edges()
    # neighbours vote alike: correlation of the leave share across edges (Moran-like)
    r = np.corrcoef(share[e[:, 0]], share[e[:, 1]])[0, 1]
    assert r > 0.4
    shuffled = np.random.default_rng(0).permutation(share)
    assert abs(np.corrcoef(shuffled[e[:, 0]], shuffled[e[:, 1]])[0, 1]) < 0.1
    assert (g.population > 0).all()
    assert (g.leave + g.stay + g.other <= g.population).all()
    assert ((share > 0.5).mean() > 0.2) and ((share > 0.5).mean() < 0.8)
    assert len(set(g.groups["block"])) > 50


def test_too_small_is_an_error() -> None:
    with pytest.raises(DataError, match="at least 3 units"):
        synthetic_planar_graph(2, seed=0)
