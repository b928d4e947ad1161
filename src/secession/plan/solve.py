"""``solve``: the one entry point of the planner (level aggregation, solver choice).

``solver="exact"`` runs the branch-and-cut solver of :mod:`secession.plan.exact`, seeded
with the fast solver's plan (up to ``quick_start_max_units`` units its construction
alone, and its full search too if SCIP does not prove the plan; the sizes and shares
named here are fields of :class:`~secession.plan.options.SolverOptions`); ``"fast"`` runs
:func:`secession.plan.fast.solve_fast` only;
``"auto"`` runs the fast solver, then the exact one when the instance has at most
``auto_exact_max_units`` units and ``auto_exact_max_variables`` unit variables
(units times new-country slots), and returns the better plan with the proven bound.

On instances of at least ``intensify_min_units`` units the exact path keeps
``intensify_share`` of the time limit back; when SCIP has not proven its plan by then,
:func:`secession.plan.improve.improve` spends it improving the best plan (the bound stays
SCIP's): ruin-and-recreate, then windows of the plan solved exactly. With a second core
that search runs in another process for the whole time instead. On the national counties
the plan is what more time improves; the bound hardly moves after SCIP's root (see
``docs/planner.md``).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from secession.exceptions import DataError, InfeasiblePlanError, PlanStopped
from secession.geo.graph import UnitGraph
from secession.plan.background import start_search
from secession.plan.check import check_plan, messages
from secession.plan.exact import exact_size, solve_exact
from secession.plan.fast import solve_fast
from secession.plan.improve import improve
from secession.plan.labels import country_labels
from secession.plan.metrics import satisfied_voters, two_side_votes
from secession.plan.model import Plan, PlanConstraints
from secession.plan.options import DEFAULT_OPTIONS, SolverOptions
from secession.plan.problem import Problem
from secession.plan.reductions import check_seed

SOLVERS = ("auto", "exact", "fast")


@dataclass(frozen=True)
class Progress:
    """Where ``solve`` is: reported to a ``progress`` callback at each stage.

    ``satisfied_voters`` is the best plan so far (``None`` before one exists),
    ``best_bound`` the best proven bound so far (the unconstrained upper bound until a
    solver proves better), ``elapsed`` seconds since ``solve`` began.
    """

    stage: str  # "started", "fast", "exact", "done"
    satisfied_voters: float | None
    best_bound: float
    upper_bound: float
    two_side_votes: float
    elapsed: float

    @property
    def satisfied_share(self) -> float | None:
        if self.satisfied_voters is None or self.two_side_votes <= 0:
            return None
        return self.satisfied_voters / self.two_side_votes

    @property
    def gap(self) -> float | None:
        """Relative gap between the best plan and the bound (``None`` without a plan)."""
        if self.satisfied_voters is None:
            return None
        if self.best_bound <= 0:
            return 0.0
        return max(0.0, self.best_bound - self.satisfied_voters) / self.best_bound

    def to_dict(self) -> dict[str, object]:
        return {
            "stage": self.stage,
            "satisfied_voters": self.satisfied_voters,
            "satisfied_share": self.satisfied_share,
            "best_bound": self.best_bound,
            "upper_bound": self.upper_bound,
            "gap": self.gap,
            "elapsed": round(self.elapsed, 3),
        }


ProgressCallback = Callable[[Progress], None]
Report = Callable[[str, "float | None", float], None]


def solve(
    graph: UnitGraph,
    constraints: PlanConstraints = PlanConstraints(),
    *,
    solver: str = "auto",
    time_limit: float = 60.0,
    seed: int = 0,
    progress: bool | ProgressCallback = False,
    options: SolverOptions = DEFAULT_OPTIONS,
) -> Plan:
    """Best plan for ``graph`` under ``constraints``; ``options`` tunes the solvers.

    ``progress``: ``True`` prints SCIP's log; a callable receives a :class:`Progress` as
    each stage ends (started, fast plan, exact plan, done). The callable may raise
    :class:`~secession.exceptions.PlanStopped` to stop the solve (a cooperative stop: it
    is seen at the next stage).

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
    report = _reporter(graph, progress, t0)
    report("started", None, graph.upper_bound)
    problem = Problem.build(graph, constraints)  # id and conflict errors first, once
    inner = _solve_units(problem, solver, time_limit, seed, progress is True, options, report)
    country = problem.expand(inner.country)
    satisfied = satisfied_voters(graph, country)
    # A solver that proved nothing better reports the unconstrained upper bound.
    bound = float(min(max(inner.best_bound, satisfied), graph.upper_bound))
    report("done", satisfied, bound)
    stats = dict(inner.stats)
    if problem.group_of is not None:
        stats |= {"level": constraints.level, "level_units": problem.units.n_units}
    return Plan(
        graph=graph,
        country=country,
        labels=country_labels(graph, int(country.max(initial=0))),
        satisfied_voters=satisfied,
        upper_bound=graph.upper_bound,
        best_bound=bound,
        proven_optimal=inner.proven_optimal,
        solver=inner.solver,
        seconds=time.perf_counter() - t0,
        constraints=constraints,
        stats={**stats, "check": final_check(graph, constraints, country)},
    )


def _reporter(graph: UnitGraph, progress: bool | ProgressCallback, t0: float) -> Report:
    """``report(stage, satisfied, bound)``: calls the ``progress`` callable, if any."""
    if not callable(progress):
        return lambda stage, satisfied, bound: None
    two = float(two_side_votes(graph))

    def report(stage: str, satisfied: float | None, bound: float) -> None:
        progress(
            Progress(
                stage=stage,
                satisfied_voters=None if satisfied is None else float(satisfied),
                best_bound=float(min(bound, graph.upper_bound)),
                upper_bound=float(graph.upper_bound),
                two_side_votes=two,
                elapsed=time.perf_counter() - t0,
            )
        )

    return report


def start_value(graph: UnitGraph, start: np.ndarray | None) -> float:
    """Satisfied voters of the warm start (0 without one)."""
    return 0.0 if start is None else satisfied_voters(graph, start)


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
    problem: Problem,
    solver: str,
    time_limit: float,
    seed: int,
    progress: bool,
    options: SolverOptions,
    report: Report,
) -> Plan:
    """The plan of ``problem.units`` (the caller expands it to the original graph)."""
    graph, constraints, prepared = problem.units, problem.unit_constraints, problem.prepared
    fast_plan = None
    multi = constraints.max_countries != 1 and constraints.contiguous_new
    too_big = (
        graph.n_units > options.auto_exact_max_units
        or (multi and graph.n_units > options.auto_exact_max_units_multi)
        or exact_size(graph, constraints, prepared) > options.auto_exact_max_variables
    )
    fast_answers = solver == "fast" or (solver == "auto" and too_big)
    quick = not fast_answers and graph.n_units <= options.quick_start_max_units
    try:
        fast_plan = solve_fast(
            graph,
            constraints,
            seed=seed,
            time_limit=time_limit,
            search=not quick,
            prepared=prepared,
        )
    except InfeasiblePlanError:
        if solver == "fast":
            raise
    if (
        fast_plan is not None
        and solver != "fast"
        and graph.n_units >= options.complement_min_units
        and _symmetric(constraints)
    ):
        fast_plan = _better_complement(graph, constraints, fast_plan, seed, time_limit)
    if fast_plan is not None:
        report("fast", fast_plan.satisfied_voters, graph.upper_bound)
    if fast_answers:
        if fast_plan is None:
            raise InfeasiblePlanError("the fast solver found no plan meeting the constraints")
        return fast_plan
    start = fast_plan.country if fast_plan is not None else None
    spent = fast_plan.seconds if fast_plan is not None else 0.0
    # Large instances: SCIP works on the bound while a second process improves the plan;
    # with one core, a share of the time is kept to improve the plan after SCIP.
    worth = _worth_intensifying(graph, fast_plan, options)
    search = None
    if worth:
        budget = max(0.0, time_limit - spent - options.background_margin)
        search = start_search(
            graph, constraints, fast_plan.country, seconds=budget, seed=seed, options=options
        )
    held_back = options.intensify_share * time_limit if worth and search is None else 0.0
    try:
        plan = solve_exact(
            graph,
            constraints,
            time_limit=max(1.0, time_limit - spent - held_back),
            seed=seed,
            progress=progress,
            warm_start=start,
            options=options,
            prepared=prepared,
        )
    except BaseException:
        if search is not None:
            search.stop()
        raise
    try:
        report("exact", max(plan.satisfied_voters, start_value(graph, start)), plan.best_bound)
    except PlanStopped:
        if search is not None:
            search.stop()
        raise
    if quick and fast_plan is not None and not plan.proven_optimal:
        # a small instance SCIP did not prove: the fast solver's full search as well
        fast_plan = solve_fast(
            graph, constraints, seed=seed, time_limit=time_limit, prepared=prepared
        )
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
        found = search.result(timeout=left + options.background_grace)
        where = "second process"
    elif held_back and not plan.proven_optimal:
        left = time_limit - spent - plan.seconds
        search_plan = options.improver or improve
        found = search_plan(
            graph, constraints, plan.country, seconds=left, seed=seed, options=options
        )
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


def _worth_intensifying(graph: UnitGraph, fast_plan: Plan | None, options: SolverOptions) -> bool:
    """A large instance with a fast plan short of the unconstrained bound."""
    return (
        fast_plan is not None
        and graph.n_units >= options.intensify_min_units
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
