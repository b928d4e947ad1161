"""Re-plan under moved vote shares: uniform swings and seeded Monte Carlo draws.

Each variant is one independent task (a function of the graph without geometry, the
scenario and the variant), so a sweep runs unchanged on local processes or a Dask cluster.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from secession.exceptions import InfeasiblePlanError
from secession.geo.graph import UnitGraph
from secession.scenario.kinds import ScenarioSpec
from secession.scenario.metrics import scenario_row
from secession.scenario.run import SolverSettings, solve_spec
from secession.scenario.swing import perturb, swing


@dataclass(frozen=True)
class MonteCarloSettings:
    """Noise of one Monte Carlo draw, in percentage points of two-side share."""

    draws: int = 0
    seed: int = 0
    unit_sigma: float = 3.0
    national_sigma: float = 2.0


@dataclass(frozen=True)
class Variant:
    """One re-plan: ``kind`` is ``"swing"`` (``value`` in points) or ``"draw"`` (index)."""

    scenario: ScenarioSpec
    kind: str
    value: float


def strip_geometry(graph: UnitGraph) -> UnitGraph:
    """The graph without geometry (what the workers need; far cheaper to ship)."""
    return replace(graph, geometry=None) if graph.geometry is not None else graph


def solve_variant(
    graph: UnitGraph,
    variant: Variant,
    settings: SolverSettings,
    mc: MonteCarloSettings,
) -> dict[str, Any]:
    """Move the votes as ``variant`` says, solve, and return its row and assignment."""
    national = 0.0
    if variant.kind == "swing":
        moved = swing(graph, variant.value)
        national = variant.value
    else:
        moved, national = perturb(
            graph,
            seed=mc.seed,
            draw=int(variant.value),
            unit_sigma=mc.unit_sigma,
            national_sigma=mc.national_sigma,
        )
    try:
        plan = solve_spec(moved, variant.scenario, settings)
    except InfeasiblePlanError as exc:  # recorded, not fatal: other variants may be fine
        return {
            "row": {
                "scenario": variant.scenario.name,
                "kind": variant.kind,
                "value": float(variant.value),
                "national_swing": national,
                "infeasible": str(exc),
            },
            "country": None,
        }
    row = scenario_row(variant.scenario.name, variant.scenario.title, plan, moved)
    row.update(kind=variant.kind, value=float(variant.value), national_swing=national)
    return {"row": row, "country": np.asarray(plan.country, dtype=np.int32)}


def match_countries(
    base_country: np.ndarray, draw_country: np.ndarray, population: np.ndarray
) -> np.ndarray:
    """Relabel a draw's countries as the baseline's: each new country of the draw takes the
    baseline country it shares most population with (``-1`` when it overlaps only the
    remaining country, i.e. a new country the baseline does not have)."""
    out = np.zeros_like(draw_country)
    for c in np.unique(draw_country[draw_country > 0]):
        members = draw_country == c
        overlap = np.bincount(
            base_country[members], weights=population[members], minlength=base_country.max() + 1
        )
        overlap[0] = 0.0
        out[members] = int(np.argmax(overlap)) if overlap.max() > 0 else -1
    return out


def probabilities(
    base_country: np.ndarray,
    draws: list[np.ndarray],
    population: np.ndarray,
    n_countries: int,
) -> np.ndarray:
    """``(units, n_countries + 1)`` probabilities: each baseline country, then "another new
    country" (last column). Rows sum to 1."""
    counts = np.zeros((len(base_country), n_countries + 1))
    rows = np.arange(len(base_country))
    for d in draws:
        if d is None:
            continue
        matched = match_countries(base_country, d, population)
        col = np.where(matched < 0, n_countries, matched)
        np.add.at(counts, (rows, col), 1.0)
    return counts / max(sum(d is not None for d in draws), 1)
