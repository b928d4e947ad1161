"""Group the pieces of the leaving side into new countries of a minimum population.

With any number of new countries, each contiguous and of at least ``P`` voters, a country
is a set of pieces of the leaving side with at most one piece per input component (Alaska,
Hawaii or an island is no break), so a piece smaller than ``P`` must share a country with
pieces of other components. Whether a set of pieces can be grouped this way is a small
packing problem. :func:`group_pieces` answers it exactly: a greedy pass settles the usual
cases, and a small MIP (HiGHS through :func:`scipy.optimize.milp`) the rest.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from secession.plan.separation import Csr, pieces

TOLERANCE = 1e-9


def group_units(
    adj: Csr, leaving: np.ndarray, comp: np.ndarray, pop: np.ndarray, min_pop: float
) -> np.ndarray | None:
    """Country (0, 1, ...) of every leaving unit, -1 for the others, from a grouping of the
    pieces of ``leaving``; ``None`` when no grouping exists."""
    k, lab = pieces(adj, leaving)
    on = lab >= 0
    ppop = np.bincount(lab[on], weights=pop[on], minlength=k)
    pcomp = np.zeros(k, dtype=np.int64)
    pcomp[lab[on]] = comp[on]
    group = group_pieces(ppop, pcomp, min_pop)
    if group is None:
        return None
    out = np.full(len(lab), -1, dtype=np.int64)
    out[on] = group[lab[on]]
    return out


def group_pieces(pop: np.ndarray, comp: np.ndarray, min_pop: float) -> np.ndarray | None:
    """Country number (0, 1, ...) per piece, or ``None`` when no grouping exists.

    ``pop`` and ``comp`` give each piece's population and input component. Every country
    gets at least ``min_pop`` and at most one piece per component.
    """
    pop = np.asarray(pop, dtype=np.float64)
    comp = np.asarray(comp, dtype=np.int64)
    m = len(pop)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    small = pop < min_pop - TOLERANCE
    if not small.any():
        return np.arange(m, dtype=np.int64)
    if len(np.unique(comp)) == 1 or pop.sum() < min_pop - TOLERANCE:
        return None
    greedy = _greedy(pop, comp, min_pop)
    if greedy is not None:
        return greedy
    return _exact(pop, comp, min_pop)


def valid_grouping(pop: np.ndarray, comp: np.ndarray, min_pop: float, group: np.ndarray) -> bool:
    """True when ``group`` meets the population floor and has one piece per component."""
    for g in np.unique(group).tolist():
        members = group == g
        if pop[members].sum() < min_pop - TOLERANCE:
            return False
        if len(np.unique(comp[members])) != int(members.sum()):
            return False
    return True


def _greedy(pop: np.ndarray, comp: np.ndarray, min_pop: float) -> np.ndarray | None:
    """Large pieces alone; small ones, largest first, fill the fullest open country that
    has no piece in their component; countries left short are spread over the others."""
    m = len(pop)
    group = np.full(m, -1, dtype=np.int64)
    totals: list[float] = []
    comps: list[set[int]] = []
    for p in np.flatnonzero(pop >= min_pop - TOLERANCE).tolist():
        group[p] = len(totals)
        totals.append(float(pop[p]))
        comps.append({int(comp[p])})
    for p in np.argsort(-pop, kind="stable").tolist():
        if group[p] >= 0:
            continue
        c = int(comp[p])
        open_ = [k for k in range(len(totals)) if totals[k] < min_pop - TOLERANCE]
        fits = [k for k in open_ if c not in comps[k]]
        if fits:
            k = max(fits, key=lambda k: totals[k])
        else:
            k = len(totals)
            totals.append(0.0)
            comps.append(set())
        group[p] = k
        totals[k] += float(pop[p])
        comps[k].add(c)
    short = [k for k in range(len(totals)) if totals[k] < min_pop - TOLERANCE]
    for k in short:
        for p in np.flatnonzero(group == k).tolist():
            c = int(comp[p])
            hosts = [
                h
                for h in range(len(totals))
                if h not in short and totals[h] >= min_pop - TOLERANCE and c not in comps[h]
            ]
            if not hosts:
                return None
            h = hosts[0]
            group[p] = h
            totals[h] += float(pop[p])
            comps[h].add(c)
    _, group = np.unique(group, return_inverse=True)
    return group if valid_grouping(pop, comp, min_pop, group) else None


def _exact(pop: np.ndarray, comp: np.ndarray, min_pop: float) -> np.ndarray | None:
    """Feasibility MIP with representatives: ``y[p, k]`` for ``k <= p`` puts piece ``p`` in
    the country whose lowest piece is ``k``; ``y[k, k]`` opens that country."""
    m = len(pop)
    pairs = [(p, k) for p in range(m) for k in range(p + 1)]
    col = {pk: j for j, pk in enumerate(pairs)}
    rows: list[dict[int, float]] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(coefs: dict[int, float], lower: float, upper: float) -> None:
        rows.append(coefs)
        lo.append(lower)
        hi.append(upper)

    for p in range(m):  # every piece in exactly one country
        add({col[p, k]: 1.0 for k in range(p + 1)}, 1.0, 1.0)
    for k in range(m):
        opened = col[k, k]
        for p in range(k + 1, m):  # only into an open country
            add({col[p, k]: 1.0, opened: -1.0}, -np.inf, 0.0)
        members = {col[p, k]: float(pop[p]) for p in range(k, m)}
        members[opened] = members[opened] - min_pop  # population floor when open
        add(members, 0.0, np.inf)
        for c in np.unique(comp[k:]).tolist():  # one piece per component
            same = [p for p in range(k, m) if comp[p] == c]
            if len(same) > 1:
                add({col[p, k]: 1.0 for p in same}, -np.inf, 1.0)
    data, ri, ci = [], [], []
    for r, coefs in enumerate(rows):
        for j, v in coefs.items():
            ri.append(r)
            ci.append(j)
            data.append(v)
    a = sparse.csr_matrix((data, (ri, ci)), shape=(len(rows), len(pairs)))
    res = milp(
        np.zeros(len(pairs)),
        constraints=LinearConstraint(a, lo, hi),
        integrality=np.ones(len(pairs)),
        bounds=Bounds(0, 1),
    )
    if res.x is None:
        return None
    group = np.zeros(m, dtype=np.int64)
    for (p, k), j in col.items():
        if res.x[j] > 0.5:
            group[p] = k
    _, group = np.unique(group, return_inverse=True)
    return group if valid_grouping(pop, comp, min_pop, group) else None
