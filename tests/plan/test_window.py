"""Window search: a window's small graph has exactly the plans of the full graph that
differ inside the window (checked over every assignment of its units), and the search
returns valid plans, never worse than its start, optimal when a window covers the map."""

# These graphs have no coordinates: they test the rule of one piece per landmass as such
# (``exclaves="any"``); the exclave policies are tested in tests/plan/test_exclaves.py.

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pytest
from test_exact import planar_graph

from secession.geo.graph import UnitGraph
from secession.plan.check import check_plan, satisfied
from secession.plan.exact.planar import nearly_planar_faces
from secession.plan.fast.local_search import ball
from secession.plan.improve import improve
from secession.plan.improve.window import applies, window_graph, window_search
from secession.plan.model import PlanConstraints
from secession.plan.solve import exact_plan, fast_plan
from secession.plan.synthetic import synthetic_planar_graph

CONSTRAINTS = {
    "both contiguous": PlanConstraints(exclaves="any"),
    "rest may split": PlanConstraints(exclaves="any", contiguous_rest=False),
    "new may split": PlanConstraints(exclaves="any", contiguous_new=False),
    "size floor": PlanConstraints(exclaves="any", min_population=None),  # set per graph below
    "consent": PlanConstraints(exclaves="any", consent=0.45),
    "locks": PlanConstraints(
        exclaves="any", lock_leave=("lock",), lock_stay=("lock",)
    ),  # set below
    "two countries": PlanConstraints(exclaves="any", max_countries=2),
    "any number": PlanConstraints(exclaves="any", max_countries=None),
    "any number, size floor": PlanConstraints(
        exclaves="any", max_countries=None, min_population=None
    ),
}
# window units take these country numbers (the last one a country the plan does not have)
LABELS = {"two countries": 4, "any number": 4, "any number, size floor": 4}


def islands(seed: int) -> UnitGraph:
    """A random planar graph of 11 units plus an island of 3 (two input components)."""
    g = planar_graph(11, seed, holes=2)
    rng = np.random.default_rng(seed)
    edges = np.r_[g.edges(), [[11, 12], [12, 13]]]
    return UnitGraph.from_edges(
        [*g.ids.tolist(), "i1", "i2", "i3"],
        np.r_[g.leave, rng.integers(0, 50, 3)],
        np.r_[g.stay, rng.integers(0, 50, 3)],
        edges,
    )


def _constraints(name: str, g: UnitGraph, plan: np.ndarray) -> PlanConstraints:
    c = CONSTRAINTS[name]
    if name == "size floor":
        return replace(c, min_population=0.3 * float(g.population.sum()))
    if name == "any number, size floor":
        return replace(c, min_population=0.15 * float(g.population.sum()))
    if name == "locks":
        leaves = np.flatnonzero(plan > 0)
        stays = np.flatnonzero(plan == 0)
        return replace(c, lock_leave=tuple(g.ids[leaves[:1]]), lock_stay=tuple(g.ids[stays[:1]]))
    return c


def _base(g: UnitGraph, name: str) -> tuple[PlanConstraints, np.ndarray]:
    """A valid plan with something on both sides, and constraints it meets."""
    first = _constraints(name, g, np.zeros(g.n_units))
    if name == "locks":
        first = PlanConstraints(exclaves="any")
    plan = fast_plan(g, first, seed=0).country
    return _constraints(name, g, plan), plan


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("name", list(CONSTRAINTS))
def test_a_window_has_exactly_the_plans_of_the_full_graph(seed: int, name: str) -> None:
    g = islands(seed)
    cons, base = _base(g, name)
    assert check_plan(g, cons, base) == []
    rng = np.random.default_rng(seed)
    labels = LABELS.get(name, 2)
    units = ball(int(rng.integers(11)), 7 if labels == 2 else 5, g.indptr, g.indices)
    window = window_graph(g, cons, base, units)
    small = window.graph
    assert small.n_units < g.n_units
    assert np.array_equal(window.expand(window.start) > 0, base > 0)
    assert check_plan(small, window.constraints, window.start) == []
    w = g.leave - g.stay
    valid_full = valid_small = 0
    for bits in itertools.product(range(labels), repeat=len(units)):
        inside = np.asarray(bits, dtype=np.int64)
        small_plan = window.start.copy()
        small_plan[: len(units)] = inside
        full_plan = window.expand(small_plan)
        ok_full = check_plan(g, cons, full_plan) == []
        ok_small = check_plan(small, window.constraints, small_plan) == []
        assert ok_full == ok_small, (bits, check_plan(g, cons, full_plan))
        valid_full += ok_full
        valid_small += ok_small
        # the same change in satisfied voters on both graphs
        gain_full = satisfied(g, full_plan) - satisfied(g, base)
        gain_small = satisfied(small, small_plan) - satisfied(small, window.start)
        assert gain_full == pytest.approx(gain_small)
        assert gain_full == pytest.approx(float(w @ (full_plan > 0) - w @ (base > 0)))
    assert valid_full >= 1 and valid_full == valid_small


def test_outside_pieces_get_names_no_unit_has() -> None:
    g = synthetic_planar_graph(60, seed=3)
    ids = g.ids.copy()
    ids[:4] = ["(outside, leaving, piece 0)", "((outside, staying, piece 1)", "x", "y"]
    g = replace(g, ids=ids)
    base = fast_plan(g, PlanConstraints(exclaves="any"), seed=0).country
    window = window_graph(
        g, PlanConstraints(exclaves="any"), base, ball(30, 10, g.indptr, g.indices)
    )
    small_ids = window.graph.ids.tolist()
    assert len(set(small_ids)) == len(small_ids)
    outside = small_ids[len(window.units) :]
    assert outside and all(u.startswith("(((outside") for u in outside)


@pytest.mark.parametrize(
    "cons",
    [
        PlanConstraints(exclaves="any"),
        PlanConstraints(exclaves="any", contiguous_rest=False, consent=0.4),
        PlanConstraints(exclaves="any", min_population=1.0),  # set per graph below
        PlanConstraints(exclaves="any", max_countries=None, min_population=1.0),
    ],
)
def test_the_search_returns_valid_plans_never_worse(cons: PlanConstraints) -> None:
    g = synthetic_planar_graph(800, seed=11)
    if cons.min_population:
        share = 0.2 if cons.max_countries == 1 else 0.05
        cons = replace(cons, min_population=share * float(g.population.sum()))
    start = fast_plan(g, cons, seed=0, search=False).country
    country, stats = window_search(g, cons, start, seconds=3.0, seed=2)
    assert check_plan(g, cons, country) == []
    assert satisfied(g, country) >= satisfied(g, start)
    assert stats["steps"] >= 1 and stats["proven"] >= 1
    assert satisfied(g, country) - satisfied(g, start) == pytest.approx(stats["gain"])


def test_a_window_covering_the_map_finds_the_optimum() -> None:
    """60 units, windows of at least 100: one step solves the whole map exactly."""
    g = synthetic_planar_graph(60, seed=4)
    nobody = np.zeros(g.n_units, dtype=np.int64)
    country, stats = window_search(g, PlanConstraints(exclaves="any"), nobody, seconds=1.0, seed=0)
    optimum = exact_plan(g, PlanConstraints(exclaves="any"), time_limit=30)
    assert optimum.proven_optimal
    assert satisfied(g, country) == pytest.approx(optimum.satisfied_voters)
    assert stats["accepted"] >= 1
    assert check_plan(g, PlanConstraints(exclaves="any"), country) == []


@pytest.mark.parametrize(
    "cons",
    [
        PlanConstraints(exclaves="any", level="block"),
        PlanConstraints(exclaves="any", max_countries=2),
    ],
)
def test_a_level_or_at_most_k_countries_go_to_ruin_and_recreate(cons) -> None:
    g = synthetic_planar_graph(300, seed=6)
    assert not applies(cons) and applies(PlanConstraints(exclaves="any", max_countries=None))
    start = fast_plan(g, cons, seed=0, search=False).country
    country, stats = window_search(g, cons, start, seconds=1.0)
    assert np.array_equal(country, start) and stats["steps"] == 0
    if cons.level is None:
        country, stats = improve(g, cons, start, seconds=1.0)
        assert "window" not in stats and stats["rounds"] >= 1
        assert check_plan(g, cons, country) == []


def test_several_countries_keep_their_numbers_apart() -> None:
    """A window's plan may join or split countries; the full plan is numbered 1..k."""
    g = synthetic_planar_graph(400, seed=8)
    floor = 0.02 * float(g.population.sum())
    cons = PlanConstraints(exclaves="any", max_countries=None, min_population=floor)
    start = fast_plan(g, cons, seed=0, search=False).country
    assert start.max() >= 2
    country, stats = window_search(g, cons, start, seconds=3.0, seed=0)
    assert stats["steps"] >= 1 and stats["proven"] >= 1
    assert check_plan(g, cons, country) == []
    present = np.unique(country[country > 0])
    assert present.tolist() == list(range(1, len(present) + 1))
    assert satisfied(g, country) - satisfied(g, start) == pytest.approx(stats["gain"])


def test_improve_runs_both_searches() -> None:
    g = synthetic_planar_graph(1500, seed=8)
    start = fast_plan(g, PlanConstraints(exclaves="any"), seed=0, search=False).country
    country, stats = improve(g, PlanConstraints(exclaves="any"), start, seconds=3.0, seed=1)
    assert stats["rounds"] >= 1 and stats["window"]["steps"] >= 1
    assert check_plan(g, PlanConstraints(exclaves="any"), country) == []
    assert satisfied(g, country) - satisfied(g, start) == pytest.approx(stats["gain"])


def test_more_edge_orders_leave_out_no_more_edges() -> None:
    """The greedy planar subgraph depends on the edge order; the best of several orders
    never leaves out more edges than the given order, and here fewer at least once."""
    from test_exact_nonplanar import crossed_graph

    fewer = 0
    for seed in range(12):
        g = crossed_graph(40, seed, extra=12)
        one = nearly_planar_faces(g.n_units, g.edges())
        many = nearly_planar_faces(g.n_units, g.edges(), tries=8)
        assert one is not None and many is not None
        assert len(many.left_out) <= len(one.left_out)
        fewer += len(many.left_out) < len(one.left_out)
    assert fewer >= 1
