"""Countries pooled from pieces: any number of new countries of a minimum population.

The grouping of pieces is checked against enumeration of every partition, and the exact
solver (no country slots, lazy population cuts) against brute force over every plan on
small maps with islands, where small pieces must join pieces of other components.
"""

from __future__ import annotations

import numpy as np
import pytest
from brute import _assignments
from scipy.spatial import Delaunay
from test_exact import assert_matches_brute

from secession.geo.graph import UnitGraph
from secession.plan.check import check_plan
from secession.plan.exact import exact_size, solve_exact
from secession.plan.grouping import _exact, _greedy, group_pieces, valid_grouping
from secession.plan.model import PlanConstraints
from secession.plan.separation import Csr
from secession.plan.size_cuts import no_good, size_cuts


def _any_grouping(pop: np.ndarray, comp: np.ndarray, min_pop: float) -> bool:
    """Enumerate every partition of the pieces (restricted growth strings)."""
    m = len(pop)
    for labels in _assignments(m, m):
        if 0 in labels:  # label 0 means "stay" in the plan enumeration; pieces all leave
            continue
        if valid_grouping(pop, comp, min_pop, np.asarray(labels)):
            return True
    return m == 0


@pytest.mark.parametrize("seed", range(60))
def test_grouping_agrees_with_every_partition(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 8))
    comp = rng.integers(0, int(rng.integers(1, 5)), m)
    pop = rng.integers(1, 10, m).astype(float)
    min_pop = float(rng.integers(3, 16))
    expected = _any_grouping(pop, comp, min_pop)
    got = group_pieces(pop, comp, min_pop)
    assert (got is not None) == expected, (pop, comp, min_pop)
    if got is not None:
        assert valid_grouping(pop, comp, min_pop, got)
    exact = _exact(pop, comp, min_pop)  # the MIP alone, even where greedy settles it
    assert (exact is not None) == expected
    if exact is not None:
        assert valid_grouping(pop, comp, min_pop, exact)


def test_greedy_can_fail_where_a_grouping_exists() -> None:
    # floor 8: the largest-first pass puts 7 with 5, then 4 and 2 (same component) need
    # the one host; 7 + 2 and 5 + 4 is a grouping, and the MIP finds it
    pop = np.array([2.0, 7.0, 5.0, 4.0])
    comp = np.array([1, 0, 2, 1])
    assert _greedy(pop, comp, 8.0) is None
    got = group_pieces(pop, comp, 8.0)
    assert got is not None and valid_grouping(pop, comp, 8.0, got)
    assert group_pieces(np.array([6.0, 4.0]), np.array([0, 0]), 10.0) is None


def test_size_cut_is_violated_by_a_lonely_small_piece_and_no_good_cuts_one_point() -> None:
    # path 0-1-2 in component 0, unit 3 alone; floor 10; x = {0}: piece of 4 voters
    indptr = np.array([0, 1, 3, 4, 4])
    indices = np.array([1, 0, 2, 1])
    adj = Csr(indptr, indices)
    pop = np.array([4.0, 3.0, 5.0, 7.0])
    comp = np.array([0, 0, 0, 1])
    can = np.ones(4, dtype=bool)
    x = np.array([1.0, 0.0, 0.0, 0.0])
    cuts = size_cuts(adj, x, comp, pop, can, 10.0)
    assert len(cuts) == 1
    cut = cuts[0]
    assert cut.violation(x) > 0
    # growing the piece, or the island of 7 (enough for the 6 missing), satisfies the cut
    assert cut.violation(np.array([1.0, 1.0, 0.0, 0.0])) <= 0
    assert cut.violation(np.array([1.0, 0.0, 0.0, 1.0])) <= 0
    # an island too small to make up the difference only counts in part
    pop[3] = 2.0
    weak = size_cuts(adj, x, comp, pop, can, 10.0)[0]
    assert weak.violation(np.array([1.0, 0.0, 0.0, 1.0])) > 0
    ng = no_good(x, can)
    assert ng.violation(x) > 0
    for other in ([0, 0, 0, 0], [1, 1, 0, 0], [1, 0, 1, 0]):
        assert ng.violation(np.asarray(other, dtype=float)) <= 0


def island_graph(seed: int, n_main: int = 6, islands: int = 2) -> UnitGraph:
    """A Delaunay map cut in two components, plus islands (units with no neighbour)."""
    rng = np.random.default_rng(seed)
    pts = rng.random((n_main, 2))
    tri = Delaunay(pts)
    edges = set()
    for a, b, c in tri.simplices.tolist():
        edges |= {tuple(sorted(p)) for p in ((a, b), (b, c), (a, c))}
    left = pts[:, 0] < 0.4
    e = np.array([(a, b) for a, b in sorted(edges) if left[a] == left[b]])
    n = n_main + islands
    leave = rng.integers(10, 100, n)
    stay = rng.integers(10, 100, n)
    return UnitGraph.from_edges(
        ids=[f"u{i}" for i in range(n)],
        leave=leave,
        stay=stay,
        edges=e,
        population=leave + stay,
    )


@pytest.mark.parametrize("seed", range(16))
def test_pooled_countries_match_brute_force(seed: int) -> None:
    g = island_graph(seed, n_main=6 + seed % 2, islands=1 + seed % 2)
    assert g.n_components >= 2
    total = float(g.population.sum())
    ids = g.ids.tolist()
    variants = [
        PlanConstraints(max_countries=None, min_population=share * total)
        for share in (0.12, 0.25, 0.45)
    ] + [
        PlanConstraints(max_countries=None, min_population=0.3 * total, contiguous_rest=False),
        PlanConstraints(max_countries=None, min_population=0.2 * total, consent=0.45),
        PlanConstraints(max_countries=None, min_population=0.35 * total, lock_leave=(ids[-1],)),
    ]
    for c in variants:
        assert_matches_brute(g, c)


def test_pooled_model_has_one_variable_per_unit() -> None:
    g = island_graph(3, n_main=7, islands=2)
    c = PlanConstraints(max_countries=None, min_population=float(g.population.sum()) / 8)
    assert exact_size(g, c) == g.n_units
    plan = solve_exact(g, c)
    assert check_plan(g, c, plan.country) == []
    assert plan.proven_optimal


def test_pieces_that_need_the_same_island_are_cut_off_by_the_no_good(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a - b - c on the mainland, b stays; a and c (5 voters each) must leave and need an
    # island each to reach 8. Every population cut holds for one island of 10 voters, but
    # the island can join only one country: the no-good proves the setting infeasible.
    import secession.plan.exact as exact
    from secession.exceptions import InfeasiblePlanError

    used: list[int] = []
    real = exact.no_good
    monkeypatch.setattr(exact, "no_good", lambda *a: used.append(1) or real(*a))
    edges = np.array([[0, 1], [1, 2]])
    one = UnitGraph.from_edges(["a", "b", "c", "d"], [3, 1, 3, 6], [2, 4, 2, 4], edges)
    c = PlanConstraints(max_countries=None, min_population=8, lock_leave=("a", "c"))
    c_stay = PlanConstraints(
        max_countries=None, min_population=8, lock_leave=("a", "c"), lock_stay=("b",)
    )
    with pytest.raises(InfeasiblePlanError):
        solve_exact(one, c_stay)
    assert used  # the population cuts alone could not tell
    assert_matches_brute(one, c)  # with b free to leave, a - b - c is one country
    # a second island makes it feasible: each mainland piece takes one island
    two = UnitGraph.from_edges(["a", "b", "c", "d", "e"], [3, 1, 3, 6, 6], [2, 4, 2, 4, 4], edges)
    c_two = PlanConstraints(
        max_countries=None, min_population=8, lock_leave=("a", "c"), lock_stay=("b",)
    )
    plan = solve_exact(two, c_two)
    assert check_plan(two, c_two, plan.country) == []
    assert plan.country.max() == 2 and plan.proven_optimal
    assert_matches_brute(two, c_two)


@pytest.mark.parametrize(
    "constraints",
    [
        PlanConstraints(min_population=1.0),
        PlanConstraints(max_countries=2, min_population=1.0),
        PlanConstraints(max_countries=None, min_population=1.0),
        PlanConstraints(max_countries=None),
        PlanConstraints(),
    ],
    ids=["one", "two", "any-floor", "any", "plain"],
)
def test_scip_accepts_the_fast_plan_as_a_start(constraints: PlanConstraints) -> None:
    # a start missing the slot-use variables was silently refused whenever a size floor
    # was set; SCIP now reports whether it took the start, and it must take a valid one
    from dataclasses import replace

    from secession.plan.fast import solve_fast

    g = island_graph(5, n_main=30, islands=2)
    if constraints.min_population:
        constraints = replace(constraints, min_population=float(g.population.sum()) / 10)
    start = solve_fast(g, constraints).country
    assert check_plan(g, constraints, start) == []
    plan = solve_exact(g, constraints, warm_start=start)
    assert plan.stats.get("starts_accepted", 0) >= 1
    assert "starts_rejected" not in plan.stats
    assert check_plan(g, constraints, plan.country) == []
