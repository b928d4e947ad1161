"""Proposal endpoints: list and make proposals of a community, read one, vote."""

from __future__ import annotations

import uuid
from typing import Annotated

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from secession.web.apiauth import AUTH, After, Error, Id, person, reader, require
from secession.web.apps.communities.models import Community
from secession.web.apps.proposals import actions, kinds
from secession.web.apps.proposals.models import Eligibility, Proposal
from secession.web.apps.proposals.present import ballot_page, paper_page, proposal_data

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
    unit: str = Field(
        "", description="The voter's own unit (county id), where the proposal's ballot asks"
    )


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


class Link(Schema):
    text: str
    url: str


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
    verifiable: bool = Field(
        False, description="a verifiable ballot: its board is at /api/verifiable/{id}"
    )
    electorate: str
    eligible: int
    electorate_digest: str = Field(
        description="SHA-256 of the eligible account numbers, ascending, one per line "
        "(GET /api/proposals/{id}/electorate lists them)"
    )
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
    participants: list[str] = Field(description="Who voted: the first 100 (see /ballots)")
    public_votes: list[PublicVote] = Field(description="The first 100 (see /ballots)")
    papers: list[Paper] = Field(description="The first 100 papers by key (see /papers)")
    counts: dict[str, int] | None
    diff: list[DiffLine] | None = None
    diff_heading: str | None = None
    links: list[Link] | None = Field(None, description="Related pages (e.g. an alliance vote)")


class KindOut(Schema):
    """A kind of proposal, named in the request's language."""

    name: str
    label: str
    help: str
    offered: bool = Field(description="members may propose it (else only the platform opens it)")


class RuleOut(Schema):
    kind: str
    kind_label: str = ""
    rule: dict
    description: str
    window_minutes: int
    secret: bool
    verifiable: bool = Field(
        False,
        description="verifiable secret ballot: encrypted in the browser, decrypted by "
        "trustee_threshold of the trustees (account numbers)",
    )
    trustees: list[int] = Field(default_factory=list)
    trustee_threshold: int = 0


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


@router.get("/kinds", response=list[KindOut], auth=None)
def list_kinds(request):
    """Every kind of proposal, its label and help in the request's language."""
    return [
        {"name": k.name, "label": k.label, "help": k.help, "offered": k.offered}
        for k in kinds.all_kinds()
    ]


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
    extra = {"unit": data.unit} if data.unit else {}
    ballot = actions.cast_vote(p, person=person(request), choice=data.choice, extra=extra)
    p.refresh_from_db()
    return Status(
        201, {"proposal": p.pk, "voted_at": ballot.voted_at.isoformat(), "status": p.status}
    )


class BallotOut(Schema):
    id: int
    voter: str
    voted_at: str
    choice: str | None = Field(description="null for secret ballots")


@router.get("/{proposal_id}/ballots", response=list[BallotOut], auth=None)
def ballots(request, proposal_id: Id, after: After = 0, limit: Id = 500):
    """Who voted, in the order cast, after ballot ``after`` (at most ``limit``, 5,000)."""
    p = get_object_or_404(Proposal, pk=proposal_id)
    require(reader(request), "proposals.view_proposal", p)
    return ballot_page(p, after, limit)


@router.get("/{proposal_id}/papers", response=list[Paper], auth=None)
def papers(
    request,
    proposal_id: Id,
    after: Annotated[str, Field(max_length=36, pattern=r"^[0-9a-fA-F-]*$")] = "",
    limit: Id = 500,
):
    """The anonymous papers of a closed secret vote in key order, after key ``after``."""
    p = get_object_or_404(Proposal, pk=proposal_id)
    require(reader(request), "proposals.view_proposal", p)
    try:
        key = str(uuid.UUID(after)) if after else ""
    except ValueError:
        raise ValidationError("after must be a paper key") from None
    return paper_page(p, key, limit)


@router.get("/{proposal_id}/electorate", response=list[int], auth=None)
def electorate(request, proposal_id: Id, after: After = 0, limit: Id = 5000):
    """The eligible account numbers, ascending, after ``after`` (at most ``limit``,
    10,000): with ``electorate_digest`` anyone can check the electorate."""
    p = get_object_or_404(Proposal, pk=proposal_id)
    require(reader(request), "proposals.view_proposal", p)
    rows = Eligibility.objects.filter(proposal=p, person_id__gt=after).order_by("person_id")
    return list(rows.values_list("person_id", flat=True)[: max(1, min(limit, 10_000))])


@community_router.get("/{slug}/rules", response=list[RuleOut], auth=None)
def voting_rules(request, slug: str):
    """The rule in force for each kind of proposal of the community."""
    from secession.web.apps.proposals.voting import describe

    c = get_object_or_404(Community, slug=slug)
    require(reader(request), "communities.view_community", c)
    return [
        {
            "kind": r.kind,
            "kind_label": kinds.label(r.kind),
            "rule": r.rule,
            "description": describe(r.rule),
            "window_minutes": r.window_minutes,
            "secret": r.secret,
            "verifiable": r.verifiable,
            "trustees": r.trustees,
            "trustee_threshold": r.trustee_threshold,
        }
        for r in c.voting_rules.all()
    ]
