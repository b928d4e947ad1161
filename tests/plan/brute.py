"""Brute force over every plan of a small graph: the reference the exact solver must match.

Written from the problem statement only (no solver code): every assignment of units to
"stay" or a new country is enumerated, each constraint is checked with bit-mask searches,
and the best satisfied-voter total is returned.
"""

from __future__ import annotations

import itertools

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.model import PlanConstraints


def _neighbour_masks(graph: UnitGraph) -> list[int]:
    masks = []
    for i in range(graph.n_units):
        m = 0
        for j in graph.neighbors(i).tolist():
            m |= 1 << j
        masks.append(m)
    return masks


def _components(n: int, nbr: list[int]) -> list[int]:
    left = (1 << n) - 1
    comps = []
    while left:
        seed = left & -left
        comp = _grow(seed, left, nbr)
        comps.append(comp)
        left &= ~comp
    return comps


def _grow(seed: int, within: int, nbr: list[int]) -> int:
    reached = seed
    frontier = seed
    while frontier:
        new = 0
        f = frontier
        while f:
            low = f & -f
            new |= nbr[low.bit_length() - 1]
            f ^= low
        new &= within & ~reached
        reached |= new
        frontier = new
    return reached


def _one_piece_per_component(members: int, comps: list[int], nbr: list[int]) -> bool:
    for comp in comps:
        part = members & comp
        if part and _grow(part & -part, part, nbr) != part:
            return False
    return True


def best_plan(
    graph: UnitGraph, constraints: PlanConstraints
) -> tuple[float | None, np.ndarray | None]:
    """Best satisfied total and one best country array, or ``(None, None)`` if infeasible.

    Plans with one label are enumerated as 2^n leave sets; with several new countries every
    assignment of country numbers (in canonical order, so each partition appears once).
    """
    c = constraints
    n = graph.n_units
    nbr = _neighbour_masks(graph)
    comps = _components(n, nbr)
    index = {u: i for i, u in enumerate(graph.ids.tolist())}
    lock_leave = sum(1 << index[u] for u in c.lock_leave)
    lock_stay = sum(1 << index[u] for u in c.lock_stay)
    forbidden = lock_stay
    if c.consent is not None:
        for i in range(n):
            two = graph.leave[i] + graph.stay[i]
            share = graph.leave[i] / two if two > 0 else 0.0
            if share < c.consent - 1e-9:
                forbidden |= 1 << i
    full = (1 << n) - 1
    best: float | None = None
    best_country = None
    one_label = (not c.contiguous_new) or c.max_countries == 1
    max_label = 1 if one_label else (c.max_countries or n)
    for country in _assignments(n, max_label):
        leaving = 0
        for i, k in enumerate(country):
            if k:
                leaving |= 1 << i
        if leaving & forbidden or (lock_leave & ~leaving):
            continue
        if c.contiguous_rest and not _one_piece_per_component(full & ~leaving, comps, nbr):
            continue
        ok = True
        for k in range(1, max(country, default=0) + 1):
            members = 0
            pop = 0.0
            for i, kk in enumerate(country):
                if kk == k:
                    members |= 1 << i
                    pop += graph.population[i]
            if c.min_population > 0 and pop < c.min_population:
                ok = False
                break
            if c.contiguous_new and not _one_piece_per_component(members, comps, nbr):
                ok = False
                break
        if not ok:
            continue
        value = float(sum(graph.leave[i] if country[i] else graph.stay[i] for i in range(n)))
        if best is None or value > best:
            best, best_country = value, np.asarray(country)
    return best, best_country


def _assignments(n: int, max_label: int):
    if max_label == 1:
        yield from itertools.product((0, 1), repeat=n)
        return

    def rec(prefix: list[int], top: int):
        if len(prefix) == n:
            yield tuple(prefix)
            return
        for k in range(min(top + 1, max_label) + 1):
            prefix.append(k)
            yield from rec(prefix, max(top, k))
            prefix.pop()

    yield from rec([], 0)
