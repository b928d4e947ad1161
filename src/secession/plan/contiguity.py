"""One definition of contiguity for every page: judged on the units a plan assigns.

A country is contiguous when it forms at most one piece on each landmass (a connected
component of the unit graph, water links included: Alaska, Hawaii or an island is no
break). A plan made on whole states is judged on its counties like any other plan, so the
summary, the report, the comparison page and ``--contiguous`` never disagree; where a
country falls apart on the units, the units cut off from its largest piece are named.

Example
-------
>>> import numpy as np
>>> from secession.geo.graph import UnitGraph
>>> g = UnitGraph.from_edges(["a", "b", "c"], [1, 1, 1], [0, 0, 0], np.array([[0, 1], [1, 2]]))
>>> judged = judge(g, np.array([1, 0, 1]), ["stay", "new-1"])
>>> judged.new_contiguous, judged.rest_contiguous, judged.countries[1].cut_off
(False, True, [('c', 'c')])
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from secession.geo.graph import UnitGraph
from secession.i18n import gettext_for

MAX_CUT_OFF_LISTED = 50


@dataclass
class CountryContiguity:
    """Pieces of one country per landmass, and the units cut off from its main pieces."""

    country: int
    label: str
    pieces: int  # pieces in all, over all landmasses
    landmasses: int
    contiguous: bool
    cut_off: list[tuple[str, str]] = field(default_factory=list)  # (id, name)
    cut_off_units: int = 0


@dataclass
class Contiguity:
    """The judgement of one plan; ``countries[0]`` is the remaining country."""

    countries: list[CountryContiguity]
    water_links: int

    @property
    def rest_contiguous(self) -> bool:
        return self.countries[0].contiguous if self.countries else True

    @property
    def new_contiguous(self) -> bool:
        return all(c.contiguous for c in self.countries[1:])

    def to_dict(self) -> dict[str, Any]:
        return {
            "judged_on": "units",
            "remaining_contiguous": self.rest_contiguous,
            "new_contiguous": self.new_contiguous,
            "water_links": self.water_links,
            "countries": [asdict(c) for c in self.countries],
        }

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Contiguity:
        """The judgement :meth:`to_dict` wrote (e.g. ``summary.json``'s ``contiguity``)."""
        countries = [
            CountryContiguity(**{**c, "cut_off": [tuple(pair) for pair in c.get("cut_off", [])]})
            for c in doc.get("countries", [])
        ]
        return cls(countries=countries, water_links=int(doc.get("water_links", 0)))

    def sentence(self, lang: str = "en") -> str:
        """Plain words for pages, in ``lang`` (``secession.i18n``)."""
        _ = gettext_for(lang)
        bad = [c for c in self.countries if not c.contiguous]
        if not bad:
            return _("every country is contiguous on the units (one piece per landmass)")
        parts = []
        for c in bad:
            shown = ", ".join(f"{n} ({i})" for i, n in c.cut_off[:8])
            more = c.cut_off_units - min(len(c.cut_off), 8)
            name = _("the remaining country") if c.country == 0 else c.label
            parts.append(
                _("{name} is cut off at {n} unit(s): {units}").format(
                    name=name, n=c.cut_off_units, units=shown
                )
                + (" " + _("and {more} more").format(more=more) if more > 0 else "")
            )
        return "; ".join(parts)


def judge(graph: UnitGraph, country: np.ndarray, labels: list[str]) -> Contiguity:
    """Pieces per landmass of every country of ``country`` (0 = remaining) on ``graph``."""
    country = np.asarray(country, dtype=np.int64)
    n = graph.n_units
    mat = graph.adjacency_matrix().tocoo()
    same = country[mat.row] == country[mat.col]
    own = sparse.coo_matrix(
        (np.ones(int(same.sum())), (mat.row[same], mat.col[same])), shape=(n, n)
    ).tocsr()
    _, piece = connected_components(own, directed=False)
    comp = graph.component
    pop = np.asarray(graph.population, dtype=np.float64)
    out = []
    for c in range(len(labels)):
        members = np.flatnonzero(country == c)
        if c > 0 and not len(members):
            continue
        cut: list[int] = []
        count = 0
        for land in np.unique(comp[members]).tolist():
            here = members[comp[members] == land]
            labs, inv = np.unique(piece[here], return_inverse=True)
            count += len(labs)
            if len(labs) > 1:
                size = np.bincount(inv, weights=pop[here] + 1e-9, minlength=len(labs))
                cut += here[inv != int(np.argmax(size))].tolist()
        listed = [(str(graph.ids[i]), str(graph.names[i])) for i in cut[:MAX_CUT_OFF_LISTED]]
        out.append(
            CountryContiguity(
                country=c,
                label=str(labels[c]),
                pieces=count,
                landmasses=len(np.unique(comp[members])) if len(members) else 0,
                contiguous=not cut,
                cut_off=listed,
                cut_off_units=len(cut),
            )
        )
    return Contiguity(out, len(graph.meta.get("water_links", [])))
