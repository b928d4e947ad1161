"""The licences app's exports: each community's licence history; and the licence every
community export carries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_noop

from secession.web.apps.licences.actions import current_licence
from secession.web.apps.licences.models import LicenceChoice
from secession.web.apps.opendata.licences import DEFAULT
from secession.web.apps.opendata.registry import (
    Dataset,
    register_dataset,
    register_licence_source,
)

COLUMNS = ("community", "licence", "since", "proposal")


def licence_rows(community) -> Iterator[dict[str, Any]]:
    yield {
        "community": community.slug,
        "licence": DEFAULT.id,
        "since": community.created_at.isoformat(),
        "proposal": None,
    }
    for row in LicenceChoice.objects.filter(community=community).order_by("chosen_at", "id"):
        yield {
            "community": community.slug,
            "licence": row.licence,
            "since": row.chosen_at.isoformat(),
            "proposal": row.proposal_id,
        }


def connect() -> None:
    register_licence_source("community", current_licence)
    register_dataset(
        Dataset(
            "community",
            "licence",
            gettext_noop("The data licence and its history"),
            COLUMNS,
            rows=licence_rows,
            order=95,
        )
    )
