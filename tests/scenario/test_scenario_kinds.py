"""Every scenario kind on real county results of four western states (fast solver)."""

from __future__ import annotations

import numpy as np
import pytest

from secession.exceptions import DataError
from secession.plan.check import check_plan
from secession.scenario.kinds import (
    ScenarioOptions,
    auto_split,
    spec_for,
    splitting_gains,
    with_split_groups,
)
from secession.scenario.run import SolverSettings, run_scenarios

FAST = SolverSettings(solver="fast", time_limit=5, seed=0)


def _states(graph, plan) -> dict[str, set[int]]:
    st = np.asarray(graph.groups["state"]).astype(str)
    return {s: set(plan.country[st == s].tolist()) for s in np.unique(st)}


@pytest.mark.parametrize("contiguous", [True, False])
def test_states_scenario_takes_the_states_whose_majority_chose_leave(
    west_graph, state_majorities, contiguous
) -> None:
    (res,) = run_scenarios(west_graph, ["states"], ScenarioOptions(contiguous=contiguous), FAST)
    leaving = {s for s, (dem, gop) in state_majorities.items() if dem > gop}
    assert leaving == {"OR", "WA", "NV"}  # Idaho voted Republican
    per_state = _states(west_graph, res.plan)
    assert all(len(v) == 1 for v in per_state.values())  # whole states only
    assert {s for s, v in per_state.items() if v != {0}} == leaving
    dem = sum(state_majorities[s][0] for s in leaving)
    gop = state_majorities["ID"][1]
    two = sum(d + g for d, g in state_majorities.values())
    assert abs(res.row["satisfied_share"] - (dem + gop) / two) < 1e-9
    assert res.row["remaining_contiguous"]


def test_states_scenario_for_the_other_side(west_graph) -> None:
    gop = west_graph.swapped()
    (res,) = run_scenarios(gop, ["states"], ScenarioOptions(), FAST)
    per_state = _states(gop, res.plan)
    assert {s for s, v in per_state.items() if v != {0}} == {"ID"}


def test_county_scenarios_meet_their_constraints(west_graph) -> None:
    opts = ScenarioOptions(min_population=300_000)
    one, multi = run_scenarios(west_graph, ["counties", "counties-multi"], opts, FAST)
    assert one.row["new_countries"] == 1
    assert check_plan(west_graph, one.spec.constraints, one.plan.country) == []
    assert multi.row["new_countries"] >= 1
    assert check_plan(west_graph, multi.spec.constraints, multi.plan.country) == []
    assert multi.row["smallest_new_population"] >= 300_000
    # county plans beat whole states: they can leave rural Oregon behind
    (states,) = run_scenarios(west_graph, ["states"], opts, FAST)
    assert one.row["satisfied_share"] > states.row["satisfied_share"]
    assert multi.row["satisfied_share"] <= multi.row["upper_bound_share"] + 1e-12


def test_split_states_divides_only_the_listed_state(west_graph) -> None:
    opts = ScenarioOptions(split=("Oregon",), split_threshold=None)
    (res,) = run_scenarios(west_graph, ["split-states"], opts, FAST)
    assert res.spec.split == ("OR",)
    per_state = _states(west_graph, res.plan)
    assert per_state["OR"] == {0, *per_state["OR"]} and len(per_state["OR"]) >= 2
    assert all(len(v) == 1 for s, v in per_state.items() if s != "OR")
    assert check_plan(
        with_split_groups(west_graph, ("OR",)), res.spec.constraints, res.plan.country
    ) == []  # fmt: skip


def test_split_states_by_threshold_uses_the_county_plan(west_graph) -> None:
    opts = ScenarioOptions(split_threshold=0.02, min_population=300_000)
    multi, split = run_scenarios(west_graph, ["counties-multi", "split-states"], opts, FAST)
    gains = splitting_gains(west_graph, multi.plan)
    # the gain of a state, recomputed by hand for Oregon
    st = np.asarray(west_graph.groups["state"]).astype(str) == "OR"
    g = west_graph
    leaves = multi.plan.country[st] > 0
    sat = g.leave[st][leaves].sum() + g.stay[st][~leaves].sum()
    whole = max(g.leave[st].sum(), g.stay[st].sum())
    assert abs(gains["OR"] - (sat - whole) / (g.leave[st].sum() + g.stay[st].sum())) < 1e-12
    chosen = auto_split(gains, 0.02)
    assert split.spec.split == chosen and all(gains[s] > 0.02 for s in chosen)
    assert split.row["split"] == list(chosen) and "2%" in split.spec.notes[0]


def test_unknown_names_are_refused(west_graph) -> None:
    with pytest.raises(DataError, match="unknown scenario"):
        run_scenarios(west_graph, ["provinces"], ScenarioOptions(), FAST)
    with pytest.raises(DataError, match="no units of that state"):
        run_scenarios(west_graph, ["split-states"], ScenarioOptions(split=("TX",)), FAST)


def test_states_need_a_state_grouping(west_graph) -> None:
    from dataclasses import replace

    bare = replace(west_graph, groups={})
    with pytest.raises(DataError, match="grouped by state"):
        run_scenarios(bare, ["states"], ScenarioOptions(), FAST)
    assert spec_for("counties", ScenarioOptions()).constraints.max_countries == 1
