"""The named national scenarios and how each one is posed to the planner.

- ``states``: whole states; the states whose voters chose the leave side form the new
  country (or countries, one per contiguous block when contiguity is on).
- ``counties``: county-level plan, one new country.
- ``counties-multi``: county-level plan, any number of new countries, each with at least
  ``min_population`` people.
- ``split-states``: whole states, except the states listed by the user or those where the
  county-level plan gains more than ``split_threshold`` of the state's two-side votes over
  keeping the state whole; those are planned county by county.

Every scenario plans on the county graph itself: planning on whole states is the
``level`` constraint on a grouping (``state``, or ``scenario_unit`` for split states).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph
from secession.i18n import DEFAULT, gettext_for
from secession.plan.model import Plan, PlanConstraints
from secession.scenario.names import (
    DEFAULT_MIN_POPULATION,
    DEFAULT_SPLIT_THRESHOLD,
    KINDS,
    TITLES,
)

STATE_GROUP = "state"
SPLIT_GROUP = "scenario_unit"


@dataclass(frozen=True)
class ScenarioOptions:
    """Switches shared by every scenario of one run."""

    contiguous: bool = True
    min_population: float = DEFAULT_MIN_POPULATION
    split: tuple[str, ...] = ()
    split_threshold: float | None = DEFAULT_SPLIT_THRESHOLD
    consent: float | None = None
    exclaves: str = "nearest"


@dataclass(frozen=True)
class ScenarioSpec:
    """One scenario ready to solve: its constraints and the states it splits, if any."""

    name: str
    title: str
    constraints: PlanConstraints
    split: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def describe(self, size: str = "people", lang: str = DEFAULT) -> str:
        """One line naming the scenario's constraints (``size``: what population counts,
        ``"people"`` or ``"votes"``), in ``lang``."""
        _ = gettext_for(lang)
        c = self.constraints
        parts = [_(self.title)]
        if c.max_countries is None:
            parts.append(_("any number of new countries"))
        if c.min_population:
            n = f"{c.min_population:,.0f}"
            parts.append(
                _("each ≥ {n} votes").format(n=n)
                if size == "votes"
                else _("each ≥ {n} people").format(n=n)
            )
        parts.append(_("contiguous") if c.contiguous_new else _("not necessarily contiguous"))
        if self.split:
            parts.append(_("split: {states}").format(states=", ".join(self.split)))
        return "; ".join(parts)


def check_kinds(names: list[str] | tuple[str, ...]) -> list[str]:
    """Validate scenario names (order kept, duplicates dropped)."""
    out: list[str] = []
    for n in names:
        if n not in KINDS:
            raise DataError(f"unknown scenario {n!r}: choose from {', '.join(KINDS)}")
        if n not in out:
            out.append(n)
    return out


def state_labels(graph: UnitGraph, what: str) -> np.ndarray:
    """The state of every unit, or a clear error when the units carry no state."""
    if STATE_GROUP not in graph.groups:
        have = ", ".join(sorted(graph.groups)) or "none"
        raise DataError(
            f"scenario {what!r} needs units grouped by state (the US county results carry "
            f"them); these units have groupings: {have}"
        )
    return np.asarray(graph.groups[STATE_GROUP]).astype(str)


def resolve_split(graph: UnitGraph, states: tuple[str, ...]) -> tuple[str, ...]:
    """Postal codes of the states named by the user (codes or names), checked against data."""
    from secession.geo.states import resolve_states

    present = set(state_labels(graph, "split-states").tolist())
    codes = tuple(resolve_states(list(states)))
    missing = [c for c in codes if c not in present]
    if missing:
        raise DataError(f"`split` {', '.join(missing)}: no units of that state in this data")
    return codes


def splitting_gains(graph: UnitGraph, plan: Plan) -> dict[str, float]:
    """Per state: satisfied voters under ``plan`` minus the best of keeping the state whole,
    as a share of the state's two-side votes (positive when dividing the state helps)."""
    states = state_labels(graph, "split-states")
    uniq, inv = np.unique(states, return_inverse=True)
    leaves = np.asarray(plan.country) > 0
    k = len(uniq)
    sat = np.bincount(inv, weights=np.where(leaves, graph.leave, graph.stay), minlength=k)
    lv = np.bincount(inv, weights=graph.leave, minlength=k)
    st = np.bincount(inv, weights=graph.stay, minlength=k)
    two = lv + st
    gain = np.divide(sat - np.maximum(lv, st), two, out=np.zeros(k), where=two > 0)
    return {str(s): float(v) for s, v in zip(uniq, gain, strict=True)}


def auto_split(gains: dict[str, float], threshold: float) -> tuple[str, ...]:
    """States whose splitting gain exceeds ``threshold``, largest gain first."""
    return tuple(s for s, v in sorted(gains.items(), key=lambda t: -t[1]) if v > threshold)


def with_split_groups(graph: UnitGraph, split: tuple[str, ...]) -> UnitGraph:
    """``graph`` with a ``scenario_unit`` grouping: the state, or the unit id in split states."""
    states = state_labels(graph, "split-states")
    ids = np.asarray(graph.ids).astype(str)
    label = np.where(np.isin(states, list(split)), np.char.add("unit:", ids), states)
    groups = dict(graph.groups)
    groups[SPLIT_GROUP] = label.astype(object)
    return replace(graph, groups=groups)


def spec_for(name: str, options: ScenarioOptions, split: tuple[str, ...] = ()) -> ScenarioSpec:
    """The :class:`ScenarioSpec` of scenario ``name`` under ``options``."""
    base = PlanConstraints(
        contiguous_new=options.contiguous,
        contiguous_rest=options.contiguous,
        min_population=float(options.min_population),
        max_countries=None,
        consent=options.consent,
        exclaves=options.exclaves,
    )
    if name == "states":
        cons = replace(base, level=STATE_GROUP)
    elif name == "counties":
        cons = replace(base, max_countries=1, min_population=0.0)
    elif name == "counties-multi":
        cons = base
    elif name == "split-states":
        cons = replace(base, level=SPLIT_GROUP)
    else:  # pragma: no cover - names are checked first
        raise DataError(f"unknown scenario {name!r}")
    return ScenarioSpec(name=name, title=TITLES[name], constraints=cons, split=split)


def graph_for(graph: UnitGraph, spec: ScenarioSpec) -> UnitGraph:
    """The graph a scenario is solved on (adds the split grouping when needed)."""
    if spec.constraints.level == STATE_GROUP:
        state_labels(graph, spec.name)
    if spec.constraints.level == SPLIT_GROUP:
        return with_split_groups(graph, spec.split)
    return graph
