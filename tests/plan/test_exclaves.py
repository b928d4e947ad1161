"""Exclave policy on the real 2020 counties: the fast plans of many countries keep every
exclave nearest its own country, the checker rejects a plan that breaks the rule, and the
policies agree between solvers and checker."""

from __future__ import annotations

import numpy as np
import pytest

from secession.geo.graph import UnitGraph
from secession.plan.check import check_plan, messages, satisfied
from secession.plan.kernels.exclaves import breaching_pieces, pieces_of
from secession.plan.model import PlanConstraints
from secession.plan.solve import solve

MULTI = dict(min_population=500_000, max_countries=None)


@pytest.fixture(scope="module")
def counties(data_dir) -> UnitGraph:
    from secession.geo.load import load_graph

    return load_graph(data_dir=data_dir).graph


def exclaves_of(graph: UnitGraph, country: np.ndarray) -> dict[int, list[str]]:
    """Units of every new country outside its most populous piece's landmass."""
    comp = graph.component
    out = {}
    for c in np.unique(country[country > 0]).tolist():
        members = np.flatnonzero(country == c)
        lands = np.unique(comp[members])
        if len(lands) > 1:
            pops = [graph.population[members[comp[members] == k]].sum() for k in lands]
            main = lands[int(np.argmax(pops))]
            out[c] = sorted(graph.ids[members[comp[members] != main]].tolist())
    return out


@pytest.mark.parametrize("swap", [False, True], ids=["dem leaves", "gop leaves"])
def test_many_countries_keep_every_exclave_nearest_its_own(counties, swap) -> None:
    g = counties.swapped() if swap else counties
    plan = solve(g, PlanConstraints(**MULTI), solver="fast")
    assert check_plan(g, PlanConstraints(**MULTI), plan.country) == []
    earth = g.earth
    leaving = np.flatnonzero(plan.country > 0)
    for c, units in exclaves_of(g, plan.country).items():
        piece = [g.index_of(u) for u in units]
        own = np.setdiff1d(np.flatnonzero(plan.country == c), piece)
        other = np.setdiff1d(leaving, np.flatnonzero(plan.country == c))
        # measured here from the raw distances, not through the policy code
        assert earth.distance_km(piece, own) < earth.distance_km(piece, other), (c, units)
    # no country like "Alaska plus a mainland piece 3,000 km away"
    ak = [g.index_of(u) for u in g.ids if u.startswith("029")]
    holder = set(plan.country[ak].tolist()) - {0}
    for c in holder:
        rest = np.setdiff1d(np.flatnonzero(plan.country == c), ak)
        if len(rest):
            assert earth.distance_km(ak, rest) < 2_000


def test_the_checker_rejects_an_exclave_nearer_another_country(counties) -> None:
    g = counties.swapped()
    plan = solve(g, PlanConstraints(**MULTI, exclaves="any"), solver="fast")
    found = exclaves_of(g, plan.country)
    assert found, "the 'any' plan has an exclave to test with"
    moved = plan.country.copy()
    ak = np.asarray([g.index_of(u) for u in g.ids if u.startswith("029")])
    # give all of Alaska to the country of Florida's Miami-Dade (far away)
    far = int(plan.country[g.index_of("12086")]) or int(plan.country.max())
    moved[ak] = far
    problems = messages(check_plan(g, PlanConstraints(**MULTI), moved))
    assert any("exclave" in p and "km" in p for p in problems), problems
    anywhere = messages(check_plan(g, PlanConstraints(**MULTI, exclaves="any"), moved))
    assert not any("exclave" in p for p in anywhere)  # the old rule had no objection


def test_exact_grouping_obeys_the_policy_on_hawaii(counties) -> None:
    hi = counties.subgraph(np.isin(counties.groups["state"], ["HI", "CA"]))
    for policy in ("nearest", "none"):
        cons = PlanConstraints(min_population=300_000, max_countries=None, exclaves=policy)
        plan = solve(hi, cons, solver="exact", time_limit=20)
        assert check_plan(hi, cons, plan.country) == []
        found = pieces_of(hi.indptr, hi.indices, plan.country, hi.component, hi.population)
        assert len(breaching_pieces(hi.earth, found, policy)) == 0


def test_one_landmass_keeps_the_best_component(counties) -> None:
    g = counties.subgraph(np.isin(counties.groups["state"], ["HI", "OR"]))
    plan = solve(g, PlanConstraints(exclaves="none"), solver="exact", time_limit=20)
    assert len(np.unique(g.component[plan.country > 0])) <= 1
    anywhere = solve(g, PlanConstraints(exclaves="any"), solver="exact", time_limit=20)
    assert plan.proven_optimal and plan.satisfied_voters <= anywhere.satisfied_voters


def test_windows_of_the_exact_path_measure_exclaves_on_the_earth(counties: UnitGraph) -> None:
    # the exact path's window search solves small graphs of the plan's neighbourhood: they
    # carry the outlines (each outside piece the union of its units'), so the nearest rule
    # applies there too (without them the main job's counties-multi scenario stopped)
    from secession.plan.fast.local_search import ball
    from secession.plan.improve.window import window_graph, window_search
    from secession.plan.solve import fast_plan

    cons = PlanConstraints(**MULTI)
    start = fast_plan(counties, cons, seed=0).country
    centre = int(np.flatnonzero(counties.ids == "26097")[0])  # Mackinac County, MI
    units = ball(centre, 300, counties.indptr, counties.indices)
    window = window_graph(counties, cons, start, units)
    earth = window.graph.earth
    assert earth is not None and len(earth.start) == window.graph.n_units + 1
    # a window unit keeps its own outline points; an outside piece holds all of its units'
    assert np.array_equal(
        earth.xyz[earth.start[0] : earth.start[1]],
        counties.earth.xyz[counties.earth.start[units[0]] : counties.earth.start[units[0] + 1]],
    )
    assert len(earth.xyz) == len(counties.earth.xyz)
    best, stats = window_search(counties, cons, start, seconds=3, seed=0)
    assert stats["steps"] > 0
    assert check_plan(counties, cons, best) == []
    assert satisfied(counties, best) >= satisfied(counties, start)
