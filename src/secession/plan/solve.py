"""``solve``: the one entry point of the planner (level aggregation, solver choice).

``solver="exact"`` runs the branch-and-cut solver of :mod:`secession.plan.exact.solver`, seeded
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
from secession.plan.check import check_plan, messages
from secession.plan.exact.solver import exact_size, solve_exact
from secession.plan.fast.solver import solve_fast
from secession.plan.improve.background import start_search
from secession.plan.improve.search import improve
from secession.plan.labels import country_labels
from secession.plan.metrics import satisfied_voters, two_side_votes
from secession.plan.model import Plan, PlanConstraints
from secession.plan.options import DEFAULT_OPTIONS, SolverOptions
from secession.plan.problem import Problem
from secession.plan.reductions import check_seed
from secession.plan.result import SolverResult

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
    plan = to_plan(problem, inner, seconds=time.perf_counter() - t0)
    report("done", plan.satisfied_voters, plan.best_bound)
    return plan


def to_plan(problem: Problem, result: SolverResult, *, seconds: float | None = None) -> Plan:
    """The :class:`Plan` of ``result`` on ``problem.graph``: the only place a plan is made.

    Expands the assignment from ``problem.units`` to the original units, names the
    countries (:func:`~secession.plan.labels.country_labels`), caps the bound (a solver
    that proved nothing better reports the unconstrained upper bound) and runs the
    independent checker on the final plan, recording its verdict in ``stats["check"]``.
    ``seconds`` defaults to the solver's time.
    """
    graph, constraints = problem.graph, problem.constraints
    country = problem.expand(result.assignment)
    satisfied = satisfied_voters(graph, country)
    # no proof beyond the unconstrained bound of the units solved on (the level's groups
    # when a level is set: a state-level plan giving every state its majority is optimal)
    found = problem.units.upper_bound if result.bound is None else result.bound
    bound = float(min(max(found, satisfied), graph.upper_bound))
    stats = dict(result.stats)
    if problem.group_of is not None:
        stats |= {"level": constraints.level, "level_units": problem.units.n_units}
    return Plan(
        graph=graph,
        country=country,
        labels=country_labels(graph, int(country.max(initial=0))),
        satisfied_voters=satisfied,
        upper_bound=graph.upper_bound,
        best_bound=bound,
        proven_optimal=result.proven,
        solver=result.solver,
        seconds=result.seconds if seconds is None else seconds,
        constraints=constraints,
        stats={**stats, "check": final_check(graph, constraints, country)},
    )


def fast_plan(
    graph: UnitGraph,
    constraints: PlanConstraints | None = None,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    search: bool = True,
) -> Plan:
    """The fast solver alone, as a checked :class:`Plan` (tests, benchmarks, maps).

    The same as :func:`secession.plan.fast.solve_fast` on ``Problem.build(graph,
    constraints)``, made a plan by :func:`to_plan`.
    """
    problem = Problem.build(graph, constraints or PlanConstraints())
    return to_plan(problem, solve_fast(problem, seed=seed, time_limit=time_limit, search=search))


def exact_plan(
    graph: UnitGraph,
    constraints: PlanConstraints = PlanConstraints(),
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    progress: bool = False,
    warm_start: np.ndarray | None = None,
    options: SolverOptions = DEFAULT_OPTIONS,
) -> Plan:
    """The exact solver alone (no fast start, no plan search), as a checked :class:`Plan`.

    ``warm_start`` is a plan of ``graph``'s units (with a level, one unit per group is
    read: a plan of whole groups).
    """
    problem = Problem.build(graph, constraints)
    start = None if warm_start is None else problem.contract(warm_start)
    result = solve_exact(
        problem,
        time_limit=time_limit,
        seed=seed,
        progress=progress,
        warm_start=start,
        options=options,
    )
    return to_plan(problem, result)


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
) -> SolverResult:
    """The answer on ``problem.units`` (the caller makes it the plan of the original graph)."""
    graph, constraints, prepared = problem.units, problem.unit_constraints, problem.prepared
    fast = None
    multi = constraints.max_countries != 1 and constraints.contiguous_new
    too_big = (
        graph.n_units > options.auto_exact_max_units
        or (multi and graph.n_units > options.auto_exact_max_units_multi)
        or exact_size(graph, constraints, prepared) > options.auto_exact_max_variables
    )
    fast_answers = solver == "fast" or (solver == "auto" and too_big)
    quick = not fast_answers and graph.n_units <= options.quick_start_max_units
    try:
        fast = solve_fast(problem, seed=seed, time_limit=time_limit, search=not quick)
    except InfeasiblePlanError:
        if solver == "fast":
            raise
    if (
        fast is not None
        and solver != "fast"
        and graph.n_units >= options.complement_min_units
        and _symmetric(constraints)
    ):
        fast = _better_complement(problem, fast, seed, time_limit)
    fast_value = None if fast is None else satisfied_voters(graph, fast.assignment)
    if fast is not None:
        report("fast", fast_value, graph.upper_bound)
    if fast_answers:
        if fast is None:
            raise InfeasiblePlanError("the fast solver found no plan meeting the constraints")
        return fast
    start = fast.assignment if fast is not None else None
    spent = fast.seconds if fast is not None else 0.0
    # Large instances: SCIP works on the bound while a second process improves the plan;
    # with one core, a share of the time is kept to improve the plan after SCIP.
    worth = _worth_intensifying(graph, fast_value, options)
    search = None
    if worth:
        budget = max(0.0, time_limit - spent - options.background_margin)
        search = start_search(
            graph, constraints, fast.assignment, seconds=budget, seed=seed, options=options
        )
    held_back = options.intensify_share * time_limit if worth and search is None else 0.0
    try:
        exact = solve_exact(
            problem,
            time_limit=max(1.0, time_limit - spent - held_back),
            seed=seed,
            progress=progress,
            warm_start=start,
            options=options,
        )
    except BaseException:
        if search is not None:
            search.stop()
        raise
    country = exact.assignment
    value = satisfied_voters(graph, country)
    try:
        report("exact", max(value, start_value(graph, start)), exact.bound)
    except PlanStopped:
        if search is not None:
            search.stop()
        raise
    if quick and fast is not None and not exact.proven:
        # a small instance SCIP did not prove: the fast solver's full search as well
        fast = solve_fast(problem, seed=seed, time_limit=time_limit)
        fast_value = satisfied_voters(graph, fast.assignment)
    if fast_value is not None and fast_value > value:
        country, value = fast.assignment, fast_value
    stats = {**exact.stats, "fast_satisfied": fast_value}
    found = None
    if search is not None and exact.proven:
        search.stop()
    elif search is not None:
        left = time_limit - spent - exact.seconds
        found = search.result(timeout=left + options.background_grace)
        where = "second process"
    elif held_back and not exact.proven:
        left = time_limit - spent - exact.seconds
        search_plan = options.improver or improve
        found = search_plan(graph, constraints, country, seconds=left, seed=seed, options=options)
        where = "after SCIP"
    if found is not None:
        better, found_stats = found
        intensify = {**found_stats, "where": where}
        better = _best_per_component(graph, constraints, country, better)
        # the plan came from another process (or a long search): trust the checker
        problems = check_plan(graph, constraints, better)
        if problems:
            intensify["rejected"] = messages(problems[:3])
        elif satisfied_voters(graph, better) > value:
            country = np.asarray(better, dtype=np.int64)
        stats["intensify"] = intensify
    return replace(
        exact,
        assignment=country,
        stats=stats,
        solver="auto (fast + exact)" if solver == "auto" else exact.solver,
    )


def _worth_intensifying(graph: UnitGraph, fast_value: float | None, options: SolverOptions) -> bool:
    """A large instance with a fast plan short of the unconstrained bound."""
    return (
        fast_value is not None
        and graph.n_units >= options.intensify_min_units
        and fast_value < graph.upper_bound
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
    problem: Problem, fast: SolverResult, seed: int, time_limit: float
) -> SolverResult:
    """The fast answer, or the complement of the fast answer on the swapped graph if
    better."""
    graph = problem.units
    try:
        swapped = Problem.build(graph.swapped(), problem.unit_constraints)
        other = solve_fast(swapped, seed=seed, time_limit=time_limit)
    except InfeasiblePlanError:
        return fast
    country = (other.assignment == 0).astype(np.int64)
    if satisfied_voters(graph, country) <= satisfied_voters(graph, fast.assignment):
        return fast
    return replace(
        fast,
        assignment=country,
        seconds=fast.seconds + other.seconds,
        stats={**fast.stats, "complement": True},
    )
