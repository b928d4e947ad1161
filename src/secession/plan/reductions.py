"""Fix what the constraints decide before any search, and find the conflicts that make a
setting infeasible, with messages that name the units involved.

Reductions used (each exact, i.e. it never removes an optimal plan):

- Consent ``t``: a unit whose leave share is below ``t`` cannot leave in any valid plan, so
  it is fixed to stay (a unit with no two-side votes has share 0).
- Locks fix units to a side.
- With one new country (or one label) and no minimum population, the input components
  are independent subproblems: contiguity is judged per component and the objective is a
  sum over units, so the best plan is the union of the best plan of each component.
- A component of one unit has no contiguity condition: it leaves exactly when that helps.

Merging adjacent same-sign units is *not* used: it is not valid when the remaining country
must stay connected (two adjacent leave-leaning units may belong on different sides of a
border that keeps both sides connected).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from secession.exceptions import DataError, InfeasiblePlanError
from secession.geo.graph import UnitGraph
from secession.plan.model import PlanConstraints

CONSENT_TOLERANCE = 1e-9
MAX_SHOWN = 8


def check_seed(seed: object) -> int:
    """Return ``seed`` as an int, or raise :class:`DataError` unless it is a whole number >= 0."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(f"seed must be a whole number of 0 or more, not {seed!r}")
    return int(seed)


def _show(ids: np.ndarray) -> str:
    shown = ", ".join(str(x) for x in ids[:MAX_SHOWN])
    more = len(ids) - MAX_SHOWN
    return shown + (f", ... {more} more" if more > 0 else "")


@dataclass
class Prepared:
    """A plan problem in flat arrays: weights, fixings and the adjacency matrix."""

    graph: UnitGraph
    constraints: PlanConstraints
    can_leave: np.ndarray  # bool: the unit is allowed to leave (consent, lock_stay)
    must_leave: np.ndarray  # bool: locked to leave

    @property
    def n(self) -> int:
        return self.graph.n_units

    @cached_property
    def weight(self) -> np.ndarray:
        """Gain in satisfied voters when the unit leaves: leave - stay."""
        return self.graph.leave - self.graph.stay

    @cached_property
    def adjacency(self) -> sparse.csr_matrix:
        return self.graph.adjacency_matrix().astype(np.int32)

    @cached_property
    def component(self) -> np.ndarray:
        return self.graph.component

    @property
    def single_label(self) -> bool:
        """Every leaving unit joins one new country (label 1)."""
        c = self.constraints
        return (not c.contiguous_new) or c.max_countries == 1

    @property
    def pieces_are_countries(self) -> bool:
        """Any number of new countries and no size floor: each piece may be its own country,
        so the new side needs no contiguity condition at all."""
        c = self.constraints
        return c.contiguous_new and c.max_countries is None and c.min_population <= 0

    @property
    def pieces_grouped(self) -> bool:
        """Any number of new countries with a size floor: each country is a group of pieces
        of the leaving side, one per input component at most, so the new side needs no
        contiguity condition, only that its pieces can be grouped (:mod:`.grouping`)."""
        c = self.constraints
        return c.contiguous_new and c.max_countries is None and c.min_population > 0


def consent_share(graph: UnitGraph) -> np.ndarray:
    two = graph.leave + graph.stay
    return np.divide(graph.leave, two, out=np.zeros_like(two), where=two > 0)


def _positions(graph: UnitGraph, ids: tuple[str, ...], what: str) -> np.ndarray:
    index = graph.index
    missing = [str(u) for u in ids if str(u) not in index]
    if missing:
        raise DataError(f"{what}: unknown unit id(s) {', '.join(missing[:10])}")
    return np.asarray([index[str(u)] for u in ids], dtype=np.int64)


def level_constraints(graph: UnitGraph, c: PlanConstraints) -> tuple[PlanConstraints, np.ndarray]:
    """Constraints on the groups of ``c.level`` (locks moved to their groups) and each
    unit's group label; raises for an unknown level or a group locked both ways."""
    if c.level not in graph.groups:
        raise DataError(
            f"level {c.level!r} is not a grouping of this graph "
            f"(have: {', '.join(sorted(graph.groups)) or 'none'})"
        )
    labels = np.asarray(graph.groups[c.level]).astype(str)

    def groups_of(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(sorted({labels[graph.index_of(u)] for u in ids}))

    leave_groups, stay_groups = groups_of(c.lock_leave), groups_of(c.lock_stay)
    clash = sorted(set(leave_groups) & set(stay_groups))
    if clash:
        raise InfeasiblePlanError(
            f"{c.level} {clash[0]} holds units locked to leave and units locked to stay"
        )
    return replace(c, level=None, lock_leave=leave_groups, lock_stay=stay_groups), labels


def prepare(graph: UnitGraph, constraints: PlanConstraints) -> Prepared:
    """Validate ``constraints`` against ``graph`` and fix units; raise on plain conflicts."""
    c = constraints
    if c.max_countries is not None and c.max_countries < 1:
        raise DataError(f"max_countries must be at least 1 (got {c.max_countries})")
    if c.min_population < 0:
        raise DataError(f"min_population must be >= 0 (got {c.min_population})")
    if c.consent is not None and not 0.0 <= c.consent <= 1.0:
        raise DataError(f"consent must be a share between 0 and 1 (got {c.consent})")
    from secession.plan.exclaves import check_policy, needs_distances

    check_policy(c.exclaves)
    if (
        c.contiguous_new
        and graph.earth is None
        and needs_distances(c.exclaves, c.max_countries, graph.n_components)
    ):
        raise DataError(
            f"--exclaves nearest needs the units' coordinates to measure distances, and "
            f"these {graph.n_components} landmasses have none (a graph without geometry): "
            "use --exclaves none or --exclaves any"
        )
    n = graph.n_units
    ids = graph.ids
    lock_leave = _positions(graph, c.lock_leave, "lock_leave")
    lock_stay = _positions(graph, c.lock_stay, "lock_stay")
    both = np.intersect1d(lock_leave, lock_stay)
    if len(both):
        raise InfeasiblePlanError(f"units locked both to leave and to stay: {_show(ids[both])}")
    can_leave = np.ones(n, dtype=bool)
    can_leave[lock_stay] = False
    if c.consent is not None:
        share = consent_share(graph)
        no_consent = share < c.consent - CONSENT_TOLERANCE
        bad = np.intersect1d(lock_leave, np.flatnonzero(no_consent))
        if len(bad):
            raise InfeasiblePlanError(
                f"units locked to leave lack consent (leave share below {c.consent:g}): "
                + ", ".join(f"{ids[i]} ({share[i]:.3f})" for i in bad[:MAX_SHOWN])
            )
        can_leave &= ~no_consent
    must_leave = np.zeros(n, dtype=bool)
    must_leave[lock_leave] = True
    prep = Prepared(graph, c, can_leave, must_leave)
    _check_conflicts(prep)
    return prep


def _pieces(adj: sparse.csr_matrix, mask: np.ndarray) -> np.ndarray:
    """Piece label of each unit in ``mask`` within the induced subgraph (-1 outside)."""
    pos = np.flatnonzero(mask)
    labels = np.full(adj.shape[0], -1, dtype=np.int64)
    if len(pos):
        labels[pos] = connected_components(adj[pos][:, pos], directed=False)[1]
    return labels


def _check_conflicts(prep: Prepared) -> None:
    """Raise :class:`InfeasiblePlanError` for conflicts visible without search."""
    c = prep.constraints
    g = prep.graph
    ids = g.ids
    comp = prep.component
    must_leave = prep.must_leave
    must_stay = ~prep.can_leave
    if c.contiguous_new and c.max_countries == 1 and must_leave.sum() > 1:
        piece = _pieces(prep.adjacency, prep.can_leave)
        for k in np.unique(comp[must_leave]).tolist():
            locked = np.flatnonzero(must_leave & (comp == k))
            if len(np.unique(piece[locked])) > 1:
                a = locked[0]
                b = next(i for i in locked if piece[i] != piece[a])
                raise InfeasiblePlanError(
                    f"units {ids[a]} and {ids[b]} are locked to leave into one contiguous "
                    "new country, but every path between them crosses a unit that may not "
                    "leave (lock_stay or no consent)"
                )
    if c.contiguous_rest and must_stay.sum() > 1:
        piece = _pieces(prep.adjacency, ~must_leave)
        for k in np.unique(comp[must_stay]).tolist():
            fixed = np.flatnonzero(must_stay & (comp == k))
            if len(np.unique(piece[fixed])) > 1:
                a = fixed[0]
                b = next(i for i in fixed if piece[i] != piece[a])
                why = (
                    "locked to stay"
                    if b in set(_positions(g, c.lock_stay, ""))
                    else ("kept by consent")
                )
                raise InfeasiblePlanError(
                    f"units {ids[a]} and {ids[b]} must stay ({why}) in a contiguous remaining "
                    "country, but every path between them crosses a unit locked to leave"
                )
    if c.min_population > 0 and must_leave.any():
        reachable = float(g.population[prep.can_leave].sum())
        if reachable < c.min_population:
            raise InfeasiblePlanError(
                f"units {_show(ids[must_leave])} are locked to leave, but all units allowed "
                f"to leave hold a population of {reachable:,.0f}, below the minimum "
                f"population {c.min_population:,.0f} of a new country"
            )
