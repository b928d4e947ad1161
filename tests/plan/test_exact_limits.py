"""The exact planner when SCIP stops early: a finite bound, the time limit kept, and the
best plan of every source kept."""

from __future__ import annotations

import time

import numpy as np
from scipy import sparse

from secession.plan.solve import exact_plan
from secession.plan.synthetic import synthetic_planar_graph


def test_bound_is_finite_and_limit_kept_when_root_lp_unsolved() -> None:
    g = synthetic_planar_graph(4000, seed=1)
    t0 = time.perf_counter()
    plan = exact_plan(g, time_limit=0.01, warm_start=np.zeros(g.n_units, dtype=np.int64))
    elapsed = time.perf_counter() - t0
    assert not plan.proven_optimal
    # SCIP reports 1e20 before its root LP; the planner caps it by the trivial bound
    assert plan.satisfied_voters <= plan.best_bound <= g.upper_bound + 1e-6
    assert elapsed < 30  # one model build and a capped SCIP run, not a full solve


def test_warm_start_is_kept_by_the_border_face_model() -> None:
    # The face inequalities add border variables; a warm start must set them too, or SCIP
    # rejects it and the exact run starts from nothing. A time limit far too short to
    # find a comparable plan itself shows the start was taken.
    from secession.plan.solve import fast_plan

    g = synthetic_planar_graph(3000, seed=2)
    start = fast_plan(g, seed=0)
    assert start.country.any()
    plan = exact_plan(g, time_limit=0.5, warm_start=start.country)
    assert plan.stats["faces"] > 0
    assert plan.satisfied_voters >= start.satisfied_voters


def test_no_model_built_after_the_time_limit() -> None:
    # several input components: once the limit is spent the rest keep the warm start's
    # plan with the trivial bound instead of each building a SCIP model
    from secession.geo.graph import UnitGraph
    from secession.plan.solve import fast_plan

    big = synthetic_planar_graph(3000, seed=3)
    edges = np.column_stack(sparse.triu(big.adjacency_matrix(), k=1).nonzero())
    n = big.n_units
    # ten small islands of two units each beside the large component
    island_edges = np.array([[n + 2 * i, n + 2 * i + 1] for i in range(10)])
    g = UnitGraph.from_edges(
        ids=[f"u{i}" for i in range(n + 20)],
        leave=np.concatenate([big.leave, np.full(20, 50.0)]),
        stay=np.concatenate([big.stay, np.tile([10.0, 90.0], 10)]),
        edges=np.vstack([edges, island_edges]),
    )
    start = fast_plan(g, seed=0).country
    plan = exact_plan(g, time_limit=0.01, warm_start=start)
    assert plan.stats["unsolved"] >= 10
    assert not plan.proven_optimal
    assert plan.satisfied_voters <= plan.best_bound <= g.upper_bound + 1e-6
    from secession.plan.check import check_plan

    assert check_plan(g, plan.constraints, plan.country) == []


def test_small_components_are_solved_before_the_large_one_takes_the_time() -> None:
    # a large component that is not proven within the limit and a small island whose best
    # plan is not the warm start's: the island gets its share first and is solved exactly
    from secession.geo.graph import UnitGraph

    big = synthetic_planar_graph(4000, seed=4)
    edges = np.column_stack(sparse.triu(big.adjacency_matrix(), k=1).nonzero())
    n = big.n_units
    island = np.array([[n, n + 1], [n + 1, n + 2], [n + 2, n + 3]])
    g = UnitGraph.from_edges(
        ids=[f"u{i}" for i in range(n + 4)],
        leave=np.concatenate([big.leave, [90.0, 60.0, 10.0, 80.0]]),
        stay=np.concatenate([big.stay, [10.0, 40.0, 90.0, 20.0]]),
        edges=np.vstack([edges, island]),
    )
    plan = exact_plan(g, time_limit=2.0, warm_start=np.zeros(g.n_units, dtype=np.int64))
    # island path a-b-c-d: leaving {a, b} (gain 80 + 20) beats {d} (60); both sides connected
    assert plan.country[n:].tolist() == [1, 1, 0, 0]
    assert "unsolved" not in plan.stats


def test_small_instance_not_proven_still_gets_the_fast_solvers_full_search() -> None:
    # up to 100 units the exact path starts from the construction alone; when SCIP stops
    # unproven (here: after its root), the fast solver's full search must still count
    from secession.plan.model import PlanConstraints
    from secession.plan.options import SolverOptions
    from secession.plan.solve import fast_plan, solve
    from secession.plan.synthetic import synthetic_planar_graph

    g = synthetic_planar_graph(90, seed=1)
    cons = PlanConstraints(max_countries=3, min_population=float(g.population.sum()) / 8)
    quick = fast_plan(g, cons, search=False).satisfied_voters
    full = fast_plan(g, cons).satisfied_voters
    assert quick < full  # the case where the full search matters
    root_only = SolverOptions(scip_params={"limits/nodes": 1})
    plan = solve(g, cons, solver="exact", options=root_only)
    assert not plan.proven_optimal
    assert plan.satisfied_voters >= full
