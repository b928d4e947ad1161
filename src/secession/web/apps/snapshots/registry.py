"""The ``registry`` publisher: a static copy of the registry of free peoples.

Pages: the declared peoples with their status under the recognition rule (``index.html``),
every declaration (``declarations.html``, one ``declaration-ID.html`` each, superseded ones
included), each people's recognitions given and received and the map as it sees them
(``people-SLUG.html``), every recognition with its history (``recognitions.html``), the
recognition graph (``graph.html``), the audit entries behind them (``audit.html``); the
world map as ``secession world-map`` draws it (``world-map.html`` self-contained, ``.svg``,
``.png``, its document ``.json`` and ``-checks.json``).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from secession.maps.world.doc import parse_world_doc
from secession.maps.world.render import place_peoples, render_world_map
from secession.web.analysis import analysis_language
from secession.web.apps.communities.territory import svg
from secession.web.apps.registry.actions import recognition_rule
from secession.web.apps.registry.graph import ALLIANCE, Node, graph_svg
from secession.web.apps.registry.models import Declaration
from secession.web.apps.registry.opendata import entries
from secession.web.apps.snapshots.build import Snapshot
from secession.web.apps.snapshots.publishers import Publisher

TITLE = gettext_noop("Registry of free peoples")
MAP = "world-map"
GRAPH_NODES = 120


def _rows(snap: Snapshot, name: str) -> list[dict[str, Any]]:
    return snap.data.get(name, {}).get("rows", [])


def people_file(slug: str) -> str:
    return f"people-{slug}.html"


def declaration_file(pk: int) -> str:
    return f"declaration-{pk}.html"


def _world_map(snap: Snapshot) -> list[str]:
    """Draw the registry's world document as ``secession world-map`` does, and copy its
    files in; returns the notes of the drawing (peoples that could not be drawn)."""
    doc = parse_world_doc(snap.data["world"], "the registry")
    with tempfile.TemporaryDirectory(prefix="secession-map-") as tmp:
        written, wm = render_world_map(
            doc, Path(tmp), placed=place_peoples(doc), lang=analysis_language()
        )
        for path in sorted(written):
            snap.write(path.name, path.read_bytes())
    return list(wm.layout.notes)


def _graph(snap: Snapshot, peoples: list[dict], recognitions: list[dict]) -> str:
    shown = peoples[:GRAPH_NODES]
    keys = {p["slug"] for p in shown}
    nodes = [Node(("p", p["slug"]), p["name"], p["status"], people_file(p["slug"])) for p in shown]
    edges = []
    for r in recognitions:
        if r["withdrawn_at"] is not None or r["recognised_slug"] not in keys:
            continue
        if r["recogniser_type"] == "community" and r["recogniser_slug"] in keys:
            edges.append((("p", r["recogniser_slug"]), ("p", r["recognised_slug"])))
        elif r["recogniser_type"] != "community":
            key = (r["recogniser_type"], r["recogniser_id"])
            if key not in {n.key for n in nodes}:
                nodes.append(Node(key, r["recogniser"], ALLIANCE, "recognitions.html"))
            edges.append((key, ("p", r["recognised_slug"])))
    return graph_svg(nodes, edges, _("Who recognises whom"))


def registry_pages(subject, snap: Snapshot) -> None:
    snap.nav = [
        ("index.html", _("Peoples")),
        ("declarations.html", _("Declarations")),
        ("recognitions.html", _("Recognitions")),
        ("graph.html", _("Recognition graph")),
        (f"{MAP}.html", _("World map")),
        ("audit.html", _("Audit log")),
    ]
    title = _(TITLE)
    common = {"site_title": title}
    rule = recognition_rule()
    # what is still missing in the pages' language (the data file keeps its own words)
    peoples = [
        {
            **p,
            "missing": "; ".join(
                rule.shortfall(
                    peoples=p["recognised_by_peoples"],
                    members=p["recognisers_members"],
                    alliances=p["recognised_by_alliances"],
                )
            ),
        }
        for p in _rows(snap, "peoples")
    ]
    declarations = _rows(snap, "declarations")
    recognitions = _rows(snap, "recognitions")
    notes = _world_map(snap)
    snap.page(
        "index.html",
        "snapshots/registry.html",
        title=title,
        rows=peoples,
        rule=rule.describe(),
        notes=notes,
        notice=snap.notice(_("the registry of free peoples")),
        data=snap.data_table(),
        **common,
    )
    pages = snap.pages_of(declarations, "declarations")
    for file, chunk, _n in pages:
        snap.page(
            file,
            "snapshots/declarations.html",
            title=_("Declarations"),
            rows=chunk,
            pages=pages,
            **common,
        )
    texts = {
        d.pk: d
        for d in Declaration.objects.only(
            "pk", "territory_geojson", "territory_crs", "people_name"
        ).order_by("pk")
    }
    entries_by_seq = {e["seq"]: e for e in _rows(snap, "audit")}
    for row in declarations:
        d = texts.get(row["id"])
        drawing = ""
        if d is not None and d.territory_geojson:
            drawing = svg(
                d.territory_geojson,
                d.territory_crs or "EPSG:4326",
                label=_("Territory of {name}").format(name=d.people_name),
                context=True,
            )
        snap.page(
            declaration_file(row["id"]),
            "snapshots/declaration.html",
            title=row["title"],
            d=row,
            territory=mark_safe(drawing),  # built from numbers only; the label is escaped
            vote_entry=entries_by_seq.get(row["vote_entry"]),
            pages=[],
            **common,
        )
    views = _points_of_view(snap, peoples)
    for p in peoples:
        slug = p["slug"]
        snap.page(
            people_file(slug),
            "snapshots/people.html",
            title=p["name"],
            p=p,
            by=[r for r in recognitions if r["recognised_slug"] == slug],
            of=[
                r
                for r in recognitions
                if r["recogniser_type"] == "community" and r["recogniser_slug"] == slug
            ],
            earlier=[d for d in declarations if d["people_slug"] == slug and not d["current"]],
            view=views[slug],
            pages=[],
            **common,
        )
    pages = snap.pages_of(recognitions, "recognitions")
    for file, chunk, _n in pages:
        snap.page(
            file,
            "snapshots/recognitions.html",
            title=_("Recognitions"),
            rows=chunk,
            pages=pages,
            **common,
        )
    snap.page(
        "graph.html",
        "snapshots/graph.html",
        title=_("Who recognises whom"),
        graph=mark_safe(_graph(snap, peoples, recognitions)),  # names escaped
        shown=min(len(peoples), GRAPH_NODES),
        total=len(peoples),
        pages=[],
        **common,
    )
    pages = snap.pages_of(_rows(snap, "audit"), "audit")
    for file, chunk, _n in pages:
        snap.page(
            file,
            "snapshots/audit.html",
            title=_("The audit entries behind the registry"),
            intro=_(
                "Every entry that published a declaration or made or withdrew a "
                "recognition, and the closing entry of each vote a declaration records, "
                "oldest first."
            ),
            rows=chunk,
            pages=pages,
            **common,
        )


def _points_of_view(snap: Snapshot, peoples: list[dict]) -> dict[str, list[dict]]:
    """Per people: each declared people and whether it is recognised as that people sees
    it (the peoples it recognises, and itself)."""
    active: dict[str, set[str]] = {p["slug"]: {p["slug"]} for p in peoples}
    for r in _rows(snap, "recognitions"):
        if r["withdrawn_at"] is None and r["recogniser_type"] == "community":
            active.setdefault(r["recogniser_slug"], set()).add(r["recognised_slug"])
    return {
        viewer: [
            {"name": p["name"], "file": people_file(p["slug"]), "recognised": p["slug"] in seen}
            for p in peoples
        ]
        for viewer, seen in active.items()
    }


PUBLISHER = Publisher(
    "registry", pages=registry_pages, entries=lambda subject: entries(), target="registry"
)
