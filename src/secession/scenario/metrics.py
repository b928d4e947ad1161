"""One comparison row per scenario: who ends where, who is stranded, what is left behind."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from secession.geo.graph import UnitGraph
from secession.plan.metrics import satisfied_voters, stranded_voters, two_side_votes
from secession.plan.model import Plan


def pieces_per_component(graph: UnitGraph, mask: np.ndarray) -> int:
    """Largest number of separate pieces ``mask`` forms inside one input component.

    1 means contiguous in the project's sense (Alaska or an island is no break); 0 means
    the mask is empty.
    """
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return 0
    pos = np.flatnonzero(mask)
    sub = graph.adjacency_matrix()[pos][:, pos]
    _, labels = connected_components(sparse.csr_matrix(sub), directed=False)
    comp = graph.component[pos]
    # count distinct piece labels per input component
    pairs = np.unique(np.column_stack([comp, labels]), axis=0)
    return int(np.bincount(pairs[:, 0]).max())


def scenario_row(name: str, title: str, plan: Plan, base: UnitGraph) -> dict[str, Any]:
    """Figures of one scenario's plan, measured on the base units ``base`` (same order)."""
    country = np.asarray(plan.country, dtype=np.int64)
    two = two_side_votes(base)
    satisfied = satisfied_voters(base, country)
    stranded_leave, stranded_stay = stranded_voters(base, country)
    k = len(plan.labels)
    pop = np.bincount(country, weights=base.population, minlength=k)
    units = np.bincount(country, minlength=k)
    new = [c for c in range(1, k) if units[c] > 0]
    from secession.plan.contiguity import judge

    judged = judge(base, country, plan.labels)
    return {
        "scenario": name,
        "title": title,
        "satisfied_voters": satisfied,
        "two_side_votes": two,
        "satisfied_share": satisfied / two if two else 0.0,
        "upper_bound_share": base.upper_bound / two if two else 0.0,
        "best_bound_share": min(float(plan.best_bound), base.upper_bound) / two if two else 0.0,
        "stranded_leave_voters": stranded_leave,
        "stranded_stay_voters": stranded_stay,
        "new_countries": len(new),
        "new_population": float(pop[1:].sum()),
        "new_country_populations": [float(pop[c]) for c in new],
        "largest_new_population": float(max((pop[c] for c in new), default=0.0)),
        "smallest_new_population": float(min((pop[c] for c in new), default=0.0)),
        "remaining_population": float(pop[0]),
        "remaining_units": int(units[0]),
        "remaining_contiguous": judged.rest_contiguous,
        "new_contiguous": judged.new_contiguous,
        "contiguity": judged.sentence(),
        "solver": plan.solver,
        "proven_optimal": bool(plan.proven_optimal),
        "gap": plan.gap,
        "seconds": float(plan.seconds),
    }
