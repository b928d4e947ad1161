"""``Problem``: one plan problem as the solvers see it, built once by ``solve()``.

Validation (ids, locks, consent, plain conflicts), the fixings of
:func:`secession.plan.reductions.prepare` and the aggregation to ``constraints.level``
happen here, once; the solvers work on :attr:`Problem.prepared` (its graph is the graph
itself, or the graph of the level's groups), and :meth:`Problem.expand` gives each unit of
the original graph its group's country.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from secession.geo.graph import UnitGraph
from secession.plan.model import PlanConstraints
from secession.plan.reductions import Prepared, level_constraints, prepare

__all__ = ["Problem"]


@dataclass(frozen=True)
class Problem:
    """``graph`` and ``constraints`` as given; ``prepared`` is the problem on the units
    solved; ``group_of`` maps each unit of ``graph`` to its group there (``None``: no level)."""

    graph: UnitGraph
    constraints: PlanConstraints
    prepared: Prepared
    group_of: np.ndarray | None = None

    @classmethod
    def build(cls, graph: UnitGraph, constraints: PlanConstraints) -> Problem:
        """Validate and reduce once; raises ``DataError`` / ``InfeasiblePlanError``."""
        if constraints.level is None:
            return cls(graph, constraints, prepare(graph, constraints))
        inner, labels = level_constraints(graph, constraints)
        agg = graph.aggregate(constraints.level, dissolve=False)
        group_of = np.asarray([agg.index[x] for x in labels], dtype=np.int64)
        return cls(graph, constraints, prepare(agg, inner), group_of)

    @property
    def units(self) -> UnitGraph:
        """The graph the solvers plan on."""
        return self.prepared.graph

    @property
    def unit_constraints(self) -> PlanConstraints:
        """The constraints on :attr:`units` (``level`` resolved)."""
        return self.prepared.constraints

    def expand(self, country: np.ndarray) -> np.ndarray:
        """A plan of :attr:`units` as a plan of :attr:`graph`."""
        country = np.asarray(country, dtype=np.int64)
        return country if self.group_of is None else country[self.group_of]

    def contract(self, country: np.ndarray) -> np.ndarray:
        """A plan of :attr:`graph` that gives whole groups one country, as a plan of
        :attr:`units` (the inverse of :meth:`expand`; a group takes its last unit's)."""
        country = np.asarray(country, dtype=np.int64)
        if self.group_of is None:
            return country
        inner = np.zeros(self.units.n_units, dtype=np.int64)
        inner[self.group_of] = country
        return inner
