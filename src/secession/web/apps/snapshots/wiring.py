"""The built-in publishers: a ``community``, the ``site``'s index of communities and the
``registry`` of free peoples (:mod:`.registry`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.communities.territory import svg
from secession.web.apps.snapshots.build import Snapshot
from secession.web.apps.snapshots.publishers import Publisher, register_publisher
from secession.web.apps.snapshots.registry import PUBLISHER as REGISTRY

SITE_TITLE = "secession"


def _rows(snap: Snapshot, name: str) -> list[dict[str, Any]]:
    return snap.data.get(name, {}).get("rows", [])


def _paged(snap: Snapshot, stem: str, template: str, rows: list, **context: Any) -> None:
    pages = snap.pages_of(rows, stem)
    for file, chunk, _n in pages:
        snap.page(file, template, rows=chunk, pages=pages, **context)


def community_pages(community, snap: Snapshot) -> None:
    row = _rows(snap, "community")[0]
    name = row["name"]
    snap.nav = [
        ("index.html", name),
        ("members.html", _("Members")),
        ("proposals.html", _("Proposals")),
        ("constitution.html", _("Constitution")),
        ("audit.html", _("Audit log")),
    ]
    common = {"site_title": name}
    drawing = svg(
        community.territory_geojson,
        community.territory_crs or "EPSG:4326",
        label=_("Territory of {name}").format(name=name),
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
        notice=snap.notice(_("the community {name}").format(name=name)),
        data=snap.data_table(),
        **common,
    )
    _paged(
        snap,
        "members",
        "snapshots/members.html",
        members,
        title=_("Members of {name}").format(name=name),
        **common,
    )
    _paged(
        snap,
        "proposals",
        "snapshots/proposals.html",
        _rows(snap, "proposals"),
        title=_("Proposals of {name}").format(name=name),
        **common,
    )
    snap.page(
        "constitution.html",
        "snapshots/constitution.html",
        title=_("Constitution of {name}").format(name=name),
        rows=versions,
        pages=[],
        **common,
    )
    _paged(
        snap,
        "audit",
        "snapshots/audit.html",
        entries,
        title=_("Audit log of {name}").format(name=name),
        intro=_("The audit log's entries about this community, oldest first."),
        **common,
    )


def site_pages(site, snap: Snapshot) -> None:
    snap.nav = [("index.html", _("Communities")), ("audit.html", _("Audit log"))]
    common = {"site_title": SITE_TITLE}
    snap.page(
        "index.html",
        "snapshots/site.html",
        title=_("Communities"),
        rows=_rows(snap, "communities"),
        notice=snap.notice(_("this secession platform")),
        data=snap.data_table(),
        **common,
    )
    _paged(
        snap,
        "audit",
        "snapshots/audit.html",
        _rows(snap, "audit"),
        title=_("The audit log"),
        intro=_("Every entry of the platform's audit log, oldest first."),
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
