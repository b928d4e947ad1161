"""Colours and short names of a plan's countries, so a map with 40 countries can be read.

Two countries *touch* when any of their units are adjacent in the plan's unit graph (water
links included: they are ordinary edges). The new countries are coloured so that no two
touching ones share a colour (DSatur, with a fixed tie-break, so the same plan always gets
the same colours); the remaining country keeps its own colour, never given to a new one.

Each new country is named after its most populous unit and that unit's state ("Cook, IL"),
made unique within the plan by adding the country's label where two names would clash.

Across a scenario's maps the same country keeps its colour and name: pass the reference
plan's :class:`CountryKey`, and every new country that shares most of its population with a
reference country takes that country's colour and name (when no touching country holds
that colour already).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import networkx as nx
import numpy as np

from secession.i18n import DEFAULT, gettext_for
from secession.plan.model import Plan

#: Colour of the remaining country (Paul Tol's teal); no new country ever gets it.
STAY_COLOR = "#009988"
#: New countries' colours, most distinct first: Paul Tol's colour-blind-safe "vibrant" and
#: "muted" schemes (without the teal, and without the muted green: beside the teal on the
#: national map, Cook County's country could not be told from the remaining one), ordered
#: so that a map needing four or five colours uses hues apart in lightness as well.
NEW_COLORS: tuple[str, ...] = (
    "#EE7733",  # orange
    "#0077BB",  # blue
    "#EE3377",  # magenta
    "#DDCC77",  # sand
    "#332288",  # indigo
    "#882255",  # wine
    "#33BBEE",  # cyan
    "#CC3311",  # red
    "#AA4499",  # purple
    "#999933",  # olive
)
_SUFFIX = re.compile(
    r"\s+(County|Parish|Borough|Census Area|City and Borough|Municipality)$", re.IGNORECASE
)


@dataclass(frozen=True)
class CountryKey:
    """Per country index of a plan (0 = remaining country): colour, short name, and each
    unit's country (to match countries of another plan on the same units)."""

    colors: list[str]
    names: list[str]
    labels: list[str]
    country: np.ndarray
    population: np.ndarray


def touching(plan: Plan) -> nx.Graph:
    """Graph of the plan's new countries (indices >= 1 holding units); an edge where two of
    them hold adjacent units."""
    country = np.asarray(plan.country, dtype=np.int64)
    g = nx.Graph()
    g.add_nodes_from(int(c) for c in np.unique(country) if c > 0)
    edges = plan.graph.edges()
    if len(edges):
        a, b = country[edges[:, 0]], country[edges[:, 1]]
        keep = (a != b) & (a > 0) & (b > 0)
        pairs = np.unique(np.sort(np.column_stack([a[keep], b[keep]]), axis=1), axis=0)
        g.add_edges_from((int(u), int(v)) for u, v in pairs)
    return g


def colour_graph(
    g: nx.Graph, fixed: dict[int, int] | None = None, size: int = len(NEW_COLORS)
) -> dict[int, int]:
    """Colour index per node, no two neighbours alike: DSatur (most distinct neighbouring
        colours first, then most neighbours, then lowest node), starting from ``fixed`` (taken
    in its order; a fixed colour a neighbour took already is dropped and chosen afresh).

        Of the colours a node may take, it takes the one fewest nodes hold so far (lowest index
        on ties), so up to ``size`` countries all differ and more share the palette evenly;
        beyond ``size`` only when its neighbours leave nothing else.

        networkx's ``greedy_color(strategy="DSATUR")`` orders nodes the same way but takes the
        lowest free colour and cannot start from given colours, which a scenario's maps need.
    """
    colour: dict[int, int] = {}
    for node, c in (fixed or {}).items():
        if node in g and all(colour.get(n) != c for n in g[node]):
            colour[node] = c
    todo = set(g) - set(colour)
    while todo:
        node = max(
            todo,
            key=lambda n: (len({colour[m] for m in g[n] if m in colour}), g.degree(n), -n),
        )
        used = {colour[m] for m in g[node] if m in colour}
        free = [c for c in range(max(size, len(used) + 1)) if c not in used]
        count = Counter(colour.values())
        colour[node] = min(free, key=lambda c: (count[c], c))
        todo.remove(node)
    return colour


def _short(name: str) -> str:
    return _SUFFIX.sub("", name.strip()) or name


def short_names(plan: Plan, lang: str = DEFAULT) -> list[str]:
    """Short name per country index: "Remaining country (... side)" for 0, otherwise the most
    populous unit and its state ("Cook, IL"), unique within the plan."""
    g = plan.graph
    where = None
    for key in ("state", "state_name"):
        if key in g.groups:
            where = np.asarray(g.groups[key]).astype(str)
            break
    country = np.asarray(plan.country, dtype=np.int64)
    remaining = gettext_for(lang)("Remaining country ({side} side)").format(side=g.stay_label)
    names = [remaining] + [str(x) for x in plan.labels[1:]]
    for c in np.unique(country):
        if c == 0:
            continue
        members = np.flatnonzero(country == c)
        i = int(members[np.argmax(g.population[members])])
        names[c] = _short(str(g.names[i])) + (f", {where[i]}" if where is not None else "")
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    return [f"{n} ({plan.labels[c]})" if seen[n] > 1 and c > 0 else n for c, n in enumerate(names)]


def _match(plan: Plan, ref: CountryKey) -> dict[int, int]:
    """New country of ``plan`` -> the reference's new country holding most of its
    population, where that is more than half of it."""
    country = np.asarray(plan.country, dtype=np.int64)
    if len(ref.country) != len(country):
        return {}
    pop = np.asarray(plan.graph.population, dtype=np.float64)
    k, r = int(country.max()) + 1, int(ref.country.max()) + 1
    shared = np.zeros((k, r))
    np.add.at(shared, (country, ref.country), pop)
    out: dict[int, int] = {}
    taken: set[int] = set()
    for c in np.argsort(-shared.sum(axis=1)):
        if c == 0 or shared[c].sum() <= 0:
            continue
        best = int(np.argmax(shared[c, 1:])) + 1 if r > 1 else 0
        if best and best not in taken and shared[c, best] > 0.5 * shared[c].sum():
            out[int(c)] = best
            taken.add(best)
    return out


def country_key(plan: Plan, reference: CountryKey | None = None, lang: str = DEFAULT) -> CountryKey:
    """Colours and names of ``plan``'s countries (in ``lang``); with ``reference``, countries
    that persist keep the reference's colour and name."""
    k = len(plan.labels)
    g = touching(plan)
    names = short_names(plan, lang)
    fixed: dict[int, int] = {}
    if reference is not None:
        index = {c: i for i, c in enumerate(NEW_COLORS)}
        for c, rc in _match(plan, reference).items():
            if reference.colors[rc] in index:
                fixed[c] = index[reference.colors[rc]]
            names[c] = reference.names[rc]
        seen: dict[str, int] = {}
        for n in names:
            seen[n] = seen.get(n, 0) + 1
        names = [f"{n} ({plan.labels[c]})" if seen[n] > 1 and c else n for c, n in enumerate(names)]
    pop = np.bincount(np.asarray(plan.country), weights=plan.graph.population, minlength=k)
    fixed = dict(sorted(fixed.items(), key=lambda item: (-pop[item[0]], item[0])))
    colour = colour_graph(g, fixed)
    if colour and max(colour.values()) >= len(NEW_COLORS):
        # more than 11 colours would be needed (never on a map of real places so far): reuse
        # them in turn rather than fail; touching countries may then share a colour
        colour = {n: c % len(NEW_COLORS) for n, c in colour.items()}
    colors = [STAY_COLOR] + [NEW_COLORS[colour.get(c, (c - 1) % len(NEW_COLORS))] for c in
                             range(1, k)]  # fmt: skip
    return CountryKey(
        colors=colors,
        names=names,
        labels=[str(x) for x in plan.labels],
        country=np.asarray(plan.country, dtype=np.int64).copy(),
        population=np.asarray(plan.graph.population, dtype=np.float64),
    )
