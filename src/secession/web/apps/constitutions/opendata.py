"""The constitutions app's export: every adopted version of a community's constitution."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_noop

from secession.web.apps.constitutions.models import ConstitutionVersion
from secession.web.apps.opendata.registry import Dataset, register_dataset

COLUMNS = ("community", "number", "adopted_at", "proposal", "in_force", "text")


def version_rows(community) -> Iterator[dict[str, Any]]:
    versions = list(ConstitutionVersion.objects.filter(community=community).order_by("number"))
    last = versions[-1].number if versions else None
    for v in versions:
        yield {
            "community": community.slug,
            "number": v.number,
            "adopted_at": v.adopted_at.isoformat(),
            "proposal": v.proposal_id,
            "in_force": v.number == last,
            "text": v.text,
        }


def connect() -> None:
    register_dataset(
        Dataset(
            "community",
            "constitution",
            gettext_noop("The constitution: every adopted version"),
            COLUMNS,
            rows=version_rows,
            order=60,
        )
    )
