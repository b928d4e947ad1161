"""Window search: improve a plan by solving windows of it exactly.

A step takes a ball of units around the border (or around a unit on its minority side),
contracts everything outside it into one unit per piece of each side, locks those pieces
to their side, and hands the small graph to the exact solver with the current plan as its
warm start. Contracting a connected piece of one side changes neither side's connectivity
nor the votes, so the window's optimum is the best plan that differs from the current one
inside the window only; it is never worse than the current plan.

This is large neighbourhood search with an exact inner solver. On the instances the exact
solver does not prove it finds much better plans than ruin-and-recreate (PA's 9,059 VTDs:
64.76% to 64.78% after 60 s against 64.71%; see ``docs/planner.md``). Window sizes are
drawn from ``SolverOptions.window_sizes``; larger windows were slower to prove (PA, 1,000 units:
64.75% after 240 s), and growing the window while it was proven quickly was no better than
drawing it. A centre whose window was proven with no gain is not drawn again until a
window around it changes the plan.

With any number of new countries the outside pieces are pieces of one country each,
locked to leave; the window's plan may join them into other countries (or split them),
which is a plan of the full graph as well, since each piece stays whole. With at most
``K >= 2`` countries the windows are too slow to prove (:func:`applies`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from secession.exceptions import InfeasiblePlanError
from secession.geo.graph import UnitGraph
from secession.plan.exact.solver import solve_exact
from secession.plan.fast.local_search import ball
from secession.plan.fast.solver import draw_misplaced
from secession.plan.kernels.repair import label_same
from secession.plan.model import PlanConstraints
from secession.plan.options import DEFAULT_OPTIONS, SolverOptions
from secession.plan.problem import Problem
from secession.plan.reductions import check_seed, consent_share

__all__ = ["Window", "applies", "outside_prefix", "window_graph", "window_search"]

WINDOW_STREAM = 11  # random stream, apart from the other searches'


def applies(constraints: PlanConstraints) -> bool:
    """One new country or any number, planned on units (the caller aggregates a level).

    Not at most ``K >= 2`` countries: that exact model has a copy of every unit per country,
    and even its windows are slow (a synthetic map of 400 units, ``K = 3``: 2 windows in
    4 s, neither proven; with any number of countries, 159 in 4 s, all proven)."""
    return constraints.level is None and constraints.max_countries in (1, None)


@dataclass(frozen=True)
class Window:
    """The small problem of one step: ``graph`` has the window's units first (in the order
    of ``units``), then one unit per outside piece; ``constraints`` lock those pieces."""

    graph: UnitGraph
    constraints: PlanConstraints
    units: np.ndarray  # positions in the full graph of the window's units
    position: np.ndarray  # each full-graph unit's position in ``graph``
    start: np.ndarray  # the current plan on ``graph`` (country numbers)

    def expand(self, window_country: np.ndarray) -> np.ndarray:
        """The plan of the full graph that ``window_country`` (a plan of ``graph``) stands
        for: each outside unit takes its piece's country, numbered 1..k again."""
        full = np.asarray(window_country, dtype=np.int64)[self.position]
        used = np.unique(full[full > 0])
        number = np.zeros(int(full.max(initial=0)) + 1, dtype=np.int64)
        number[used] = np.arange(1, len(used) + 1)
        return number[full]


def outside_prefix(graph: UnitGraph) -> str:
    """A prefix that no unit id of ``graph`` starts with, for the outside pieces' ids."""
    prefix = "(outside"
    while any(str(u).startswith(prefix) for u in graph.ids):
        prefix = "(" + prefix
    return prefix


def window_graph(
    graph: UnitGraph,
    constraints: PlanConstraints,
    country: np.ndarray,
    units: np.ndarray,
    prefix: str | None = None,
    edges: np.ndarray | None = None,
) -> Window:
    """The window problem for ``units`` around the valid plan ``country``.

    Outside the window, each piece of one country (or of the remaining country) becomes
    one unit, locked to leave (or to stay). The window's plan may give such a piece to
    another new country: that is a plan of the full graph too, with the pieces' countries
    joined or split through the window. ``prefix`` (from :func:`outside_prefix`, computed
    once per search) starts the ids of the outside pieces; ``edges`` may pass
    ``graph.edges()``, also computed once per search."""
    prefix = outside_prefix(graph) if prefix is None else prefix
    n = graph.n_units
    country = np.asarray(country, dtype=np.int64)
    units = np.asarray(units, dtype=np.int64)
    inside = np.zeros(n, dtype=bool)
    inside[units] = True
    key = np.where(inside, -1, country)
    _, piece = label_same(graph.indptr, graph.indices, key)
    # new position of every unit: window units 0..m-1, then the outside pieces
    m = len(units)
    pos = np.empty(n, dtype=np.int64)
    pos[units] = np.arange(m)
    outside = ~inside
    pos[outside] = m + piece[outside]
    k = int(piece.max(initial=-1)) + 1
    piece_country = np.zeros(k, dtype=np.int64)
    piece_country[piece[outside]] = country[outside]
    piece_leaves = piece_country > 0
    names = np.empty(k, dtype=object)
    side_name = np.where(piece_leaves, "leaving", "staying")
    names[:] = [f"{prefix}, {side_name[j]}, piece {j})" for j in range(k)]
    total = m + k

    def summed(values: np.ndarray) -> np.ndarray:
        return np.bincount(pos, weights=values, minlength=total)

    edges = pos[graph.edges() if edges is None else edges]
    small = UnitGraph.from_edges(
        [*graph.ids[units].tolist(), *names.tolist()],
        summed(graph.leave),
        summed(graph.stay),
        edges,
        other=summed(graph.other),
        population=summed(graph.population),
        leave_label=graph.leave_label,
        stay_label=graph.stay_label,
    )
    if graph.earth is not None:  # the exclave policy measures distances on the window too
        small = replace(small, earth=graph.earth.merged(pos, total))
    window_ids = set(graph.ids[units].tolist())
    lock_stay = [u for u in constraints.lock_stay if u in window_ids]
    if constraints.consent is not None:
        # consent as locks: the outside pieces' summed votes say nothing about it
        refused = units[consent_share(graph)[units] < constraints.consent]
        lock_stay += graph.ids[refused].tolist()
    window_constraints = replace(
        constraints,
        consent=None,
        lock_leave=(
            *(u for u in constraints.lock_leave if u in window_ids),
            *names[piece_leaves].tolist(),
        ),
        lock_stay=(*dict.fromkeys(lock_stay), *names[~piece_leaves].tolist()),
    )
    start = np.r_[country[units], piece_country]
    return Window(small, window_constraints, units, pos, start)


def window_search(
    graph: UnitGraph,
    constraints: PlanConstraints,
    country: np.ndarray,
    *,
    seconds: float,
    seed: int = 0,
    options: SolverOptions = DEFAULT_OPTIONS,
) -> tuple[np.ndarray, dict]:
    """Improve the valid plan ``country`` for about ``seconds``.

    Never returns a worse plan. Bound by the clock, so not deterministic. Returns the plan
    and counts of the steps (``steps``, ``proven``, ``accepted``, ``gain`` in votes).
    """
    stats: dict = {"seconds": seconds, "steps": 0, "proven": 0, "accepted": 0, "gain": 0.0}
    n = graph.n_units
    if n == 0 or not applies(constraints):
        return np.asarray(country, dtype=np.int64).copy(), stats
    best = np.asarray(country, dtype=np.int64).copy()
    rng = np.random.default_rng([check_seed(seed), WINDOW_STREAM])
    w = graph.leave - graph.stay
    edges = graph.edges()
    deadline = time.perf_counter() + seconds
    low, high = (float(np.log(s)) for s in options.window_sizes)
    stale = np.zeros(n, dtype=bool)  # centres whose proven window gave nothing since
    prefix = outside_prefix(graph)
    while (left := deadline - time.perf_counter()) > 0.05:
        centre = _centre(best, w, edges, stale, rng)
        if centre < 0:
            break
        size = int(np.exp(rng.uniform(low, high)))
        units = ball(centre, size, graph.indptr, graph.indices)
        window = window_graph(graph, constraints, best, units, prefix, edges)
        try:
            answer = solve_exact(
                Problem.build(window.graph, window.constraints),
                time_limit=min(options.window_step_seconds, left),
                seed=seed,
                warm_start=window.start,
                options=options,
            )
        except InfeasiblePlanError:  # the window's solver ran out of time without a plan
            continue
        stats["steps"] += 1
        stats["proven"] += int(answer.proven)
        gain = float(w[units] @ (answer.assignment[: len(units)] > 0)) - float(
            w[units] @ (best[units] > 0)
        )
        if gain > 1e-6:
            best = window.expand(answer.assignment)
            stats["accepted"] += 1
            stats["gain"] += gain
            stale[units] = False
        elif answer.proven:
            stale[centre] = True
    return best, stats


def _centre(
    country: np.ndarray,
    w: np.ndarray,
    edges: np.ndarray,
    stale: np.ndarray,
    rng: np.random.Generator,
) -> int:
    """A unit on the border, or (half the time) one on its minority side drawn by the
    voters it leaves unsatisfied; centres whose window gave nothing are skipped."""
    if rng.random() < 0.5:
        wrong = ((country > 0) != (w > 0)) & ~stale
        if wrong.any():
            return draw_misplaced(w, wrong, rng)
    cut = edges[country[edges[:, 0]] != country[edges[:, 1]]].ravel()
    cut = cut[~stale[cut]]
    if len(cut):
        return int(cut[rng.integers(len(cut))])
    fresh = np.flatnonzero(~stale)
    return int(fresh[rng.integers(len(fresh))]) if len(fresh) else -1
