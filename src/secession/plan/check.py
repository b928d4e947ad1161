"""An independent plan checker: every constraint and the objective, recomputed from raw arrays.

It shares no code with the solvers: pieces are found with ``scipy.sparse.csgraph`` on the
raw CSR arrays of the graph, so a solver bug cannot hide behind a shared helper.

Conventions (the solvers follow them too):

- ``country[i]`` is 0 for the remaining country, ``1..k`` for new countries.
- Contiguity is counted within each connected component of the input graph: a country may
  have one piece per input component (Alaska, Hawaii or an island is no break), and zero
  pieces in a component is fine.
- Consent ``t``: a leaving unit needs ``leave / (leave + stay) >= t``; a unit with no
  two-side votes has share 0 and may leave only when ``t <= 0``.
- Exclaves (``constraints.exclaves``): a new country's pieces other than its most
  populous one are its exclaves; ``none`` allows none, ``nearest`` allows an exclave
  whose nearest leaving piece (great-circle distance between outlines, ``graph.earth``)
  is of its own country, with that chain of nearest pieces ending at the main piece;
  ``any`` allows all. The remaining country may always keep exclaves.
- ``level``: units with the same ``graph.groups[level]`` label must share a country; then
  contiguity and consent are judged on the groups (two groups are adjacent when any of
  their units are; a group's consent share uses its summed votes), as the plan is made of
  whole groups.

Example
-------
>>> import numpy as np
>>> from secession.geo.graph import UnitGraph
>>> from secession.plan.model import PlanConstraints
>>> g = UnitGraph.from_edges(["a", "b", "c"], [5, 1, 4], [1, 4, 1], np.array([[0, 1], [1, 2]]))
>>> [found] = check_plan(g, PlanConstraints(), np.array([1, 0, 1]))
>>> found.kind, found.country, found.units
(<ViolationKind.SPLIT: 'split'>, 1, ('a', 'c'))
>>> messages([found])
['country 1 is split into 2 pieces in input component 0: [a], [c]']
>>> satisfied(g, np.array([1, 0, 0])), upper_bound(g)
(10.0, 13.0)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph
from secession.i18n import DEFAULT, gettext_for
from secession.plan.model import PlanConstraints

MAX_IDS_SHOWN = 8
MAX_MESSAGES_PER_KIND = 20
TOLERANCE = 1e-9


class ViolationKind(Enum):
    """The constraint a :class:`Violation` breaks."""

    LOCK_LEAVE = "lock_leave"  # a unit locked to leave stays
    LOCK_STAY = "lock_stay"  # a unit locked to stay leaves
    GROUP_DIVIDED = "group_divided"  # a group of ``level`` is in several countries
    SPLIT = "split"  # a country has several pieces in one input component (0: the rest)
    EXCLAVE = "exclave"  # an exclave the exclave policy forbids
    CONSENT = "consent"  # a unit leaves below the consent threshold
    MAX_COUNTRIES = "max_countries"  # more new countries than allowed
    MIN_POPULATION = "min_population"  # a new country below the minimum population


@dataclass(frozen=True)
class Violation:
    """One broken constraint: its ``kind``, the ``country`` it concerns (0 = the remaining
    country, ``None`` when it concerns no single country), the ``units`` it names (unit
    ids; group labels for the group-level kinds under ``level``) and a sentence."""

    kind: ViolationKind
    country: int | None
    units: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return self.message


def messages(violations: Iterable[Violation]) -> list[str]:
    """The sentences of ``violations``, in order (the checker's text form)."""
    return [v.message for v in violations]


def _ids(names: np.ndarray) -> tuple[str, ...]:
    return tuple(str(x) for x in names.tolist())


def satisfied(graph: UnitGraph, country: np.ndarray | Sequence[int]) -> float:
    """Leave-votes of leaving units plus stay-votes of staying units."""
    c = np.asarray(country).reshape(-1)
    leaves = c > 0
    return float(np.asarray(graph.leave)[leaves].sum() + np.asarray(graph.stay)[~leaves].sum())


def upper_bound(graph: UnitGraph) -> float:
    """Satisfied voters with every unit on its own majority side (no constraint)."""
    return float(np.maximum(np.asarray(graph.leave), np.asarray(graph.stay)).sum())


def _show(ids: np.ndarray, _: Callable[[str], str] = str) -> str:
    shown = ", ".join(str(x) for x in ids[:MAX_IDS_SHOWN])
    more = len(ids) - MAX_IDS_SHOWN
    tail = _(", ... {n} more").format(n=more) if more > 0 else ""
    return f"[{shown}{tail}]"


def _country_name(c: int, _: Callable[[str], str] = str) -> str:
    return _("the remaining country") if c == 0 else _("country {c}").format(c=c)


def _edges(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    n = len(indptr) - 1
    rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    return np.column_stack([rows, np.asarray(indices, dtype=np.int64)])


def _labels(n: int, edges: np.ndarray) -> np.ndarray:
    mat = sparse.coo_matrix(
        (np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n)
    )
    return connected_components(mat.tocsr(), directed=False)[1]


def _contiguity(
    edges: np.ndarray,
    country: np.ndarray,
    names: np.ndarray,
    check_new: bool,
    check_rest: bool,
    _: Callable[[str], str] = str,
) -> list[Violation]:
    """Countries with more than one piece inside one input component."""
    n = len(country)
    component = _labels(n, edges)
    same = country[edges[:, 0]] == country[edges[:, 1]]
    piece = _labels(n, edges[same])
    out: list[Violation] = []
    for c in np.unique(country).tolist():
        if (c == 0 and not check_rest) or (c > 0 and not check_new):
            continue
        members = np.flatnonzero(country == c)
        comp_of = component[members]
        for comp in np.unique(comp_of).tolist():
            in_comp = members[comp_of == comp]
            pieces, first = np.unique(piece[in_comp], return_index=True)
            if len(pieces) <= 1:
                continue
            # order pieces by their first unit so messages are stable
            order = np.argsort(in_comp[first])
            listing = ", ".join(
                _show(names[in_comp[piece[in_comp] == pieces[k]]], _) for k in order[:5]
            )
            more = "" if len(pieces) <= 5 else _(", ... {n} more pieces").format(n=len(pieces) - 5)
            out.append(
                Violation(
                    ViolationKind.SPLIT,
                    int(c),
                    _ids(names[in_comp]),
                    _(
                        "{country} is split into {n} pieces in input component {comp}: {pieces}"
                    ).format(country=_country_name(c, _), n=len(pieces), comp=comp, pieces=listing)
                    + more,
                )
            )
    return out


def _exclaves(
    graph: UnitGraph,
    edges: np.ndarray,
    country: np.ndarray,
    names: np.ndarray,
    policy: str,
    _: Callable[[str], str] = str,
) -> list[Violation]:
    """Exclaves of new countries that the policy forbids."""
    n = len(country)
    component = _labels(n, edges)
    same = (country[edges[:, 0]] == country[edges[:, 1]]) & (country[edges[:, 0]] > 0)
    piece = _labels(n, edges[same])
    pop = np.asarray(graph.population, dtype=np.float64)
    leaving = np.flatnonzero(country > 0)
    main_of: dict[int, int] = {}
    exclaves: list[int] = []
    for c in np.unique(country[leaving]).tolist():
        labs = np.unique(piece[country == c])
        if len(np.unique(component[country == c])) < 2:
            continue
        sizes = [(-pop[piece == q].sum(), int(np.flatnonzero(piece == q)[0])) for q in labs]
        order = sorted(range(len(labs)), key=lambda k: sizes[k])
        main_of[c] = int(labs[order[0]])
        exclaves += [int(labs[k]) for k in order[1:]]
    out: list[Violation] = []
    if not exclaves:
        return out
    if policy == "none":
        for q in exclaves:
            members = np.flatnonzero(piece == q)
            c = int(country[members[0]])
            out.append(
                Violation(
                    ViolationKind.EXCLAVE,
                    c,
                    _ids(names[members]),
                    _(
                        "country {c} lies on several landmasses (--exclaves none): exclave "
                        "{units} apart from its main piece"
                    ).format(c=c, units=_show(names[members], _)),
                )
            )
        return out
    if len(np.unique(country[leaving])) < 2:
        return out  # one new country: nearer to itself than to any other
    earth = graph.earth
    if earth is None:
        raise DataError("the exclave policy 'nearest' needs the units' coordinates (graph.earth)")
    nearest: dict[int, tuple[int, float]] = {}

    def step(q: int) -> tuple[int, float]:
        if q not in nearest:
            mine = np.flatnonzero(piece == q)
            rest = leaving[piece[leaving] != q]
            km, _unused, j = earth.nearest(mine, rest)
            nearest[q] = (int(piece[j]) if j >= 0 else -1, km)
        return nearest[q]

    for q in exclaves:
        members = np.flatnonzero(piece == q)
        c = int(country[members[0]])
        seen, at = set(), q
        while at != main_of[c]:
            nxt, km = step(at)
            if at in seen or nxt < 0 or int(country[np.flatnonzero(piece == nxt)[0]]) != c:
                other = -1 if nxt < 0 else int(country[np.flatnonzero(piece == nxt)[0]])
                whom = _("no measurable piece") if other < 0 else _country_name(other, _)
                own = earth.distance_km(members, np.flatnonzero((country == c) & (piece != q)))
                out.append(
                    Violation(
                        ViolationKind.EXCLAVE,
                        c,
                        _ids(names[members]),
                        _(
                            "country {c} has an exclave {units} {own} km from the rest of it, "
                            "but the nearest leaving piece on its way there belongs to {whom} "
                            "({km} km)"
                        ).format(
                            c=c,
                            units=_show(names[members], _),
                            own=f"{own:,.0f}",
                            whom=whom,
                            km=f"{km:,.0f}",
                        ),
                    )
                )
                break
            seen.add(at)
            at = nxt
    return out


def _indices_of(graph: UnitGraph, ids: Sequence[str], what: str) -> np.ndarray:
    pos = {str(u): i for i, u in enumerate(np.asarray(graph.ids).tolist())}
    missing = [str(u) for u in ids if str(u) not in pos]
    if missing:
        raise DataError(f"{what}: unknown unit id(s) {', '.join(missing[:10])}")
    return np.asarray([pos[str(u)] for u in ids], dtype=np.int64)


def check_plan(
    graph: UnitGraph,
    constraints: PlanConstraints,
    country: np.ndarray | Sequence[int],
    lang: str = DEFAULT,
) -> list[Violation]:
    """Every violated constraint of ``country`` (0 = stay, 1..k = new), named by unit ids.

    Returns an empty list for a valid plan (:func:`messages` gives the sentences, written in
    ``lang``; kinds, countries and units are the same in every language). Raises
    :class:`DataError` for a malformed assignment or constraints naming unknown ids or
    groups.
    """
    _ = gettext_for(lang)
    n = len(graph.ids)
    c = np.asarray(country)
    if c.shape != (n,):
        raise DataError(f"plan has {c.size} entries for {n} units")
    if c.dtype.kind == "f" and not np.all(c == np.round(c)):
        raise DataError("plan country numbers must be integers")
    c = c.astype(np.int64)
    if n and c.min() < 0:
        raise DataError(f"negative country number for unit {graph.ids[int(np.argmin(c))]}")
    ids = np.asarray(graph.ids, dtype=object)
    leave = np.asarray(graph.leave, dtype=np.float64)
    stay = np.asarray(graph.stay, dtype=np.float64)
    edges = _edges(np.asarray(graph.indptr), np.asarray(graph.indices))
    out: list[Violation] = []

    # ---- locks (unit level)
    lock_leave = _indices_of(graph, constraints.lock_leave, "lock_leave")
    for uid, i in zip(constraints.lock_leave, lock_leave, strict=True):
        if c[i] == 0:
            out.append(
                Violation(
                    ViolationKind.LOCK_LEAVE,
                    0,
                    (str(uid),),
                    _("unit {unit} is locked to leave but stays").format(unit=uid),
                )
            )
    lock_stay = _indices_of(graph, constraints.lock_stay, "lock_stay")
    for uid, i in zip(constraints.lock_stay, lock_stay, strict=True):
        if c[i] != 0:
            out.append(
                Violation(
                    ViolationKind.LOCK_STAY,
                    int(c[i]),
                    (str(uid),),
                    _("unit {unit} is locked to stay but joins country {c}").format(
                        unit=uid, c=c[i]
                    ),
                )
            )

    # ---- level: units of a group share a country; judge the rest on groups
    names, g_country, g_edges, g_leave, g_stay = ids, c, edges, leave, stay
    if constraints.level is not None:
        if constraints.level not in graph.groups:
            raise DataError(
                f"level {constraints.level!r} is not a grouping of this graph "
                f"(have: {', '.join(sorted(graph.groups)) or 'none'})"
            )
        labels = np.asarray(graph.groups[constraints.level]).astype(str)
        uniq, inv = np.unique(labels, return_inverse=True)
        k = len(uniq)
        for gi in range(k):
            members = np.flatnonzero(inv == gi)
            vals = np.unique(c[members])
            if len(vals) > 1:
                parts = "; ".join(
                    f"{_country_name(int(v), _)}: {_show(ids[members[c[members] == v]], _)}"
                    for v in vals
                )
                out.append(
                    Violation(
                        ViolationKind.GROUP_DIVIDED,
                        None,
                        _ids(ids[members]),
                        _("group {group} ({level}) is divided: {parts}").format(
                            group=uniq[gi], level=constraints.level, parts=parts
                        ),
                    )
                )
        first = np.zeros(k, dtype=np.int64)
        first[inv[::-1]] = np.arange(n)[::-1]
        names = uniq.astype(object)
        g_country = c[first]
        g_edges = inv[edges]
        g_edges = g_edges[g_edges[:, 0] != g_edges[:, 1]]
        g_leave = np.bincount(inv, weights=leave, minlength=k)
        g_stay = np.bincount(inv, weights=stay, minlength=k)

    # ---- contiguity
    out += _contiguity(
        g_edges, g_country, names, constraints.contiguous_new, constraints.contiguous_rest, _
    )[: MAX_MESSAGES_PER_KIND * 2]

    # ---- exclaves (judged on the units)
    if constraints.contiguous_new and constraints.exclaves != "any":
        out += _exclaves(graph, edges, c, ids, constraints.exclaves, _)[:MAX_MESSAGES_PER_KIND]

    # ---- consent
    if constraints.consent is not None:
        two = g_leave + g_stay
        share = np.divide(g_leave, two, out=np.zeros_like(two), where=two > 0)
        bad = np.flatnonzero((g_country > 0) & (share < constraints.consent - TOLERANCE))
        for i in bad[:MAX_MESSAGES_PER_KIND].tolist():
            out.append(
                Violation(
                    ViolationKind.CONSENT,
                    int(g_country[i]),
                    (str(names[i]),),
                    _(
                        "unit {unit} leaves with a leave share of {share}, below the consent "
                        "threshold {threshold}"
                    ).format(
                        unit=names[i], share=f"{share[i]:.4f}", threshold=f"{constraints.consent:g}"
                    ),
                )
            )
        if len(bad) > MAX_MESSAGES_PER_KIND:
            rest = bad[MAX_MESSAGES_PER_KIND:]
            out.append(
                Violation(
                    ViolationKind.CONSENT,
                    None,
                    _ids(names[rest]),
                    _("... {n} more units leave without consent").format(n=len(rest)),
                )
            )

    # ---- number and size of new countries
    present = np.unique(c[c > 0])
    if constraints.max_countries is not None and len(present) > constraints.max_countries:
        out.append(
            Violation(
                ViolationKind.MAX_COUNTRIES,
                None,
                (),
                _("{n} new countries, more than the maximum {most}").format(
                    n=len(present), most=constraints.max_countries
                ),
            )
        )
    if constraints.min_population > 0:
        pop = np.asarray(graph.population, dtype=np.float64)
        for k in present.tolist():
            members = np.flatnonzero(c == k)
            total = float(pop[members].sum())
            if total < constraints.min_population - TOLERANCE:
                out.append(
                    Violation(
                        ViolationKind.MIN_POPULATION,
                        int(k),
                        _ids(ids[members]),
                        _(
                            "country {c} has population {total}, below the minimum {most}: {units}"
                        ).format(
                            c=k,
                            total=f"{total:,.0f}",
                            most=f"{constraints.min_population:,.0f}",
                            units=_show(ids[members], _),
                        ),
                    )
                )
    return out
