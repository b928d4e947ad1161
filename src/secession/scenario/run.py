"""Solve the named scenarios on one unit graph, in an order that lets them share work."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

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
from secession.scenario.metrics import scenario_row
from secession.scenario.progress import Steps


@dataclass(frozen=True)
class SolverSettings:
    """How every plan of a run is solved."""

    solver: str = "auto"
    time_limit: float = 30.0
    seed: int = 0


@dataclass
class ScenarioResult:
    """A solved scenario: what was asked, the plan, and its comparison row."""

    spec: ScenarioSpec
    plan: Plan
    row: dict[str, Any]


def solve_spec(graph: UnitGraph, spec: ScenarioSpec, settings: SolverSettings) -> Plan:
    """Solve one scenario with the project's planner (``secession.plan.solve``)."""
    from secession.plan import solve

    return solve(
        graph_for(graph, spec),
        spec.constraints,
        solver=settings.solver,
        time_limit=settings.time_limit,
        seed=settings.seed,
    )


def plan_specs(graph: UnitGraph, kinds: list[str], options: ScenarioOptions) -> list[ScenarioSpec]:
    """Specs for ``kinds``; the split list of ``split-states`` is filled in by :func:`run`."""
    kinds = check_kinds(kinds)
    split = resolve_split(graph, options.split) if "split-states" in kinds else ()
    return [spec_for(k, options, split if k == "split-states" else ()) for k in kinds]


def run_scenarios(
    graph: UnitGraph,
    kinds: list[str],
    options: ScenarioOptions,
    settings: SolverSettings,
    *,
    steps: Steps | None = None,
) -> list[ScenarioResult]:
    """Solve every scenario of ``kinds`` on ``graph`` and return them in the order asked.

    ``split-states`` with a ``split_threshold`` first needs a county-level plan with several
    countries: the ``counties-multi`` result when that scenario is in the run, else one
    solved for this purpose only.
    """
    specs = plan_specs(graph, kinds, options)
    steps = steps or Steps(quiet=True)
    what = f"({settings.solver}, ≤{settings.time_limit:g} s)"
    solved: dict[str, Plan] = {}
    order = sorted(specs, key=lambda s: 0 if s.name == "counties-multi" else 1)
    final: dict[str, ScenarioSpec] = {}
    for spec in order:
        if spec.name == "split-states" and options.split_threshold is not None:
            reference = solved.get("counties-multi")
            if reference is None:
                with steps.step(f"solving counties-multi to measure splitting gains {what}"):
                    reference = solve_spec(graph, spec_for("counties-multi", options), settings)
            gains = splitting_gains(graph, reference)
            chosen = auto_split(gains, options.split_threshold)
            split = tuple(dict.fromkeys(spec.split + chosen))
            notes = (
                f"split where the county-level plan gains more than "
                f"{options.split_threshold:.0%} of the state's two-side votes: "
                + (", ".join(f"{s} ({gains[s]:.1%})" for s in chosen) or "none"),
            )
            if spec.split:
                notes += ("split as asked: " + ", ".join(spec.split),)
            spec = replace(spec, split=split, notes=notes)
        elif spec.name == "split-states":
            spec = replace(spec, notes=("split as asked: " + (", ".join(spec.split) or "none"),))
        with steps.step(f"solving {spec.name} {what}"):
            solved[spec.name] = solve_spec(graph, spec, settings)
        final[spec.name] = spec
    out = []
    for spec in specs:
        s = final[spec.name]
        plan = solved[spec.name]
        row = scenario_row(s.name, s.title, plan, graph)
        row["description"] = s.describe()
        row["split"] = list(s.split)
        row["notes"] = list(s.notes)
        out.append(ScenarioResult(spec=s, plan=plan, row=row))
    return out
