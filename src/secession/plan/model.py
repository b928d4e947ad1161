"""Plan problem and result types shared by every solver, checker, map and report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.metrics import proven_gap, relative_gap, two_side_votes

STAY = "stay"


@dataclass(frozen=True)
class PlanConstraints:
    """The switches of a plan. Ids in ``lock_leave``/``lock_stay`` are unit ids.

    ``max_countries=None`` allows any number of new countries. ``consent`` is the minimum
    share of a unit's two-side voters who chose leave for that unit to be allowed to leave.
    ``level`` names a ``UnitGraph.groups`` key to plan on whole groups (e.g. ``"state"``).
    ``exclaves`` is the exclave policy of new countries: ``"nearest"``, ``"none"`` or
    ``"any"`` (:mod:`secession.plan.exclaves`).
    """

    contiguous_new: bool = True
    contiguous_rest: bool = True
    min_population: float = 0.0
    max_countries: int | None = 1
    consent: float | None = None
    lock_leave: tuple[str, ...] = ()
    lock_stay: tuple[str, ...] = ()
    level: str | None = None
    exclaves: str = "nearest"

    def to_dict(self) -> dict[str, Any]:
        return {
            "contiguous_new": self.contiguous_new,
            "contiguous_rest": self.contiguous_rest,
            "min_population": self.min_population,
            "max_countries": self.max_countries,
            "consent": self.consent,
            "lock_leave": list(self.lock_leave),
            "lock_stay": list(self.lock_stay),
            "level": self.level,
            "exclaves": self.exclaves,
        }


@dataclass(frozen=True)
class Plan:
    """A solved plan on ``graph``: ``country[i]`` is 0 for the remaining country, else 1..k.

    ``labels[c]`` names country ``c`` (``labels[0] == "stay"``). ``best_bound`` is the
    proven upper bound on the optimum under the constraints (equal to the unconstrained
    ``upper_bound`` when the solver proved nothing better). Frozen: make a changed copy
    with ``dataclasses.replace``.
    """

    graph: UnitGraph
    country: np.ndarray
    labels: list[str]
    satisfied_voters: float
    upper_bound: float
    best_bound: float
    proven_optimal: bool
    solver: str
    seconds: float
    constraints: PlanConstraints = field(default_factory=PlanConstraints)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def leaves(self) -> np.ndarray:
        return self.country > 0

    @property
    def two_side_votes(self) -> float:
        return two_side_votes(self.graph)

    @property
    def gap(self) -> float:
        """Proven optimality gap: (best bound - satisfied) / best bound
        (:func:`secession.plan.metrics.proven_gap`)."""
        return proven_gap(self.satisfied_voters, self.best_bound, self.upper_bound)

    @property
    def gap_to_upper_bound(self) -> float:
        return relative_gap(self.satisfied_voters, self.upper_bound)

    def unit_country_labels(self) -> np.ndarray:
        return np.asarray(self.labels, dtype=object)[self.country]
