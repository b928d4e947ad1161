"""``intensify``: ruin-and-recreate with annealing from a given plan, bound by the clock.

The fast solver's moves (:mod:`secession.plan.fast.solver`) run here without its patience
limit, from the best plan so far: on large instances the exact solver does not prove, the
best plan, not the bound, is what more search improves.
"""

from __future__ import annotations

import time

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.fast.solver import (
    FastProblem,
    anneal_steps,
    border_moves,
    is_valid,
    renumber,
    ruin_and_recreate,
    value_of,
)
from secession.plan.model import PlanConstraints
from secession.plan.options import DEFAULT_OPTIONS, SolverOptions
from secession.plan.reductions import check_seed

__all__ = ["intensify"]

INTENSIFY_ROUND = 500  # ruin-and-recreate steps between two annealing polishes
INTENSIFY_MISPLACED = 0.5  # share of balls centred on units on their minority side
INTENSIFY_STREAM = 7  # random stream of intensify, apart from solve_fast's


def intensify(
    graph: UnitGraph,
    constraints: PlanConstraints,
    country: np.ndarray,
    *,
    seconds: float,
    seed: int = 0,
    options: SolverOptions = DEFAULT_OPTIONS,
) -> tuple[np.ndarray, dict]:
    """Improve the valid plan ``country`` for about ``seconds``; never returns a worse plan.

    Rounds of ruin-and-recreate without the patience limit of :func:`solve_fast`, each
    polished by annealing, from the best plan so far. Used by ``solve`` on large instances
    that the exact solver does not prove in its time: there the best plan, not the bound,
    is what more search improves. Bound by the clock, so not deterministic (unlike
    :func:`solve_fast`). ``constraints.level`` must be resolved by the caller. An
    :class:`~secession.plan.improver.Improver`: ``options`` is accepted for the protocol
    (the moves' tuning is the fast solver's own).
    """
    p = FastProblem(graph, constraints)
    best = np.asarray(country, dtype=np.int64).copy()
    stats = {"seconds": seconds, "rounds": 0, "accepted": 0, "gain": 0.0}
    if p.n == 0 or not is_valid(p, best):
        return best, stats
    value = start = value_of(p, best)
    rng = np.random.default_rng([check_seed(seed), INTENSIFY_STREAM])
    deadline = time.perf_counter() + seconds
    polish_seconds = 0.0  # the last polish's duration: the next one is skipped if it won't fit
    while time.perf_counter() < deadline:
        best, value, accepted = ruin_and_recreate(
            p,
            best,
            value,
            rng,
            INTENSIFY_ROUND,
            patience=INTENSIFY_ROUND,
            deadline=deadline,
            misplaced=INTENSIFY_MISPLACED,
        )
        stats["accepted"] += accepted
        stats["rounds"] += 1
        if deadline - time.perf_counter() <= polish_seconds:  # no time for another polish
            break
        polish_start = time.perf_counter()
        polished = best.copy()
        border_moves(p, polished, rng, anneal_steps(p.n))
        polish_seconds = time.perf_counter() - polish_start
        polished = renumber(polished) if polished.any() else polished
        if is_valid(p, polished) and value_of(p, polished) > value + 1e-9:
            best, value = polished, value_of(p, polished)
    stats["gain"] = value - start
    return best, stats
