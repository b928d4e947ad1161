"""Vertex-separator cuts for connectivity, found on integral and fractional points.

For a side ``s`` (a new country, or the remaining country) that must be connected within
an input component, every pair of units ``a, b`` of the side and every set ``C`` that
separates ``a`` from ``b`` give the valid inequality ``s_a + s_b - sum_{c in C} s_c <= 1``
(Carvajal et al. 2013; Fischetti et al. 2017). Given a point ``s*`` we round it at a
threshold, take the pieces of the rounded side, and for each piece ``A`` other than the
heaviest piece ``M`` we build two minimal separators: the part of ``N(A)`` that touches
the region reachable from ``M`` around it, and the same from ``M``'s side. On an integral
point that is not connected these cuts are always violated; on a fractional point they are
kept only when violated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from secession.plan import repair

EPS = 1e-6


@dataclass(frozen=True)
class Csr:
    """Adjacency in CSR arrays (symmetric, no self loops)."""

    indptr: np.ndarray
    indices: np.ndarray

    @classmethod
    def of(cls, matrix) -> Csr:
        m = matrix.tocsr()
        return cls(m.indptr.astype(np.int64), m.indices.astype(np.int64))


@dataclass(frozen=True)
class Cut:
    """``s[a] + s[b] - sum(s[sep]) <= 1`` for one side."""

    a: int
    b: int
    sep: np.ndarray

    def violation(self, s: np.ndarray) -> float:
        return float(s[self.a] + s[self.b] - s[self.sep].sum() - 1.0)


def pieces(adj: Csr, mask: np.ndarray) -> tuple[int, np.ndarray]:
    """Number of pieces of the induced subgraph on ``mask`` and a label per unit (-1 off)."""
    return repair.pieces(adj.indptr, adj.indices, mask)


def neighbourhood(adj: Csr, mask: np.ndarray) -> np.ndarray:
    """Units outside ``mask`` adjacent to it."""
    mask = np.ascontiguousarray(mask, dtype=np.bool_)
    return repair.touching(adj.indptr, adj.indices, mask) & ~mask


def minimal_separator(
    adj: Csr, part: np.ndarray, other: np.ndarray, scope: np.ndarray
) -> np.ndarray:
    """A separator inside ``N(part)`` between ``part`` and ``other``, minimal towards ``other``.

    ``scope`` is the input component; only units in it are considered. Returns positions.
    """
    return _minimal_separator(
        adj.indptr,
        adj.indices,
        np.ascontiguousarray(part, dtype=np.bool_),
        np.ascontiguousarray(other, dtype=np.bool_),
        np.ascontiguousarray(scope, dtype=np.bool_),
    )


@njit(cache=True)
def _minimal_separator(indptr, indices, part, other, scope):  # pragma: no cover - compiled
    """The boundary ``N(part)`` (in scope), cut down to the units that touch the region
    reachable from ``other`` without crossing it; all of it if ``other`` touches it."""
    n = len(part)
    boundary = np.zeros(n, np.bool_)
    for v in range(n):
        if part[v]:
            for j in range(indptr[v], indptr[v + 1]):
                u = indices[j]
                if scope[u] and not part[u]:
                    boundary[u] = True
    seen = np.zeros(n, np.bool_)
    queue = np.empty(n, np.int64)
    tail = 0
    for v in range(n):
        if other[v] and not boundary[v] and not part[v]:
            seen[v] = True
            queue[tail] = v
            tail += 1
    head = 0
    while head < tail:
        v = queue[head]
        head += 1
        for j in range(indptr[v], indptr[v + 1]):
            u = indices[j]
            if not seen[u] and scope[u] and not part[u] and not boundary[u]:
                seen[u] = True
                queue[tail] = u
                tail += 1
    sep = np.zeros(n, np.bool_)
    found = False
    for i in range(tail):
        v = queue[i]
        for j in range(indptr[v], indptr[v + 1]):
            u = indices[j]
            if boundary[u]:
                sep[u] = True
                found = True
    return np.flatnonzero(sep if found else boundary)


def separate(
    adj: Csr,
    s: np.ndarray,
    scope: np.ndarray,
    *,
    threshold: float = 0.5,
    integral: bool = False,
    max_cuts: int = 200,
) -> list[Cut]:
    """Cuts that make the side with values ``s`` connected inside ``scope``.

    With ``integral`` every cut built is returned (they are all violated); otherwise only
    cuts violated by more than ``EPS`` at ``s``.
    """
    mask = (s > threshold) & scope
    k, lab = pieces(adj, mask)
    if k <= 1:
        return []
    mass = np.bincount(lab[mask], weights=s[mask], minlength=k)
    main = int(np.argmax(mass))
    main_mask = lab == main
    m_best = int(np.flatnonzero(main_mask)[np.argmax(s[main_mask])])
    cuts: list[Cut] = []
    order = np.argsort(-mass, kind="stable")
    for piece in order.tolist():
        if piece == main:
            continue
        part = lab == piece
        a_best = int(np.flatnonzero(part)[np.argmax(s[part])])
        for sep in (
            minimal_separator(adj, part, main_mask, scope),
            minimal_separator(adj, main_mask, part, scope),
        ):
            cut = Cut(a_best, m_best, sep)
            if integral or cut.violation(s) > EPS:
                cuts.append(cut)
        if len(cuts) >= max_cuts:
            break
    return cuts


def is_connected(adj: Csr, mask: np.ndarray, component: np.ndarray) -> bool:
    """True when ``mask`` forms at most one piece inside every input component."""
    k, lab = pieces(adj, mask)
    if k <= 1:
        return True
    pairs = np.unique(np.column_stack([component[mask], lab[mask]]), axis=0)
    return len(pairs) == len(np.unique(pairs[:, 0]))
