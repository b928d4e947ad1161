"""``solve(progress=callable)``: stages reported in order, and a cooperative stop."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from secession.exceptions import PlanStopped
from secession.geo.graph import UnitGraph
from secession.plan import solve
from secession.plan.solve import Progress


def _line() -> UnitGraph:
    return UnitGraph.from_edges(
        ["a", "b", "c", "d"], [5, 1, 4, 6], [1, 6, 1, 2], np.array([[0, 1], [1, 2], [2, 3]])
    )


@pytest.mark.parametrize("solver", ["exact", "fast", "auto"])
def test_progress_reports_each_stage_and_ends_at_the_plan(solver):
    seen: list[Progress] = []
    plan = solve(_line(), solver=solver, progress=seen.append)
    stages = [p.stage for p in seen]
    assert stages[0] == "started" and stages[-1] == "done"
    assert seen[0].satisfied_voters is None and seen[0].gap is None
    last = seen[-1]
    assert last.satisfied_voters == plan.satisfied_voters
    assert last.best_bound == plan.best_bound
    assert last.satisfied_share == pytest.approx(plan.satisfied_voters / 26)
    assert all(a.elapsed <= b.elapsed for a, b in pairwise(seen))
    assert all(p.best_bound <= plan.upper_bound for p in seen)


def test_a_callback_that_raises_plan_stopped_stops_the_solve():
    def stop_after_start(p: Progress) -> None:
        if p.stage != "started":
            raise PlanStopped("stopped on request")

    with pytest.raises(PlanStopped):
        solve(_line(), solver="exact", progress=stop_after_start)
