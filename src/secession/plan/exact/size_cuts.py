"""Cuts that give every new country its minimum population when countries are pooled
from pieces (any number of new countries, each of at least ``P`` voters).

Let ``v`` leave and let ``C`` be a set of units of input component ``A`` around ``v`` with
``pop(C) < P``. If no neighbour of ``C`` (the set ``N(C)``) leaves, ``v``'s piece lies
inside ``C``, and its country needs at least ``P - pop(C)`` from pieces of other
components. So

    x_v <= sum_{u in N(C)} x_u + sum_{u not in A} min(1, pop_u / (P - pop(C))) x_u

is valid (capping a coefficient at 1 is, as every term is non-negative). On one component
it is the rooted cut for pieces below a size floor; it is stronger than the cut in which
``sum_{w in C} (1 - x_w)`` stands for ``1 - x_v``. Pieces in one component lie in different
countries, and the pieces of other components that make up for them are disjoint.
With ``r_i = x_{v_i} - x(N(C_i))`` (1 when ``C_i`` holds its piece unextended) and
``n_i = P - pop(C_i)``, that gives a knapsack over the small pieces ``C_1..C_k`` of ``A``:

    sum_i n_i (x_{v_i} - sum_{u in N(C_i)} x_u) <= sum_{u not in A} pop_u x_u.

Without it, one large unit elsewhere (Honolulu's 382,114 voters) satisfies the single cut
of every small mainland piece at once, and the LP bound of the national instance with
countries of 500,000 voters hardly leaves the trivial bound.

``C`` is a piece of the point rounded at a threshold, and ``v`` its unit of largest ``x``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from secession.plan.kernels.separation import Csr, members_by_piece, neighbourhood, pieces

EPS = 1e-6


@dataclass(frozen=True)
class SizeCut:
    """``sum(coefs * x[units]) >= lhs`` over local unit positions."""

    units: np.ndarray
    coefs: np.ndarray
    lhs: float

    def violation(self, x: np.ndarray) -> float:
        return float(self.lhs - self.coefs @ x[self.units])


def size_cuts(
    adj: Csr,
    x: np.ndarray,
    comp: np.ndarray,
    pop: np.ndarray,
    can_leave: np.ndarray,
    min_pop: float,
    *,
    threshold: float = 0.5,
    max_cuts: int = 200,
) -> list[SizeCut]:
    """Violated cuts for the pieces of ``x > threshold`` below ``min_pop``: one per small
    piece and, per component, the knapsack over its small pieces."""
    mask = (x > threshold) & can_leave
    k, lab = pieces(adj, mask)
    if k == 0:
        return []
    ppop = np.bincount(lab[mask], weights=pop[mask], minlength=k)
    pcomp = np.zeros(k, dtype=np.int64)
    pcomp[lab[mask]] = comp[mask]
    small = np.flatnonzero(ppop < min_pop - 1e-9)
    members_of = members_by_piece(lab)
    cuts: list[SizeCut] = []
    for a in np.unique(pcomp[small]).tolist():
        in_a = small[pcomp[small] == a]
        outside = np.flatnonzero(can_leave & (comp != a))
        found = [_Piece(adj, x, members_of[p], can_leave) for p in in_a.tolist()]
        need = min_pop - ppop[in_a]
        for piece, n_i in zip(found, need.tolist(), strict=True):
            cut = piece.single(outside, pop, n_i)
            if cut.violation(x) > EPS:
                cuts.append(cut)
        if len(found) > 1:
            cut = _knapsack(found, need, outside, pop, x)
            if cut is not None and cut.violation(x) > EPS:
                cuts.append(cut)
        if len(cuts) >= max_cuts:
            return cuts[:max_cuts]
    return cuts


class _Piece:
    """A small piece: its root (the unit of largest ``x``) and its boundary ``N(C)``."""

    def __init__(self, adj: Csr, x: np.ndarray, members: np.ndarray, can_leave: np.ndarray) -> None:
        self.root = int(members[np.argmax(x[members])])
        inside = np.zeros(len(x), dtype=bool)
        inside[members] = True
        self.boundary = np.flatnonzero(neighbourhood(adj, inside) & can_leave)

    def single(self, outside: np.ndarray, pop: np.ndarray, need: float) -> SizeCut:
        """``x(N(C)) + outside - x_root >= 0``."""
        units = np.concatenate([self.boundary, [self.root], outside])
        coefs = np.concatenate(
            [np.ones(len(self.boundary)), [-1.0], np.minimum(1.0, pop[outside] / need)]
        )
        return SizeCut(units, coefs, 0.0)


def _knapsack(
    found: list[_Piece], need: np.ndarray, outside: np.ndarray, pop: np.ndarray, x: np.ndarray
) -> SizeCut | None:
    """The knapsack over the pieces whose ``r_i`` is positive at ``x``, divided by the
    largest need: ``sum_u pop_u x_u + sum_i n_i (x(N_i) - x_{v_i}) >= 0``."""
    coef = np.zeros(len(x))
    taken = 0
    for piece, n_i in zip(found, need.tolist(), strict=True):
        if x[piece.root] - x[piece.boundary].sum() <= EPS:  # would only weaken the cut
            continue
        taken += 1
        coef[piece.root] -= n_i
        np.add.at(coef, piece.boundary, n_i)
    if taken < 2:
        return None
    coef[outside] += pop[outside]
    coef /= float(need.max())
    units = np.flatnonzero(coef)
    return SizeCut(units, coef[units], 0.0)


def no_good(x: np.ndarray, can_leave: np.ndarray) -> SizeCut:
    """Cut off exactly the integral point ``x``:
    ``sum_{x_v=0} x_v + sum_{x_v=1} (1 - x_v) >= 1``."""
    units = np.flatnonzero(can_leave)
    on = x[units] > 0.5
    coefs = np.where(on, -1.0, 1.0)
    return SizeCut(units, coefs, 1.0 - float(on.sum()))
