"""The proposals app's exports: proposals with their results, public votes, and the Popolo
document of a community. Secret and verifiable votes export counts only (after the
close), never a vote or a voter's choice; who took part is not exported either."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_noop

from secession.web.apps.communities.opendata import REMOVED
from secession.web.apps.opendata.registry import Dataset, register_dataset
from secession.web.apps.proposals import popolo
from secession.web.apps.proposals.models import Ballot, Choice, Proposal, Status
from secession.web.apps.proposals.published import published_counts
from secession.web.apps.proposals.voting import describe

PROPOSAL_COLUMNS = (
    "id",
    "community",
    "kind",
    "title",
    "body",
    "author",
    "payload",
    "rule",
    "rule_text",
    "secret",
    "verifiable",
    "electorate",
    "eligible",
    "voted",
    "opened_at",
    "closes_at",
    "status",
    "closed_at",
    "passed",
    "yes",
    "no",
    "abstain",
    "reasons",
)
VOTE_COLUMNS = ("proposal", "community", "voter", "choice", "voted_at")


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def proposals_of(community):
    return (
        Proposal.objects.filter(community=community)
        .select_related("author", "community")
        .annotate(
            n_eligible=Count("eligible", distinct=True), n_voted=Count("ballots", distinct=True)
        )
        .order_by("opened_at", "id")
    )


def proposal_rows(community) -> Iterator[dict[str, Any]]:
    for p in proposals_of(community).iterator(chunk_size=200):
        tally = published_counts(p) or {}
        closed = p.status == Status.CLOSED
        yield {
            "id": p.pk,
            "community": p.community.slug,
            "kind": p.kind,
            "title": p.title,
            "body": p.body,
            "author": p.author.username if p.author_id else REMOVED,
            "payload": p.payload,
            "rule": p.rule,
            "rule_text": describe(p.rule),
            "secret": p.secret,
            "verifiable": p.verifiable,
            "electorate": p.electorate,
            "eligible": p.n_eligible,
            "voted": p.n_voted,
            "opened_at": _when(p.opened_at),
            "closes_at": _when(p.closes_at),
            "status": p.status,
            "closed_at": _when(p.closed_at),
            "passed": p.passed,
            **{c: tally.get(c) for c in Choice.values},
            "reasons": p.result.get("reasons", []) if closed else [],
        }


def public_ballots(community):
    """Ballots whose choice is public: never those of a secret or verifiable vote."""
    return (
        Ballot.objects.filter(proposal__community=community, proposal__secret=False)
        .filter(proposal__verifiable=False)
        .exclude(choice="")
        .select_related("voter", "proposal")
        .order_by("proposal_id", "voted_at", "id")
    )


def vote_rows(community) -> Iterator[dict[str, Any]]:
    for b in public_ballots(community).iterator(chunk_size=1000):
        yield {
            "proposal": b.proposal_id,
            "community": community.slug,
            "voter": b.voter.username if b.voter_id else REMOVED,
            "choice": b.choice,
            "voted_at": _when(b.voted_at),
        }


def connect() -> None:
    register_dataset(
        Dataset(
            "community",
            "proposals",
            gettext_noop("Proposals and their results"),
            PROPOSAL_COLUMNS,
            rows=proposal_rows,
            order=40,
        )
    )
    register_dataset(
        Dataset(
            "community",
            "votes",
            gettext_noop("Public votes (secret votes: counts only, in the proposals)"),
            VOTE_COLUMNS,
            rows=vote_rows,
            order=50,
        )
    )
    register_dataset(
        Dataset(
            "community",
            "popolo",
            gettext_noop("Popolo (organizations, people, memberships, area, motions, vote events)"),
            document=popolo.community_document,
            order=90,
        )
    )
