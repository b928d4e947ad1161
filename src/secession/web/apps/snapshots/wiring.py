"""The built-in publishers: a ``community``, the ``site``'s index of communities and the
``registry`` of free peoples (:mod:`.registry`)."""

from __future__ import annotations

from typing import Any

from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.communities.territory import svg
from secession.web.apps.opendata.registry import datasets
from secession.web.apps.snapshots.build import Snapshot
from secession.web.apps.snapshots.publishers import Publisher, register_publisher
from secession.web.apps.snapshots.registry import PUBLISHER as REGISTRY

SITE_TITLE = "secession"


def _data_table(snap: Snapshot) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (ds.title, [(f"data/{ds.name}.{fmt}", fmt.upper()) for fmt in ds.formats])
        for ds in datasets(snap.scope)
    ]


def _rows(snap: Snapshot, name: str) -> list[dict[str, Any]]:
    return snap.data.get(name, {}).get("rows", [])


def _paged(snap: Snapshot, stem: str, template: str, rows: list, **context: Any) -> None:
    pages = snap.pages_of(rows, stem)
    for file, chunk, _ in pages:
        snap.page(file, template, rows=chunk, pages=pages, **context)


def community_pages(community, snap: Snapshot) -> None:
    row = _rows(snap, "community")[0]
    name = row["name"]
    snap.nav = [
        ("index.html", name),
        ("members.html", "Members"),
        ("proposals.html", "Proposals"),
        ("constitution.html", "Constitution"),
        ("audit.html", "Audit log"),
    ]
    common = {"site_title": name}
    drawing = svg(
        community.territory_geojson,
        community.territory_crs or "EPSG:4326",
        label=f"Territory of {name}",
        context=True,
    )
    if drawing:
        snap.write("territory.svg", drawing + "\n")
    members = _rows(snap, "memberships")
    versions = list(reversed(_rows(snap, "constitution")))
    entries = _rows(snap, "audit")
    snap.page(
        "index.html",
        "snapshots/community.html",
        title=name,
        community=row,
        territory=bool(drawing),
        active=sum(1 for m in members if not m["left_at"]),
        periods=len(members),
        proposals=len(_rows(snap, "proposals")),
        versions=len(versions),
        entries=len(entries),
        notice=snap.data["community"]["notice"],
        data=_data_table(snap),
        **common,
    )
    _paged(snap, "members", "snapshots/members.html", members, title=f"Members of {name}", **common)
    _paged(
        snap,
        "proposals",
        "snapshots/proposals.html",
        _rows(snap, "proposals"),
        title=f"Proposals of {name}",
        **common,
    )
    snap.page(
        "constitution.html",
        "snapshots/constitution.html",
        title=f"Constitution of {name}",
        rows=versions,
        pages=[],
        **common,
    )
    _paged(
        snap,
        "audit",
        "snapshots/audit.html",
        entries,
        title=f"Audit log of {name}",
        intro="The audit log's entries about this community, oldest first.",
        **common,
    )


def site_pages(site, snap: Snapshot) -> None:
    snap.nav = [("index.html", "Communities"), ("audit.html", "Audit log")]
    common = {"site_title": SITE_TITLE}
    snap.page(
        "index.html",
        "snapshots/site.html",
        title="Communities",
        rows=_rows(snap, "communities"),
        notice=snap.data["communities"]["notice"],
        data=_data_table(snap),
        **common,
    )
    _paged(
        snap,
        "audit",
        "snapshots/audit.html",
        _rows(snap, "audit"),
        title="The audit log",
        intro="Every entry of the platform's audit log, oldest first.",
        **common,
    )


def connect() -> None:
    register_publisher(
        Publisher(
            "community",
            pages=community_pages,
            entries=lambda c: AuditEntry.objects.filter(community_id=c.pk),
        )
    )
    register_publisher(
        Publisher(
            "site", pages=site_pages, entries=lambda site: AuditEntry.objects.all(), target="site"
        )
    )
    register_publisher(REGISTRY)
