"""The fast solver: majority start, contiguity repair by corridors, then improvement.

Steps (flat arrays only; numba in the hot loops):

1. Every unit on its own majority side, within consent and locks.
2. Repair the new side: per input component grow the best piece by shortest paths to the
   pieces worth joining, counting the holes a path would enclose
   (:func:`secession.plan.kernels.repair.grow_connected`; a spanning-forest variant for very many
   pieces); then the remaining country keeps its best piece and hands its holes over.
   A second start repairs the remaining country first (the mirror image).
3. Form countries from the pieces (one piece per input component each), joining small
   ones through corridors and across components to reach the minimum population, and
   dropping what cannot reach it; at most ``max_countries``.
4. Improve the best start: greedy border moves, ruin-and-recreate (reset a ball of units
   or drop a piece, repair again, keep if better) in two independent chains, and simulated
   annealing of border moves; every move keeps each country connected
   (:mod:`secession.plan.fast.local_search`).

The trivial plans (nobody leaves, everybody leaves) are candidates too. The amount of work
depends on the graph size only (never on the clock), so results are deterministic for a
given seed.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import replace

import numpy as np
from scipy.sparse.csgraph import connected_components

from secession.exceptions import InfeasiblePlanError
from secession.geo.graph import UnitGraph
from secession.plan.check import check_plan, messages
from secession.plan.fast.local_search import (
    SEARCH_LIMIT,
    anneal,
    ball,
    local_search,
    stays_connected,
)
from secession.plan.kernels.exclaves import breaching_pieces, nearest_parent, pieces_of
from secession.plan.kernels.grouping import keep_most
from secession.plan.kernels.repair import (
    grow_connected,
    keep_best_connected,
    label_same,
    merge_small,
    pieces,
)
from secession.plan.metrics import satisfied_voters
from secession.plan.model import PlanConstraints
from secession.plan.problem import Problem
from secession.plan.reductions import Prepared, check_seed, prepare
from secession.plan.result import SolverResult

__all__ = [
    "FastProblem",
    "anneal_steps",
    "border_moves",
    "draw_misplaced",
    "is_valid",
    "renumber",
    "ruin_and_recreate",
    "solve_fast",
    "value_of",
]

ANNEAL_STEPS_PER_UNIT = 500  # annealing steps: this many per unit, but at least ...
ANNEAL_MIN_STEPS = 1_500_000  # ... this many (up to ANNEAL_STEPS_SMALL per unit)
ANNEAL_STEPS_SMALL = 2000
ANNEAL_MAX_STEPS = 8_000_000
ANNEAL_SEARCH_LIMIT = 50  # units a connectivity check may visit while annealing
LNS_BUDGET = 100_000  # ruin-and-recreate steps per chain: LNS_BUDGET // units, at most ...
LNS_MAX_ITERATIONS = 1000
LNS_PATIENCE = 300  # stop a chain after this many steps without a gain
LNS_CHAINS = 2
LNS_MOVES = (0.3, 0.5, 0.5)  # chances: drop a piece, reset a ball, repair the rest first
LNS_REBUILD_UNITS = 1_000  # below this size, a dropped piece is rebuilt from the majority
MAX_HOSTS_TRIED = 500  # countries a small piece in another input component may join


# ----------------------------------------------------------------------------- problem
class FastProblem:
    """Arrays of one instance (no per-unit Python objects)."""

    def __init__(
        self, graph: UnitGraph, cons: PlanConstraints, prepared: Prepared | None = None
    ) -> None:
        self.n = graph.n_units
        self.indptr = np.asarray(graph.indptr, dtype=np.int64)
        self.indices = np.asarray(graph.indices, dtype=np.int64)
        self.rows = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.indptr))
        self.w = np.asarray(graph.leave - graph.stay, dtype=np.float64)
        self.pop = np.asarray(graph.population, dtype=np.float64)
        _, comp = connected_components(graph.adjacency_matrix(), directed=False)
        self.comp = comp.astype(np.int64)
        # consent, locks and the plain conflicts: checked once, with the exact path's messages
        given = prepared is not None and prepared.constraints == cons
        prep = prepared if given and prepared.graph is graph else prepare(graph, cons)
        self.can_leave = prep.can_leave.copy()
        self.must_leave = prep.must_leave.copy()
        self.cons = cons
        self.earth = graph.earth
        self.several = len(np.unique(self.comp)) > 1
        # the exclave policy matters only where a country could span landmasses
        self.exclaves = cons.exclaves if (self.several and cons.contiguous_new) else "any"
        if cons.max_countries == 1 and self.exclaves == "nearest":
            self.exclaves = "any"  # one new country: nearest to itself, always

    def add_cost_leave(self) -> np.ndarray:
        return np.where(self.can_leave, np.maximum(-self.w, 0.0), np.inf)

    def add_cost_stay(self) -> np.ndarray:
        return np.where(self.must_leave, np.inf, np.maximum(self.w, 0.0))


# ----------------------------------------------------------------------------- countries
def _assign_countries(p: FastProblem, leave: np.ndarray) -> np.ndarray:
    """Country label per unit from the leaving units' pieces (0 = stays)."""
    cons = p.cons
    country = np.zeros(p.n, dtype=np.int64)
    if not leave.any():
        return country
    if not cons.contiguous_new:
        country[leave] = 1
        if p.pop[leave].sum() < cons.min_population - 1e-9 and not p.must_leave.any():
            country[:] = 0
        return country
    k, piece = pieces(p.indptr, p.indices, leave)
    on = piece >= 0
    ppop = np.bincount(piece[on], weights=p.pop[on], minlength=k)
    pval = np.bincount(piece[on], weights=p.w[on], minlength=k)
    pmust = np.bincount(piece[on], weights=p.must_leave[on], minlength=k) > 0
    pcomp = np.zeros(k, dtype=np.int64)
    pcomp[piece[on]] = p.comp[on]
    cap = cons.max_countries
    label = np.zeros(k, dtype=np.int64)  # 0 = dropped
    cpop: list[float] = []
    ccomps: list[set[int]] = []
    small = cons.min_population
    # pieces with locked units first, then the biggest; a piece may join a country that
    # has no piece in its component yet (a country has one piece per input component)
    several_components = len(np.unique(pcomp)) > 1 and p.exclaves != "none"
    if p.exclaves == "none" and cap == 1:
        # one landmass: the most valuable piece only
        order = np.lexsort((-ppop, -pval, ~pmust)).tolist()[:1]
    if cap is None and several_components and small > 0:
        # partners from other components are scarce: give them where they keep the most
        group = keep_most(ppop, pcomp, pval, pmust, small)
        label = group + 1
        cpop = np.bincount(group[group >= 0], weights=ppop[group >= 0], minlength=1).tolist()
        order = []
    elif not (p.exclaves == "none" and cap == 1):
        order = np.lexsort((-pval, -ppop, ~pmust)).tolist()
    for i in order:
        alone_ok = ppop[i] >= small
        can_new = cap is None or len(cpop) < cap
        host = -1
        if several_components and not (alone_ok and can_new):
            for c in range(min(len(cpop), MAX_HOSTS_TRIED)):
                if pcomp[i] in ccomps[c]:
                    continue
                if host < 0 or (cpop[c] < small, cpop[c]) > (cpop[host] < small, cpop[host]):
                    host = c
        if p.exclaves == "none" and not alone_ok:
            continue
        if (alone_ok or host < 0) and can_new:
            cpop.append(0.0)
            ccomps.append(set())
            host = len(cpop) - 1
        if host < 0:
            continue
        label[i] = host + 1
        cpop[host] += ppop[i]
        ccomps[host].add(int(pcomp[i]))
    country[on] = label[piece[on]]
    # countries below the minimum: grow those that must exist, drop the others
    for c in range(1, len(cpop) + 1):
        if cpop[c - 1] >= cons.min_population - 1e-9:
            continue
        members = country == c
        if (members & p.must_leave).any():
            _grow(p, country, c, cons.min_population)  # stays below (invalid) if it fails
        else:
            country[members] = 0
    if p.exclaves != "any":
        _enforce_exclaves(p, country)
    return renumber(country)


EXCLAVE_ROUNDS = 10


def _enforce_exclaves(p: FastProblem, country: np.ndarray) -> None:
    """Move each exclave the policy forbids to its nearest country (``nearest``, when that
    country has no piece on its landmass) or back to the remaining country; countries then
    below the size floor go back too. In place; repeated until nothing breaks the policy."""

    floor = p.cons.min_population - 1e-9
    for round_ in range(EXCLAVE_ROUNDS + 1):
        found = pieces_of(p.indptr, p.indices, country, p.comp, p.pop)
        bad = breaching_pieces(p.earth, found, p.exclaves)
        if not len(bad):
            return
        mask = np.zeros(found.k, dtype=bool)
        mask[bad] = True
        parent = nearest_parent(p.earth, found, mask) if p.exclaves == "nearest" else None
        for q in bad.tolist():
            members = found.label == q
            if (members & p.must_leave).any():
                continue
            target = 0
            if parent is not None and parent[q] >= 0 and round_ < EXCLAVE_ROUNDS:
                t = int(found.country[parent[q]])
                there = (country == t) & (p.comp == found.comp[q])
                target = t if not there.any() else 0
            country[members] = target
        for c in np.unique(country[country > 0]).tolist():
            members = country == c
            if p.pop[members].sum() < floor and not (members & p.must_leave).any():
                country[members] = 0


def renumber(country: np.ndarray) -> np.ndarray:
    used = np.unique(country[country > 0])
    remap = np.zeros(int(country.max()) + 1, dtype=np.int64)
    remap[used] = np.arange(1, len(used) + 1)
    return remap[country]


def _grow(p: FastProblem, country: np.ndarray, c: int, target: float) -> bool:
    """Add the best neighbouring units to country ``c`` until it reaches ``target``.

    Greedy by gain while the remaining country stays connected; failing that, by breadth
    from the country with the remaining country's holes handed over. False if neither works.
    """
    n = p.n
    mark = np.zeros(n, dtype=np.int64)
    visit = np.zeros(n, dtype=np.int64)
    stamp = np.zeros(1, dtype=np.int64)
    buf = np.empty(SEARCH_LIMIT + 1, dtype=np.int64)
    total = float(p.pop[country == c].sum())
    heap: list[tuple[float, int]] = []
    seen = np.zeros(n, dtype=bool)

    def push_neighbours(v: int) -> None:
        for u in p.indices[p.indptr[v] : p.indptr[v + 1]].tolist():
            if country[u] == 0 and p.can_leave[u] and not seen[u]:
                seen[u] = True
                heapq.heappush(heap, (-p.w[u], u))

    for v in np.flatnonzero(country == c).tolist():
        push_neighbours(v)
    while total < target - 1e-9 and heap:
        _, u = heapq.heappop(heap)
        if p.cons.contiguous_rest and not stays_connected(
            u, 0, country, p.indptr, p.indices, mark, visit, stamp, buf, SEARCH_LIMIT
        ):
            seen[u] = False
            continue
        country[u] = c
        total += p.pop[u]
        push_neighbours(u)
    if total >= target - 1e-9:
        return True
    if not p.cons.contiguous_rest:
        return False
    trial = country.copy()
    total = float(p.pop[trial == c].sum())
    frontier = np.flatnonzero(trial == c).tolist()
    while frontier and total < target - 1e-9:
        nxt = []
        for v in frontier:
            for u in p.indices[p.indptr[v] : p.indptr[v + 1]].tolist():
                if trial[u] == 0 and p.can_leave[u] and total < target - 1e-9:
                    trial[u] = c
                    total += p.pop[u]
                    nxt.append(u)
        frontier = nxt
    rest = ~keep_best_connected(
        p.indptr, p.indices, trial == 0, -p.w, np.full(p.n, np.inf), ~p.can_leave, p.comp
    )
    holes = rest & (trial == 0)
    if total < target - 1e-9 or not p.can_leave[holes].all():
        return False
    trial[holes] = c
    country[:] = trial
    return True


# ----------------------------------------------------------------------------- solve
def is_valid(p: FastProblem, country: np.ndarray) -> bool:
    cons = p.cons
    if (country[p.must_leave] == 0).any() or (country[~p.can_leave] > 0).any():
        return False
    labels = np.unique(country[country > 0])
    if cons.max_countries is not None and len(labels) > cons.max_countries:
        return False
    for c in labels.tolist():
        if p.pop[country == c].sum() < cons.min_population - 1e-9:
            return False
    check = np.zeros(int(country.max()) + 1, dtype=bool)
    check[0] = cons.contiguous_rest
    check[1:] = cons.contiguous_new
    _, piece = label_same(p.indptr, p.indices, country)
    sel = check[country]
    # a valid plan has exactly one piece per (country, input component) pair
    n_pairs = len(np.unique(country[sel] * (p.comp.max() + 1) + p.comp[sel]))
    if len(np.unique(piece[sel])) != n_pairs:
        return False
    if p.exclaves != "any" and len(labels):
        found = pieces_of(p.indptr, p.indices, country, p.comp, p.pop)
        return len(breaching_pieces(p.earth, found, p.exclaves)) == 0
    return True


def value_of(p: FastProblem, country: np.ndarray) -> float:
    return float(p.w[country > 0].sum())


def _construct(
    p: FastProblem, rest_first: bool, noise: np.ndarray, start: np.ndarray | None = None
) -> np.ndarray:
    """Majority start and repair.

    The side repaired first may grow corridors through the other; the other side then
    keeps its best piece per component and hands its other pieces (holes) over, growing
    corridors only when a hole holds units that cannot change side. ``rest_first`` repairs
    the remaining country first (the mirror image of the default). Corridor costs are
    multiplied by ``noise`` (ones for the plain construction) to vary the routes.
    ``start`` replaces the majority start (a leave mask).
    """
    cons = p.cons
    leave = ((p.w > 0) & p.can_leave) | p.must_leave if start is None else start
    no_way = np.full(p.n, np.inf)
    country = np.zeros(p.n, dtype=np.int64)
    for it in range(4):
        corridors_second = it >= 2
        first_l = (not rest_first) or corridors_second
        first_r = rest_first or corridors_second
        if rest_first and cons.contiguous_rest:
            leave = ~_repair_rest(p, leave, p.add_cost_stay() * noise if first_r else no_way)
            leave &= p.can_leave
        if cons.contiguous_new:
            cost_l = p.add_cost_leave() * noise if first_l else no_way
            if cons.max_countries == 1:
                leave = grow_connected(
                    p.indptr, p.indices, leave, p.w, cost_l, p.must_leave, p.comp
                )
            elif cons.min_population > 0:
                leave = merge_small(
                    p.indptr, p.indices, leave, p.w, cost_l, p.pop, cons.min_population
                )
        if not rest_first and cons.contiguous_rest:
            leave = ~_repair_rest(p, leave, p.add_cost_stay() * noise if first_r else no_way)
        leave &= p.can_leave  # holes that may not leave stay (the next round joins them)
        country = _assign_countries(p, leave)
        if is_valid(p, country):
            return country
        leave = country > 0
    return country


def _repair_rest(p: FastProblem, leave: np.ndarray, cost: np.ndarray) -> np.ndarray:
    return keep_best_connected(p.indptr, p.indices, ~leave, -p.w, cost, ~p.can_leave, p.comp)


def border_moves(p: FastProblem, country: np.ndarray, rng: np.random.Generator, steps: int) -> int:
    """Anneal, then greedy border moves; ``country`` is changed in place."""
    cons = p.cons
    scale = np.abs(p.w[p.w != 0])
    if len(scale) and steps:
        t0 = float(np.quantile(scale, 0.5))
        anneal(
            country,
            p.indptr,
            p.indices,
            p.w,
            p.can_leave,
            p.must_leave,
            p.pop,
            float(cons.min_population),
            cons.contiguous_new,
            cons.contiguous_rest,
            t0,
            t0 * 1e-4,
            steps,
            int(rng.integers(2**31 - 1)),
            ANNEAL_SEARCH_LIMIT,
        )
    return local_search(
        country,
        p.indptr,
        p.indices,
        p.comp,
        p.w,
        p.can_leave,
        p.must_leave,
        p.pop,
        cons.min_population,
        check_new=cons.contiguous_new,
        check_rest=cons.contiguous_rest,
        rng=rng,
    )


def ruin_and_recreate(
    p: FastProblem,
    country: np.ndarray,
    value: float,
    rng: np.random.Generator,
    iterations: int,
    *,
    patience: int = LNS_PATIENCE,
    deadline: float = float("inf"),
    misplaced: float = 0.0,
) -> tuple[np.ndarray, float, int]:
    """Ruin and recreate: reset a ball of units to their majority side, repair, keep if better.

    Stops after ``iterations``, after ``patience`` iterations without a gain, or at
    ``deadline`` (a ``time.perf_counter`` value; only
    :func:`~secession.plan.improve.intensify.intensify` sets one). A ball
    is centred on the border, or with chance ``misplaced`` on a unit on its minority side
    (a dropped pocket or a corridor), drawn by its number of voters it leaves unsatisfied."""
    drop, reset, rest_first = LNS_MOVES
    majority = ((p.w > 0) & p.can_leave) | p.must_leave
    accepted = 0
    since = 0  # iterations since the last improvement
    for _ in range(iterations):
        since += 1
        if since > patience or time.perf_counter() > deadline:
            break
        move = rng.random()
        if move < drop:
            # leave out one piece of majority-leave units the plan holds and rebuild from
            # the majority (small graphs) or from the plan (large ones: cheaper)
            k, piece = pieces(p.indptr, p.indices, (country > 0) & majority)
            start = majority.copy() if p.n <= LNS_REBUILD_UNITS else country > 0
            if k > 1:
                start &= piece != rng.integers(k)
        else:
            border = np.flatnonzero(country[p.rows] != country[p.indices])
            wrong = (country > 0) != majority if misplaced else None
            centre = -1
            if wrong is not None and wrong.any() and rng.random() < misplaced:
                centre = draw_misplaced(p.w, wrong, rng)
            if centre >= 0 and rng.random() < 0.5:
                # move the whole piece of like misplaced units to its majority side: join a
                # dropped pocket (the repair adds its corridor) or give up a corridor
                like = wrong & ((country > 0) == (country[centre] > 0))
                _, piece = pieces(p.indptr, p.indices, like)
                start = country > 0
                start[piece == piece[centre]] = majority[centre]
            else:
                if centre < 0:
                    centre = (
                        int(p.rows[border[rng.integers(len(border))]])
                        if len(border)
                        else int(rng.integers(p.n))
                    )
                size = int(rng.integers(3, max(4, p.n // 5)))
                units = ball(centre, size, p.indptr, p.indices)
                start = country > 0
                start[units] = majority[units] if move < drop + reset else ~start[units]
        start &= p.can_leave
        start |= p.must_leave
        noise = rng.lognormal(0.0, 0.4, size=p.n)
        trial = _construct(p, bool(rng.random() < rest_first), noise, start)
        if not is_valid(p, trial):
            continue
        border_moves(p, trial, rng, 0)
        trial = renumber(trial) if trial.any() else trial
        v = value_of(p, trial)
        if v > value + 1e-9 and is_valid(p, trial):
            country, value = trial, v
            accepted += 1
            since = 0
    return country, value, accepted


def anneal_steps(n: int) -> int:
    """Annealing steps for ``n`` units: per unit, with a floor and a ceiling."""
    per_unit = max(ANNEAL_STEPS_PER_UNIT * n, ANNEAL_MIN_STEPS)
    return int(min(ANNEAL_STEPS_SMALL * n, per_unit, ANNEAL_MAX_STEPS))


def draw_misplaced(w: np.ndarray, wrong: np.ndarray, rng: np.random.Generator) -> int:
    """A unit of the mask ``wrong`` (units on their minority side), drawn by the voters it
    leaves unsatisfied, ``|w|``; the mask must not be empty."""
    units = np.flatnonzero(wrong)
    cost = np.cumsum(np.abs(w[units]))
    if cost[-1] <= 0:
        return int(units[rng.integers(len(units))])
    return int(units[min(np.searchsorted(cost, rng.random() * cost[-1]), len(units) - 1)])


def _solve_core(
    graph: UnitGraph,
    cons: PlanConstraints,
    seed: int,
    search: bool = True,
    prepared: Prepared | None = None,
) -> tuple[np.ndarray, dict]:
    p = FastProblem(graph, cons, prepared)
    if p.n == 0:
        return np.zeros(0, dtype=np.int64), {}
    rng = np.random.default_rng(seed)
    candidates: list[tuple[float, str, np.ndarray]] = []
    for start in range(2):
        rest_first = start == 1
        country = _construct(p, rest_first, np.ones(p.n))
        moved = 0
        if is_valid(p, country):
            moved = border_moves(p, country, rng, 0)
            country = renumber(country) if country.any() else country
        if is_valid(p, country):
            name = f"{'rest' if rest_first else 'leave'} first, +{moved} moves"
            candidates.append((value_of(p, country), name, country))
    nobody = np.zeros(p.n, dtype=np.int64)
    everybody = np.ones(p.n, dtype=np.int64)
    for name, c in (("nobody leaves", nobody), ("everybody leaves", everybody)):
        if is_valid(p, c):
            candidates.append((value_of(p, c), name, c))
    pieces_free = cons.max_countries is None and cons.min_population <= 0
    if search and cons.contiguous_new and cons.max_countries != 1 and not pieces_free:
        # a plan with one new country is valid for any larger number of countries, and
        # the search for several may start from it (it beat that search's own start by
        # 3.5 points nationally with at most 3 countries of 500,000 voters)
        one, _ = _solve_core(graph, replace(cons, max_countries=1), seed, search)
        if is_valid(p, one):
            candidates.append((value_of(p, one), "one new country", one))
    if candidates and search:
        value0, name0, country0 = max(candidates, key=lambda t: t[0])
        n_iter = int(min(LNS_BUDGET // p.n, 10 * p.n, LNS_MAX_ITERATIONS))
        steps = anneal_steps(p.n)
        # independent chains (own random streams): ruin and recreate, then anneal
        for chain, stream in enumerate(rng.spawn(LNS_CHAINS if n_iter else 1)):
            country, value, accepted = ruin_and_recreate(p, country0, value0, stream, n_iter)
            name = f"{name0}, chain {chain}: {accepted} of {n_iter} LNS steps"
            candidates.append((value, name, country))
            polished = country.copy()
            border_moves(p, polished, stream, steps)
            polished = renumber(polished) if polished.any() else polished
            if is_valid(p, polished):
                candidates.append((value_of(p, polished), f"{name}, annealed", polished))
    if not candidates and cons.max_countries != 1 and cons.contiguous_new:
        # a plan with one new country is valid for any larger number of countries
        return _solve_core(graph, replace(cons, max_countries=1), seed, search)
    if not candidates:
        problems = messages(check_plan(graph, cons, _construct(p, False, np.ones(p.n))))
        raise InfeasiblePlanError(
            "the fast solver found no plan meeting every constraint: "
            + "; ".join(problems[:5] or ["the locks cannot be joined into valid countries"])
        )
    best = max(candidates, key=lambda t: t[0])
    return best[2], {"path": best[1]}


def solve_fast(
    problem: Problem,
    *,
    seed: int = 0,
    time_limit: float | None = None,
    search: bool = True,
) -> SolverResult:
    """Solve ``problem`` heuristically; the assignment (on ``problem.units``) always meets
    every constraint.

    ``bound`` is ``None`` (the unconstrained upper bound), so ``proven`` is true only when
    the plan reaches it. ``time_limit`` is accepted for interface symmetry; the solver runs
    a fixed amount of work (seconds for a million units). ``search=False`` stops after the
    construction and its greedy moves (no ruin-and-recreate, no annealing): a warm start
    for the exact solver on small instances, where that search costs more than SCIP.
    """
    seed = check_seed(seed)
    start = time.perf_counter()
    graph = problem.units
    country, stats = _solve_core(graph, problem.unit_constraints, seed, search, problem.prepared)
    sat = satisfied_voters(graph, country)
    return SolverResult(
        assignment=country.astype(np.int64),
        bound=None,
        proven=bool(sat >= graph.upper_bound - 1e-9),
        solver="fast",
        seconds=time.perf_counter() - start,
        stats={**stats, "seed": seed, "time_limit": time_limit},
    )
