"""Opt-in border repair: fewest voters moved (checked by brute force), reasons, a real state."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from secession.geo.graph import UnitGraph
from secession.plan.check import check_plan
from secession.plan.model import PlanConstraints
from secession.referendum import Counts, Rule, decide
from secession.referendum.optin import repair_graph, repair_opt_in
from secession.referendum.results import join_to_graph

OPT_IN = Rule.preset("opt-in")


def grid(rows: int, cols: int) -> np.ndarray:
    edges = []
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c
            if c + 1 < cols:
                edges.append((i, i + 1))
            if r + 1 < rows:
                edges.append((i, i + cols))
    return np.array(edges)


def make(ids, yes, no, edges, population=None):
    g = UnitGraph.from_edges(ids, np.zeros(len(ids)), np.zeros(len(ids)), edges)
    if population is not None:
        from dataclasses import replace

        g = replace(g, population=np.asarray(population, dtype=float))
    counts = Counts.from_arrays(ids, yes=yes, no=no, population=g.population)
    return g, counts


def brute_force_min_moved(graph, voters, chose, constraints):
    """Independent optimum: the cheapest 0/1 assignment that check_plan accepts."""
    every = np.array(list(itertools.product((0, 1), repeat=graph.n_units)))
    moved = ((every > 0) != chose) @ voters
    for k in np.argsort(moved, kind="stable"):
        if not check_plan(graph, constraints, every[k]):
            return int(moved[k])
    return None


@pytest.mark.parametrize("min_population", [0, 150])
def test_repair_moves_the_fewest_voters_on_a_grid(min_population):
    # 3 x 4 grid; yes/no chosen so the leave choices are scattered.
    ids = [f"u{i:02d}" for i in range(12)]
    yes = [60, 70, 10, 80, 55, 5, 20, 90, 10, 65, 30, 75]
    no = [40, 30, 90, 20, 45, 95, 80, 10, 90, 35, 70, 25]
    g, counts = make(ids, yes, no, grid(3, 4))
    out = decide(OPT_IN, counts)
    chose = out.unit_passed
    cons = PlanConstraints(min_population=min_population)
    res = repair_opt_in(g, out, cons, time_limit=30, seed=0)
    rg = repair_graph(g, counts, chose)
    assert check_plan(rg, cons, res.plan.country) == []
    assert res.plan.proven_optimal
    expected = brute_force_min_moved(rg, counts.cast, chose, cons)
    assert res.voters_moved == expected
    # Satisfied voters on the repair graph are exactly the voters not moved.
    assert res.plan.satisfied_voters == pytest.approx(counts.cast.sum() - expected)
    moved_ids = {m.unit_id for m in res.moves}
    placed = res.plan.country > 0
    assert moved_ids == {ids[i] for i in np.flatnonzero(placed != chose)}


def test_enclave_is_moved_to_leave_with_its_reason():
    # 3 x 3 grid of leaving units around a small staying centre, plus a big staying unit
    # "R" attached to the corner: the centre would be cut off from the remaining country.
    ids = [f"g{i}" for i in range(9)] + ["R"]
    edges = np.vstack([grid(3, 3), [[0, 9]]])
    yes = [90] * 9 + [0]
    no = [10] * 9 + [500]
    yes[4], no[4] = 1, 9  # centre chose stay, 10 voters
    g, counts = make(ids, yes, no, edges)
    out = decide(OPT_IN, counts)
    res = repair_opt_in(g, out, PlanConstraints(), seed=0)
    assert [m.unit_id for m in res.moves] == ["g4"]
    (move,) = res.moves
    assert (move.chose, move.placed, move.voters) == ("stay", "leave", 10)
    assert move.reason.startswith("moved to leave: enclave would cut the remaining country")
    assert res.voters_moved == 10


def test_with_consent_the_enclave_stays_and_its_neighbours_are_moved_back():
    # Same map as above, repaired with the default constraints (consent set): g4 may not be
    # taken out, so the cheapest fix reopens a corridor g4-g1-g0-R (or g4-g3-g0-R): two
    # leaving units of 100 voters each go back to stay. Checked by brute force too.
    ids = [f"g{i}" for i in range(9)] + ["R"]
    edges = np.vstack([grid(3, 3), [[0, 9]]])
    yes = [90] * 9 + [0]
    no = [10] * 9 + [500]
    yes[4], no[4] = 1, 9
    g, counts = make(ids, yes, no, edges)
    out = decide(OPT_IN, counts)
    res = repair_opt_in(g, out, seed=0)
    assert res.plan.constraints.consent is not None
    chose = out.unit_passed
    placed = res.plan.country > 0
    assert not (placed & ~chose).any()  # nobody who voted stay was moved out
    rg = repair_graph(g, counts, chose)
    assert (
        res.voters_moved
        == 200
        == brute_force_min_moved(rg, counts.cast, chose, res.plan.constraints)
    )
    moved = sorted(m.unit_id for m in res.moves)
    assert moved in (["g0", "g1"], ["g0", "g3"])
    assert all(m.placed == "stay" for m in res.moves)


def test_lone_leaving_unit_is_moved_to_stay_with_its_reason():
    # A path a-b-c-d-e: a and b leave, c and d stay (big), e leaves alone (small).
    ids = list("abcde")
    edges = np.array([[0, 1], [1, 2], [2, 3], [3, 4]])
    g, counts = make(ids, [80, 70, 10, 10, 6], [20, 30, 190, 190, 4], edges)
    out = decide(OPT_IN, counts)
    assert out.leaving_units == ["a", "b", "e"]
    res = repair_opt_in(g, out, PlanConstraints(), seed=0)
    assert [(m.unit_id, m.placed) for m in res.moves] == [("e", "stay")]
    assert res.moves[0].reason == (
        "moved to stay: not connected to the leaving region, and a separate new country "
        "would exceed the maximum of 1"
    )
    assert res.units_leaving == ["a", "b"]
    # With any number of new countries, e may leave on its own: nobody is moved.
    res = repair_opt_in(g, out, PlanConstraints(max_countries=None), seed=0)
    assert res.moves == []
    assert res.units_leaving == ["a", "b", "e"]
    assert len(set(res.plan.country[[0, 4]].tolist())) == 2


def test_small_leaving_group_below_minimum_population():
    ids = list("abcde")
    edges = np.array([[0, 1], [1, 2], [2, 3], [3, 4]])
    g, counts = make(ids, [80, 70, 10, 10, 60], [20, 30, 190, 190, 40], edges, population=[500] * 5)
    out = decide(OPT_IN, counts)
    res = repair_opt_in(g, out, PlanConstraints(min_population=900), seed=0)
    (move,) = res.moves
    assert move.unit_id == "e"
    assert "on its own its new country would be below the minimum population 900" in move.reason
    # Allowed several countries, e is still too small to be one.
    res = repair_opt_in(g, out, PlanConstraints(min_population=900, max_countries=None), seed=0)
    assert [m.unit_id for m in res.moves] == ["e"]
    assert res.moves[0].reason == (
        "moved to stay: on its own its new country would be below the minimum population 900"
    )


def test_nobody_leaving_needs_no_plan():
    ids = list("ab")
    g, counts = make(ids, [1, 2], [5, 5], np.array([[0, 1]]))
    res = repair_opt_in(g, decide(OPT_IN, counts), PlanConstraints())
    assert res.plan is None
    assert res.moves == []


@pytest.fixture(scope="module")
def oregon(data_dir):
    """Oregon counties; yes = real 2020 Republican votes, no = Democratic, blank = others."""
    from secession.geo.load import load_graph

    graph = load_graph(states=["OR"], data_dir=data_dir).graph
    df = pd.read_csv(data_dir / "us-president-county" / "2020.csv", dtype={"county_fips": str})
    df = df[df["state_name"] == "Oregon"]
    other = df["total_votes"] - df["votes_gop"] - df["votes_dem"]
    counts = Counts.from_arrays(
        df["county_fips"].tolist(),
        yes=df["votes_gop"],
        no=df["votes_dem"],
        blank=other,
        eligible=df["total_votes"] * 5 // 4,
    )
    return graph, counts, df


def test_opt_in_repair_on_oregon_counties(oregon):
    graph, counts, df = oregon
    joined, graph, notes = join_to_graph(counts, graph)
    assert notes == []
    out = decide(OPT_IN, joined)
    # Independent count of the counties where Trump beat Biden in 2020.
    gop_won = sorted(df.loc[df["votes_gop"] > df["votes_dem"], "county_fips"])
    assert out.leaving_units == gop_won
    assert len(gop_won) == 26
    cons = PlanConstraints(min_population=300_000)
    res = repair_opt_in(graph, out, cons, solver="auto", time_limit=30, seed=0)
    rg = repair_graph(graph, joined, out.unit_passed)
    assert check_plan(rg, cons, res.plan.country) == []
    assert check_plan(graph, cons, res.plan.country) == []
    assert res.voters_moved == pytest.approx(rg.upper_bound - res.plan.satisfied_voters)
    moved = {m.unit_id: m for m in res.moves}
    # Columbia County (41009) voted to leave but touches no other leaving county.
    assert "41009" in moved
    assert moved["41009"].reason.startswith("moved to stay")
    assert all(m.reason.startswith(("moved to stay", "moved to leave")) for m in res.moves)
    leaving_pop = graph.population[res.plan.country > 0].sum()
    assert leaving_pop >= 300_000
