"""A finished plan as the edit-by-hand page needs it: its graph and its assignment.

The graph is loaded as the job loaded it (:func:`datasets.load_kwargs`) and kept in this
process for the next check (``PLANNER_GRAPH_CACHE`` graphs, least recently used first
out); the assignment is read from the job's ``assignment.csv``, its labels from
``summary.json``.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.utils.translation import gettext as _

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph
from secession.plan import edit
from secession.web.analysis import analysis_language
from secession.web.apps.planner import storage
from secession.web.apps.planner.datasets import load_kwargs
from secession.web.apps.planner.models import PlanJob
from secession.web.apps.planner.tasks import constraints_from

_graphs: OrderedDict[str, UnitGraph] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True)
class Finished:
    """A done plan: its graph, country per unit and country labels (``labels[0]`` stay)."""

    graph: UnitGraph
    country: np.ndarray
    labels: list[str]


def graph_of(job: PlanJob) -> UnitGraph:
    """The job's unit graph (cached in this process by what was loaded)."""
    from secession.geo.load import load_graph

    kwargs = load_kwargs(job.dataset, job.place, job.direction, job.region)
    key = json.dumps(kwargs, sort_keys=True, default=str)
    with _lock:
        if key in _graphs:
            _graphs.move_to_end(key)
            return _graphs[key]
    graph = load_graph(**kwargs).graph
    with _lock:
        _graphs[key] = graph
        while len(_graphs) > int(getattr(settings, "PLANNER_GRAPH_CACHE", 4)):
            _graphs.popitem(last=False)
    return graph


def finished(job: PlanJob) -> Finished:
    """The done plan ``job`` read back from its stored result."""
    path = storage.result_file(job, "assignment.csv")
    summary = storage.result_file(job, "summary.json")
    if job.status != PlanJob.Status.DONE or path is None or summary is None:
        raise DataError(_("the plan has no result to edit yet"))
    graph = graph_of(job)
    rows = [r["label"] for r in json.loads(summary.read_text(encoding="utf-8"))["countries"]]
    labels = [str(x) for x in rows]
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    index = {label: c for c, label in enumerate(labels)}
    by_unit = dict(zip(table["unit_id"], table["country"], strict=True))
    try:
        country = np.asarray([index[by_unit[str(u)]] for u in graph.ids.tolist()], np.int64)
    except KeyError as exc:
        raise DataError(
            _("the stored plan does not match its dataset (unit {unit})").format(unit=exc)
        ) from None
    return Finished(graph, country, labels)


def check(job: PlanJob, moves: dict[str, Any]) -> dict[str, Any]:
    """``secession.plan.edit.check_moves`` on the done plan ``job`` (JSON-ready)."""
    done = finished(job)
    limit = int(getattr(settings, "PLANNER_MAX_MOVES", edit.MAX_MOVES))
    if isinstance(moves, dict) and len(moves) > limit:
        raise DataError(_("{n} moves: at most {limit} at once").format(n=len(moves), limit=limit))
    found = edit.check_moves(
        done.graph,
        constraints_from(job.constraints),
        done.country,
        moves,
        done.labels,
        lang=analysis_language(),
    )
    found.pop("country")
    return found


def flip_all(unit_ids: list[str]) -> dict[str, str]:
    """Moves putting each of ``unit_ids`` on the other side (the edit form's input)."""
    return dict.fromkeys(unit_ids, edit.OTHER)


def new_countries(job: PlanJob) -> list[tuple[str, list[str]]]:
    """(label, unit ids) of each new country of the done plan, read from its assignment."""
    path = storage.result_file(job, "assignment.csv")
    if job.status != PlanJob.Status.DONE or path is None:
        return []
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table = table[table["country"] != "stay"]
    return [(str(k), sorted(g["unit_id"].tolist())) for k, g in table.groupby("country")]
