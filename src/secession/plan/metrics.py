"""A plan's figures, each written once: satisfied voters, per-country totals, the gaps.

Output (``summary.json``), maps, scenarios and referendums read their figures from here.
The independent checker (:mod:`secession.plan.check`) keeps its own arithmetic on purpose.

Example
-------
>>> import numpy as np
>>> from secession.geo.graph import UnitGraph
>>> g = UnitGraph.from_edges(["a", "b", "c"], [5, 1, 4], [1, 6, 1], np.array([[0, 1], [1, 2]]))
>>> satisfied_voters(g, np.array([1, 0, 0])), stranded_voters(g, np.array([1, 0, 0]))
(12.0, (5.0, 1.0))
>>> round(relative_gap(12.0, 15.0), 3), proven_gap(12.0, float("inf"), 15.0) == 0.2
(0.2, True)
>>> [(r.label, r.units, r.satisfied, r.stranded) for r in country_rows(g, [1, 0, 0], ["stay", "1"])]
[('stay', 2, 7.0, 5.0), ('1', 1, 5.0, 1.0)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

__all__ = [
    "CountryFigures",
    "country_rows",
    "proven_gap",
    "relative_gap",
    "satisfied_voters",
    "stranded_voters",
    "two_side_votes",
]


class Votes(Protocol):
    """What the figures read from a unit graph."""

    leave: np.ndarray
    stay: np.ndarray


def satisfied_voters(votes: Votes, country: np.ndarray | Sequence[int]) -> float:
    """Leave-votes of the units in a new country plus stay-votes of the units that stay."""
    leaves = np.asarray(country).reshape(-1) > 0
    return float(np.asarray(votes.leave)[leaves].sum() + np.asarray(votes.stay)[~leaves].sum())


def stranded_voters(votes: Votes, country: np.ndarray | Sequence[int]) -> tuple[float, float]:
    """(leave-voters left in the remaining country, stay-voters taken into a new one)."""
    leaves = np.asarray(country).reshape(-1) > 0
    return float(np.asarray(votes.leave)[~leaves].sum()), float(
        np.asarray(votes.stay)[leaves].sum()
    )


def two_side_votes(votes: Votes) -> float:
    """Every vote for one of the two sides."""
    return float((np.asarray(votes.leave) + np.asarray(votes.stay)).sum())


def relative_gap(value: float, bound: float) -> float:
    """``(bound - value) / bound``, never negative; 0 when the bound is not positive."""
    if bound <= 0:
        return 0.0
    return max(0.0, (bound - value) / bound)


def proven_gap(satisfied: float, best_bound: float, upper_bound: float) -> float:
    """Gap to the proven bound, never looser than the unconstrained bound (a solver stopped
    without a bound may report an infinite one)."""
    return relative_gap(satisfied, min(float(best_bound), float(upper_bound)))


@dataclass(frozen=True)
class CountryFigures:
    """Totals of one country of a plan (``index`` 0 is the remaining country)."""

    index: int
    label: str
    units: int
    population: float
    leave_votes: float
    stay_votes: float
    other_votes: float

    @property
    def satisfied(self) -> float:
        """Voters in the country they voted for."""
        return self.stay_votes if self.index == 0 else self.leave_votes

    @property
    def stranded(self) -> float:
        """Voters in the country they voted against."""
        return self.leave_votes if self.index == 0 else self.stay_votes

    @property
    def two_side(self) -> float:
        return self.leave_votes + self.stay_votes

    def to_dict(self) -> dict[str, Any]:
        """The ``countries`` entry of ``summary.json``."""
        return {
            "country": self.index,
            "label": self.label,
            "units": self.units,
            "population": _number(self.population),
            "leave_votes": _number(self.leave_votes),
            "stay_votes": _number(self.stay_votes),
            "other_votes": _number(self.other_votes),
            "stranded_voters": _number(self.stranded),
            "satisfied_voters": _number(self.satisfied),
        }


def country_rows(
    graph: Any, country: np.ndarray | Sequence[int], labels: Sequence[str]
) -> list[CountryFigures]:
    """One :class:`CountryFigures` per label of the plan, in label order (empty ones too)."""
    c = np.asarray(country, dtype=np.int64).reshape(-1)
    k = len(labels)

    def total(values: np.ndarray) -> np.ndarray:
        return np.bincount(c, weights=np.asarray(values, dtype=np.float64), minlength=k)

    units = np.bincount(c, minlength=k)
    pop, lv, st, ot = (total(graph.population), total(graph.leave), total(graph.stay),
                       total(graph.other))  # fmt: skip
    return [
        CountryFigures(
            index=i,
            label=str(labels[i]),
            units=int(units[i]),
            population=float(pop[i]),
            leave_votes=float(lv[i]),
            stay_votes=float(st[i]),
            other_votes=float(ot[i]),
        )
        for i in range(k)
    ]


def _number(x: float) -> float | int:
    x = float(x)
    return int(x) if x.is_integer() else x
