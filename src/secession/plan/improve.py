"""The plan search of the exact path on large instances: ruin-and-recreate, then windows.

Ruin-and-recreate with annealing (:func:`secession.plan.fast.intensify`) finds the large
moves: a pocket joined with its corridor, a corridor given up. Then windows of the best
plan are solved exactly (:func:`secession.plan.window.window_search`), which finds the
many small improvements that the heuristic moves miss. Measured with 60 s from the fast
plan, mean of three seeds (``benchmarks/bench_improve.py``): PA's 9,059 VTDs 64.709% with
ruin-and-recreate alone, 64.779% with windows alone, 64.777% with both; the national
counties 62.764%, 62.869% and 62.898%.

With at most ``K >= 2`` new countries the windows do not apply (their exact model is too
slow), and ruin-and-recreate gets the whole time.
"""

from __future__ import annotations

import time

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.fast import intensify
from secession.plan.model import PlanConstraints
from secession.plan.options import DEFAULT_OPTIONS, SolverOptions
from secession.plan.window import applies, window_search

__all__ = ["improve"]


def improve(
    graph: UnitGraph,
    constraints: PlanConstraints,
    country: np.ndarray,
    *,
    seconds: float,
    seed: int = 0,
    options: SolverOptions = DEFAULT_OPTIONS,
) -> tuple[np.ndarray, dict]:
    """Improve the valid plan ``country`` for about ``seconds``; never returns a worse plan.

    Stats: those of ``intensify`` (``rounds``, ``accepted``), ``gain`` in votes over both
    steps, and ``window`` with the window search's own counts when it ran.
    """
    if not applies(constraints):
        return intensify(graph, constraints, country, seconds=seconds, seed=seed)
    deadline = time.perf_counter() + seconds
    best, stats = intensify(
        graph, constraints, country, seconds=seconds * (1 - options.window_share), seed=seed
    )
    best, window = window_search(
        graph,
        constraints,
        best,
        seconds=max(0.0, deadline - time.perf_counter()),
        seed=seed,
        options=options,
    )
    return best, {
        **stats,
        "seconds": seconds,
        "gain": stats["gain"] + window["gain"],
        "window": window,
    }
