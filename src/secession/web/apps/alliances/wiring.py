"""How the alliances app plugs into the apps below it (connected in ``ready()``): its
community proposal kinds, its own alliance kinds (recognising a people among them: the
alliance as a recogniser in the registry), the alliances section of a community's
page, its parts of a person's data export, its closer for ``close_due_proposals`` and its check
of the tables against the audit log."""

from __future__ import annotations

from django.template.loader import render_to_string

from secession.web.apps.accounts.exports import register_export
from secession.web.apps.alliances.builtin import register_alliance_kinds
from secession.web.apps.alliances.checks import AllianceCheck
from secession.web.apps.alliances.community_kinds import register_community_kinds
from secession.web.apps.alliances.events import DESCRIPTIONS as EVENT_DESCRIPTIONS
from secession.web.apps.alliances.models import Alliance, AllianceProposal, Pledge, Status
from secession.web.apps.alliances.recognition import register_recognition
from secession.web.apps.audit.checks import register_check
from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.audit.naming import register_lookup
from secession.web.apps.communities.sections import register_section
from secession.web.apps.proposals.scheduling import register_closer


def _section(request, community) -> str:
    from secession.web.apps.alliances.present import community_alliances

    data = community_alliances(community)
    return render_to_string(
        "alliances/sections/alliances.html",
        {
            "community": community,
            **data,
            "can_propose": request.user.has_perm("proposals.add_proposal", community),
        },
        request=request,
    )


def _close_due(now) -> list[str]:
    """Close the alliance proposals due at ``now``; report them with those the communities'
    votes closed just before (their last ballot came in)."""
    from secession.web.apps.alliances.decisions import close_due_alliance_proposals

    close_due_alliance_proposals(now)
    closed = AllianceProposal.objects.filter(status=Status.CLOSED, closed_at__gte=now)
    return [
        f"alliance proposal {p.pk} ({p.alliance.slug}): {'passed' if p.passed else 'failed'}"
        for p in closed.select_related("alliance").order_by("closed_at", "pk")
    ]


def _alliance_proposals(user) -> list[dict]:
    return [
        {
            "id": p.pk,
            "alliance": p.alliance.slug,
            "community": p.author_community.slug if p.author_community else None,
            "kind": p.kind,
            "title": p.title,
            "body": p.body,
            "payload": p.payload,
            "opened_at": p.opened_at.isoformat(),
            "status": p.status,
            "passed": p.passed,
        }
        for p in AllianceProposal.objects.filter(author=user).select_related(
            "alliance", "author_community"
        )
    ]


def _pledges(user) -> list[dict]:
    return [
        {
            "id": p.pk,
            "alliance": p.alliance.slug,
            "community": p.community.slug,
            "kind": p.kind,
            "title": p.title,
            "details": p.details,
            "posted_at": p.posted_at.isoformat(),
            "status": p.status,
        }
        for p in Pledge.objects.filter(posted_by=user).select_related("alliance", "community")
    ]


def _by_id(model):
    def lookup(ids: set[int]) -> dict:
        return {o.pk: o for o in model.objects.filter(pk__in=ids)}

    return lookup


def connect() -> None:
    register_descriptions(EVENT_DESCRIPTIONS)
    register_lookup("alliance", _by_id(Alliance))
    register_lookup("allianceproposal", _by_id(AllianceProposal))
    register_lookup("pledge", _by_id(Pledge))
    register_community_kinds()
    register_alliance_kinds()
    register_recognition()
    register_section("alliances", 40, _section)
    register_closer("alliances", _close_due)
    register_export("alliance_proposals", _alliance_proposals)
    register_export("pledges", _pledges)
    register_check("alliances", AllianceCheck)
