"""Steady sweeps: no re-plan is worse than a plan it could have started from.

Each swing point and Monte Carlo draw is re-planned on its own (in parallel). Then every
point is offered the baseline's plan and, for swings, its neighbouring points' plans,
each re-scored on that point's votes and checked against the scenario's constraints
(:func:`secession.plan.check.check_plan`); the point keeps the best. Passes repeat until
no point changes, so the result holds the invariant that no swing point is worse than a
neighbour's plan re-scored there, and no draw is worse than the baseline re-scored on it.
A search luckier at one point than at the next can no longer make the curve wobble.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.check import check_plan, satisfied
from secession.scenario.kinds import ScenarioSpec, graph_for

MAX_PASSES = 50


def steady_swings(
    graph: UnitGraph,
    spec: ScenarioSpec,
    points: dict[float, np.ndarray | None],
    baseline: np.ndarray,
    moved: Callable[[float], UnitGraph],
) -> tuple[dict[float, np.ndarray | None], dict[float, str]]:
    """Country arrays per swing point after the passes, and where each came from
    (``"own"``, ``"baseline"`` or ``"from <swing>"``)."""
    values = sorted(points)
    cache: dict[float, UnitGraph] = {}

    def at(s: float) -> UnitGraph:
        if s not in cache:
            cache[s] = graph_for(moved(s), spec)
        return cache[s]

    plans = dict(points)
    source = {s: "own" for s in values}
    valid: dict[tuple[float, bytes], bool] = {}

    def ok(s: float, country: np.ndarray) -> bool:
        key = (s, np.asarray(country, dtype=np.int32).tobytes())
        if key not in valid:
            valid[key] = not check_plan(at(s), spec.constraints, country)
        return valid[key]

    def score(s: float, country: np.ndarray | None) -> float:
        if country is None or not ok(s, country):
            return -np.inf
        return satisfied(at(s), country)

    for _ in range(MAX_PASSES):
        changed = False
        for k, s in enumerate(values):
            offers = [("baseline", baseline)]
            offers += [(f"from {values[j]:+g}", plans[values[j]]) for j in (k - 1, k + 1)
                       if 0 <= j < len(values)]  # fmt: skip
            best = score(s, plans[s])
            for name, country in offers:
                value = score(s, country)
                if value > best + 1e-6:
                    plans[s], best, source[s] = np.asarray(country).copy(), value, name
                    changed = True
        if not changed:
            break
    return plans, source


def steady_draw(
    spec: ScenarioSpec, drawn: UnitGraph, country: np.ndarray | None, baseline: np.ndarray
) -> tuple[np.ndarray | None, bool]:
    """The better of a draw's own plan and the baseline re-scored on the draw; True when
    the baseline was kept."""
    g = graph_for(drawn, spec)
    base_ok = not check_plan(g, spec.constraints, baseline)
    if not base_ok:
        return country, False
    if country is None or satisfied(g, baseline) > satisfied(g, country) + 1e-6:
        return np.asarray(baseline).copy(), True
    return country, False


def relabel(row: dict[str, Any], source: str) -> dict[str, Any]:
    row["plan_from"] = source
    return row
