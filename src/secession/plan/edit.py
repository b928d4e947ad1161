"""Edit a plan by hand: move units between sides, see what it costs, repair it.

:func:`apply_moves` turns ``{unit_id: side}`` into a new country array (a clear
:class:`DataError` names an unknown unit or side); :func:`check_moves` answers with the
change in satisfied voters (:mod:`secession.plan.metrics`) and the independent checker's
violations (:mod:`secession.plan.check`); :func:`repair_edit` has the plan solver find the
valid plan that keeps the most units where the edit put them, the way the opt-in border
repair of :mod:`secession.referendum.optin` keeps units where their vote put them: the
solver maximises satisfied "voters" on a copy of the graph whose votes say where each unit
should be.

Example
-------
>>> import numpy as np
>>> from secession.geo.graph import UnitGraph
>>> from secession.plan.model import PlanConstraints
>>> g = UnitGraph.from_edges(["a", "b", "c"], [5, 1, 4], [1, 4, 1], np.array([[0, 1], [1, 2]]))
>>> found = check_moves(g, PlanConstraints(), np.array([1, 1, 1]), {"b": "stay"})
>>> found["change"], [v["kind"] for v in found["violations"]]
(3.0, ['split'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph
from secession.i18n import DEFAULT
from secession.plan.check import TOLERANCE, check_plan
from secession.plan.metrics import satisfied_voters, two_side_votes
from secession.plan.model import Plan, PlanConstraints

MAX_MOVES = 500
STAY = "stay"
LEAVE = "leave"
OTHER = "other"  # the other side: stay if it leaves, leave if it stays
TIE_BREAK = 0.5  # below one unit: among plans with equally few changes, the most satisfied


def apply_moves(
    graph: UnitGraph,
    country: np.ndarray,
    moves: Mapping[str, str],
    labels: Sequence[str] = ("stay", "1"),
    *,
    max_moves: int = MAX_MOVES,
) -> np.ndarray:
    """``country`` with each unit of ``moves`` put on its side: ``stay``, ``leave`` (the
    new country next to it, else the first), ``other`` (the side it is not on) or a new
    country's label (``labels[c]``)."""
    if not isinstance(moves, Mapping):
        raise DataError('moves must map unit ids to sides, e.g. {"41001": "stay"}')
    if len(moves) > max_moves:
        raise DataError(f"{len(moves)} moves: at most {max_moves} at once")
    pos = {str(u): i for i, u in enumerate(np.asarray(graph.ids).tolist())}
    out = np.asarray(country, dtype=np.int64).copy()
    by_label = {str(label): c for c, label in enumerate(labels) if c > 0}
    for uid, side in moves.items():
        i = pos.get(str(uid))
        if i is None:
            raise DataError(f"unit {uid!r} is not in this plan's dataset")
        if not isinstance(side, str):
            raise DataError(f"unit {uid}: the side must be a word, not {side!r}")
        if side == OTHER:
            side = STAY if out[i] > 0 else LEAVE
        if side == STAY:
            out[i] = 0
        elif side == LEAVE:
            if out[i] == 0:
                near = [int(out[j]) for j in graph.neighbors(i) if out[j] > 0]
                out[i] = min(near) if near else 1
        elif side in by_label:
            out[i] = by_label[side]
        else:
            known = ", ".join([STAY, LEAVE, OTHER, *by_label])
            raise DataError(f"unit {uid}: unknown side {side!r}: choose {known}")
    return out


def check_moves(
    graph: UnitGraph,
    constraints: PlanConstraints,
    country: np.ndarray,
    moves: Mapping[str, str],
    labels: Sequence[str] = ("stay", "1"),
    lang: str = DEFAULT,
) -> dict[str, Any]:
    """What ``moves`` do to the plan ``country``: satisfied voters before and after, the
    units that changed country, and every constraint the edited plan breaks (its
    sentences in ``lang``)."""
    before = np.asarray(country, dtype=np.int64)
    after = apply_moves(graph, before, moves, labels)
    changed = np.flatnonzero(after != before)
    sat_before = satisfied_voters(graph, before)
    sat_after = satisfied_voters(graph, after)
    two = two_side_votes(graph)
    found = check_plan(graph, constraints, after, lang)
    names = np.asarray(graph.names)
    return {
        "moved": [
            {
                "unit_id": str(graph.ids[i]),
                "name": str(names[i]),
                "from": _label(labels, int(before[i])),
                "to": _label(labels, int(after[i])),
            }
            for i in changed.tolist()
        ],
        "satisfied_before": sat_before,
        "satisfied_after": sat_after,
        "change": sat_after - sat_before,
        "share_after": sat_after / two if two > 0 else 0.0,
        "valid": not found,
        "violations": [
            {
                "kind": v.kind.value,
                "country": v.country,
                "units": list(v.units),
                "message": v.message,
            }
            for v in found
        ],
        "country": after,
    }


def _fewest_changes(n: int, bound: float) -> int:
    """Units any valid plan changes: the repair graph's bound caps the units kept (each
    counts one; the tie-break adds less than one in all)."""
    if not np.isfinite(bound):
        return 0
    return max(0, n - int(np.floor(bound + 1e-9)))


def _label(labels: Sequence[str], c: int) -> str:
    return str(labels[c]) if c < len(labels) else str(c)


def repair_graph(graph: UnitGraph, target: np.ndarray) -> UnitGraph:
    """The graph copy whose satisfied "voters" count the units placed as in ``target``
    (one a unit), a tie-break under one unit favouring the real satisfied voters."""
    wants = np.asarray(target) > 0
    leave = np.asarray(graph.leave, dtype=np.float64)
    stay = np.asarray(graph.stay, dtype=np.float64)
    total = float((leave + stay).sum()) or 1.0
    return replace(
        graph,
        leave=wants.astype(np.float64) + TIE_BREAK * leave / total,
        stay=(~wants).astype(np.float64) + TIE_BREAK * stay / total,
        other=np.zeros(graph.n_units),
    )


def repair_constraints(graph: UnitGraph, constraints: PlanConstraints) -> PlanConstraints:
    """``constraints`` for the repair graph: its shares are not votes, so consent becomes
    a lock to stay on every unit whose real leave share is below the threshold."""
    if constraints.consent is None:
        return constraints
    leave = np.asarray(graph.leave, dtype=np.float64)
    two = leave + np.asarray(graph.stay, dtype=np.float64)
    share = np.divide(leave, two, out=np.zeros_like(two), where=two > 0)
    below = graph.ids[share < constraints.consent - TOLERANCE].astype(str).tolist()
    locked = tuple(dict.fromkeys([*constraints.lock_stay, *below]))
    return replace(constraints, consent=None, lock_stay=locked)


def repair_edit(
    graph: UnitGraph,
    constraints: PlanConstraints,
    target: np.ndarray,
    *,
    solver: str = "auto",
    time_limit: float = 60.0,
    seed: int = 0,
    progress: Any = False,
) -> Plan:
    """The valid plan under ``constraints`` nearest to the edited ``target``: the fewest
    units on another side than the edit put them (proven fewest when the solver proves
    its plan optimal), on ``graph`` with its real figures; ``stats["repair"]`` lists them."""
    from secession.plan.solve import final_check, solve

    target = np.asarray(target, dtype=np.int64)
    found = solve(
        repair_graph(graph, target),
        repair_constraints(graph, constraints),
        solver=solver,
        time_limit=time_limit,
        seed=seed,
        progress=progress,
    )
    country = found.country
    changed = np.flatnonzero((country > 0) != (target > 0))
    real = float(np.maximum(np.asarray(graph.leave), np.asarray(graph.stay)).sum())
    repair = {
        "units_changed": len(changed),
        "changed": graph.ids[changed].astype(str).tolist(),
        "units_changed_lower_bound": _fewest_changes(graph.n_units, found.best_bound),
        "proven_fewest": bool(found.proven_optimal),
    }
    return replace(
        found,
        graph=graph,
        satisfied_voters=satisfied_voters(graph, country),
        upper_bound=real,
        best_bound=real,  # nothing is proven about the real objective
        proven_optimal=False,
        constraints=constraints,
        stats={
            **found.stats,
            "check": final_check(graph, constraints, country),
            "repair": repair,
        },
    )
