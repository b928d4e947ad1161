"""Plan at a coarser level: merge units into states, counties or the values of any column.

``aggregate_to(graph, "state")`` merges the units of each state (``groups["state"]``),
``"county"`` the units of each county (``groups["county"]``, qualified by state when the
graph spans several states), and any other name a grouping of the graph (for ``--units`` and
``--graph`` sources, any attribute column). Votes and population are summed; two merged
units are adjacent when any of their members are, which is exactly the adjacency of the
dissolved geometry (tested against it).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph

STATE_LEVELS = ("state", "states")
COUNTY_LEVELS = ("county", "counties")
# groupings that stay meaningful after merging to each level
KEEP_GROUPS = {"state": ("state", "state_name"), "county": ("state", "state_name", "county")}


def level_labels(graph: UnitGraph, level: str) -> tuple[np.ndarray, str]:
    """One label per unit for ``level`` and the canonical level name; DataError if unknown."""
    key = level.strip()
    low = key.lower()
    if low in STATE_LEVELS:
        if "state" not in graph.groups:
            raise DataError(f"`aggregate` state: the units have no state column ({_known(graph)})")
        return np.asarray(graph.groups["state"], dtype=object).astype(str), "state"
    if low in COUNTY_LEVELS:
        if "county" in graph.groups:
            county = np.asarray(graph.groups["county"], dtype=object).astype(str)
            state = graph.groups.get("state")
            if state is not None and len(set(np.asarray(state).astype(str).tolist())) > 1:
                county = np.char.add(np.char.add(np.asarray(state).astype(str), " "), county)
            return county.astype(object), "county"
        if _is_us_county(graph):
            return graph.ids.astype(str).astype(object), "county"
        raise DataError(f"`aggregate` county: the units have no county column ({_known(graph)})")
    if key in graph.groups:
        return np.asarray(graph.groups[key], dtype=object).astype(str), key
    raise DataError(f"`aggregate` {key!r}: unknown level or column ({_known(graph)})")


def aggregate_to(graph: UnitGraph, level: str, *, dissolve: bool = True) -> UnitGraph:
    """Merge the units of ``graph`` to ``level`` (see the module docstring)."""
    labels, canonical = level_labels(graph, level)
    if canonical == "county" and "county" not in graph.groups:
        note = "`aggregate` county: the units are already US counties; nothing merged"
        return replace(graph, meta={**graph.meta, "notes": [*graph.meta.get("notes", []), note]})
    merged = graph.aggregate(labels.tolist(), dissolve=dissolve)
    keep = KEEP_GROUPS.get(canonical, (canonical,))
    groups = {k: v for k, v in merged.groups.items() if k in keep}
    if canonical not in KEEP_GROUPS:
        groups[canonical] = merged.ids.copy()
    names = merged.ids.copy()
    if canonical == "state" and "state_name" in groups:
        names = np.asarray(groups["state_name"], dtype=object)
    elif canonical == "county" and "county" in groups:
        names = np.asarray(groups["county"], dtype=object)
    notes = [
        *graph.meta.get("notes", []),
        f"aggregated {graph.n_units:,} units to {merged.n_units:,} by {canonical}",
    ]
    meta = {**merged.meta, "aggregate": canonical, "notes": notes}
    return replace(merged, names=names, groups=groups, meta=meta)


def _is_us_county(graph: UnitGraph) -> bool:
    ids = graph.ids.astype(str)
    return "state" in graph.groups and all(len(i) == 5 and i.isdigit() for i in ids[:50])


def _known(graph: UnitGraph) -> str:
    found = ", ".join(sorted(graph.groups)) or "none"
    return f"levels: state, county, or a grouping of these units: {found}"
