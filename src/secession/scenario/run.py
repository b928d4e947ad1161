"""Solve the named scenarios on one unit graph, in an order that lets them share work."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.model import Plan
from secession.scenario.kinds import (
    ScenarioOptions,
    ScenarioSpec,
    auto_split,
    check_kinds,
    graph_for,
    resolve_split,
    spec_for,
    splitting_gains,
)
from secession.scenario.merge import merge_touching
from secession.scenario.metrics import scenario_row
from secession.scenario.progress import Steps

#: With ``--solver auto``, instances with more planning units than this use the fast solver:
#: on national county graphs the exact solver overran its time limit several times over
#: without improving the fast plan or proving a bound (see the scenario report).
SCENARIO_EXACT_MAX_UNITS = 500


@dataclass(frozen=True)
class SolverSettings:
    """How every plan of a run is solved."""

    solver: str = "auto"
    time_limit: float = 20.0
    seed: int = 0


@dataclass
class ScenarioResult:
    """A solved scenario: what was asked, the plan, and its comparison row."""

    spec: ScenarioSpec
    plan: Plan
    row: dict[str, Any]
    map: Any = None  # secession.maps.MapData once drawn, reused by the comparison report


def planning_units(graph: UnitGraph, spec: ScenarioSpec) -> int:
    """How many units the planner decides on (groups when planning on a level)."""
    level = spec.constraints.level
    if level is None:
        return graph.n_units
    return len(np.unique(np.asarray(graph_for(graph, spec).groups[level]).astype(str)))


def effective_solver(graph: UnitGraph, spec: ScenarioSpec, requested: str) -> str:
    """``requested``, except ``auto`` becomes ``fast`` beyond :data:`SCENARIO_EXACT_MAX_UNITS`."""
    if requested == "auto" and planning_units(graph, spec) > SCENARIO_EXACT_MAX_UNITS:
        return "fast"
    return requested


def solve_spec(graph: UnitGraph, spec: ScenarioSpec, settings: SolverSettings) -> Plan:
    """Solve one scenario with the project's planner, touching new countries merged."""
    from secession.plan import solve

    plan = solve(
        graph_for(graph, spec),
        spec.constraints,
        solver=effective_solver(graph, spec, settings.solver),
        time_limit=settings.time_limit,
        seed=settings.seed,
    )
    return merge_touching(plan)


def plan_specs(graph: UnitGraph, kinds: list[str], options: ScenarioOptions) -> list[ScenarioSpec]:
    """Specs for ``kinds``; the split list of ``split-states`` holds the user's states only
    (see :func:`finish_split`)."""
    kinds = check_kinds(kinds)
    split = resolve_split(graph, options.split) if "split-states" in kinds else ()
    return [spec_for(k, options, split if k == "split-states" else ()) for k in kinds]


def needs_reference(spec: ScenarioSpec, options: ScenarioOptions) -> bool:
    """Whether ``spec`` waits for a county-level plan to choose the states it splits."""
    return spec.name == "split-states" and options.split_threshold is not None


def finish_split(
    graph: UnitGraph, spec: ScenarioSpec, options: ScenarioOptions, reference: Plan | None
) -> ScenarioSpec:
    """The split-states spec with its final split list: the user's states, plus (with a
    threshold) those where the county-level ``reference`` plan gains more than it."""
    if spec.name != "split-states":
        return spec
    notes: tuple[str, ...] = ()
    split = spec.split
    if options.split_threshold is not None and reference is not None:
        gains = splitting_gains(graph, reference)
        chosen = auto_split(gains, options.split_threshold)
        split = tuple(dict.fromkeys(spec.split + chosen))
        notes += (
            f"split where the county-level plan gains more than {options.split_threshold:.0%} "
            "of the state's two-side votes: "
            + (", ".join(f"{s} ({gains[s]:.1%})" for s in chosen) or "none"),
        )
    if spec.split:
        notes += ("split as asked: " + ", ".join(spec.split),)
    if not notes:
        notes = ("no state split",)
    return replace(spec, split=split, notes=notes)


def size_word(graph: UnitGraph) -> str:
    """What the units' population counts: ``"people"``, or ``"votes"`` when the data gave
    no population."""
    from secession.maps.figures import population_is_votes

    return "votes" if population_is_votes(graph) else "people"


def scenario_result(graph: UnitGraph, spec: ScenarioSpec, plan: Plan) -> ScenarioResult:
    """Pair a solved plan with its spec and comparison row."""
    row = scenario_row(spec.name, spec.title, plan, graph)
    row["description"] = spec.describe(size_word(graph))
    row["split"] = list(spec.split)
    row["notes"] = list(spec.notes)
    return ScenarioResult(spec=spec, plan=plan, row=row)


def run_scenarios(
    graph: UnitGraph,
    kinds: list[str],
    options: ScenarioOptions,
    settings: SolverSettings,
    *,
    steps: Steps | None = None,
) -> list[ScenarioResult]:
    """Solve every scenario of ``kinds`` on ``graph`` one after another, in this process.

    ``split-states`` with a ``split_threshold`` first needs a county-level plan with several
    countries: the ``counties-multi`` result when that scenario is in the run, else one
    solved for this purpose only. (:func:`secession.scenario.compare.run_comparison` does
    the same on Dask, in parallel.)
    """
    specs = plan_specs(graph, kinds, options)
    steps = steps or Steps(quiet=True)
    solved: dict[str, Plan] = {}
    final: dict[str, ScenarioSpec] = {}
    for spec in sorted(specs, key=lambda s: 0 if s.name == "counties-multi" else 1):
        reference = None
        if needs_reference(spec, options):
            reference = solved.get("counties-multi")
            if reference is None:
                with steps.step("solving counties-multi to measure splitting gains"):
                    reference = solve_spec(graph, spec_for("counties-multi", options), settings)
        spec = finish_split(graph, spec, options, reference)
        with steps.step(f"solving {spec.name}"):
            solved[spec.name] = solve_spec(graph, spec, settings)
        final[spec.name] = spec
    return [scenario_result(graph, final[s.name], solved[s.name]) for s in specs]
