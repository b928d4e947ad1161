"""Reading and changing a community's data licence (changed by its own vote)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from secession.web.apps.audit.log import record
from secession.web.apps.licences import events
from secession.web.apps.licences.models import LicenceChoice
from secession.web.apps.opendata.licences import DEFAULT, Licence, licence


def current_licence(community) -> Licence:
    """The licence in force for ``community``'s data (the default CC0 until it votes)."""
    latest = LicenceChoice.objects.filter(community=community).order_by("-chosen_at", "-id").first()
    return licence(latest.licence) if latest is not None else DEFAULT


def set_licence(community, licence_id: str, *, person, proposal=None) -> LicenceChoice:
    """Put the community's data under ``licence_id`` from now on (``person`` None: the
    community, by its vote). Audited as ``licence.changed``."""
    chosen = licence(licence_id)
    with transaction.atomic():
        previous = current_licence(community)
        row = LicenceChoice.objects.create(
            community=community, licence=chosen.id, chosen_at=timezone.now(), proposal=proposal
        )
        record(
            events.LICENCE_CHANGED,
            actor=person,
            community=community,
            target=row,
            data={
                "licence": chosen.id,
                "previous": previous.id,
                "proposal": proposal.pk if proposal else None,
            },
        )
    return row
