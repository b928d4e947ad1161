"""``units.json``: what a map needs beyond the plan's contract files, so it can be redrawn.

``plan.geojson`` carries each unit's shape, leave/stay votes and population, but not its
other votes, its groupings (the state outlines of a county map) or the adjacency, and not a
title given by the caller. :func:`write_sidecar` stores them next to the maps;
:func:`read_sidecar` gives them back to ``secession map DIR``, which then draws the same maps
as the first time.

Without the file (a folder written with ``--no-maps``) the redraw falls back to what it can
rebuild: the state of a US county from its FIPS code, and no other votes.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph

SIDECAR = "units.json"
FORMAT = "secession-map-units/1"


def _num(x: float) -> float | int | None:
    x = float(x)
    if math.isnan(x):
        return None
    return int(x) if x.is_integer() else x


def write_sidecar(
    graph: UnitGraph, out_dir: str | Path, *, title: str | None, subtitle: str | None
) -> Path:
    """Write ``out_dir/units.json`` for ``graph`` (the title and subtitle as given, or null)."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "about": "written by secession with the maps; `secession map DIR` reads it to redraw",
        "title": title,
        "subtitle": subtitle,
        "unit_id": [str(i) for i in graph.ids],
        "other": [_num(v) for v in graph.other],
        "groups": {
            str(k): [str(v) for v in np.asarray(vals, dtype=object)]
            for k, vals in graph.groups.items()
        },
        "edges": graph.edges().astype(int).tolist(),
    }
    path = Path(out_dir) / SIDECAR
    path.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")
    return path


def read_sidecar(folder: str | Path, ids: list[str]) -> dict[str, Any] | None:
    """The sidecar of ``folder`` reordered to ``ids`` (the order of ``plan.geojson``):
    ``title``, ``subtitle``, ``other`` (array), ``groups`` (dict of arrays), ``edges``
    (index pairs into ``ids``). ``None`` when the folder has no sidecar."""
    path = Path(folder) / SIDECAR
    if not path.is_file():
        return None
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise DataError(f"{path}: not a {FORMAT} file")
    if not isinstance(doc.get("unit_id"), list):
        raise DataError(f"{path}: unit_id must list the unit ids")
    if not isinstance(doc.get("groups") or {}, dict):
        raise DataError(f"{path}: groups must map each grouping's name to one value per unit")
    own = [str(i) for i in doc["unit_id"]]
    if sorted(own) != sorted(ids):
        raise DataError(
            f"{path}: lists different units from plan.geojson "
            f"({len(own)} against {len(ids)}); the folder mixes different plans"
        )
    pos = {u: k for k, u in enumerate(own)}
    order = np.asarray([pos[u] for u in ids], dtype=np.int64)
    n = len(ids)

    def column(values: Any, what: str) -> np.ndarray:
        if not isinstance(values, list) or len(values) != n:
            raise DataError(f"{path}: {what} must list one value per unit")
        return np.asarray(values, dtype=object)[order]

    try:
        other = np.asarray(
            [math.nan if v is None else float(v) for v in column(doc.get("other"), "other")],
            dtype=np.float64,
        )
    except (TypeError, ValueError):
        raise DataError(f"{path}: other must list a number (or null) per unit") from None
    groups = {
        str(k): column(v, f"group {k!r}").astype(str).astype(object)
        for k, v in (doc.get("groups") or {}).items()
    }
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    try:
        edges = np.asarray(doc.get("edges") or [], dtype=np.int64).reshape(-1, 2)
    except (TypeError, ValueError):
        raise DataError(f"{path}: edges must be pairs of unit indices") from None
    if len(edges) and (edges.min() < 0 or edges.max() >= n):
        raise DataError(f"{path}: an edge names a unit index outside 0..{n - 1}")
    return {
        "title": doc.get("title"),
        "subtitle": doc.get("subtitle"),
        "other": other,
        "groups": groups,
        "edges": inverse[edges] if len(edges) else edges,
    }


def fips_states(ids: list[str], meta: dict[str, Any]) -> dict[str, np.ndarray]:
    """Fallback groupings for US county results with no sidecar: the state of each county
    from its FIPS code (empty when the ids are not all county FIPS codes)."""
    from secession.geo.states import state_of_fips

    if not str(meta.get("layout", "")).startswith("us-county"):
        return {}
    states = [state_of_fips(i) if len(i) == 5 and i.isdigit() else None for i in ids]
    if any(s is None for s in states):
        return {}
    return {
        "state": np.asarray([s.code for s in states], dtype=object),
        "state_name": np.asarray([s.name for s in states], dtype=object),
    }
