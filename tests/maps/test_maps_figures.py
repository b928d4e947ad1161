"""Per-unit and per-country figures of a plan, checked on a graph small enough to count by hand."""

from __future__ import annotations

import numpy as np
from mapcheck import hand_plan

from secession.geo.graph import UnitGraph
from secession.maps.figures import country_rows, headline, margins, stranded_units


def _graph() -> UnitGraph:
    # a - b - c - d in a line; leave/stay votes chosen so b and d are stranded below
    return UnitGraph.from_edges(
        ids=["a", "b", "c", "d"],
        leave=[60, 30, 10, 55],
        stay=[40, 70, 90, 45],
        other=[5, 0, 0, 1],
        edges=np.array([[0, 1], [1, 2], [2, 3]]),
        leave_label="dem",
        stay_label="gop",
    )


def test_margins_and_stranded_units() -> None:
    plan = hand_plan(_graph(), np.array([1, 1, 0, 0]), ["stay", "dem"])
    assert np.allclose(margins(plan.graph.leave, plan.graph.stay), [0.2, -0.4, -0.8, 0.1])
    # b leaves although gop won it; d stays although dem won it
    assert stranded_units(plan).tolist() == [False, True, False, True]


def test_country_rows_by_hand() -> None:
    plan = hand_plan(_graph(), np.array([1, 1, 0, 0]), ["stay", "dem"])
    rest, new = country_rows(plan)
    assert (rest.units, rest.leave_votes, rest.stay_votes, rest.other_votes) == (2, 65, 135, 1)
    assert rest.satisfied == 135 and rest.stranded == 65
    assert rest.population == 201  # population defaults to all votes
    assert (new.units, new.satisfied, new.stranded) == (2, 90, 110)
    assert abs(new.satisfied_share - 90 / 200) < 1e-12
    assert rest.name.startswith("Remaining country") and "dem" in new.name


def test_headline_totals() -> None:
    plan = hand_plan(_graph(), np.array([1, 1, 0, 0]), ["stay", "dem"])
    h = headline(plan)
    assert h["satisfied_voters"] == 225 and h["two_side_votes"] == 400
    assert h["stranded_leave_voters"] == 65 and h["stranded_stay_voters"] == 110
    assert h["upper_bound"] == 60 + 70 + 90 + 55
    assert h["new_countries"] == 1
    # a label with no units is not counted as a country
    empty = hand_plan(_graph(), np.array([1, 1, 0, 0]), ["stay", "dem-1", "dem-2"])
    assert headline(empty)["new_countries"] == 1


def test_gap_never_looser_than_the_unconstrained_bound() -> None:
    from dataclasses import replace

    from secession.scenario.metrics import scenario_row

    plan = hand_plan(_graph(), np.array([1, 1, 0, 0]), ["stay", "dem"])
    upper = 60 + 70 + 90 + 55
    # a solver stopped without a bound reports an infinite one: the gap is to the upper bound
    for best, want in ((float("inf"), (upper - 225) / upper), (250.0, 25 / 250), (225.0, 0.0)):
        p = replace(plan, best_bound=best)
        assert abs(headline(p)["gap"] - want) < 1e-12
        assert abs(scenario_row("x", "X", p, p.graph)["gap"] - want) < 1e-12
