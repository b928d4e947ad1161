"""Proposal endpoints: list and make proposals of a community, read one, vote."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from secession.web.apiauth import AUTH, Error, Id, person, reader, require
from secession.web.apps.communities.models import Community
from secession.web.apps.proposals import actions
from secession.web.apps.proposals.models import Proposal
from secession.web.apps.proposals.present import proposal_data

router = Router(tags=["proposals"])
#: mounted under /api/communities: a community's voting rules belong to this app
community_router = Router(tags=["proposals"])


class ProposalIn(Schema):
    community: str
    kind: str
    title: str
    body: str = ""
    payload: dict = Field(default_factory=dict)


class VoteIn(Schema):
    choice: str


class VoteOut(Schema):
    proposal: int
    voted_at: str
    status: str


class PublicVote(Schema):
    voter: str
    choice: str


class Paper(Schema):
    id: str
    choice: str


class DiffLine(Schema):
    kind: str = Field(description="same, added, removed, or gap (unchanged lines left out)")
    text: str


class ProposalOut(Schema):
    """A proposal: its rule (fixed when voting opened), the electorate's size, who took
    part, and once closed the final result with its reasons. Secret ballots list who voted
    (``participants``) and, after the close, anonymous ``papers``; never a link."""

    id: int
    community: str
    kind: str
    kind_label: str
    title: str
    body: str
    author: str
    payload: dict
    payload_text: str = Field(description="What the proposal does if it passes, in words")
    rule: dict
    rule_text: str
    window_text: str
    secret: bool
    electorate: str
    eligible: int
    opened_at: str
    closes_at: str
    status: str
    closed_at: str | None
    passed: bool | None
    reasons: list[str]
    totals: dict | None
    closed_because: str
    effect: str = Field(description="Why a passed proposal was not carried out, if so")
    voted: int
    participants: list[str]
    public_votes: list[PublicVote]
    papers: list[Paper]
    counts: dict[str, int] | None
    diff: list[DiffLine] | None = None


class RuleOut(Schema):
    kind: str
    rule: dict
    description: str
    window_minutes: int
    secret: bool


class ProposalSummary(Schema):
    id: int
    kind: str
    title: str
    status: str
    passed: bool | None
    closes_at: str


@router.get("", response={200: list[ProposalSummary], 404: Error}, auth=None)
def list_proposals(request, community: str, status: str | None = None):
    c = get_object_or_404(Community, slug=community)
    require(reader(request), "communities.view_community", c)
    actions.close_due_proposals(community=c)
    rows = c.proposals.all()
    if status:
        rows = rows.filter(status=status)
    return [
        {
            "id": p.pk,
            "kind": p.kind,
            "title": p.title,
            "status": p.status,
            "passed": p.passed,
            "closes_at": p.closes_at.isoformat(),
        }
        for p in rows
    ]


@router.post("", response={201: ProposalOut, 404: Error}, auth=AUTH)
def make(request, data: ProposalIn):
    """Make a proposal (members only); voting opens at once."""
    c = get_object_or_404(Community, slug=data.community)
    p = actions.make_proposal(
        c,
        person=person(request),
        kind=data.kind,
        title=data.title,
        body=data.body,
        payload=data.payload,
    )
    return Status(201, proposal_data(p))


@router.get("/{proposal_id}", response=ProposalOut, auth=None)
def detail(request, proposal_id: Id):
    """A proposal with its rule and, once closed, the final result and its reasons."""
    p = get_object_or_404(Proposal.objects.select_related("community", "author"), pk=proposal_id)
    require(reader(request), "proposals.view_proposal", p)
    return proposal_data(p)


@router.post("/{proposal_id}/vote", response={201: VoteOut, 409: Error}, auth=AUTH)
def vote(request, proposal_id: Id, data: VoteIn):
    """Cast the caller's one vote (yes, no or abstain)."""
    p = get_object_or_404(Proposal, pk=proposal_id)
    ballot = actions.cast_vote(p, person=person(request), choice=data.choice)
    p.refresh_from_db()
    return Status(
        201, {"proposal": p.pk, "voted_at": ballot.voted_at.isoformat(), "status": p.status}
    )


@community_router.get("/{slug}/rules", response=list[RuleOut], auth=None)
def voting_rules(request, slug: str):
    """The rule in force for each kind of proposal of the community."""
    from secession.web.apps.proposals.voting import describe

    c = get_object_or_404(Community, slug=slug)
    require(reader(request), "communities.view_community", c)
    return [
        {
            "kind": r.kind,
            "rule": r.rule,
            "description": describe(r.rule),
            "window_minutes": r.window_minutes,
            "secret": r.secret,
        }
        for r in c.voting_rules.all()
    ]
