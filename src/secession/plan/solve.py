"""``solve``: the one entry point of the planner (level aggregation, solver choice).

``solver="exact"`` runs the branch-and-cut solver of :mod:`secession.plan.exact`, seeded
with the fast solver's plan; ``"fast"`` runs :func:`secession.plan.fast.solve_fast` only;
``"auto"`` runs the fast solver, then the exact one when the instance has at most
:data:`AUTO_EXACT_MAX_UNITS` units and :data:`AUTO_EXACT_MAX_VARIABLES` unit variables
(units times new-country slots), and returns the better plan with the proven bound.
"""

from __future__ import annotations

import time

import numpy as np

from secession.exceptions import DataError, InfeasiblePlanError
from secession.geo.graph import UnitGraph
from secession.plan.labels import country_labels
from secession.plan.model import Plan, PlanConstraints
from secession.plan.reductions import check_seed

AUTO_EXACT_MAX_UNITS = 5_000
AUTO_EXACT_MAX_VARIABLES = 50_000
# With several new countries the exact model holds one copy of every unit per country
# slot; measured on the 3,152 US counties (any number of countries of >= 500,000 voters)
# it overran a 60 s limit and used 5.9 GB, so ``auto`` keeps such instances small.
AUTO_EXACT_MAX_UNITS_MULTI = 500
# From this size on, the fast solver also runs on the swapped graph and its complement
# seeds the exact solver when better (about 0.1 s more per run; small instances are
# proven optimal anyway, large ones end at the time limit with the best plan found).
COMPLEMENT_MIN_UNITS = 1_000
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
    plan.seconds = time.perf_counter() - t0
    # A solver that proved nothing better reports the unconstrained upper bound.
    plan.best_bound = float(min(max(plan.best_bound, plan.satisfied_voters), plan.upper_bound))
    return plan


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
    if solve_fast is not None:
        try:
            fast_plan = solve_fast(graph, constraints, seed=seed, time_limit=time_limit)
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
    multi = constraints.max_countries != 1 and constraints.contiguous_new
    too_big = (
        graph.n_units > AUTO_EXACT_MAX_UNITS
        or (multi and graph.n_units > AUTO_EXACT_MAX_UNITS_MULTI)
        or exact_size(graph, constraints) > AUTO_EXACT_MAX_VARIABLES
    )
    if solver == "fast" or (solver == "auto" and too_big):
        if fast_plan is None:
            raise InfeasiblePlanError("the fast solver found no plan meeting the constraints")
        fast_plan.labels = country_labels(graph, int(fast_plan.country.max(initial=0)))
        return fast_plan
    start = fast_plan.country if fast_plan is not None else None
    spent = fast_plan.seconds if fast_plan is not None else 0.0
    plan = solve_exact(
        graph,
        constraints,
        time_limit=max(1.0, time_limit - spent),
        seed=seed,
        progress=progress,
        warm_start=start,
    )
    if fast_plan is not None and fast_plan.satisfied_voters > plan.satisfied_voters:
        plan.country = fast_plan.country
        plan.labels = country_labels(graph, int(fast_plan.country.max(initial=0)))
        plan.satisfied_voters = fast_plan.satisfied_voters
    if solver == "auto":
        plan.solver = "auto (fast + exact)"
    plan.stats["fast_satisfied"] = None if fast_plan is None else fast_plan.satisfied_voters
    return plan


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
    leaves = other.country == 0
    satisfied = float(graph.leave[leaves].sum() + graph.stay[~leaves].sum())
    if satisfied <= plan.satisfied_voters:
        return plan
    plan.country = leaves.astype(np.int64)
    plan.satisfied_voters = satisfied
    plan.seconds += other.seconds
    plan.stats = {**plan.stats, "complement": True}
    return plan


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
    leaves = country > 0
    return Plan(
        graph=graph,
        country=country,
        labels=inner.labels,
        satisfied_voters=float(graph.leave[leaves].sum() + graph.stay[~leaves].sum()),
        upper_bound=graph.upper_bound,
        best_bound=inner.best_bound,
        proven_optimal=inner.proven_optimal,
        solver=inner.solver,
        seconds=inner.seconds,
        constraints=constraints,
        stats={**inner.stats, "level": level, "level_units": agg.n_units},
    )
