"""The exact planner equals brute force over all plans on small random planar graphs."""

# These graphs have no coordinates: they test the rule of one piece per landmass as such
# (``exclaves="any"``); the exclave policies are tested in tests/plan/test_exclaves.py.

from __future__ import annotations

import itertools

import numpy as np
import pytest
from brute import best_plan
from scipy.spatial import Delaunay

from secession.exceptions import DataError, InfeasiblePlanError
from secession.geo.graph import UnitGraph
from secession.plan.check import check_plan, satisfied
from secession.plan.model import PlanConstraints
from secession.plan.options import DEFAULT_OPTIONS, SolverOptions
from secession.plan.solve import exact_plan


def planar_graph(n: int, seed: int, *, holes: int = 0, split: bool = False) -> UnitGraph:
    """Delaunay graph of random points, minus ``holes`` interior points (long faces) and,
    with ``split``, cut in two input components; votes spatially correlated."""
    rng = np.random.default_rng(seed)
    pts = rng.random((n + holes, 2))
    tri = Delaunay(pts)
    edges = set()
    for a, b, c in tri.simplices.tolist():
        edges |= {tuple(sorted(p)) for p in ((a, b), (b, c), (a, c))}
    keep = np.ones(n + holes, dtype=bool)
    keep[rng.choice(n + holes, holes, replace=False)] = False
    remap = np.cumsum(keep) - 1
    e = np.array([(remap[a], remap[b]) for a, b in edges if keep[a] and keep[b]])
    pts = pts[keep]
    if split:
        cut = pts[:, 0] < 0.35
        e = e[cut[e[:, 0]] == cut[e[:, 1]]]
    trend = 40 * (pts[:, 0] - 0.5) + 30 * np.sin(6 * pts[:, 1])
    leave = rng.integers(20, 100, n) + np.clip(trend, -15, 30).astype(int)
    stay = rng.integers(20, 100, n)
    stay[rng.random(n) < 0.1] = 0  # some units without stay votes
    return UnitGraph.from_edges(
        ids=[f"u{i}" for i in range(n)],
        leave=leave,
        stay=stay,
        edges=e,
        population=leave + stay + rng.integers(0, 20, n),
    )


def assert_matches_brute(
    graph: UnitGraph, c: PlanConstraints, options: SolverOptions = DEFAULT_OPTIONS
) -> float | None:
    expected, _ = best_plan(graph, c)
    if expected is None:
        with pytest.raises(InfeasiblePlanError):
            exact_plan(graph, c, time_limit=30, options=options)
        return None
    plan = exact_plan(graph, c, time_limit=30, options=options)
    assert check_plan(graph, c, plan.country) == []
    assert plan.proven_optimal
    assert satisfied(graph, plan.country) == pytest.approx(plan.satisfied_voters)
    assert plan.satisfied_voters == pytest.approx(expected), (c, plan.country)
    assert plan.best_bound == pytest.approx(expected)
    return expected


ONE_LABEL = [
    PlanConstraints(exclaves="any", contiguous_new=a, contiguous_rest=b)
    for a, b in itertools.product((True, False), repeat=2)
]


@pytest.mark.parametrize("seed", range(12))
def test_one_country_all_contiguity_switches(seed: int) -> None:
    g = planar_graph(11 + seed % 6, seed, holes=seed % 3, split=seed % 4 == 3)
    both, new_only, rest_only, free = (assert_matches_brute(g, c) for c in ONE_LABEL)
    # with no contiguity every unit sits on its majority side
    assert free == g.upper_bound
    assert both <= min(new_only, rest_only)


@pytest.mark.parametrize("seed", range(4))
def test_larger_graphs_both_sides_contiguous(seed: int) -> None:
    g = planar_graph(17 + seed % 2, 100 + seed, holes=2)
    assert (
        assert_matches_brute(g, PlanConstraints(exclaves="any")) < g.upper_bound
    )  # the border binds


def test_contiguity_binds_in_most_random_graphs() -> None:
    # guard against a generator so easy that every test above is trivial
    below = 0
    for seed in range(12):
        g = planar_graph(11 + seed % 6, seed, holes=seed % 3, split=seed % 4 == 3)
        below += exact_plan(g).satisfied_voters < g.upper_bound
    assert below >= 9


def test_plan_without_geometry_writes_null_features(tmp_path) -> None:
    import json

    from secession.plan.output import write_plan
    from secession.plan.solve import solve

    g = planar_graph(10, 7)
    plan = solve(g, solver="exact")
    files = write_plan(plan, tmp_path)
    assert [f.name for f in files[:3]] == ["assignment.csv", "summary.json", "plan.geojson"]
    geo = json.loads((tmp_path / "plan.geojson").read_text())
    assert len(geo["features"]) == 10 and "no geometry" in geo["note"]
    assert all(f["geometry"] is None for f in geo["features"])
    summary = json.loads((tmp_path / "summary.json").read_text())
    rows = {r["label"]: r for r in summary["countries"]}
    leaves = plan.country > 0
    assert rows["stay"]["stranded_voters"] == g.leave[~leaves].sum()
    assert summary["satisfied_voters"] == g.leave[leaves].sum() + g.stay[~leaves].sum()


@pytest.mark.parametrize("solver", ["auto", "fast"])
def test_other_solvers_give_valid_plans(solver: str) -> None:
    from secession.plan.solve import solve

    g = planar_graph(16, 11, holes=2)
    exact = solve(g, solver="exact")
    plan = solve(g, solver=solver)
    assert check_plan(g, PlanConstraints(exclaves="any"), plan.country) == []
    assert plan.satisfied_voters <= exact.satisfied_voters
    if solver == "auto":  # small instance: auto runs the exact solver too
        assert plan.proven_optimal and plan.satisfied_voters == exact.satisfied_voters
    with pytest.raises(DataError, match="unknown solver"):
        solve(g, solver="magic")


@pytest.mark.parametrize("seed", range(10))
def test_min_population_consent_and_locks(seed: int) -> None:
    g = planar_graph(12, 200 + seed, holes=1, split=seed % 3 == 0)
    rng = np.random.default_rng(seed)
    total = float(g.population.sum())
    ids = g.ids.tolist()
    picks = rng.choice(len(ids), 3, replace=False)
    variants = [
        PlanConstraints(exclaves="any", min_population=0.3 * total),
        PlanConstraints(exclaves="any", min_population=0.6 * total, contiguous_rest=False),
        PlanConstraints(exclaves="any", consent=0.55),
        PlanConstraints(exclaves="any", consent=0.5, contiguous_new=False),
        PlanConstraints(exclaves="any", lock_leave=(ids[picks[0]],), lock_stay=(ids[picks[1]],)),
        PlanConstraints(
            exclaves="any", lock_leave=(ids[picks[0]], ids[picks[2]]), min_population=0.2 * total
        ),
    ]
    for c in variants:
        assert_matches_brute(g, c)


@pytest.mark.parametrize("seed", range(6))
def test_several_new_countries(seed: int) -> None:
    g = planar_graph(8, 300 + seed, holes=1, split=seed % 3 == 2)
    total = float(g.population.sum())
    variants = [
        PlanConstraints(exclaves="any", max_countries=2),
        PlanConstraints(exclaves="any", max_countries=2, contiguous_rest=False),
        PlanConstraints(exclaves="any", max_countries=None),
        PlanConstraints(exclaves="any", max_countries=None, min_population=0.15 * total),
        PlanConstraints(exclaves="any", max_countries=2, min_population=0.2 * total, consent=0.45),
        PlanConstraints(
            exclaves="any", max_countries=3, min_population=0.1 * total, contiguous_rest=False
        ),
    ]
    for c in variants:
        assert_matches_brute(g, c)


def test_unknown_lock_id_is_a_data_error() -> None:
    g = planar_graph(8, 1)
    with pytest.raises(DataError, match="nowhere"):
        exact_plan(g, PlanConstraints(exclaves="any", lock_leave=("nowhere",)))


def test_locked_units_cut_off_by_consent_are_named() -> None:
    # a path a - b - c: b may not leave, so a and c cannot form one contiguous country
    g = UnitGraph.from_edges(["a", "b", "c"], [9, 1, 9], [1, 9, 1], np.array([[0, 1], [1, 2]]))
    c = PlanConstraints(exclaves="any", lock_leave=("a", "c"), consent=0.5)
    with pytest.raises(InfeasiblePlanError, match=r"units a and c .* locked to leave"):
        exact_plan(g, c)
    with pytest.raises(InfeasiblePlanError, match="both to leave and to stay"):
        exact_plan(g, PlanConstraints(exclaves="any", lock_leave=("a",), lock_stay=("a",)))
    with pytest.raises(InfeasiblePlanError, match="lack consent"):
        exact_plan(g, PlanConstraints(exclaves="any", lock_leave=("b",), consent=0.5))


def test_unreachable_min_population_is_named() -> None:
    g = UnitGraph.from_edges(["a", "b", "c"], [9, 1, 9], [1, 9, 1], np.array([[0, 1], [1, 2]]))
    c = PlanConstraints(exclaves="any", lock_leave=("a",), min_population=1000)
    with pytest.raises(InfeasiblePlanError, match="minimum population"):
        exact_plan(g, c)


@pytest.mark.parametrize("seed", range(10))
def test_rooted_scheme_equals_brute_force(seed: int) -> None:
    # the root enumeration (used on large components) forced on small graphs, including the
    # flipped side (symmetric settings) and locks/consent (no flip)
    rooted = SolverOptions(rooted_min_units=0)
    g = planar_graph(10 + seed % 5, 1000 + seed, holes=seed % 3, split=seed % 4 == 3)
    ids = g.ids.tolist()
    for c in [
        PlanConstraints(exclaves="any"),
        PlanConstraints(exclaves="any", contiguous_rest=False),
        PlanConstraints(exclaves="any", consent=0.5),
        PlanConstraints(exclaves="any", lock_leave=(ids[seed % len(ids)],)),
    ]:
        assert_matches_brute(g, c, rooted)
    # sides swapped: the same optimum; exactly one of the two directions is solved flipped
    swapped = g.swapped()
    anywhere = PlanConstraints(exclaves="any")
    assert assert_matches_brute(swapped, anywhere, rooted) == assert_matches_brute(
        g, anywhere, rooted
    )
    flips = {exact_plan(x, options=rooted).stats["rooted"]["flipped"] for x in (g, swapped)}
    assert flips == {True, False}
