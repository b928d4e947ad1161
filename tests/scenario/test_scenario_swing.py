"""Moving vote shares: uniform swing, Monte Carlo draws, and the --swing range syntax."""

from __future__ import annotations

import numpy as np
import pytest

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph
from secession.scenario.swing import parse_range, perturb, shift_shares, swing


def _graph() -> UnitGraph:
    return UnitGraph.from_edges(
        ids=["a", "b", "c", "d"],
        leave=[600.0, 300.0, 20.0, 0.0],
        stay=[400.0, 700.0, 980.0, 0.0],
        other=[10.0, 0.0, 5.0, 3.0],
        edges=np.array([[0, 1], [1, 2], [2, 3]]),
    )


def test_swing_moves_shares_and_keeps_totals() -> None:
    g = _graph()
    moved = swing(g, 5)
    assert np.allclose(moved.leave + moved.stay, g.leave + g.stay)
    assert np.allclose(moved.leave[:3], [650.0, 350.0, 70.0])
    assert np.array_equal(moved.other, g.other) and np.array_equal(moved.population, g.population)
    # a unit without two-side votes stays empty; the unit at 2% clips at 0
    assert moved.leave[3] == 0 and moved.stay[3] == 0
    back = swing(g, -5)
    assert back.leave[2] == 0.0 and back.stay[2] == 1000.0


def test_shift_shares_per_unit() -> None:
    leave, stay = shift_shares(
        np.array([50.0, 50.0]), np.array([50.0, 150.0]), np.array([0.1, 0.9])
    )
    assert np.allclose(leave, [60.0, 200.0]) and np.allclose(stay, [40.0, 0.0])


def test_perturb_is_seeded_per_draw() -> None:
    g = _graph()
    a, na = perturb(g, seed=7, draw=3)
    b, nb = perturb(g, seed=7, draw=3)
    c, nc = perturb(g, seed=7, draw=4)
    assert np.array_equal(a.leave, b.leave) and na == nb
    assert not np.array_equal(a.leave, c.leave) and na != nc
    assert np.allclose(a.leave + a.stay, g.leave + g.stay)
    # no noise at all leaves the votes as they are
    same, n0 = perturb(g, seed=1, draw=0, unit_sigma=0, national_sigma=0)
    assert n0 == 0 and np.allclose(same.leave, g.leave)


def test_parse_range() -> None:
    assert parse_range("-5..5") == [float(v) for v in range(-5, 6)]
    assert parse_range("-1..1", 0.5) == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert parse_range("2,-2,0") == [-2.0, 0.0, 2.0]
    for bad in ("a..b", "", "-60..0"):
        with pytest.raises(DataError):
            parse_range(bad)


@pytest.mark.parametrize("bad", ["nan", "-5..nan", "inf", "-1e12..1e12"])
def test_parse_range_rejects_non_finite_and_huge(bad: str) -> None:
    with pytest.raises(DataError, match="between -50 and 50"):
        parse_range(bad)


def test_a_tiny_step_is_refused_before_building_the_list():
    with pytest.raises(DataError, match="re-plans; at most 1001"):
        parse_range("-5..5", step=1e-9)
    assert len(parse_range("-50..50", step=0.1)) == 1001
