"""The plan checker catches each kind of violation on small hand-made graphs."""

# These graphs have no coordinates: they test the rule of one piece per landmass as such
# (``exclaves="any"``); the exclave policies are tested in tests/plan/test_exclaves.py.

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph
from secession.plan.check import (
    Violation,
    ViolationKind,
    check_plan,
    messages,
    satisfied,
    upper_bound,
)
from secession.plan.model import PlanConstraints

# 3x3 grid a..i (rook) plus an island z:
#   a b c
#   d e f      z
#   g h i
IDS = list("abcdefghiz")
GRID_EDGES = [
    ("a", "b"), ("b", "c"), ("d", "e"), ("e", "f"), ("g", "h"), ("h", "i"),
    ("a", "d"), ("d", "g"), ("b", "e"), ("e", "h"), ("c", "f"), ("f", "i"),
]  # fmt: skip
LEAVE = [6, 5, 1, 4, 3, 0, 2, 2, 9, 7]
STAY = [1, 2, 3, 4, 5, 0, 8, 3, 1, 2]
ROWS = ["top"] * 3 + ["mid"] * 3 + ["low"] * 3 + ["isle"]


def grid() -> UnitGraph:
    pos = {u: i for i, u in enumerate(IDS)}
    edges = np.array([[pos[u], pos[v]] for u, v in GRID_EDGES])
    return UnitGraph.from_edges(
        IDS,
        LEAVE,
        STAY,
        edges,
        population=[100] * 10,
        groups={"row": ROWS},
    )


def plan(**countries: int) -> np.ndarray:
    c = np.zeros(len(IDS), dtype=np.int64)
    for uid, k in countries.items():
        c[IDS.index(uid)] = k
    return c


def test_objective_and_bound_by_hand() -> None:
    g = grid()
    # a, b leave: 6 + 5; everyone else stays: 3 + 4 + 5 + 0 + 8 + 3 + 1 + 2
    assert satisfied(g, plan(a=1, b=1)) == 11 + 26
    # max per unit: 6 5 3 4 5 0 8 3 9 7
    assert upper_bound(g) == 50
    assert satisfied(g, plan(a=1, b=1, e=2)) == 11 + 3 + 26 - 5


def test_valid_plan_passes_every_constraint() -> None:
    cons = PlanConstraints(
        exclaves="any",
        min_population=200,
        consent=0.5,
        lock_leave=("a",),
        lock_stay=("g",),
        max_countries=2,
    )
    assert check_plan(grid(), cons, plan(a=1, b=1, i=2, z=2)) == []


def test_new_country_contiguity() -> None:
    g = grid()
    bad = plan(a=1, c=1)
    msgs = messages(check_plan(g, PlanConstraints(exclaves="any", contiguous_rest=False), bad))
    assert msgs == ["country 1 is split into 2 pieces in input component 0: [a], [c]"]
    assert (
        check_plan(
            g, PlanConstraints(exclaves="any", contiguous_new=False, contiguous_rest=False), bad
        )
        == []
    )
    assert check_plan(g, PlanConstraints(exclaves="any"), plan(a=1, b=1, c=1)) == []


def test_one_piece_per_input_component_is_allowed() -> None:
    # a new country in the main component and on the island: no break
    assert check_plan(grid(), PlanConstraints(exclaves="any"), plan(a=1, z=1)) == []
    # the remaining country may be absent from the island, or from everything there
    assert check_plan(grid(), PlanConstraints(exclaves="any"), plan(z=1)) == []


def test_remaining_country_contiguity() -> None:
    g = grid()
    middle = plan(b=1, e=1, h=1)  # cuts the rest into the left and right columns
    msgs = messages(check_plan(g, PlanConstraints(exclaves="any"), middle))
    assert len(msgs) == 1
    assert msgs[0].startswith("the remaining country is split into 2 pieces")
    assert "[a, d, g]" in msgs[0] and "[c, f, i]" in msgs[0]
    assert check_plan(g, PlanConstraints(exclaves="any", contiguous_rest=False), middle) == []


def test_each_new_country_is_checked() -> None:
    g = grid()
    two = plan(a=1, b=2, c=1)
    msgs = messages(
        check_plan(g, PlanConstraints(exclaves="any", max_countries=2, contiguous_rest=False), two)
    )
    assert msgs == ["country 1 is split into 2 pieces in input component 0: [a], [c]"]


def test_min_population() -> None:
    g = grid()
    cons = PlanConstraints(exclaves="any", min_population=300, max_countries=None)
    msgs = messages(check_plan(g, cons, plan(a=1, b=1, c=1, i=2, f=2)))
    assert msgs == ["country 2 has population 200, below the minimum 300: [f, i]"]
    assert check_plan(g, cons, plan(a=1, b=1, c=1, i=2, f=2, h=2)) == []


def test_max_countries() -> None:
    g = grid()
    two = plan(a=1, i=2)
    assert messages(check_plan(g, PlanConstraints(exclaves="any"), two)) == [
        "2 new countries, more than the maximum 1"
    ]
    assert check_plan(g, PlanConstraints(exclaves="any", max_countries=2), two) == []
    assert check_plan(g, PlanConstraints(exclaves="any", max_countries=None), two) == []


def test_consent() -> None:
    g = grid()
    # d: 4 of 8 leave (0.5); e: 3 of 8 (0.375); f has no votes at all (share 0)
    cons = PlanConstraints(exclaves="any", consent=0.5, contiguous_rest=False)
    assert check_plan(g, cons, plan(d=1)) == []
    msgs = messages(check_plan(g, cons, plan(d=1, e=1)))
    assert msgs == ["unit e leaves with a leave share of 0.3750, below the consent threshold 0.5"]
    assert messages(check_plan(g, cons, plan(c=1, f=1, i=1)))[0].startswith("unit c leaves")
    assert "unit f leaves" in messages(check_plan(g, cons, plan(c=1, f=1, i=1)))[1]
    assert check_plan(g, PlanConstraints(exclaves="any", consent=0.0), plan(c=1, f=1, i=1)) == []


def test_locks() -> None:
    g = grid()
    cons = PlanConstraints(exclaves="any", lock_leave=("a",), lock_stay=("c",))
    assert check_plan(g, cons, plan(a=1, b=1)) == []
    assert messages(check_plan(g, cons, plan(b=1, c=1))) == [
        "unit a is locked to leave but stays",
        "unit c is locked to stay but joins country 1",
    ]


def test_level_keeps_groups_whole_and_judges_groups() -> None:
    g = grid()
    cons = PlanConstraints(exclaves="any", level="row", max_countries=None)
    assert check_plan(g, cons, plan(a=1, b=1, c=1)) == []
    divided = messages(check_plan(g, cons, plan(a=1, b=1)))
    assert divided == ["group top (row) is divided: the remaining country: [c]; country 1: [a, b]"]
    # top and low rows are not adjacent: one new country made of both is split
    msgs = messages(check_plan(g, cons, plan(a=1, b=1, c=1, g=1, h=1, i=1)))
    assert len(msgs) == 1 and "[low], [top]" in msgs[0]
    # consent is judged on the row's summed votes: mid row 7 of 15 leave
    cons_c = PlanConstraints(exclaves="any", level="row", consent=0.5, contiguous_rest=False)
    assert "unit mid leaves" in messages(check_plan(g, cons_c, plan(d=1, e=1, f=1)))[0]
    assert check_plan(g, cons_c, plan(a=1, b=1, c=1)) == []


def test_bad_input_is_a_data_error() -> None:
    g = grid()
    with pytest.raises(DataError, match="9 entries for 10 units"):
        check_plan(g, PlanConstraints(exclaves="any"), np.zeros(9, dtype=int))
    with pytest.raises(DataError, match="lock_leave: unknown unit id"):
        check_plan(g, PlanConstraints(exclaves="any", lock_leave=("nope",)), plan())
    with pytest.raises(DataError, match="level 'state' is not a grouping"):
        check_plan(g, PlanConstraints(exclaves="any", level="state"), plan())
    with pytest.raises(DataError, match="negative country"):
        check_plan(g, PlanConstraints(exclaves="any"), plan(a=-1))


def test_piece_counts_agree_with_networkx_on_random_plans() -> None:
    rng = np.random.default_rng(7)
    for trial in range(30):
        nxg = nx.gnm_random_graph(25, 35, seed=trial)
        edges = np.array(list(nxg.edges()))
        ids = [f"u{i}" for i in range(25)]
        g = UnitGraph.from_edges(ids, np.ones(25), np.ones(25), edges)
        country = rng.integers(0, 3, size=25)
        expected = 0
        for comp in nx.connected_components(nxg):
            for k in range(3):
                members = [v for v in comp if country[v] == k]
                if members:
                    pieces = nx.number_connected_components(nxg.subgraph(members))
                    expected += pieces > 1
        free_count = PlanConstraints(exclaves="any", max_countries=None)
        assert len(check_plan(g, free_count, country)) == expected


def test_violations_carry_kind_country_and_units() -> None:
    g = grid()
    cons = PlanConstraints(
        exclaves="any", lock_leave=("a",), lock_stay=("c",), min_population=300, consent=0.5
    )
    found = check_plan(g, cons, plan(b=1, c=1, i=2))
    assert all(isinstance(v, Violation) for v in found)
    by_kind = {(v.kind, v.country): v.units for v in found}
    assert by_kind[(ViolationKind.LOCK_LEAVE, 0)] == ("a",)
    assert by_kind[(ViolationKind.LOCK_STAY, 1)] == ("c",)
    assert by_kind[(ViolationKind.MAX_COUNTRIES, None)] == ()
    assert by_kind[(ViolationKind.MIN_POPULATION, 1)] == ("b", "c")
    assert by_kind[(ViolationKind.MIN_POPULATION, 2)] == ("i",)
    assert by_kind[(ViolationKind.CONSENT, 1)] == ("c",)  # 1 of 4 two-side voters leave
    assert [str(v) for v in found] == messages(found)
    # the remaining country (country 0) split by a new country across the middle
    [split] = check_plan(g, PlanConstraints(exclaves="any"), plan(b=1, e=1, h=1))
    assert (split.kind, split.country) == (ViolationKind.SPLIT, 0)
    assert set(split.units) == set("acdfgi")
    divided = check_plan(g, PlanConstraints(exclaves="any", level="row"), plan(a=1, b=1))
    assert [(v.kind, v.units) for v in divided] == [(ViolationKind.GROUP_DIVIDED, ("a", "b", "c"))]


def test_solve_checks_its_final_plan() -> None:
    from secession.plan.solve import solve

    g = grid()
    for solver in ("fast", "exact"):
        done = solve(g, PlanConstraints(exclaves="any"), solver=solver, time_limit=10)
        assert done.stats["check"]["valid"] is True
        assert done.stats["check"]["violations"] == 0
        assert check_plan(g, PlanConstraints(exclaves="any"), done.country) == []
