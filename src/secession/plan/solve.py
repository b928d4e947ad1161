"""``solve``: the one entry point of the planner (level aggregation, solver choice).

``solver="exact"`` runs the branch-and-cut solver of :mod:`secession.plan.exact`, seeded
with the fast solver's plan (up to :data:`QUICK_START_MAX_UNITS` units its construction
alone, and its full search too if SCIP does not prove the plan); ``"fast"`` runs
:func:`secession.plan.fast.solve_fast` only;
``"auto"`` runs the fast solver, then the exact one when the instance has at most
:data:`AUTO_EXACT_MAX_UNITS` units and :data:`AUTO_EXACT_MAX_VARIABLES` unit variables
(units times new-country slots), and returns the better plan with the proven bound.

On instances of at least :data:`INTENSIFY_MIN_UNITS` units the exact path keeps
:data:`INTENSIFY_SHARE` of the time limit back; when SCIP has not proven its plan by then,
:func:`secession.plan.improve.improve` spends it improving the best plan (the bound stays
SCIP's): ruin-and-recreate, then windows of the plan solved exactly. With a second core
that search runs in another process for the whole time instead. On the national counties
the plan is what more time improves; the bound hardly moves after SCIP's root (see
``docs/planner.md``).
"""

from __future__ import annotations

import time
import warnings
from dataclasses import replace

import numpy as np

from secession.exceptions import DataError, InfeasiblePlanError
from secession.geo.graph import UnitGraph
from secession.plan.check import check_plan, messages
from secession.plan.labels import country_labels
from secession.plan.metrics import satisfied_voters
from secession.plan.model import Plan, PlanConstraints
from secession.plan.reductions import check_seed

AUTO_EXACT_MAX_UNITS = 5_000
AUTO_EXACT_MAX_VARIABLES = 50_000
# With several new countries the exact model is harder: one copy of every unit per country
# slot with ``max_countries = K``; with any number, pooled countries whose root bound
# converges slowly (national counties, countries of >= 500,000 voters: gap 0.29% after
# 60 s), so ``auto`` keeps such instances small.
AUTO_EXACT_MAX_UNITS_MULTI = 500
# Up to this size the exact path starts from the fast solver's construction only: SCIP
# proves these in milliseconds, and the fast solver's full search took most of the time
# (Utah's 29 counties: 83 ms, of which SCIP 8 ms).
QUICK_START_MAX_UNITS = 100
# `secession plan --solver exact` warns above this many unit variables (that instance had
# about a million).
LARGE_EXACT_VARIABLES = 250_000
# From this size on, the fast solver also runs on the swapped graph and its complement
# seeds the exact solver when better (about 0.1 s more per run; small instances are
# proven optimal anyway, large ones end at the time limit with the best plan found).
COMPLEMENT_MIN_UNITS = 1_000
# Instances of at least this many units, solved exactly, keep INTENSIFY_SHARE of the time
# limit to improve the best plan when SCIP has not proven it (states: well below; the
# national counties and PA's 9,059 VTDs: above).
INTENSIFY_MIN_UNITS = 1_000
INTENSIFY_SHARE = 0.4
BACKGROUND_MARGIN = 1.0  # seconds the second process stops before the limit
BACKGROUND_GRACE = 5.0  # seconds its answer may come after the limit before it is dropped
SOLVERS = ("auto", "exact", "fast")


def solve(
    graph: UnitGraph,
    constraints: PlanConstraints = PlanConstraints(),
    *,
    solver: str = "auto",
    time_limit: float = 60.0,
    seed: int = 0,
    progress: bool = False,
) -> Plan:
    """Best plan for ``graph`` under ``constraints``.

    Raises :class:`~secession.exceptions.InfeasiblePlanError` when no plan meets the
    constraints and :class:`~secession.exceptions.DataError` for unknown ids or levels.

    Example
    -------
    >>> import numpy as np
    >>> from secession.geo.graph import UnitGraph
    >>> g = UnitGraph.from_edges(["a", "b", "c"], [5, 1, 4], [1, 6, 1],
    ...                          np.array([[0, 1], [1, 2]]))
    >>> plan = solve(g, solver="exact")
    >>> plan.country.tolist(), plan.satisfied_voters, plan.upper_bound, plan.proven_optimal
    ([1, 0, 0], 12.0, 15.0, True)
    """
    if solver not in SOLVERS:
        raise DataError(f"unknown solver {solver!r} (choose one of {', '.join(SOLVERS)})")
    seed = check_seed(seed)
    t0 = time.perf_counter()
    if constraints.level is None:
        plan = _solve_units(graph, constraints, solver, time_limit, seed, progress)
    else:
        plan = _solve_level(graph, constraints, solver, time_limit, seed, progress)
    return replace(
        plan,
        seconds=time.perf_counter() - t0,
        # A solver that proved nothing better reports the unconstrained upper bound.
        best_bound=float(min(max(plan.best_bound, plan.satisfied_voters), plan.upper_bound)),
        stats={**plan.stats, "check": final_check(graph, constraints, plan.country)},
    )


def final_check(
    graph: UnitGraph, constraints: PlanConstraints, country: np.ndarray
) -> dict[str, object]:
    """The independent checker's verdict on the plan ``solve()`` returns, for its stats.

    A violation here is a solver bug: it is recorded (``valid`` false, the first sentences)
    and warned about, never hidden.
    """
    t0 = time.perf_counter()
    found = check_plan(graph, constraints, country)
    verdict: dict[str, object] = {
        "checker": "secession.plan.check.check_plan",
        "valid": not found,
        "violations": len(found),
        "seconds": round(time.perf_counter() - t0, 4),
    }
    if found:
        verdict["first"] = messages(found[:3])
        warnings.warn(
            "the planner's plan fails the independent checker: " + "; ".join(verdict["first"]),
            RuntimeWarning,
            stacklevel=3,
        )
    return verdict


def _solve_units(
    graph: UnitGraph,
    constraints: PlanConstraints,
    solver: str,
    time_limit: float,
    seed: int,
    progress: bool,
) -> Plan:
    from secession.plan.exact import exact_size, solve_exact
    from secession.plan.reductions import prepare

    prepare(graph, constraints)  # id and conflict errors first, from one place
    fast_plan = None
    try:
        from secession.plan.fast import solve_fast
    except ImportError:  # the exact path works without the fast solver's warm start
        solve_fast = None
    multi = constraints.max_countries != 1 and constraints.contiguous_new
    too_big = (
        graph.n_units > AUTO_EXACT_MAX_UNITS
        or (multi and graph.n_units > AUTO_EXACT_MAX_UNITS_MULTI)
        or exact_size(graph, constraints) > AUTO_EXACT_MAX_VARIABLES
    )
    fast_answers = solver == "fast" or (solver == "auto" and too_big)
    quick = not fast_answers and graph.n_units <= QUICK_START_MAX_UNITS
    if solve_fast is not None:
        try:
            fast_plan = solve_fast(
                graph, constraints, seed=seed, time_limit=time_limit, search=not quick
            )
        except InfeasiblePlanError:
            if solver == "fast":
                raise
        if (
            fast_plan is not None
            and solver != "fast"
            and graph.n_units >= COMPLEMENT_MIN_UNITS
            and _symmetric(constraints)
        ):
            fast_plan = _better_complement(graph, constraints, fast_plan, seed, time_limit)
    if fast_answers:
        if fast_plan is None:
            raise InfeasiblePlanError("the fast solver found no plan meeting the constraints")
        return replace(
            fast_plan, labels=country_labels(graph, int(fast_plan.country.max(initial=0)))
        )
    start = fast_plan.country if fast_plan is not None else None
    spent = fast_plan.seconds if fast_plan is not None else 0.0
    # Large instances: SCIP works on the bound while a second process improves the plan;
    # with one core, a share of the time is kept to improve the plan after SCIP.
    worth = _worth_intensifying(graph, fast_plan)
    search = None
    if worth:
        from secession.plan import background

        budget = max(0.0, time_limit - spent - BACKGROUND_MARGIN)
        search = background.start_search(
            graph, constraints, fast_plan.country, seconds=budget, seed=seed
        )
    held_back = INTENSIFY_SHARE * time_limit if worth and search is None else 0.0
    try:
        plan = solve_exact(
            graph,
            constraints,
            time_limit=max(1.0, time_limit - spent - held_back),
            seed=seed,
            progress=progress,
            warm_start=start,
        )
    except BaseException:
        if search is not None:
            search.stop()
        raise
    if quick and fast_plan is not None and not plan.proven_optimal:
        # a small instance SCIP did not prove: the fast solver's full search as well
        fast_plan = solve_fast(graph, constraints, seed=seed, time_limit=time_limit)
    if fast_plan is not None and fast_plan.satisfied_voters > plan.satisfied_voters:
        plan = _take(plan, graph, fast_plan.country)
    stats = {
        **plan.stats,
        "fast_satisfied": None if fast_plan is None else fast_plan.satisfied_voters,
    }
    found = None
    if search is not None and plan.proven_optimal:
        search.stop()
    elif search is not None:
        left = time_limit - spent - plan.seconds
        found = search.result(timeout=left + BACKGROUND_GRACE)
        where = "second process"
    elif held_back and not plan.proven_optimal:
        from secession.plan import improve

        left = time_limit - spent - plan.seconds
        found = improve.improve(graph, constraints, plan.country, seconds=left, seed=seed)
        where = "after SCIP"
    if found is not None:
        country, found_stats = found
        intensify = {**found_stats, "where": where}
        country = _best_per_component(graph, constraints, plan.country, country)
        # the plan came from another process (or a long search): trust the checker
        problems = check_plan(graph, constraints, country)
        if problems:
            intensify["rejected"] = messages(problems[:3])
        elif satisfied_voters(graph, country) > plan.satisfied_voters:
            plan = _take(plan, graph, country)
        stats["intensify"] = intensify
    return replace(
        plan, stats=stats, solver="auto (fast + exact)" if solver == "auto" else plan.solver
    )


def _worth_intensifying(graph: UnitGraph, fast_plan: Plan | None) -> bool:
    """A large instance with a fast plan short of the unconstrained bound."""
    return (
        fast_plan is not None
        and graph.n_units >= INTENSIFY_MIN_UNITS
        and fast_plan.satisfied_voters < fast_plan.upper_bound
    )


def _take(plan: Plan, graph: UnitGraph, country: np.ndarray) -> Plan:
    """``plan`` with ``country`` as its assignment (a better valid plan than the one it has)."""
    country = np.asarray(country, dtype=np.int64)
    return replace(
        plan,
        country=country,
        labels=country_labels(graph, int(country.max(initial=0))),
        satisfied_voters=satisfied_voters(graph, country),
    )


def _best_per_component(
    graph: UnitGraph, constraints: PlanConstraints, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """``b``, or, when the input components are independent (one new country, no minimum
    population), the better of ``a`` and ``b`` in each component: SCIP proves the small
    components (Alaska, Hawaii) that the search in the second process started from the
    fast plan."""
    if constraints.max_countries != 1 or constraints.min_population > 0:
        return b
    w = graph.leave - graph.stay
    comp = graph.component
    gain_a = np.bincount(comp, weights=w * (np.asarray(a) > 0), minlength=graph.n_components)
    gain_b = np.bincount(comp, weights=w * (np.asarray(b) > 0), minlength=graph.n_components)
    take_a = (gain_a > gain_b)[comp]
    return np.where(take_a, a, b).astype(np.int64)


def _symmetric(c: PlanConstraints) -> bool:
    """One new country, both sides contiguous, nothing that tells the sides apart: the
    complement of a valid plan is valid, with the same satisfied voters on the swapped
    graph."""
    return (
        c.contiguous_new
        and c.contiguous_rest
        and c.max_countries == 1
        and c.min_population <= 0
        and c.consent is None
        and not c.lock_leave
        and not c.lock_stay
    )


def _better_complement(
    graph: UnitGraph, constraints: PlanConstraints, plan: Plan, seed: int, time_limit: float
) -> Plan:
    """The fast plan, or the complement of the fast plan of the swapped graph if better."""
    from secession.plan.fast import solve_fast

    try:
        other = solve_fast(graph.swapped(), constraints, seed=seed, time_limit=time_limit)
    except InfeasiblePlanError:
        return plan
    country = (other.country == 0).astype(np.int64)
    satisfied = satisfied_voters(graph, country)
    if satisfied <= plan.satisfied_voters:
        return plan
    return replace(
        plan,
        country=country,
        satisfied_voters=satisfied,
        seconds=plan.seconds + other.seconds,
        stats={**plan.stats, "complement": True},
    )


def _solve_level(
    graph: UnitGraph,
    constraints: PlanConstraints,
    solver: str,
    time_limit: float,
    seed: int,
    progress: bool,
) -> Plan:
    """Plan on whole groups: aggregate, solve, and give each unit its group's country."""
    from secession.plan.reductions import level_constraints

    level = constraints.level
    inner_constraints, labels = level_constraints(graph, constraints)
    agg = graph.aggregate(level, dissolve=False)
    inner = _solve_units(agg, inner_constraints, solver, time_limit, seed, progress)
    pos = np.asarray([agg.index[x] for x in labels], dtype=np.int64)
    country = inner.country[pos]
    return Plan(
        graph=graph,
        country=country,
        labels=inner.labels,
        satisfied_voters=satisfied_voters(graph, country),
        upper_bound=graph.upper_bound,
        best_bound=inner.best_bound,
        proven_optimal=inner.proven_optimal,
        solver=inner.solver,
        seconds=inner.seconds,
        constraints=constraints,
        stats={**inner.stats, "level": level, "level_units": agg.n_units},
    )
