"""Unit-by-unit opt-in: each unit follows its own vote, then the border is repaired.

The units whose own result passed chose to leave. Their choices rarely form a valid map
(a lone leaving unit, a staying enclave), so the plan solver repairs the border on a copy
of the graph where ``leave`` = the unit's voters if it chose leave (else 0) and ``stay`` =
its voters if it chose stay (else 0). Maximising satisfied voters on that copy is exactly
minimising the voters moved against their unit's choice. Every moved unit gets a reason.

"Voters" of a unit are its ballots cast (yes + no + blank + abstain).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph
from secession.plan.check import ViolationKind, check_plan
from secession.plan.model import Plan, PlanConstraints
from secession.referendum.tally import Counts, Outcome


@dataclass(frozen=True)
class Move:
    """A unit placed against its own vote, and why."""

    unit_id: str
    name: str
    chose: str  # "leave" or "stay"
    placed: str  # "leave" or "stay"
    voters: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit_id": self.unit_id,
            "name": self.name,
            "chose": self.chose,
            "placed": self.placed,
            "voters": self.voters,
            "reason": self.reason,
        }


@dataclass
class OptInResult:
    """The repaired plan, each unit's choice, the moves and the voters moved."""

    plan: Plan | None
    chose_leave: np.ndarray
    moves: list[Move]
    voters: np.ndarray
    graph: UnitGraph

    @property
    def voters_moved(self) -> int:
        return int(sum(m.voters for m in self.moves))

    @property
    def units_leaving(self) -> list[str]:
        if self.plan is None:
            return []
        return self.graph.ids[self.plan.country > 0].tolist()

    @property
    def voters_moved_lower_bound(self) -> int:
        """Voters that any valid border must move: the solver's proven bound (equal to
        :attr:`voters_moved` when the plan is proven optimal)."""
        if self.plan is None:
            return 0
        if self.plan.proven_optimal:
            return self.voters_moved
        gap = float(self.voters.sum()) - float(self.plan.best_bound)
        return max(0, math.ceil(gap - 1e-6))

    def to_dict(self) -> dict[str, Any]:
        return {
            "units_chose_leave": int(self.chose_leave.sum()),
            "units_leaving": len(self.units_leaving),
            "units_moved": len(self.moves),
            "voters_moved": self.voters_moved,
            "voters_moved_lower_bound": self.voters_moved_lower_bound,
            "voters": int(self.voters.sum()),
            "moves": [m.to_dict() for m in self.moves],
        }


def repair_graph(
    graph: UnitGraph, counts: Counts, chose_leave: np.ndarray, *, source: str | None = None
) -> UnitGraph:
    """The graph copy whose satisfied voters are the voters placed as their unit chose.

    Its ``meta`` names ``source`` (the referendum's input file) as the votes, in place of
    the votes the graph was loaded with, so maps and reports credit the right data.
    """
    if counts.units != tuple(graph.ids.tolist()):
        raise DataError("opt-in repair: counts are not aligned with the unit graph")
    voters = counts.cast.astype(np.float64)
    chose = np.asarray(chose_leave, dtype=bool)
    meta = {k: v for k, v in graph.meta.items() if k not in ("layout", "year", "results")}
    meta["referendum_opt_in"] = True
    if source:
        meta["results"] = source
    return replace(
        graph,
        leave=np.where(chose, voters, 0.0),
        stay=np.where(chose, 0.0, voters),
        other=np.zeros(graph.n_units),
        leave_label="leave",
        stay_label="stay",
        meta=meta,
    )


def _induced_components(graph: UnitGraph, mask: np.ndarray) -> np.ndarray:
    """Component label of each unit in the subgraph induced by ``mask`` (-1 outside it)."""
    edges = graph.edges()
    keep = mask[edges[:, 0]] & mask[edges[:, 1]]
    e = edges[keep]
    n = graph.n_units
    mat = sparse.coo_matrix((np.ones(len(e), dtype=np.int8), (e[:, 0], e[:, 1])), shape=(n, n))
    labels = connected_components(mat.tocsr(), directed=False)[1].astype(np.int64)
    labels[~mask] = -1
    return labels


MAX_CHECKED_MOVES = 500

CONSENT = 0.5
"""Consent share on the repair graph, whose units hold all their voters on the side they
chose: any share in (0, 1] lets exactly the units that chose leave leave."""


def _heuristic_reason(
    graph: UnitGraph,
    i: int,
    chose: np.ndarray,
    placed: np.ndarray,
    comps: tuple[np.ndarray, np.ndarray],
    constraints: PlanConstraints,
) -> str:
    """A reason from the shape of the choices alone (clusters of leave and stay choices)."""
    leave_comp, stay_comp = comps
    if chose[i]:
        members = leave_comp == leave_comp[i]
        if (members & placed).any():
            return "moved to stay: leaving would cut the remaining country apart"
        cluster_pop = float(graph.population[members].sum())
        if constraints.min_population and cluster_pop < constraints.min_population:
            return (
                f"moved to stay: its group of {int(members.sum())} leaving unit(s) has "
                f"population {cluster_pop:,.0f}, below the minimum "
                f"{constraints.min_population:,.0f}, and is not connected to the leaving region"
            )
        return "moved to stay: not connected to the leaving region"
    members = stay_comp == stay_comp[i]
    if not (members & ~placed).any():
        return (
            "moved to leave: enclave would cut the remaining country "
            "(a staying pocket surrounded by leaving units)"
        )
    return "moved to leave: connects the leaving region into one country"


def _checked_reason(
    graph: UnitGraph,
    i: int,
    chose: np.ndarray,
    country: np.ndarray,
    constraints: PlanConstraints,
) -> str | None:
    """Why unit ``i`` cannot follow its choice alone: the violations :func:`check_plan`
    finds when only this unit is put back where it chose (``None`` if there are none)."""
    trial = country.copy()
    if chose[i]:
        near = [int(country[j]) for j in graph.neighbors(i) if country[j] > 0]
        trial[i] = min(near) if near else int(country.max()) + 1
    else:
        trial[i] = 0
    phrases: list[str] = []
    for v in check_plan(graph, constraints, trial):
        if v.kind is ViolationKind.SPLIT and v.country == 0:
            phrases.append(
                "leaving would cut the remaining country apart"
                if chose[i]
                else "enclave would cut the remaining country (staying would leave it cut off)"
            )
        elif v.kind is ViolationKind.SPLIT:
            phrases.append(
                "not connected to the leaving region"
                if chose[i]
                else "connects the leaving region into one country"
            )
        elif v.kind is ViolationKind.MAX_COUNTRIES:
            phrases.append(
                "not connected to the leaving region, and a separate new country would exceed "
                f"the maximum of {constraints.max_countries}"
            )
        elif v.kind is ViolationKind.MIN_POPULATION:
            phrases.append(
                "on its own its new country would be below the minimum population "
                f"{constraints.min_population:,.0f}"
                if chose[i]
                else f"needed for the new country to reach the minimum population "
                f"{constraints.min_population:,.0f}"
            )
        elif v.kind is ViolationKind.CONSENT:
            phrases.append("consent: it voted to stay, so it may not be moved into a new country")
    if not phrases:
        return None
    side = "stay" if chose[i] else "leave"
    return f"moved to {side}: " + "; ".join(dict.fromkeys(phrases))


def explain_moves(
    graph: UnitGraph,
    chose_leave: np.ndarray,
    country: np.ndarray,
    constraints: PlanConstraints,
    voters: np.ndarray,
) -> list[Move]:
    """A :class:`Move` with a reason for every unit placed against its choice.

    The reason is the list of constraints that putting this unit alone back where it chose
    would break (checked with :func:`secession.plan.check.check_plan`); when no single-unit
    change breaks one (the unit moved together with others), or for more than
    ``MAX_CHECKED_MOVES`` moves, it is read from the clusters of choices instead.
    """
    chose = np.asarray(chose_leave, dtype=bool)
    country = np.asarray(country, dtype=np.int64)
    placed = country > 0
    comps = (_induced_components(graph, chose), _induced_components(graph, ~chose))
    moved = np.flatnonzero(chose != placed)
    moves: list[Move] = []
    for k, i in enumerate(moved):
        reason = None
        if k < MAX_CHECKED_MOVES:
            reason = _checked_reason(graph, int(i), chose, country, constraints)
        if reason is None:
            reason = _heuristic_reason(graph, int(i), chose, placed, comps, constraints)
        moves.append(
            Move(
                unit_id=str(graph.ids[i]),
                name=str(graph.names[i]),
                chose="leave" if chose[i] else "stay",
                placed="leave" if placed[i] else "stay",
                voters=int(voters[i]),
                reason=reason,
            )
        )
    moves.sort(key=lambda m: (-m.voters, m.unit_id))
    return moves


def repair_opt_in(
    graph: UnitGraph,
    outcome: Outcome,
    constraints: PlanConstraints | None = None,
    *,
    solver: str = "auto",
    time_limit: float = 60.0,
    seed: int = 0,
    progress: bool = False,
    source: str | None = None,
) -> OptInResult:
    """Hand the units that chose leave to the plan solver and explain every move.

    ``outcome`` must come from :func:`~secession.referendum.tally.decide` on counts aligned
    with ``graph`` (see :func:`secession.referendum.results.join_to_graph`); ``source``
    names the referendum's input file in the plan's metadata. With no ``constraints`` the
    plan defaults apply with consent set (:data:`CONSENT`: no unit that chose stay is
    moved into a new country); pass ``PlanConstraints(...)`` to choose every switch.
    """
    constraints = constraints or PlanConstraints(consent=CONSENT)
    counts = outcome.counts
    chose = np.asarray(outcome.unit_passed, dtype=bool)
    rgraph = repair_graph(graph, counts, chose, source=source)
    voters = counts.cast
    if not chose.any():
        return OptInResult(None, chose, [], voters, rgraph)
    from secession.plan import solve

    plan = solve(
        rgraph, constraints, solver=solver, time_limit=time_limit, seed=seed, progress=progress
    )
    moves = explain_moves(rgraph, chose, plan.country, constraints, voters)
    referendum = {
        "rule": outcome.rule.name,
        "units_chose_leave": int(chose.sum()),
        "units_moved": len(moves),
        "voters_moved": int(sum(m.voters for m in moves)),
    }
    plan = replace(plan, stats={**plan.stats, "referendum": referendum})
    return OptInResult(plan, chose, moves, voters, rgraph)
