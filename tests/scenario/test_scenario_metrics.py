"""Comparison rows: stranded voters, populations and contiguity of the remaining country."""

from __future__ import annotations

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.model import Plan
from secession.scenario.metrics import pieces_per_component, scenario_row


def _line() -> UnitGraph:
    # a - b - c - d, plus an island e
    return UnitGraph.from_edges(
        ids=list("abcde"),
        leave=[10, 80, 20, 70, 5],
        stay=[90, 20, 80, 30, 5],
        edges=np.array([[0, 1], [1, 2], [2, 3]]),
        population=[100, 200, 300, 400, 50],
    )


def test_pieces_are_counted_per_input_component() -> None:
    g = _line()
    assert pieces_per_component(g, np.array([1, 0, 1, 0, 0], bool)) == 2
    # a and the island e are in different input components: no break
    assert pieces_per_component(g, np.array([1, 0, 0, 0, 1], bool)) == 1
    assert pieces_per_component(g, np.zeros(5, bool)) == 0


def test_row_by_hand() -> None:
    g = _line()
    country = np.array([0, 1, 0, 2, 0])
    plan = Plan(g, country, ["stay", "x", "y"], 0, 0, 0, False, "hand", 1.5)
    row = scenario_row("t", "T", plan, g)
    assert row["satisfied_voters"] == 90 + 80 + 80 + 70 + 5
    assert row["stranded_leave_voters"] == 10 + 20 + 5
    assert row["stranded_stay_voters"] == 20 + 30
    assert row["new_countries"] == 2 and row["new_population"] == 600
    assert row["remaining_population"] == 450 and row["remaining_units"] == 3
    assert row["remaining_contiguous"] is False  # a and c are cut apart by b
    assert row["new_contiguous"] is True


def test_touching_new_countries_merge_and_are_numbered_by_population() -> None:
    from secession.scenario.merge import merged_countries

    # a-b-c in a line, d-e a pair, f alone: the solver labelled a, b, d, e, f separately
    g = UnitGraph.from_edges(
        ids=list("abcdef"),
        leave=[1] * 6,
        stay=[0] * 6,
        edges=np.array([[0, 1], [1, 2], [3, 4]]),
        population=[1, 1, 1, 5, 5, 9],
    )
    merged = merged_countries(g, np.array([1, 2, 0, 3, 4, 5]))
    # d+e (10 people) first, then f (9), then a+b (2); c stays
    assert merged.tolist() == [3, 3, 0, 1, 1, 2]


def test_merging_never_splits_a_country_in_a_component() -> None:
    from secession.scenario.merge import merged_countries

    # two input components: a-b-c and d-e-f. Country 1 = {a, d}, country 2 = {b, f} touch
    # at a-b, but together they would be two pieces ({d}, {f}) in the second component
    g = UnitGraph.from_edges(
        ids=list("abcdef"),
        leave=[1] * 6,
        stay=[0] * 6,
        edges=np.array([[0, 1], [1, 2], [3, 4], [4, 5]]),
    )
    out = merged_countries(g, np.array([1, 2, 0, 1, 0, 2]))
    assert out[0] == out[3] and out[1] == out[5] and out[0] != out[1]
