"""Monte Carlo bookkeeping: matching a draw's countries to the plan's, and probabilities."""

from __future__ import annotations

import numpy as np

from secession.scenario.sensitivity import match_countries, probabilities


def test_draw_countries_take_the_label_they_overlap_most() -> None:
    base = np.array([0, 1, 1, 2, 2, 0])
    pop = np.array([1, 10, 10, 5, 5, 1], dtype=float)
    # the draw numbers its countries the other way round and adds a new one at unit 5
    draw = np.array([0, 2, 2, 1, 1, 3])
    assert match_countries(base, draw, pop).tolist() == [0, 1, 1, 2, 2, -1]


def test_probabilities_sum_to_one_per_unit() -> None:
    base = np.array([0, 1, 1, 0])
    pop = np.ones(4)
    draws = [np.array([0, 1, 1, 0]), np.array([0, 1, 0, 0]), np.array([1, 0, 0, 0]), None]
    p = probabilities(base, draws, pop, 2)
    assert p.shape == (4, 3)
    assert np.allclose(p.sum(axis=1), 1.0)
    # unit 0 leaves in one of three feasible draws, into a country the plan does not have
    assert np.allclose(p[0], [2 / 3, 0, 1 / 3])
    assert np.allclose(p[1], [1 / 3, 2 / 3, 0])
    assert np.allclose(p[2], [2 / 3, 1 / 3, 0])
    assert np.allclose(p[3], [1, 0, 0])
