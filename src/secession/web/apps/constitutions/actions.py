"""Constitution actions (called from founding and from passed proposals)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from secession.web.apps.audit.log import record
from secession.web.apps.constitutions import events
from secession.web.apps.constitutions.models import ConstitutionVersion

if TYPE_CHECKING:
    from secession.web.apps.accounts.models import User
    from secession.web.apps.communities.models import Community
    from secession.web.apps.proposals.models import Proposal


def normalize_text(text: str) -> str:
    """One newline style (browsers send CRLF), no trailing blank lines, final newline."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip() + "\n"


def current_version(community: Community) -> ConstitutionVersion | None:
    return community.constitution_versions.order_by("-number").first()


def adopt_version(
    community: Community, text: str, *, person: User | None, proposal: Proposal | None = None
) -> ConstitutionVersion:
    """Record a new version in force (whole text). ``person`` is the actor (None: the
    community's own decision, when a proposal closes)."""
    text = normalize_text(text)
    with transaction.atomic():
        previous = current_version(community)
        version = ConstitutionVersion.objects.create(
            community=community,
            number=(previous.number + 1) if previous else 1,
            text=text,
            adopted_at=timezone.now(),
            proposal=proposal,
        )
        record(
            events.ADOPTED,
            actor=person,
            community=community,
            target=version,
            data={
                "number": version.number,
                "proposal": proposal.pk if proposal else None,
                "text_sha256": _sha(text),
            },
        )
    return version


def _sha(text: str) -> str:
    import hashlib

    return hashlib.sha256(text.encode("utf-8")).hexdigest()
