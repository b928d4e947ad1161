"""The map of a place before any plan: the interactive map of :mod:`secession.maps` with
every unit on the side its majority voted for, shaded by margin, for choosing locked units
by clicking (the new-plan form). Drawn once per dataset, place and side, then served from
a file under ``PLANNER_RESULTS_DIR/.place-maps`` (written whole, then renamed into place),
one per language of the pages: its titles, legend and tooltips are in the reader's.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.web.analysis import analysis_language
from secession.web.apps.planner import storage
from secession.web.apps.planner.datasets import load_kwargs

#: The legend's names of the US county results' sides.
MAJORITIES = {
    "gop": gettext_lazy("Republican majority"),
    "dem": gettext_lazy("Democratic majority"),
}
#: Bump when the drawing changes, so maps cached on disk are drawn again.
DRAWING = 3


def cache_path(dataset: dict[str, Any], place: list[str], direction: str, lang: str) -> Path:
    kwargs = load_kwargs(dataset, place, direction)
    key = json.dumps({"drawing": DRAWING, "load": kwargs}, sort_keys=True, default=str)
    name = hashlib.sha256(key.encode()).hexdigest()[:32]
    return storage.results_root() / ".place-maps" / f"{name}.{lang}.html"


def place_map(dataset: dict[str, Any], place: list[str], direction: str) -> Path:
    """The file of the place's map (checked input: ``datasets.check_*``) in the page's
    language, drawn if new. The same states in any order are one map (one file): no
    reordering of a query makes the server draw and keep another."""
    place = sorted(place)
    lang = analysis_language()
    path = cache_path(dataset, place, direction, lang)
    if path.is_file():
        return path
    html = render(dataset, place, direction, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.partial")
    partial.write_text(html, encoding="utf-8")
    partial.replace(path)  # two drawers of the same map write the same bytes
    return path


def render(dataset: dict[str, Any], place: list[str], direction: str, lang: str) -> str:
    """The interactive map's HTML in ``lang`` (the analysis texts; the titles in the
    active language): each unit on its majority's side (country 1: the side that
    leaves), named as such, so nothing is stranded and nothing is a plan."""
    from dataclasses import replace

    from secession.geo.load import load_graph
    from secession.maps import map_data
    from secession.maps.interactive import render_html
    from secession.maps.mapdata import rekey
    from secession.plan.metrics import satisfied_voters
    from secession.plan.model import Plan

    graph = load_graph(**load_kwargs(dataset, place, direction)).graph
    country = (graph.leave > graph.stay).astype(np.int64)
    best = satisfied_voters(graph, country)
    majority = Plan(graph, country, ["stay", "1"], best, best, best, False, "none", 0.0)
    where = ", ".join(place) if place else _("the whole country")
    data = map_data(
        majority,
        title=_("{where}: where each side won").format(where=where),
        subtitle=_(
            "Each unit in the colour of the side its voters chose, pale for a close vote. "
            "Click units to lock them."
        ),
        lang=lang,
    )
    names = [_majority(graph.stay_label), _majority(graph.leave_label)]
    data = rekey(data, replace(data.key, names=names[: len(data.key.names)]))
    return render_html(replace(data, present=sorted(set(country.tolist()))))


def _majority(label: str) -> str:
    if label in MAJORITIES:
        return str(MAJORITIES[label])
    return _("{side} majority").format(side=label)
