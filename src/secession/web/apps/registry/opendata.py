"""The registry's exports: the ``registry`` scope (one subject, ``all``): declared peoples
with their status, every declaration, every recognition with its history, the recognition
rule, the world-map document, a Popolo document and the audit entries that back them.

Pure functions of the database in a stable order (no time of export written anywhere), so
a snapshot of the same database is the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_noop

from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.audit.opendata import COLUMNS as AUDIT_COLUMNS
from secession.web.apps.audit.opendata import entry_rows
from secession.web.apps.communities.opendata import territory_geometry
from secession.web.apps.opendata.registry import Dataset, Scope, register_dataset, register_scope
from secession.web.apps.proposals import popolo
from secession.web.apps.proposals.models import Proposal
from secession.web.apps.proposals.popolo import _motion as motion
from secession.web.apps.proposals.popolo import _vote_event as vote_event
from secession.web.apps.registry import events
from secession.web.apps.registry.actions import recognition_rule
from secession.web.apps.registry.models import Declaration, Recognition
from secession.web.apps.registry.present import ALBERS_USA, linked, standings, world_document
from secession.web.apps.registry.recognisers import COMMUNITY, lookup

SCOPE = "registry"
KEY = "all"
SOURCE = "the registry of free peoples"
ACTIONS = (events.DECLARATION_PUBLISHED, events.RECOGNISED, events.RECOGNITION_WITHDRAWN)

PEOPLE_COLUMNS = (
    "slug",
    "name",
    "status",
    "indigenous",
    "declaration",
    "declaration_kind",
    "declared_at",
    "recognised_by_peoples",
    "recognisers_members",
    "recognised_by_alliances",
    "missing",
)
DECLARATION_COLUMNS = (
    "id",
    "kind",
    "people",
    "people_slug",
    "people_id",
    "indigenous",
    "title",
    "text",
    "published_at",
    "separates_from",
    "land",
    "claimed_by",
    "proposal",
    "yes",
    "no",
    "abstain",
    "vote_entry",
    "vote_leaf_hash",
    "supersedes",
    "current",
)
RECOGNITION_COLUMNS = (
    "id",
    "recogniser_type",
    "recogniser_id",
    "recogniser",
    "recogniser_slug",
    "recognised",
    "recognised_id",
    "recognised_slug",
    "recognised_at",
    "proposal",
    "decision",
    "audit_seq",
    "withdrawn_at",
    "withdrawal_proposal",
    "withdrawal_decision",
    "withdrawal_audit_seq",
)


class _Registry:
    """The one subject of the ``registry`` scope."""

    key = KEY

    def __repr__(self) -> str:
        return SCOPE


REGISTRY = _Registry()


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def _declarations():
    return Declaration.objects.select_related("community", "superseded_by").order_by("id")


def people_rows(subject=None) -> Iterator[dict[str, Any]]:
    current = Declaration.objects.current().select_related("community")
    for s in standings(current.order_by("people_name", "id")):
        d = s.declaration
        yield {
            "slug": d.community.slug,
            "name": d.community.name,
            "status": s.status,
            "indigenous": d.indigenous,
            "declaration": d.pk,
            "declaration_kind": d.kind,
            "declared_at": _when(d.published_at),
            "recognised_by_peoples": s.peoples,
            "recognisers_members": s.members,
            "recognised_by_alliances": s.alliances,
            "missing": "; ".join(s.shortfall),
        }


def declaration_row(d: Declaration) -> dict[str, Any]:
    totals = (d.vote or {}).get("totals") or {}
    return {
        "id": d.pk,
        "kind": d.kind,
        "people": d.people_name,
        "people_slug": d.community.slug,
        "people_id": d.community_id,
        "indigenous": d.indigenous,
        "title": d.title,
        "text": d.text,
        "published_at": _when(d.published_at),
        "separates_from": d.separates_from,
        "land": d.land,
        "claimed_by": d.claimed_by,
        "proposal": d.proposal_id,
        "yes": totals.get("yes"),
        "no": totals.get("no"),
        "abstain": totals.get("abstain"),
        "vote_entry": d.audit_seq,
        "vote_leaf_hash": d.audit_leaf_hash,
        "supersedes": d.supersedes_id,
        "current": getattr(d, "superseded_by", None) is None,
    }


def declaration_rows(subject=None) -> Iterator[dict[str, Any]]:
    for d in _declarations().iterator(chunk_size=500):
        yield declaration_row(d)


def recognition_row(r: Recognition) -> dict[str, Any]:
    """A recognition (passed through ``present.add_links``) as a flat row."""
    return {
        "id": r.pk,
        "recogniser_type": r.recogniser_type,
        "recogniser_id": r.recogniser_id,
        "recogniser": r.recogniser_name,
        "recogniser_slug": r.recogniser_slug,
        "recognised": r.recognised.name,
        "recognised_id": r.recognised_id,
        "recognised_slug": r.recognised.slug,
        "recognised_at": _when(r.recognised_at),
        "proposal": r.proposal_id,
        "decision": r.decision,
        "audit_seq": r.audit_seq,
        "withdrawn_at": _when(r.withdrawn_at),
        "withdrawal_proposal": r.withdrawal_proposal_id,
        "withdrawal_decision": r.withdrawal_decision,
        "withdrawal_audit_seq": r.withdrawal_audit_seq,
    }


def recognition_rows(subject=None) -> Iterator[dict[str, Any]]:
    rows = Recognition.objects.select_related("recognised", "recogniser_community").order_by(
        "recognised_at", "id"
    )
    for r in linked(rows.iterator(chunk_size=500)):
        yield recognition_row(r)


def world(subject=None, *, as_people=None) -> dict[str, Any]:
    """The world-map document, with no time in it (the registry's state is the snapshot's
    audit head)."""
    doc = world_document(as_people=as_people)
    doc["source"] = SOURCE
    return doc


def entries():
    """The audit entries that back the registry: every declaration, recognition and
    withdrawal, and the closing entry of each vote a declaration was published by."""
    votes = Declaration.objects.values_list("audit_seq", flat=True)
    return AuditEntry.objects.filter(Q(action__in=ACTIONS) | Q(seq__in=votes))


def _organizations(declarations: list[Declaration], recognitions: list[Recognition]) -> list:
    orgs: dict[str, dict[str, Any]] = {}
    for d in declarations:
        c = d.community
        orgs[popolo.organization_id(c)] = {
            "id": popolo.organization_id(c),
            "name": c.name,
            "classification": "indigenous nation" if d.indigenous else c.kind,
            "area_id": f"area/{c.slug}" if d.territory_geojson else None,
            "founding_date": c.created_at.astimezone(UTC).date().isoformat(),
            "identifiers": [{"scheme": "secession", "identifier": c.slug}],
        }
    others: dict[str, set[int]] = {}
    for r in recognitions:
        if r.recogniser_type == COMMUNITY and r.recogniser_community is not None:
            c = r.recogniser_community
            orgs.setdefault(
                popolo.organization_id(c),
                {
                    "id": popolo.organization_id(c),
                    "name": c.name,
                    "classification": c.kind,
                    "identifiers": [{"scheme": "secession", "identifier": c.slug}],
                },
            )
        elif r.recogniser_type != COMMUNITY:
            others.setdefault(r.recogniser_type, set()).add(r.recogniser_id)
    for kind, ids in sorted(others.items()):
        for pk, obj in sorted(lookup(kind, ids).items()):
            slug = getattr(obj, "slug", str(pk))
            orgs[f"{kind}/{slug}"] = {
                "id": f"{kind}/{slug}",
                "name": str(obj),
                "classification": kind,
                "identifiers": [{"scheme": "secession", "identifier": slug}],
            }
    return [orgs[k] for k in sorted(orgs)]


def popolo_document(subject=None) -> dict[str, Any]:
    """The registry in Popolo: declared peoples (and recognisers) as organisations, their
    territories as areas, and each vote that published a declaration or made or withdrew a
    recognition as a motion with its vote event (counts; the votes of public ballots)."""
    declarations = list(_declarations())
    recognitions = list(
        Recognition.objects.select_related("recognised", "recogniser_community").order_by("id")
    )
    areas = []
    for d in declarations:
        if getattr(d, "superseded_by", None) is not None or d.territory_crs == ALBERS_USA:
            continue
        geometry = territory_geometry(d)
        if geometry is not None:
            areas.append(
                {
                    "id": f"area/{d.community.slug}",
                    "name": d.community.name,
                    "classification": d.kind,
                    "geometry": geometry,
                }
            )
    ids = {d.proposal_id for d in declarations}
    for r in recognitions:
        ids.update(p for p in (r.proposal_id, r.withdrawal_proposal_id) if p)
    proposals = list(
        Proposal.objects.filter(pk__in=ids).select_related("author", "community").order_by("id")
    )
    events = [vote_event(p) for p in proposals]
    persons = {
        v["voter_id"]: {"id": v["voter_id"], "name": v["voter"]["name"]}
        for e in events
        for v in e["votes"]
        if v["voter_id"]
    }
    return {
        "organizations": _organizations(declarations, recognitions),
        "persons": [persons[k] for k in sorted(persons)],
        "areas": sorted(areas, key=lambda a: a["id"]),
        "motions": [motion(p) for p in proposals],
        "vote_events": events,
    }


def connect() -> None:
    register_scope(
        Scope(
            SCOPE,
            resolve=lambda key: REGISTRY if key == KEY else None,
            key=lambda subject: KEY,
            source=lambda subject: SOURCE,
            permission="registry.view_registry",
        )
    )
    for name, title, columns, rows, order in (
        (
            "peoples",
            gettext_noop("Declared peoples and their status now"),
            PEOPLE_COLUMNS,
            people_rows,
            10,
        ),
        (
            "declarations",
            gettext_noop("Every declaration, superseded ones included, with its vote"),
            DECLARATION_COLUMNS,
            declaration_rows,
            20,
        ),
        (
            "recognitions",
            gettext_noop("Every recognition, withdrawn ones included"),
            RECOGNITION_COLUMNS,
            recognition_rows,
            30,
        ),
    ):
        register_dataset(Dataset(SCOPE, name, title, columns, rows=rows, order=order))
    register_dataset(
        Dataset(
            SCOPE,
            "rule",
            gettext_noop("The recognition rule"),
            document=lambda s: recognition_rule().to_dict(),
            order=40,
        )
    )
    register_dataset(
        Dataset(SCOPE, "world", gettext_noop("The world map's document"), document=world, order=50)
    )
    register_dataset(
        Dataset(
            SCOPE,
            "popolo",
            gettext_noop("Popolo (organisations, areas, votes)"),
            document=popolo_document,
            order=60,
        )
    )
    register_dataset(
        Dataset(
            SCOPE,
            "audit",
            gettext_noop("The audit log entries behind every declaration and recognition"),
            AUDIT_COLUMNS,
            rows=lambda s: entry_rows(entries()),
            order=80,
        )
    )
