"""The solvers answer with a ``SolverResult``; only ``solve()`` makes the checked ``Plan``."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from secession.plan import solve
from secession.plan.check import check_plan
from secession.plan.exact import solve_exact
from secession.plan.fast import solve_fast
from secession.plan.model import Plan, PlanConstraints
from secession.plan.problem import Problem
from secession.plan.result import SolverResult
from secession.plan.solve import to_plan
from secession.plan.synthetic import synthetic_planar_graph


@pytest.fixture(scope="module")
def problem() -> Problem:
    return Problem.build(synthetic_planar_graph(40, seed=3), PlanConstraints())


def test_solvers_return_a_frozen_result_not_a_plan(problem: Problem) -> None:
    fast = solve_fast(problem, seed=0)
    exact = solve_exact(problem, time_limit=30, warm_start=fast.assignment)
    for result in (fast, exact):
        assert isinstance(result, SolverResult) and not isinstance(result, Plan)
        assert result.assignment.shape == (problem.units.n_units,)
        assert check_plan(problem.units, problem.unit_constraints, result.assignment) == []
        with pytest.raises(dataclasses.FrozenInstanceError):
            result.proven = not result.proven  # type: ignore[misc]
    assert fast.bound is None and fast.solver == "fast"
    assert exact.proven and exact.bound is not None and exact.solver == "exact"
    assert exact.stats["nodes"] >= 0


def test_solve_records_the_checkers_verdict_on_its_final_plan() -> None:
    g = synthetic_planar_graph(40, seed=3)
    for solver in ("fast", "exact", "auto"):
        plan = solve(g, solver=solver, time_limit=30)
        verdict = plan.stats["check"]
        assert verdict["checker"] == "secession.plan.check.check_plan"
        assert verdict["valid"] is (check_plan(g, plan.constraints, plan.country) == [])
        assert verdict["valid"] and verdict["violations"] == 0


def test_to_plan_records_a_broken_assignment_as_invalid(problem: Problem) -> None:
    # a solver bug must show in the plan's stats (and warn), never be hidden
    g = problem.units
    broken = np.zeros(g.n_units, dtype=np.int64)
    far = np.flatnonzero(g.component == g.component[0])
    broken[[far[0], far[-1]]] = 1  # two units far apart: one new country in two pieces
    assert check_plan(g, problem.constraints, broken) != []
    result = SolverResult(broken, None, False, "test", 0.0)
    with pytest.warns(RuntimeWarning, match="fails the independent checker"):
        plan = to_plan(problem, result)
    assert plan.stats["check"]["valid"] is False
    assert plan.stats["check"]["violations"] >= 1
    assert plan.labels == ["stay", str(g.leave_label or "leave")]


def test_to_plan_expands_a_level_to_the_original_units() -> None:
    graph = synthetic_planar_graph(300, seed=2)
    problem = Problem.build(graph, PlanConstraints(level="block"))
    result = solve_fast(problem, seed=0)
    assert result.assignment.shape == (problem.units.n_units,)
    plan = to_plan(problem, result)
    assert plan.country.shape == (graph.n_units,)
    assert plan.stats["level_units"] == problem.units.n_units < graph.n_units
    assert plan.stats["check"]["valid"]
    assert (plan.country == problem.expand(result.assignment)).all()
    assert (problem.contract(plan.country) == result.assignment).all()


def test_a_level_plan_proven_by_the_fast_solver_has_no_gap() -> None:
    """On a level, the fast solver proves a plan that gives every group its majority side:
    the plan's bound is then the level's own bound, never the finer units' (a plan must
    not read 'proven optimal' beside a gap)."""
    graph = synthetic_planar_graph(300, seed=2)
    problem = Problem.build(graph, PlanConstraints(level="block"))
    plan = to_plan(problem, solve_fast(problem, seed=0))
    assert plan.best_bound <= problem.units.upper_bound <= graph.upper_bound
    if plan.proven_optimal:
        assert plan.best_bound == pytest.approx(plan.satisfied_voters) and plan.gap == 0
    else:
        assert plan.best_bound == pytest.approx(problem.units.upper_bound)
    for solver in ("fast", "exact"):
        p = solve(graph, PlanConstraints(level="block"), solver=solver, time_limit=20)
        assert p.best_bound >= p.satisfied_voters - 1e-6
        assert not p.proven_optimal or p.gap == pytest.approx(0, abs=1e-9), (solver, p.gap)
