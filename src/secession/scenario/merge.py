"""Count new countries the way a reader would: new countries that touch become one.

The planner's objective does not care how leaving units are grouped into countries, so a
solver may label touching blocks as separate countries (every Northeastern state its own
country). For comparisons we merge new countries that share a border, as long as the merged
country stays contiguous in each connected piece of the input. Merging never breaks a
constraint: populations only grow and the number of countries only falls.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.labels import country_labels
from secession.plan.model import Plan
from secession.scenario.metrics import pieces_per_component


def merged_countries(graph: UnitGraph, country: np.ndarray) -> np.ndarray:
    """``country`` with touching new countries merged, renumbered 1..k by population."""
    country = np.asarray(country, dtype=np.int64).copy()
    k = int(country.max(initial=0))
    if k <= 1:
        return country
    e = graph.edges()
    a, b = country[e[:, 0]], country[e[:, 1]]
    touch = (a > 0) & (b > 0) & (a != b)
    pairs = np.unique(np.sort(np.column_stack([a[touch], b[touch]]), axis=1), axis=0)
    parent = list(range(k + 1))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in pairs.tolist():
        ru, rv = root(u), root(v)
        if ru == rv:
            continue
        members = np.isin(country, [c for c in range(1, k + 1) if root(c) in (ru, rv)])
        if pieces_per_component(graph, members) <= 1:
            parent[rv] = ru
    roots = np.array([root(c) for c in range(k + 1)])
    merged = roots[country]
    merged[country == 0] = 0
    ids = np.unique(merged[merged > 0])
    pop = np.array([graph.population[merged == c].sum() for c in ids])
    order = ids[np.argsort(-pop, kind="stable")]
    renum = np.zeros(int(merged.max(initial=0)) + 1, dtype=np.int64)
    renum[order] = np.arange(1, len(order) + 1)
    return renum[merged]


def merge_touching(plan: Plan) -> Plan:
    """``plan`` with touching new countries merged (only when new countries are contiguous)."""
    if not plan.constraints.contiguous_new:
        return plan
    merged = merged_countries(plan.graph, plan.country)
    n_new = int(merged.max(initial=0))
    if n_new == int(np.asarray(plan.country).max(initial=0)):
        return plan
    return replace(
        plan,
        country=merged,
        labels=country_labels(plan.graph, n_new),
        stats={**plan.stats, "countries_before_merging": len(plan.labels) - 1},
    )
