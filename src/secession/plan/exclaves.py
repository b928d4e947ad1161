"""Exclave policy: when may a new country hold pieces on several landmasses?

A landmass is an input component of the unit graph (water links included). A new country
has at most one piece per landmass; its *largest piece* (by population) is its main
piece and the others are its exclaves. Policies (``PlanConstraints.exclaves``):

- ``nearest`` (default): every exclave is nearer to its own country than to any other new
  country, and following each piece to its nearest leaving piece leads to the main piece
  (so two exclaves near each other cannot hang off a main piece far away). With one new
  country this allows every exclave (Hawaii may join it); with many it rules out
  "Nashville plus Alaska". Distances are great-circle distances between lon/lat outlines
  (:mod:`secession.geo.earth`).
- ``none``: every new country lies on one landmass.
- ``any``: one piece per landmass, however far (the rule before this policy existed).

The remaining country keeps its exclaves under every policy (Alaska stays with it
whatever the mainland does). This module serves the solvers; the checker
(:mod:`secession.plan.check`) judges plans with its own code.

The nearest-piece structure: ``parent[p]`` is the piece nearest to piece ``p`` among all
other leaving pieces. A country is valid under ``nearest`` when it is its main piece plus
pieces whose parent chains reach the main piece inside the country, which makes a country
a subtree of this forest with the main piece on top.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

from secession.exceptions import DataError

POLICIES = ("nearest", "none", "any")
TOLERANCE = 1e-9
MILP_INFEASIBLE = 2


def check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise DataError(f"--exclaves must be one of {', '.join(POLICIES)}, not {policy!r}")
    return policy


def needs_distances(policy: str, max_countries: int | None, n_components: int) -> bool:
    """Whether the policy needs distances: ``nearest`` with more than one possible new
    country on a graph of several landmasses."""
    return policy == "nearest" and max_countries != 1 and n_components > 1


@dataclass(frozen=True)
class Pieces:
    """Pieces of the new countries: ``label[i]`` (-1 for staying units), per piece its
    country, landmass and population."""

    label: np.ndarray
    country: np.ndarray
    comp: np.ndarray
    pop: np.ndarray

    @property
    def k(self) -> int:
        return len(self.country)


def pieces_of(
    indptr: np.ndarray, indices: np.ndarray, country: np.ndarray, comp: np.ndarray, pop: np.ndarray
) -> Pieces:
    """Connected pieces of each new country (units with ``country > 0``)."""
    from scipy.sparse.csgraph import connected_components

    n = len(country)
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    cols = np.asarray(indices, dtype=np.int64)
    same = (country[rows] == country[cols]) & (country[rows] > 0)
    mat = sparse.coo_matrix((np.ones(int(same.sum())), (rows[same], cols[same])), shape=(n, n))
    _, lab = connected_components(mat.tocsr(), directed=False)
    on = country > 0
    uniq, inv = np.unique(lab[on], return_inverse=True)
    label = np.full(n, -1, dtype=np.int64)
    label[on] = inv
    k = len(uniq)
    pcountry = np.zeros(k, dtype=np.int64)
    pcountry[inv] = country[on]
    pcomp = np.zeros(k, dtype=np.int64)
    pcomp[inv] = comp[on]
    ppop = np.bincount(inv, weights=pop[on], minlength=k)
    return Pieces(label, pcountry, pcomp, ppop)


def nearest_parent(earth, pieces: Pieces, which: np.ndarray | None = None) -> np.ndarray:
    """Nearest other piece of every piece in ``which`` (default: all), -1 when it has no
    distance (no outline) or is the only piece. Ties go to the lowest unit position."""
    parent = np.full(pieces.k, -1, dtype=np.int64)
    if pieces.k < 2:
        return parent
    todo = range(pieces.k) if which is None else np.flatnonzero(which).tolist()
    leaving = np.flatnonzero(pieces.label >= 0)
    lab = pieces.label[leaving]
    for p in todo:
        mine = leaving[lab == p]
        others = leaving[lab != p]
        km, _, j = earth.nearest(mine, others)
        if j >= 0 and np.isfinite(km):
            parent[p] = pieces.label[j]
    return parent


def main_pieces(pieces: Pieces) -> np.ndarray:
    """Main piece (largest population, then lowest label) of each piece's country."""
    main = np.full(pieces.k, -1, dtype=np.int64)
    order = np.lexsort((np.arange(pieces.k), -pieces.pop))
    seen: dict[int, int] = {}
    for p in order.tolist():
        seen.setdefault(int(pieces.country[p]), p)
    for p in range(pieces.k):
        main[p] = seen[int(pieces.country[p])]
    return main


def breaching_pieces(earth, pieces: Pieces, policy: str) -> np.ndarray:
    """Pieces that break the policy (exclaves not allowed where they are)."""
    if policy == "any" or pieces.k == 0:
        return np.zeros(0, dtype=np.int64)
    main = main_pieces(pieces)
    exclave = main != np.arange(pieces.k)
    if not exclave.any():
        return np.zeros(0, dtype=np.int64)
    if policy == "none":
        return np.flatnonzero(exclave)
    if earth is None:
        raise DataError(
            "--exclaves nearest needs the units' coordinates to measure distances; these "
            "units have none (use --exclaves none or --exclaves any)"
        )
    # only the pieces on the way from an exclave to its main piece need distances
    parent = _LazyParent(earth, pieces)
    bad = [
        p
        for p in np.flatnonzero(exclave).tolist()
        if not reaches_main(p, parent, pieces.country, main)
    ]
    return np.asarray(bad, dtype=np.int64)


class _LazyParent:
    """``parent[p]``: the nearest other piece of ``p``, measured when first asked."""

    def __init__(self, earth, pieces: Pieces) -> None:
        self.earth, self.pieces = earth, pieces
        self.leaving = np.flatnonzero(pieces.label >= 0)
        self.memo: dict[int, int] = {}

    def __getitem__(self, p: int) -> int:
        if p not in self.memo:
            lab = self.pieces.label[self.leaving]
            km, _, j = self.earth.nearest(self.leaving[lab == p], self.leaving[lab != p])
            self.memo[p] = int(self.pieces.label[j]) if j >= 0 and np.isfinite(km) else -1
        return self.memo[p]


def reaches_main(p: int, parent, country: np.ndarray, main: np.ndarray) -> bool:
    """Following nearest pieces from ``p`` stays in its country until its main piece."""
    seen = set()
    q = p
    while q != main[p]:
        nxt = parent[q]
        if q in seen or nxt < 0 or country[nxt] != country[p]:
            return False
        seen.add(q)
        q = int(nxt)
    return True


# ----------------------------------------------------------------------------- grouping
def group_nearest(
    pop: np.ndarray, comp: np.ndarray, parent: np.ndarray, min_pop: float
) -> np.ndarray | None:
    """Country (0, 1, ...) per piece such that every country has at least ``min_pop``,
    one piece per landmass, and is a subtree of the nearest-piece forest topped by its
    largest piece; ``None`` when no such grouping exists. A greedy pass first, then a
    small MIP over (piece, ancestor) pairs."""
    pop = np.asarray(pop, dtype=np.float64)
    m = len(pop)
    if m == 0:
        return np.zeros(0, dtype=np.int64)
    small = pop < min_pop - TOLERANCE
    if not small.any():
        return np.arange(m, dtype=np.int64)
    greedy = _greedy_nearest(pop, comp, parent, min_pop)
    if greedy is not None:
        return greedy
    return _exact_nearest(pop, comp, parent, min_pop)


def _ancestors(p: int, parent: np.ndarray) -> list[int]:
    chain = [p]
    while parent[chain[-1]] >= 0 and parent[chain[-1]] not in chain:
        chain.append(int(parent[chain[-1]]))
    return chain


def _greedy_nearest(
    pop: np.ndarray, comp: np.ndarray, parent: np.ndarray, min_pop: float
) -> np.ndarray | None:
    """Pieces by population, largest first: a small piece joins its parent's country
    when that is allowed, else opens its own; a grouping when every country is large."""
    m = len(pop)
    group = np.full(m, -1, dtype=np.int64)
    leader_pop: list[float] = []
    totals: list[float] = []
    comps: list[set[int]] = []
    for p in np.lexsort((np.arange(m), -pop)).tolist():
        q = int(parent[p])
        host = group[q] if q >= 0 else -1
        small = pop[p] < min_pop - TOLERANCE
        if small and host >= 0 and int(comp[p]) not in comps[host] and leader_pop[host] >= pop[p]:
            group[p] = host
            totals[host] += float(pop[p])
            comps[host].add(int(comp[p]))
            continue
        group[p] = len(totals)
        leader_pop.append(float(pop[p]))
        totals.append(float(pop[p]))
        comps.append({int(comp[p])})
    if min(totals) < min_pop - TOLERANCE:
        return None
    return group


def _exact_nearest(
    pop: np.ndarray, comp: np.ndarray, parent: np.ndarray, min_pop: float
) -> np.ndarray | None:
    """Feasibility MIP: ``y[p, k]`` puts piece ``p`` in the country topped by its ancestor
    ``k`` (``y[k, k]`` opens it); a member's parent is in the same country."""
    m = len(pop)
    pairs = []
    for p in range(m):
        for k in _ancestors(p, parent):
            if k == p or pop[k] > pop[p] or (pop[k] == pop[p] and k < p):
                pairs.append((p, k))
    col = {pk: j for j, pk in enumerate(pairs)}
    rows: list[dict[int, float]] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(coefs: dict[int, float], lower: float, upper: float) -> None:
        rows.append(coefs)
        lo.append(lower)
        hi.append(upper)

    members: dict[int, list[int]] = {}
    for p, k in pairs:
        members.setdefault(k, []).append(p)
    for p in range(m):
        add({col[p, k]: 1.0 for k in _ancestors(p, parent) if (p, k) in col}, 1.0, 1.0)
    for (p, k), j in col.items():
        if p == k:
            continue
        add({j: 1.0, col[k, k]: -1.0}, -np.inf, 0.0)
        q = int(parent[p])
        if q != k:  # the parent is in the same country (it lies on the way to k)
            if (q, k) not in col:
                add({j: 1.0}, -np.inf, 0.0)
            else:
                add({j: 1.0, col[q, k]: -1.0}, -np.inf, 0.0)
    for k, ps in members.items():
        coefs = {col[p, k]: float(pop[p]) for p in ps}
        coefs[col[k, k]] = coefs[col[k, k]] - min_pop
        add(coefs, 0.0, np.inf)
        by_comp: dict[int, list[int]] = {}
        for p in ps:
            by_comp.setdefault(int(comp[p]), []).append(col[p, k])
        for cols in by_comp.values():
            if len(cols) > 1:
                add(dict.fromkeys(cols, 1.0), -np.inf, 1.0)
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
    if res.status == MILP_INFEASIBLE:
        return None
    if res.x is None:
        raise RuntimeError(f"the exclave grouping MIP ended without an answer: {res.message}")
    group = np.zeros(m, dtype=np.int64)
    for (p, k), j in col.items():
        if res.x[j] > 0.5:
            group[p] = k
    _, group = np.unique(group, return_inverse=True)
    return group
