"""The audit log's exports: its entries (with their leaves and leaf hashes; private entries
as anyone but their account sees them: number and leaf hash) and its signed head."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_noop

from secession.web.apps.audit import log
from secession.web.apps.audit.keys import SigningKeyError
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.audit.present import actor_names, entry_row
from secession.web.apps.audit.privacy import readable_by
from secession.web.apps.opendata.registry import Dataset, UnknownExport, register_dataset

COLUMNS = (
    "seq",
    "private",
    "readable",
    "created_at",
    "actor_id",
    "actor",
    "action",
    "community_id",
    "target_type",
    "target_id",
    "data",
    "raw_data",
    "leaf",
    "leaf_hash",
)
BATCH = 1000


def entry_rows(entries) -> Iterator[dict[str, Any]]:
    """Public rows of ``entries`` (a queryset), in sequence order, read in batches."""
    after = 0
    while True:
        batch = list(entries.filter(seq__gt=after).order_by("seq")[:BATCH])
        if not batch:
            return
        names = actor_names(batch)
        for r in batch:
            yield entry_row(r, readable_by(r, None), names)
        after = batch[-1].seq


def head_document(subject) -> dict[str, Any]:
    try:
        return {"signed_head": log.signed_head()}
    except SigningKeyError as exc:
        raise UnknownExport(f"this site cannot sign its log's head: {exc}") from None


def connect() -> None:
    register_dataset(
        Dataset(
            "site",
            "audit",
            gettext_noop("The audit log: every entry, its leaf and leaf hash"),
            COLUMNS,
            rows=lambda site: entry_rows(AuditEntry.objects.all()),
            order=80,
        )
    )
    register_dataset(
        Dataset(
            "site",
            "audit-head",
            gettext_noop("The audit log's signed head (check the entries against it)"),
            document=head_document,
            order=81,
        )
    )
    register_dataset(
        Dataset(
            "community",
            "audit",
            gettext_noop("The audit log entries about this community"),
            COLUMNS,
            rows=lambda c: entry_rows(AuditEntry.objects.filter(community_id=c.pk)),
            order=80,
        )
    )
