"""Why a person cannot vote on a proposal, in words (shown where the vote form would be)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from secession.web.apps.communities.models import Membership
from secession.web.apps.proposals.models import Proposal, Status


def day(moment) -> str:
    return formats.date_format(moment, "j F Y")


def why_not_eligible(proposal: Proposal, user) -> str:
    """For a logged-in person outside the electorate of an open proposal: why, with dates."""
    community = proposal.community
    membership = (
        Membership.objects.filter(community=community, person=user, left_at__isnull=True)
        .order_by("-joined_at")
        .first()
    )
    if membership is None:
        return f"You are not a member of {community.name}: join it to vote on its next proposals."
    if membership.joined_at > proposal.opened_at:
        return (
            f"You joined {community.name} on {day(membership.joined_at)}, after voting "
            f"opened on {day(proposal.opened_at)}: the electorate is fixed when voting opens."
        )
    if proposal.electorate != "members":
        holders = "council" if proposal.electorate == "council" else "leader"
        return (
            f"Under {community.name}'s governance this proposal is decided by its {holders}, "
            "as they were when voting opened; you do not hold that office."
        )
    return "You were not in the electorate when voting opened (it is fixed then)."


def vote_result_message(proposal: Proposal) -> str:
    """What a voter reads after voting: the result too, if their vote closed the proposal."""
    if proposal.status != Status.CLOSED:
        return _("Your vote is recorded.")
    if proposal.passed:
        return _(
            "Your vote is recorded. Everyone in the electorate has now voted, so voting is "
            "closed: the proposal passed."
        )
    return _(
        "Your vote is recorded. Everyone in the electorate has now voted, so voting is "
        "closed: the proposal failed."
    )
