"""Exact planner: branch-and-cut in SCIP with lazy vertex-separator cuts and border faces.

Model (one binary ``x[v, k]`` per unit ``v`` allowed to leave and new-country slot ``k``):

- maximise ``sum_v (leave_v - stay_v) * sum_k x[v, k]`` (plus the constant stay total);
- each unit joins at most one new country; locked units are fixed;
- connectivity of each new country and of the remaining country inside each input
  component, by the vertex-separator inequalities of :mod:`secession.plan.kernels.separation`,
  added lazily by a SCIP constraint handler on integral points (enforcement, exact) and on
  fractional LP points (separation, rounding heuristic);
- with one new country and both sides contiguous on a planar component, the border is a
  bond, a simple cycle of the dual graph, so every face has at most two cut edges:
  ``sum_{e on face} y_e <= 2`` with ``y_e >= |x_u - x_v|`` (:mod:`secession.plan.exact.planar`;
  when the component is not planar, relaxed by ``2 * slack`` where the slack counts the
  crossing points of split crossing pairs: ``z <= x`` bounds for "this edge inside the
  new country, that one inside the rest", so the LP cannot relax the faces for free).
  These local inequalities cut off most of the checkerboard fractional points that make
  the plain separator LP weak;
- minimum population per used country, at most ``K`` countries, ordered slots;
- any number of new countries of at least ``P`` voters: no slots. One binary per unit, and
  the pieces of the leaving side must group into countries of ``P`` with one piece per
  input component (:mod:`secession.plan.kernels.grouping`), enforced lazily by the population cuts
  of :mod:`secession.plan.exact.size_cuts`. With slots the national instance had one binary per
  unit and slot (996,032), took 5.8 GB and never left the trivial bound.

With one new country and no minimum population the input components are solved one by one
(:mod:`secession.plan.reductions`). Optionally (``SolverOptions.rooted_min_units``, off by default)
large components are solved by root enumeration (:mod:`secession.plan.exact.rooted`): the unit
with the largest gain is put in the new country and a rooted arborescence (arc variables,
directed cuts) is added, then the next case excludes it, until the gains left cannot beat
the best plan. At the time limit the best plan found is returned with SCIP's proven bound.

Only what SCIP cannot see needs care: every variable that appears in the lazy cuts (units
and arcs) is locked both ways in ``conslock``, or presolve would fix it on the linear rows
alone and cut off valid plans. Rook graphs of real counties are not always planar (a county
in two parts, e.g. Louisiana's St. Martin Parish; 12 edges of the 48-state mainland are left
out of its planar subgraph); then the faces of a maximal planar subgraph are used with the
crossing relaxation proved in :mod:`secession.plan.exact.planar`.
"""

from __future__ import annotations

import time

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.exact.rooted import solve_rooted
from secession.plan.exact.scip_model import SubModel, SubResult
from secession.plan.kernels.grouping import group_units
from secession.plan.kernels.separation import Csr, pieces
from secession.plan.model import PlanConstraints
from secession.plan.options import DEFAULT_OPTIONS, SolverOptions
from secession.plan.problem import Problem
from secession.plan.reductions import Prepared, prepare
from secession.plan.result import SolverResult


def exact_size(
    graph: UnitGraph, constraints: PlanConstraints, prepared: Prepared | None = None
) -> int:
    """Number of binary unit variables the exact model would have (for ``solver="auto"``);
    ``prepared`` may pass ``prepare(graph, constraints)`` when the caller has it."""
    prep = prepared if prepared is not None else prepare(graph, constraints)
    return int(prep.can_leave.sum()) * _slot_count(prep)


def _trivial(prep: Prepared, units: np.ndarray) -> SubResult | None:
    """Subproblems with no real choice: one unit, or no unit allowed to leave."""
    can = prep.can_leave[units]
    if not can.any():
        return SubResult(np.zeros(len(units), dtype=np.int64), 0.0, 0.0, True)
    if len(units) == 1:
        w = float(prep.weight[units[0]])
        go = bool(prep.must_leave[units[0]] or w > 0)
        return SubResult(np.array([int(go)]), w if go else 0.0, w if go else 0.0, True)
    return None


def _unsolved(prep: Prepared, units: np.ndarray, start: np.ndarray) -> SubResult:
    """A subproblem reached after the time limit: the warm start's plan, the trivial bound
    (every gain taken, forced losses paid), not proven; no model is built."""
    w = prep.weight[units].astype(np.float64)
    take = prep.can_leave[units] & ((w > 0) | prep.must_leave[units])
    value = float(w[start > 0].sum())
    return SubResult(start.astype(np.int64), value, max(value, float(w[take].sum())), False)


def _slot_count(prep: Prepared) -> int:
    c = prep.constraints
    if prep.single_label or prep.pieces_are_countries or prep.pieces_grouped:
        return 1
    if c.max_countries is not None:
        return int(c.max_countries)
    # any number of countries, each of at least min_population
    allowed_pop = float(prep.graph.population[prep.can_leave].sum())
    return max(1, min(int(prep.can_leave.sum()), int(allowed_pop // c.min_population)))


def solve_exact(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    progress: bool = False,
    warm_start: np.ndarray | None = None,
    options: SolverOptions = DEFAULT_OPTIONS,
) -> SolverResult:
    """Solve ``problem`` exactly, on its units (``problem.units``: the level's groups when
    a level is set).

    ``warm_start`` is an optional country array (0 = stay) of a valid plan of those units;
    it seeds SCIP. ``proven`` is true when SCIP closed the gap; ``bound`` is SCIP's proven
    bound on satisfied voters (never below the assignment's).
    """
    t0 = time.perf_counter()
    graph, prep = problem.units, problem.prepared
    c = prep.constraints
    slots = _slot_count(prep)
    grouped = prep.pieces_grouped
    need_new = c.contiguous_new and not (prep.pieces_are_countries or grouped)
    need_rest = c.contiguous_rest
    start_slot = None
    if warm_start is not None and slots == 1:
        start_slot = (np.asarray(warm_start) > 0).astype(np.int64)
    elif warm_start is not None:
        start_slot = np.asarray(warm_start, dtype=np.int64)
        if start_slot.max(initial=0) > slots:
            start_slot = None
    independent = slots == 1 and c.min_population <= 0
    groups = (
        [np.flatnonzero(prep.component == k) for k in range(graph.n_components)]
        if independent
        else [np.arange(graph.n_units)]
    )
    # smallest first, each with its share of the time left by size: small components are
    # proven in a fraction of a second, and the largest, solved last, gets the rest
    groups.sort(key=len)
    units_left = sum(len(u) for u in groups)
    slot = np.zeros(graph.n_units, dtype=np.int64)
    value = bound = 0.0
    optimal = True
    stats: dict = {
        "subproblems": len(groups),
        "nodes": 0,
        "cuts": 0,
        "faces": 0,
        "left_out": 0,
    }
    results: list[tuple[np.ndarray, SubResult]] = []
    for units in groups:
        res = _trivial(prep, units) if independent else None
        rooted = options.rooted_min_units is not None and len(units) >= options.rooted_min_units
        if res is None and independent and need_new and rooted:
            res = solve_rooted(
                prep,
                units,
                need_rest=need_rest,
                deadline=t0 + time_limit,
                seed=seed,
                progress=progress,
                start=None if start_slot is None else start_slot[units],
                options=options,
            )
            for key in ("nodes", "cuts", "faces"):
                stats[key] += int(res.stats.get(key, 0))
            stats["rooted"] = res.stats
        remaining = time_limit - (time.perf_counter() - t0)
        share = remaining
        if start_slot is not None:  # a cap, not a reservation: most small ones take ms
            share = min(remaining, max(remaining * len(units) / units_left, options.min_share))
        units_left -= len(units)
        if res is None and remaining <= options.out_of_time and start_slot is not None:
            res = _unsolved(prep, units, start_slot[units])
            stats["unsolved"] = stats.get("unsolved", 0) + 1
        if res is None:
            sub = SubModel(
                prep,
                units,
                slots,
                need_new=need_new,
                need_rest=need_rest,
                min_population=c.min_population,
                grouped=grouped,
                use_faces=(
                    slots == 1 and need_new and need_rest and len(units) <= options.max_planar_units
                ),
                options=options,
            )
            local_start = None if start_slot is None else start_slot[units]
            res = sub.solve(share, seed, progress, local_start)
            for key in ("nodes", "cuts", "faces", "left_out"):
                stats[key] += int(res.stats.get(key, 0))
            took = res.stats.get("start_accepted")
            if took is not None:  # a valid start that SCIP refuses is a modelling defect
                key = "starts_accepted" if took else "starts_rejected"
                stats[key] = stats.get(key, 0) + 1
        results.append((units, res))
    if independent and c.exclaves == "none" and c.contiguous_new and len(results) > 1:
        # one landmass: the best component's plan, every other component stays
        units, res = max(results, key=lambda ur: ur[1].value)
        results = [(units, res)] + [
            (u, SubResult(np.zeros(len(u), dtype=np.int64), 0.0, r.bound, r.optimal))
            for u, r in results
            if u is not units
        ]
        top = max(r.bound for _, r in results)
        stats["one_landmass"] = True
        for u, r in results:
            slot[u] = r.slot
        value = res.value
        bound = max(top, value)
        optimal = bool(res.optimal and value >= top - 1e-9)
    else:
        for u, r in results:
            slot[u] = r.slot
            value += r.value
            bound += r.bound
            optimal &= r.optimal
    country = _number_countries(prep, slot)
    satisfied = float(graph.stay.sum() + prep.weight[country > 0].sum())
    best_bound = float(graph.stay.sum() + bound)
    if optimal:
        best_bound = satisfied
    return SolverResult(
        assignment=country,
        bound=max(best_bound, satisfied),
        proven=optimal,
        solver="exact",
        seconds=time.perf_counter() - t0,
        stats=stats,
    )


def _number_countries(prep: Prepared, slot: np.ndarray) -> np.ndarray:
    """Country numbers 1..k from solver slots, largest population first.

    When each piece may be its own country (any number, no size floor) the pieces of the
    leaving set are numbered so that each country holds at most one piece per component;
    with a size floor they are grouped first (:mod:`secession.plan.kernels.grouping`).
    """
    pop = prep.graph.population
    policy = prep.constraints.exclaves
    if prep.pieces_grouped:
        group = group_units(
            Csr.of(prep.adjacency),
            slot > 0,
            prep.component,
            pop,
            prep.constraints.min_population,
            exclaves=policy,
            earth=prep.graph.earth,
        )
        if group is None:  # every plan SCIP accepts passed the same test (conscheck)
            raise RuntimeError("internal error: the exact plan's pieces do not group")
        slot = group + 1
    elif prep.pieces_are_countries and policy != "any":
        # every piece a country of its own: no exclaves at all
        _, lab = pieces(Csr.of(prep.adjacency), slot > 0)
        slot = np.where(lab >= 0, lab + 1, 0)
    elif prep.pieces_are_countries:
        leaving = slot > 0
        _, lab = pieces(Csr.of(prep.adjacency), leaving)
        country = np.zeros(len(slot), dtype=np.int64)
        comp = prep.component
        for k in np.unique(comp[leaving]).tolist():
            in_comp = leaving & (comp == k)
            labs = np.unique(lab[in_comp])
            sizes = [pop[lab == p].sum() for p in labs]
            for rank, p in enumerate(labs[np.argsort(sizes)[::-1]].tolist(), start=1):
                country[lab == p] = rank
        return country
    used = np.unique(slot[slot > 0])
    sizes = [pop[slot == k].sum() for k in used]
    country = np.zeros(len(slot), dtype=np.int64)
    for rank, k in enumerate(used[np.argsort(sizes, kind="stable")[::-1]].tolist(), start=1):
        country[slot == k] = rank
    return country
