"""Names of the countries of a plan: ``stay`` for the remaining country, then new ones."""

from __future__ import annotations

from collections.abc import Sequence

from secession.geo.graph import UnitGraph
from secession.i18n import DEFAULT, gettext_for
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


def display_names(
    labels: Sequence[str], stay_label: str, leave_label: str, lang: str = DEFAULT
) -> list[str]:
    """The name people read for each country of ``labels`` (from :func:`country_labels`),
    in ``lang``: the remaining country, then the new ones by side or label."""
    _ = gettext_for(lang)
    names = [_("Remaining country ({side} side)").format(side=stay_label)]
    for label in list(labels)[1:]:
        if str(label) == str(leave_label):
            names.append(_("New country ({side} side)").format(side=leave_label))
        else:
            names.append(_("New country {label}").format(label=label))
    return names
