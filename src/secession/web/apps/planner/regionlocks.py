"""Locked units and a drawn region: which locked units lie outside the region, so the
new-plan form and the API refuse them at once instead of the job failing later; and which
units of the place lie inside it, so the lock map greys the others before any click.

A unit is inside when :func:`secession.geo.region.inside` finds its point
(:func:`secession.geo.region.graph_points`) inside the region: the definition
``load_graph(region=...)`` keeps units by. The points of a place (its ids, names and
points, before any region) are computed once per dataset and place, then read from a file
under ``PLANNER_RESULTS_DIR/.place-points`` (written whole, then renamed into place), as
the place maps are.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from secession.web.apps.planner import storage
from secession.web.apps.planner.datasets import load_kwargs

#: Bump when the points change, so files cached on disk are computed again.
POINTS = 1
#: What ``load_graph`` is given that moves no unit's point (not part of the file's key).
NOT_IN_KEY = ("leave", "water_links")


@dataclass(frozen=True)
class PlacePoints:
    """The units of a place: ids, names and ``(lon, lat)`` points (``nan``: none)."""

    ids: np.ndarray
    names: np.ndarray
    points: np.ndarray


def cache_path(dataset: dict[str, Any], place: list[str], direction: str) -> Path:
    kwargs = {
        k: v for k, v in load_kwargs(dataset, place, direction).items() if k not in NOT_IN_KEY
    }
    key = json.dumps({"points": POINTS, "load": kwargs}, sort_keys=True, default=str)
    name = hashlib.sha256(key.encode()).hexdigest()[:32]
    return storage.results_root() / ".place-points" / f"{name}.npz"


def place_points(dataset: dict[str, Any], place: list[str], direction: str) -> PlacePoints:
    """The place's points (checked input: ``datasets.check_*``), computed if new."""
    path = cache_path(dataset, place, direction)
    if path.is_file():
        with np.load(path, allow_pickle=False) as f:
            return PlacePoints(f["ids"].astype(object), f["names"].astype(object), f["points"])
    from secession.geo.load import load_graph
    from secession.geo.region import graph_points

    graph = load_graph(**load_kwargs(dataset, place, direction)).graph
    points = graph_points(graph)
    if points is None:
        points = np.full((graph.n_units, 2), np.nan)
    found = PlacePoints(graph.ids, graph.names, points)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    with partial.open("wb") as out:
        np.savez_compressed(
            out,
            ids=np.asarray(graph.ids.tolist(), dtype=str),
            names=np.asarray(graph.names.tolist(), dtype=str),
            points=points,
        )
    partial.replace(path)  # two writers of the same place write the same bytes
    return found


@dataclass(frozen=True)
class Outside:
    """Locked ids the region leaves out: those whose point is outside it (``"id"``,
    ``"name"``), and those that are no unit of the place at all."""

    outside: list[tuple[str, str]]
    unknown: list[str]


def _kept(points: np.ndarray, region: dict) -> np.ndarray:
    """Which ``(lon, lat)`` points the drawn region keeps: ``load_graph(region=...)``'s test."""
    from secession.geo.region import as_region, inside

    return inside(points.reshape(-1, 2), as_region(region).shape)


def outside_region(
    dataset: dict[str, Any], place: list[str], direction: str, region: dict, ids
) -> Outside:
    """Which of ``ids`` the drawn ``region`` (checked GeoJSON geometry) does not keep."""
    wanted = list(dict.fromkeys(str(i) for i in ids))
    if not wanted:
        return Outside([], [])
    found = place_points(dataset, place, direction)
    where = {u: i for i, u in enumerate(found.ids.tolist())}
    known = [u for u in wanted if u in where]
    rows = np.asarray([where[u] for u in known], dtype=np.int64)
    keep = _kept(found.points[rows], region)
    out = [(u, str(found.names[i])) for u, i, k in zip(known, rows, keep, strict=True) if not k]
    return Outside(out, [u for u in wanted if u not in where])


@dataclass(frozen=True)
class Split:
    """Every unit of a place, by whether the drawn region keeps it (ids, in the place's
    order)."""

    inside: list[str]
    outside: list[str]


def split_by_region(
    dataset: dict[str, Any], place: list[str], direction: str, region: dict
) -> Split:
    """The place's units inside and outside the drawn ``region`` (checked GeoJSON
    geometry): the same test as :func:`outside_region`, on every unit at once."""
    found = place_points(dataset, place, direction)
    keep = _kept(found.points, region)
    ids = [str(u) for u in found.ids.tolist()]
    return Split(
        [u for u, k in zip(ids, keep, strict=True) if k],
        [u for u, k in zip(ids, keep, strict=True) if not k],
    )
