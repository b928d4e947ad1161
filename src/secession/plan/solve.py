"""``solve``: the one entry point of the planner (level aggregation, solver choice).

``solver="exact"`` runs the branch-and-cut solver of :mod:`secession.plan.exact`, seeded
with the fast solver's plan; ``"fast"`` runs :func:`secession.plan.fast.solve_fast` only;
``"auto"`` runs the fast solver, then the exact one when the instance has at most
:data:`AUTO_EXACT_MAX_UNITS` units and :data:`AUTO_EXACT_MAX_VARIABLES` unit variables
(units times new-country slots), and returns the better plan with the proven bound.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from secession.exceptions import DataError, InfeasiblePlanError
from secession.geo.graph import UnitGraph
from secession.plan.labels import country_labels
from secession.plan.model import Plan, PlanConstraints

AUTO_EXACT_MAX_UNITS = 5_000
AUTO_EXACT_MAX_VARIABLES = 50_000
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
    t0 = time.perf_counter()
    if constraints.level is None:
        plan = _solve_units(graph, constraints, solver, time_limit, seed, progress)
    else:
        plan = _solve_level(graph, constraints, solver, time_limit, seed, progress)
    plan.seconds = time.perf_counter() - t0
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
    too_big = graph.n_units > AUTO_EXACT_MAX_UNITS or (
        exact_size(graph, constraints) > AUTO_EXACT_MAX_VARIABLES
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


def _solve_level(
    graph: UnitGraph,
    constraints: PlanConstraints,
    solver: str,
    time_limit: float,
    seed: int,
    progress: bool,
) -> Plan:
    """Plan on whole groups: aggregate, solve, and give each unit its group's country."""
    level = constraints.level
    if level not in graph.groups:
        raise DataError(
            f"level {level!r} is not a grouping of this graph "
            f"(have: {', '.join(sorted(graph.groups)) or 'none'})"
        )
    labels = np.asarray(graph.groups[level]).astype(str)

    def groups_of(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({labels[graph.index_of(u)] for u in ids}))

    leave_groups, stay_groups = groups_of(constraints.lock_leave), groups_of(constraints.lock_stay)
    clash = sorted(set(leave_groups) & set(stay_groups))
    if clash:
        raise InfeasiblePlanError(
            f"{level} {clash[0]} holds units locked to leave and units locked to stay"
        )
    agg = graph.aggregate(level, dissolve=False)
    inner_constraints = replace(
        constraints, level=None, lock_leave=leave_groups, lock_stay=stay_groups
    )
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
