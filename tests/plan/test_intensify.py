"""More search on large instances: ``intensify`` and the share of time ``solve`` gives it."""

from __future__ import annotations

import importlib
import multiprocessing as mp
from dataclasses import dataclass

import numpy as np
import pytest

from secession.plan.check import check_plan, satisfied
from secession.plan.improve import intensify
from secession.plan.model import PlanConstraints
from secession.plan.options import SolverOptions
from secession.plan.solve import fast_plan, solve
from secession.plan.synthetic import synthetic_planar_graph

solve_module = importlib.import_module("secession.plan.solve")  # the name is the function
ONE_PROCESS = SolverOptions(background=False)  # the plan search after SCIP, not beside it

CONSTRAINTS = [
    PlanConstraints(),
    PlanConstraints(contiguous_rest=False, consent=0.4),
    PlanConstraints(max_countries=None, min_population=1.0),  # set per graph below
    PlanConstraints(max_countries=2),
]


@pytest.mark.parametrize("index", range(len(CONSTRAINTS)))
def test_valid_and_never_worse_than_its_start(index: int) -> None:
    g = synthetic_planar_graph(1500, seed=20 + index)
    cons = CONSTRAINTS[index]
    if cons.min_population == 1.0:
        cons = PlanConstraints(max_countries=None, min_population=float(g.population.sum()) / 12)
    start = fast_plan(g, cons, seed=1)
    country, stats = intensify(g, cons, start.country, seconds=1.5, seed=1)
    assert check_plan(g, cons, country) == []
    assert satisfied(g, country) >= start.satisfied_voters
    assert stats["gain"] == pytest.approx(satisfied(g, country) - start.satisfied_voters)
    assert stats["rounds"] >= 1


def test_an_invalid_start_comes_back_unchanged() -> None:
    g = synthetic_planar_graph(300, seed=4)
    everyone_but_one = np.ones(g.n_units, dtype=np.int64)
    everyone_but_one[g.indices[g.indptr[0] : g.indptr[1]]] = 0  # unit 0 cut off from the rest
    assert check_plan(g, PlanConstraints(), everyone_but_one) != []
    country, stats = intensify(g, PlanConstraints(), everyone_but_one, seconds=5)
    assert np.array_equal(country, everyone_but_one) and stats["rounds"] == 0


@pytest.mark.parametrize("where", ["second process", "after SCIP"])
def test_solve_improves_the_plan_of_large_instances(where: str) -> None:
    """A 2,000-unit instance that SCIP does not prove in a few seconds: the plan returned is
    the improved one, valid, at least as good as the fast plan, with SCIP's bound; on one
    core (no second process) the time is shared instead."""
    options = ONE_PROCESS if where == "after SCIP" else SolverOptions()
    if where == "second process" and start_search_unavailable():
        pytest.skip("no fork or a single core here: the second-process path cannot run")
    g = synthetic_planar_graph(2000, seed=5)
    fast = fast_plan(g, PlanConstraints(), seed=0)
    # on a busy machine SCIP can use a short budget up before the search runs a round:
    # the budget grows until it does (every plan on the way is checked the same)
    for limit in (6, 20, 60):
        plan = solve(
            g, PlanConstraints(), solver="exact", time_limit=limit, seed=0, options=options
        )
        assert check_plan(g, PlanConstraints(), plan.country) == []
        assert plan.satisfied_voters == pytest.approx(satisfied(g, plan.country))
        assert plan.satisfied_voters >= fast.satisfied_voters
        assert plan.satisfied_voters <= plan.best_bound <= plan.upper_bound
        assert len(plan.labels) == int(plan.country.max()) + 1
        if plan.proven_optimal:
            pytest.skip("SCIP proved this instance; nothing left to improve")
        stats = plan.stats["intensify"]
        if stats["rounds"] >= 1:
            break
    assert stats["where"] == where and stats["rounds"] >= 1
    # the search started from the fast plan (second process) or from a plan at least as good
    assert plan.satisfied_voters >= fast.satisfied_voters + stats["gain"] - 1e-6


def start_search_unavailable() -> bool:
    import multiprocessing as mp

    from secession.plan.improve.background import _usable_cores

    return "fork" not in mp.get_all_start_methods() or _usable_cores() < 2


def test_small_instances_hold_nothing_back() -> None:
    g = synthetic_planar_graph(2000, seed=5)
    never = SolverOptions(intensify_min_units=10**9)
    plan = solve(g, PlanConstraints(), solver="exact", time_limit=2, seed=0, options=never)
    # no search after SCIP, and no second process was started
    assert "intensify" not in plan.stats and mp.active_children() == []


def test_a_proven_plan_stops_the_second_process() -> None:
    from secession.plan.improve.background import start_search

    if start_search_unavailable():
        pytest.skip("no fork or a single core here")
    g = synthetic_planar_graph(1500, seed=2)
    start = fast_plan(g, PlanConstraints(), seed=0).country
    search = start_search(g, PlanConstraints(), start, seconds=300, seed=0)
    assert search is not None and search._process.is_alive()
    search.stop()
    assert not search._process.is_alive()
    # a search that ends in time answers with a valid plan no worse than its start
    search = start_search(g, PlanConstraints(), start, seconds=1.0, seed=0)
    country, stats = search.result(timeout=30)
    assert check_plan(g, PlanConstraints(), country) == []
    assert satisfied(g, country) >= satisfied(g, start) and stats["rounds"] >= 1


def test_components_keep_the_better_part_of_each_plan() -> None:
    """One new country, no minimum: each input component takes the better of two plans."""
    from secession.geo.graph import UnitGraph

    # two components: a-b-c and d-e
    g = UnitGraph.from_edges(
        ["a", "b", "c", "d", "e"],
        [5, 1, 4, 9, 1],
        [1, 6, 1, 1, 9],
        np.array([[0, 1], [1, 2], [3, 4]]),
    )
    a = np.array([1, 0, 0, 0, 0])  # good in the first component, nothing in the second
    b = np.array([0, 0, 0, 1, 0])  # nothing in the first, good in the second
    merged = solve_module._best_per_component(g, PlanConstraints(), a, b)
    assert merged.tolist() == [1, 0, 0, 1, 0]
    assert check_plan(g, PlanConstraints(), merged) == []
    several = PlanConstraints(max_countries=None, min_population=1.0)
    assert solve_module._best_per_component(g, several, a, b).tolist() == b.tolist()


def _search_from_a_daemon(queue) -> None:
    from secession.plan.improve.background import start_search

    g = synthetic_planar_graph(200, seed=1)
    queue.put(start_search(g, PlanConstraints(), np.zeros(g.n_units), seconds=1, seed=0))


def test_workers_that_may_not_have_children_fall_back() -> None:
    """Dask and pool workers are daemon processes: starting a child there would fail."""
    import multiprocessing as mp

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("no fork here")
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    worker = ctx.Process(target=_search_from_a_daemon, args=(queue,), daemon=True)
    worker.start()
    assert queue.get(timeout=60) is None
    worker.join()
    assert worker.exitcode == 0


def test_threads_other_than_the_main_one_fall_back() -> None:
    """``secession scenario`` without sweeps solves on Dask threads: no fork from there."""
    import threading

    from secession.plan.improve.background import start_search

    g = synthetic_planar_graph(200, seed=1)
    got = []
    thread = threading.Thread(
        target=lambda: got.append(
            start_search(g, PlanConstraints(), np.zeros(g.n_units), seconds=1, seed=0)
        )
    )
    thread.start()
    thread.join()
    assert got == [None]


@dataclass(frozen=True)
class _Broken:
    """An improver (the ``Improver`` protocol) that answers with a fixed, invalid plan."""

    country: np.ndarray

    def __call__(self, graph, constraints, country, *, seconds, seed=0, options=None):
        return self.country, {"rounds": 1}


def test_a_searched_plan_that_fails_the_checker_is_not_taken() -> None:
    """Whatever the search returns passes the independent checker before it replaces the
    solver's plan: here every unit on its majority side, in many pieces."""
    g = synthetic_planar_graph(2000, seed=5)
    broken = (g.leave > g.stay).astype(np.int64)
    assert check_plan(g, PlanConstraints(), broken) != []
    assert satisfied(g, broken) > fast_plan(g, PlanConstraints(), seed=0).satisfied_voters
    # SCIP stops after its root, unproven, so the search after it always runs
    options = ONE_PROCESS.with_(improver=_Broken(broken), scip_params={"limits/nodes": 1})
    plan = solve(g, PlanConstraints(), solver="exact", time_limit=4, seed=0, options=options)
    assert check_plan(g, PlanConstraints(), plan.country) == []
    assert not plan.proven_optimal
    assert plan.stats["intensify"]["rejected"]
    assert not np.array_equal(plan.country, broken)
