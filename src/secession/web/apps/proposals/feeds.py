"""An Atom feed per community of its proposals and their results (Django syndication)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from secession.web.apps.communities.models import Community
from secession.web.apps.proposals.models import Proposal, Status
from secession.web.apps.proposals.present import payload_text

FEED_ITEMS = 30  # the latest proposals (opened or closed); older ones are on the site


class CommunityProposalsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Community, slug=slug)

    def title(self, community: Community) -> str:
        return f"{community.name}: proposals and results"

    def link(self, community: Community) -> str:
        return community.get_absolute_url()

    def subtitle(self, community: Community) -> str:
        return f"Proposals opened in {community.name}, and their results when voting closes."

    def items(self, community: Community):
        return community.proposals.order_by("-opened_at", "-id")[:FEED_ITEMS]

    def item_title(self, item: Proposal) -> str:
        if item.status == Status.OPEN:
            return f"Voting open: {item.title}"
        return f"{'Passed' if item.passed else 'Failed'}: {item.title}"

    def item_description(self, item: Proposal) -> str:
        if item.status == Status.OPEN:
            when = f"Voting closes on {item.closes_at:%d %B %Y, %H:%M} UTC."
        else:
            reasons = " ".join(item.result.get("reasons", []))
            when = f"Voting closed on {item.closed_at:%d %B %Y}. {reasons}".strip()
        return f"{item.kind_label}. If it passes: {payload_text(item)} {when}"

    def item_pubdate(self, item: Proposal):
        return item.opened_at

    def item_updateddate(self, item: Proposal):
        return item.closed_at or item.opened_at

    def item_guid(self, item: Proposal) -> str:
        # one entry per proposal; its update date changes when the result is out
        return f"proposal-{item.pk}"
