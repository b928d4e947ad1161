"""The numbers a map or report shows: per-unit margins and stranded flags, per-country totals.

Every figure is derived from the plan's graph and assignment alone, so a map redrawn from
files and a map drawn straight after solving show the same thing.

A unit is *stranded* when the majority of its two-side voters chose the other side from the
country it ends in (a leave-majority unit in the remaining country, or a stay-majority unit
in a new country). Stranded *voters* are counted one by one: the stay voters of units that
leave plus the leave voters of units that stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from secession.i18n import DEFAULT, N_
from secession.plan import metrics
from secession.plan.labels import display_names
from secession.plan.model import Plan


def margins(leave: np.ndarray, stay: np.ndarray) -> np.ndarray:
    """Signed margin ``(leave - stay) / (leave + stay)`` per unit (0 where no two-side votes)."""
    total = leave + stay
    with np.errstate(invalid="ignore", divide="ignore"):
        m = np.where(total > 0, (leave - stay) / np.where(total > 0, total, 1.0), 0.0)
    return m


def population_is_votes(graph: Any) -> bool:
    """Whether the units' population is just their total votes (the data gave no population:
    ``UnitGraph`` then counts every vote), so tables should say so."""
    total = graph.leave + graph.stay + np.nan_to_num(graph.other)
    return bool(graph.n_units) and bool(np.allclose(graph.population, total, rtol=0, atol=0.5))


def population_word(graph: Any) -> str:
    """``"population"``, or ``"voters (no population in the data)"`` when it is votes."""
    return "voters (the data has no population)" if population_is_votes(graph) else "population"


STRANDED_TEXT = N_(
    "Stranded voters are voters who end up in the country they voted against: {leave} "
    "voters in units that stay in the remaining country, and {stay} voters in units that "
    "leave with a new country. A unit is marked stranded (hatched on the maps) when its "
    "majority voted for the other side from the country it ends in."
)


def stranded_units(plan: Plan) -> np.ndarray:
    """Boolean mask of units whose majority voted for the side they did not end on."""
    g = plan.graph
    leaves = plan.country > 0
    return np.where(leaves, g.stay > g.leave, g.leave > g.stay)


def country_names(plan: Plan, lang: str = DEFAULT) -> list[str]:
    """Display name of each country: the remaining country, then the new ones by label."""
    return display_names(plan.labels, plan.graph.stay_label, plan.graph.leave_label, lang)


@dataclass(frozen=True)
class CountryRow:
    """Totals of one country of a plan."""

    index: int
    label: str
    name: str
    side: str
    units: int
    population: float
    leave_votes: float
    stay_votes: float
    other_votes: float
    satisfied: float
    stranded: float

    @property
    def two_side(self) -> float:
        return self.leave_votes + self.stay_votes

    @property
    def satisfied_share(self) -> float:
        return self.satisfied / self.two_side if self.two_side > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "name": self.name,
            "side": self.side,
            "units": self.units,
            "population": self.population,
            "leave_votes": self.leave_votes,
            "stay_votes": self.stay_votes,
            "other_votes": self.other_votes,
            "satisfied_voters": self.satisfied,
            "satisfied_share": self.satisfied_share,
            "stranded_voters": self.stranded,
        }


def country_rows(plan: Plan, lang: str = DEFAULT) -> list[CountryRow]:
    """One :class:`CountryRow` per country (index 0 = remaining country), in label order:
    the totals of :func:`secession.plan.metrics.country_rows` with names and sides."""
    g = plan.graph
    names = country_names(plan, lang)
    return [
        CountryRow(
            index=r.index,
            label=r.label,
            name=names[r.index],
            side=g.stay_label if r.index == 0 else g.leave_label,
            units=r.units,
            population=r.population,
            leave_votes=r.leave_votes,
            stay_votes=r.stay_votes,
            other_votes=r.other_votes,
            satisfied=r.satisfied,
            stranded=r.stranded,
        )
        for r in metrics.country_rows(g, plan.country, plan.labels)
    ]


def unit_table(plan: Plan, lang: str = DEFAULT) -> pd.DataFrame:
    """Per-unit figures: id, name, votes, margin, country index/label/name and stranded flag."""
    g = plan.graph
    names = country_names(plan, lang)
    country = np.asarray(plan.country, dtype=np.int64)
    return pd.DataFrame(
        {
            "unit_id": g.ids.astype(str),
            "name": g.names.astype(str),
            "leave": g.leave,
            "stay": g.stay,
            "other": g.other,
            "population": g.population,
            "margin": margins(g.leave, g.stay),
            "country": country,
            "country_label": np.asarray(plan.labels, dtype=object)[country],
            "country_name": np.asarray(names, dtype=object)[country],
            "stranded": stranded_units(plan),
        }
    )


def headline(plan: Plan) -> dict[str, Any]:
    """Plan-wide figures: satisfied voters and share, stranded voters on each side, bounds."""
    g = plan.graph
    two_side = metrics.two_side_votes(g)
    satisfied = metrics.satisfied_voters(g, plan.country)
    stranded_leave, stranded_stay = metrics.stranded_voters(g, plan.country)
    return {
        "satisfied_voters": satisfied,
        "two_side_votes": two_side,
        "satisfied_share": satisfied / two_side if two_side > 0 else 0.0,
        "stranded_leave_voters": stranded_leave,
        "stranded_stay_voters": stranded_stay,
        "upper_bound": float(plan.upper_bound),
        "upper_bound_share": float(plan.upper_bound) / two_side if two_side > 0 else 0.0,
        # a solver stopped without a bound may report an infinite one: never looser than
        # the unconstrained bound
        "best_bound": min(float(plan.best_bound), float(plan.upper_bound)),
        "gap": plan.gap,
        "gap_to_upper_bound": float(plan.gap_to_upper_bound),
        "proven_optimal": bool(plan.proven_optimal),
        "solver": plan.solver,
        "seconds": float(plan.seconds),
        "new_countries": int((np.bincount(plan.country, minlength=len(plan.labels))[1:] > 0).sum()),
    }
