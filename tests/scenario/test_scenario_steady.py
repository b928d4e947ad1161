"""Steady sweeps: no swing point is worse than a neighbour's plan re-scored there."""

from __future__ import annotations

import numpy as np

from secession.plan.check import check_plan, satisfied
from secession.plan.solve import solve
from secession.scenario.kinds import ScenarioOptions, graph_for, spec_for
from secession.scenario.steady import steady_swings
from secession.scenario.swing import swing


def test_no_swing_point_is_worse_than_a_neighbours_plan(west_graph) -> None:
    spec = spec_for("counties-multi", ScenarioOptions(min_population=300_000))
    points = [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0]
    own = {
        s: solve(
            graph_for(swing(west_graph, s), spec), spec.constraints, solver="fast", seed=int(s + 10)
        ).country
        for s in points
    }
    base = own[0.0]
    plans, source = steady_swings(west_graph, spec, own, base, lambda s: swing(west_graph, s))
    for k, s in enumerate(points):
        here = graph_for(swing(west_graph, s), spec)
        assert check_plan(here, spec.constraints, plans[s]) == []
        value = satisfied(here, plans[s])
        assert value >= satisfied(here, own[s]) - 1e-6  # never worse than its own re-plan
        for j in (k - 1, k + 1):
            if 0 <= j < len(points):
                other = plans[points[j]]
                if not check_plan(here, spec.constraints, other):
                    assert value >= satisfied(here, other) - 1e-6, (s, points[j])
        assert check_plan(here, spec.constraints, base) or value >= satisfied(here, base) - 1e-6
    assert set(source.values()) <= {"own", "baseline"} | {f"from {p:+g}" for p in points}
    assert np.asarray(plans[0.0]).shape == base.shape
