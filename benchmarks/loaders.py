"""The benchmarks' shared instances: the real graphs every benchmark reads the same way.

All read ``SECESSION_DATA`` (or the download cache) through :mod:`secession.geo`; a missing
folder or file raises :class:`secession.exceptions.DataError` naming it.

- :func:`national`: 2020 US county results joined to their boundaries (3,152 units, rook
  adjacency and the documented water links), ``leave = dem``;
- :func:`state_splits`: every state of a national graph, split both ways;
- :func:`pa_vtd`: the Pennsylvania voting districts (9,059 units, ``VoteA`` leaves);
- :func:`nh_wards`: New Hampshire wards (320, PRES16 D/R);
- :func:`ar_units`: Arkansas 2,525 units (``ARV2016PRE`` Clinton, ``ARV2016P_1`` Trump).
"""

from __future__ import annotations

from typing import Any

__all__ = ["ar_units", "data_file", "load", "national", "nh_wards", "pa_vtd", "state_splits"]


def load(**kwargs: Any):
    """``secession.geo.load.load_graph(**kwargs).graph``."""
    from secession.geo.load import load_graph

    return load_graph(**kwargs).graph


def data_file(relative: str) -> str:
    """A file of the data folder, by its path inside it."""
    from secession.settings import data_file as find

    return str(find(relative))


def national():
    """The 2020 US county graph (leave = dem)."""
    return load()


def state_splits(graph, states: list[str] | tuple[str, ...] = ()) -> list[tuple[str, str, Any]]:
    """``(state, leaving side, graph)`` for every state (or those listed), both directions."""
    codes = sorted(set(graph.groups["state"].tolist()))
    if states:
        codes = [c for c in codes if c in states]
    out = []
    for code in codes:
        sub = graph.subgraph(graph.groups["state"] == code)
        out.append((code, graph.leave_label, sub))
        out.append((code, graph.stay_label, sub.swapped()))
    return out


def pa_vtd():
    """Pennsylvania's 9,059 voting districts (``VoteA`` leaves, ``POP100`` population)."""
    return load(
        graph=data_file("graphs/pa-vtd-9059.json"),
        leave_col="VoteA",
        stay_col="VoteB",
        population_col="POP100",
    )


def nh_wards():
    """New Hampshire's 320 wards, 2016 presidential votes (D leaves)."""
    return load(
        units=data_file("nh-wards/NH.zip"),
        id_col="Precinct",
        leave_col="PRES16D",
        stay_col="PRES16R",
        population_col="TOTPOP",
    )


def ar_units():
    """Arkansas 2,525 units: ``ARV2016PRE`` (Clinton) leaves, ``ARV2016P_1`` (Trump) stays;
    their sums are the two candidates' official statewide totals (380,494 and 684,872)."""
    return load(
        graph=data_file("graphs/ar-2525.json"),
        leave_col="ARV2016PRE",
        stay_col="ARV2016P_1",
        population_col="POP10",
    )
