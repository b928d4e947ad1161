"""The community votes in a person's to-do (registered with ``accounts.todo``).

Waiting: open proposals whose window has not ended, with the person in the electorate
(fixed when voting opened) and no ballot of theirs. Results: closed proposals they voted
on. Each is one SQL query (count or a limited, ordered list), whatever the community size.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from secession.web.apps.accounts.todo import TodoItem, TodoSource
from secession.web.apps.proposals.models import Ballot, Eligibility, Proposal, Status


def _waiting(user) -> QuerySet[Proposal]:
    eligible = Eligibility.objects.filter(proposal=OuterRef("pk"), person=user)
    voted = Ballot.objects.filter(proposal=OuterRef("pk"), voter=user)
    return Proposal.objects.filter(
        Exists(eligible), ~Exists(voted), status=Status.OPEN, closes_at__gt=timezone.now()
    )


def _results(user) -> QuerySet[Proposal]:
    voted = Ballot.objects.filter(proposal=OuterRef("pk"), voter=user)
    return Proposal.objects.filter(Exists(voted), status=Status.CLOSED)


def _item(p: Proposal) -> TodoItem:
    return TodoItem(
        title=p.title,
        url=p.get_absolute_url(),
        where=p.community.name,
        kind=p.kind_label,
        closes_at=p.closes_at,
        closed_at=p.closed_at,
        passed=p.passed,
    )


def waiting_votes(user, limit: int) -> list[TodoItem]:
    rows = _waiting(user).select_related("community").order_by("closes_at", "id")[:limit]
    return [_item(p) for p in rows]


def results_of_votes(user, limit: int) -> list[TodoItem]:
    rows = _results(user).select_related("community").order_by("-closed_at", "-id")[:limit]
    return [_item(p) for p in rows]


SOURCE = TodoSource(
    name="community votes",
    count=lambda user: _waiting(user).count(),
    waiting=waiting_votes,
    results_count=lambda user: _results(user).count(),
    results=results_of_votes,
)
