"""Countries pooled from pieces: any number of new countries of a minimum population.

The grouping of pieces is checked against enumeration of every partition, and the exact
solver (no country slots, lazy population cuts) against brute force over every plan on
small maps with islands, where small pieces must join pieces of other components.
"""

# These graphs have no coordinates: they test the rule of one piece per landmass as such
# (``exclaves="any"``); the exclave policies are tested in tests/plan/test_exclaves.py.

from __future__ import annotations

import numpy as np
import pytest
from brute import _assignments
from scipy.spatial import Delaunay
from test_exact import assert_matches_brute

from secession.geo.graph import UnitGraph
from secession.plan.check import check_plan
from secession.plan.exact import exact_size
from secession.plan.exact.size_cuts import no_good, size_cuts
from secession.plan.kernels.grouping import _exact, group_pieces, keep_most, valid_grouping
from secession.plan.kernels.separation import Csr
from secession.plan.model import PlanConstraints
from secession.plan.solve import exact_plan


def _any_grouping(pop: np.ndarray, comp: np.ndarray, min_pop: float) -> bool:
    """Enumerate every partition of the pieces (restricted growth strings)."""
    m = len(pop)
    for labels in _assignments(m, m):
        if 0 in labels:  # label 0 means "stay" in the plan enumeration; pieces all leave
            continue
        if valid_grouping(pop, comp, min_pop, np.asarray(labels)):
            return True
    return m == 0


@pytest.mark.parametrize("seed", range(200))
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


def test_greedy_can_fail_where_a_grouping_exists(monkeypatch: pytest.MonkeyPatch) -> None:
    # floor 13: the greedy pass pairs the first 9 with the 4, and the second 9 (same
    # component as the 8) has no partner left; 9 + 4 and 8 + 9 across is a grouping,
    # and the MIP finds it
    import secession.plan.kernels.grouping as grouping

    pop = np.array([9.0, 8.0, 9.0, 4.0])
    comp = np.array([1, 0, 0, 2])
    lock = np.ones(4, dtype=bool)
    greedy = keep_most(pop, comp, np.ones(4), lock, 13.0)
    assert not ((greedy >= 0).all() and valid_grouping(pop, comp, 13.0, greedy))
    calls: list[int] = []
    real = grouping._exact
    monkeypatch.setattr(grouping, "_exact", lambda *a: calls.append(1) or real(*a))
    got = group_pieces(pop, comp, 13.0)
    assert calls and got is not None and valid_grouping(pop, comp, 13.0, got)


def test_too_little_population_elsewhere_is_infeasible_without_the_mip(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # two mainland pieces of 6 need 4 each from the island; it holds 5, and they cannot
    # share it. The necessary condition proves it; the MIP is not called.
    import secession.plan.kernels.grouping as grouping

    monkeypatch.setattr(grouping, "_exact", lambda *a: pytest.fail("MIP called"))
    assert group_pieces(np.array([6.0, 6.0, 5.0]), np.array([0, 0, 1]), 10.0) is None
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
        PlanConstraints(exclaves="any", max_countries=None, min_population=share * total)
        for share in (0.12, 0.25, 0.45)
    ] + [
        PlanConstraints(
            exclaves="any", max_countries=None, min_population=0.3 * total, contiguous_rest=False
        ),
        PlanConstraints(
            exclaves="any", max_countries=None, min_population=0.2 * total, consent=0.45
        ),
        PlanConstraints(
            exclaves="any", max_countries=None, min_population=0.35 * total, lock_leave=(ids[-1],)
        ),
    ]
    for c in variants:
        assert_matches_brute(g, c)


def test_pooled_model_has_one_variable_per_unit() -> None:
    g = island_graph(3, n_main=7, islands=2)
    c = PlanConstraints(
        exclaves="any", max_countries=None, min_population=float(g.population.sum()) / 8
    )
    assert exact_size(g, c) == g.n_units
    plan = exact_plan(g, c)
    assert check_plan(g, c, plan.country) == []
    assert plan.proven_optimal


def test_pieces_that_need_the_same_island_are_cut_off_by_the_no_good(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # a - b - c on the mainland, b stays; a and c (5 voters each) must leave and need an
    # island each to reach 8. Every population cut holds for one island of 10 voters, but
    # the island can join only one country: the no-good proves the setting infeasible.
    import secession.plan.exact.scip_model as scip_model
    from secession.exceptions import InfeasiblePlanError

    used: list[int] = []
    real = scip_model.no_good
    monkeypatch.setattr(scip_model, "no_good", lambda *a: used.append(1) or real(*a))
    edges = np.array([[0, 1], [1, 2]])
    one = UnitGraph.from_edges(["a", "b", "c", "d"], [3, 1, 3, 6], [2, 4, 2, 4], edges)
    c = PlanConstraints(exclaves="any", max_countries=None, min_population=8, lock_leave=("a", "c"))
    c_stay = PlanConstraints(
        exclaves="any",
        max_countries=None,
        min_population=8,
        lock_leave=("a", "c"),
        lock_stay=("b",),
    )
    with pytest.raises(InfeasiblePlanError):
        exact_plan(one, c_stay)
    assert used  # the population cuts alone could not tell
    assert_matches_brute(one, c)  # with b free to leave, a - b - c is one country
    # a second island makes it feasible: each mainland piece takes one island
    two = UnitGraph.from_edges(["a", "b", "c", "d", "e"], [3, 1, 3, 6, 6], [2, 4, 2, 4, 4], edges)
    c_two = PlanConstraints(
        exclaves="any",
        max_countries=None,
        min_population=8,
        lock_leave=("a", "c"),
        lock_stay=("b",),
    )
    plan = exact_plan(two, c_two)
    assert check_plan(two, c_two, plan.country) == []
    assert plan.country.max() == 2 and plan.proven_optimal
    assert_matches_brute(two, c_two)


@pytest.mark.parametrize(
    "constraints",
    [
        PlanConstraints(exclaves="any", min_population=1.0),
        PlanConstraints(exclaves="any", max_countries=2, min_population=1.0),
        PlanConstraints(exclaves="any", max_countries=None, min_population=1.0),
        PlanConstraints(exclaves="any", max_countries=None),
        PlanConstraints(exclaves="any"),
    ],
    ids=["one", "two", "any-floor", "any", "plain"],
)
def test_scip_accepts_the_fast_plan_as_a_start(constraints: PlanConstraints) -> None:
    # a start missing the slot-use variables was silently refused whenever a size floor
    # was set; SCIP now reports whether it took the start, and it must take a valid one
    from dataclasses import replace

    from secession.plan.solve import fast_plan

    g = island_graph(5, n_main=30, islands=2)
    if constraints.min_population:
        constraints = replace(constraints, min_population=float(g.population.sum()) / 10)
    start = fast_plan(g, constraints).country
    assert check_plan(g, constraints, start) == []
    plan = exact_plan(g, constraints, warm_start=start)
    assert plan.stats.get("starts_accepted", 0) >= 1
    assert "starts_rejected" not in plan.stats
    assert check_plan(g, constraints, plan.country) == []


def _best_kept(pop, comp, value, must, min_pop) -> float:
    """Most value any valid grouping keeps (every partition, every piece kept or not)."""
    m = len(pop)
    best = -np.inf
    for labels in _assignments(m, m):  # label 0: dropped
        lab = np.asarray(labels)
        if (lab[must] == 0).any():
            continue
        kept = lab > 0
        if kept.any() and not valid_grouping(pop[kept], comp[kept], min_pop, lab[kept]):
            continue
        best = max(best, float(value[kept].sum()))
    return best


def test_keep_most_gives_valid_countries_and_keeps_most_of_the_best() -> None:
    """Over 200 random sets of pieces: always a valid grouping with the locked pieces kept;
    a greedy pass, so not always the best one. Measured when written: the best in 142 of
    the 172 sets where keeping something pays, 96.1% of the best value in total, and at
    worst 47% of it in one set. (Before locked pieces went first to the hosts, one set
    left a locked piece below the floor although a grouping existed; this test found it.)"""
    optimal = positive = 0
    kept_total = best_total = 0.0
    for seed in range(200):
        rng = np.random.default_rng(seed)
        m = int(rng.integers(2, 8))
        comp = rng.integers(0, 3, m)
        comp[0] = 0
        pop = rng.integers(1, 12, m).astype(float)
        value = rng.integers(-3, 10, m).astype(float)
        must = np.zeros(m, dtype=bool)
        if seed % 4 == 0:
            must[int(rng.integers(m))] = True
        group = keep_most(pop, comp, value, must, 10.0)
        kept = group >= 0
        assert kept[must].all()
        best = _best_kept(pop, comp, value, must, 10.0)
        if kept.any() and not valid_grouping(pop[kept], comp[kept], 10.0, group[kept]):
            # only a locked piece that no grouping can hold may break the floor
            assert must.any() and best == -np.inf
            continue
        got = float(value[kept].sum())
        assert got <= best + 1e-9
        kept_total += got
        best_total += best
        if best > 0:
            positive += 1
            optimal += got >= best - 1e-9
    assert optimal >= 0.8 * positive
    assert kept_total >= 0.95 * best_total


def test_scarce_partners_go_where_they_keep_the_most() -> None:
    # mainland pieces (component 0) of 389,619 and 177,819 voters and islands of 382,114,
    # 87,814, 19,293 and 8,819 (floor 500,000): the first takes the three small islands,
    # not the large one, which the second needs (the first pass of the fast solver gave
    # the large island to the first piece and dropped the second)
    pop = np.array([389_619, 177_819, 382_114, 87_814, 19_293, 8_819, 1_000_000], dtype=float)
    comp = np.array([0, 0, 3, 2, 1, 10, 0])
    value = np.array([113_597, 121_190, 102_610, 31_834, 782, 5_656, 50_000], dtype=float)
    group = keep_most(pop, comp, value, np.zeros(7, dtype=bool), 500_000)
    assert (group >= 0).all()
    assert valid_grouping(pop, comp, 500_000, group)
    assert group[1] == group[2]  # the large island rescues the piece that needs it


@pytest.mark.parametrize("seed", range(30))
def test_partners_are_enough_and_waste_little(seed: int) -> None:
    from itertools import combinations

    from secession.plan.kernels.grouping import FIT_BUCKETS, _partners

    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 9))
    pop = rng.integers(1, 100, m).astype(float)
    comp = rng.integers(0, 5, m)
    need = float(rng.integers(20, 200))
    free = list(range(m))
    got = _partners(pop, comp, free, need)
    sets = [
        c
        for r in range(1, m + 1)
        for c in combinations(free, r)
        if len({int(comp[j]) for j in c}) == r and pop[list(c)].sum() >= need
    ]
    if not sets:
        assert got is None
        return
    assert got is not None and pop[got].sum() >= need
    assert len({int(comp[j]) for j in got}) == len(got)
    least = min(pop[list(c)].sum() for c in sets)
    single = [pop[j] for j in free if pop[j] >= need]
    if single and min(single) <= 1.5 * need:
        assert pop[got].sum() == min(single)
    else:  # the rounded search is off by at most one bucket per piece
        assert pop[got].sum() <= least + len(got) * max(need / FIT_BUCKETS, 1.0)
