"""Names of the countries of a plan: ``stay`` for the remaining country, then new ones."""

from __future__ import annotations

from secession.geo.graph import UnitGraph
from secession.plan.model import STAY


def country_labels(graph: UnitGraph, n_new: int) -> list[str]:
    """``["stay", <leave label>]`` for one new country, ``<leave label>-1..k`` for several.

    The leave label comes from the graph (e.g. ``dem``); it is never ``stay`` itself.
    """
    base = str(graph.leave_label or "leave")
    if base == STAY:
        base = "new"
    if n_new <= 1:
        return [STAY, base]
    return [STAY] + [f"{base}-{k}" for k in range(1, n_new + 1)]
