"""Alliance endpoints: browse alliances, their members and history, the charter and its
versions, rules, proposals with each community's vote, the board of mutual aid, and the
Popolo export. Founding, joining and leaving are community proposals (``/api/proposals``
with kinds ``found_alliance``, ``join_alliance``, ``leave_alliance``)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from secession.web.apiauth import AUTH, After, Id, person, reader, require
from secession.web.apps.alliances import actions, decisions, popolo
from secession.web.apps.alliances.models import Alliance, AllianceProposal, CharterVersion, Pledge
from secession.web.apps.alliances.present import (
    alliance_data,
    alliance_proposal_data,
    alliance_summary,
    charter_row,
    community_alliances,
    membership_row,
    pledge_data,
    proposal_summary,
    rule_rows,
)
from secession.web.apps.communities.models import Community
from secession.web.apps.constitutions.diff import diff_lines

router = Router(tags=["alliances"])
#: mounted under /api/communities: a community's alliances belong to this app
community_router = Router(tags=["alliances"])

MAX_PAGE = 200


def _page(rows, limit: int, offset: int):
    """``rows[offset : offset + limit]`` with ``limit`` kept to at most MAX_PAGE (the
    schema keeps both within the database's integers: 422 outside)."""
    return rows[offset : offset + min(limit, MAX_PAGE)]


class AllianceSummary(Schema):
    id: int
    slug: str
    name: str
    purpose: str
    founded_at: str
    status: str = Field(description="active, or dormant when no community is a member")
    members: int


class AllianceMemberOut(Schema):
    community: str
    name: str
    founder: bool
    joined_at: str
    left_at: str | None
    joined_by: int | None = Field(description="The community's proposal to found or join")
    admitted_by: int | None = Field(description="The alliance's admission vote, if any")
    left_by: int | None = Field(description="The community's proposal to leave")


class CharterOut(Schema):
    number: int
    text: str
    admission: str
    leavers_keep_vote: bool
    terms: str
    adopted_at: str
    proposal: int | None


class AllianceRuleOut(Schema):
    kind: str
    kind_label: str
    method: str
    rule: dict
    window_minutes: int
    description: str


class AllianceOut(AllianceSummary):
    founded_by: str | None
    founding_proposal: int | None
    member_communities: list[AllianceMemberOut]
    charter: CharterOut
    rules: list[AllianceRuleOut]


class AllianceProposalSummary(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    status: str
    passed: bool | None
    closes_at: str


class CommunityVoteOut(Schema):
    community: str
    name: str
    weight: int = Field(description="Its members when voting opened")
    internal_proposal: int | None = Field(description="The community's own vote on it")
    decided_by: str = Field(description="members, council or leader")
    decided_by_text: str
    choice: str | None = Field(description="yes, no, abstain, none (did not vote); null: open")
    choice_text: str
    internal: dict | None = Field(description="The community's own counts")
    split: bool = Field(description="Its weight split by its members' yes and no")
    counted: bool
    note: str
    cast: dict | None = Field(description="What it cast per scope, exact fractions")


class CharterDiffLine(Schema):
    kind: str
    text: str


class AllianceProposalOut(Schema):
    id: int
    alliance: str
    kind: str
    kind_label: str
    title: str
    body: str
    author: str
    author_community: str | None
    subject: str | None
    payload: dict
    payload_text: str
    method: str
    method_text: str
    rule: dict
    rule_text: str
    window_text: str
    leavers_keep_vote: bool
    opened_at: str
    internal_closes_at: str = Field(description="When the communities' own votes close")
    closes_at: str
    status: str
    closed_at: str | None
    passed: bool | None
    reasons: list[str]
    totals: dict | None
    closed_because: str
    effect: str
    eligible: int
    voted: int
    communities: list[CommunityVoteOut]
    diff: list[CharterDiffLine] | None = None


class AllianceProposalIn(Schema):
    community: str = Field(description="The member community you act for (you are its member)")
    kind: str
    title: str
    body: str = ""
    payload: dict = Field(default_factory=dict)


class PledgeOut(Schema):
    id: int
    alliance: str
    community: str
    community_name: str
    kind: str
    title: str
    details: str
    answers: int | None
    posted_by: str
    posted_at: str
    status: str
    status_text: str
    closed_at: str | None
    note: str


class PledgeIn(Schema):
    community: str = Field(description="The member community you speak for")
    kind: str = Field(description="offer or request")
    title: str
    details: str = ""
    answers: Id | None = Field(None, description="The request an offer answers")


class PledgeCloseIn(Schema):
    status: str = Field(description="fulfilled or not_fulfilled")
    note: str = ""


class CommunityMembershipOut(Schema):
    alliance: str
    name: str
    founder: bool
    joined_at: str
    left_at: str | None


class CommunityAlliancesOut(Schema):
    casting: str = Field(description="How it casts alliance votes: office_holders or members")
    casting_text: str
    memberships: list[CommunityMembershipOut]
    applications: list[int] = Field(description="Open admission votes on its application")


def _alliance(request, slug: str) -> Alliance:
    alliance = get_object_or_404(Alliance, slug=slug)
    require(reader(request), "alliances.view_alliance", alliance)
    return alliance


@router.get("", response=list[AllianceSummary], auth=None)
def list_alliances(request, limit: Id = 50, offset: After = 0):
    require(reader(request), "alliances.view_alliance")
    rows = Alliance.objects.annotate(
        n=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    ).order_by("name", "pk")
    return [alliance_summary(a, a.n) for a in _page(rows, limit, offset)]


@router.get("/{slug}", response=AllianceOut, auth=None)
def detail(request, slug: str):
    """The alliance: its member communities, the charter in force, its rules."""
    alliance = _alliance(request, slug)
    decisions.close_due_alliance_proposals(alliance=alliance)
    return alliance_data(alliance)


@router.get("/{slug}/members", response=list[AllianceMemberOut], auth=None)
def members(request, slug: str, history: bool = False):
    """Member communities with the dates they joined (``history``: and those that left)."""
    alliance = _alliance(request, slug)
    rows = alliance.memberships.select_related("community").order_by("joined_at", "id")
    if not history:
        rows = rows.filter(left_at__isnull=True)
    return [membership_row(m) for m in rows]


@router.get("/{slug}/charter", response=list[CharterOut], auth=None)
def charter(request, slug: str):
    """Every version of the charter, oldest first (the last one is in force)."""
    alliance = _alliance(request, slug)
    return [charter_row(v) for v in alliance.charter.all()]


@router.get("/{slug}/charter/{number}", response=CharterOut, auth=None)
def charter_version(request, slug: str, number: Id):
    alliance = _alliance(request, slug)
    return charter_row(get_object_or_404(CharterVersion, alliance=alliance, number=number))


@router.get("/{slug}/charter/{number}/diff", response=list[CharterDiffLine], auth=None)
def charter_diff(request, slug: str, number: Id):
    """Lines changed from the previous version to version ``number``."""
    alliance = _alliance(request, slug)
    new = get_object_or_404(CharterVersion, alliance=alliance, number=number)
    old = CharterVersion.objects.filter(alliance=alliance, number=number - 1).first()
    if old is None and number != 1:
        raise Http404("no previous version")
    return [{"kind": d.kind, "text": d.text} for d in diff_lines(old.text if old else "", new.text)]


@router.get("/{slug}/rules", response=list[AllianceRuleOut], auth=None)
def rules(request, slug: str):
    """How the alliance decides each kind of proposal."""
    return rule_rows(_alliance(request, slug))


@router.get("/{slug}/proposals", response=list[AllianceProposalSummary], auth=None)
def list_proposals(
    request, slug: str, status: str | None = None, limit: Id = 50, offset: After = 0
):
    alliance = _alliance(request, slug)
    decisions.close_due_alliance_proposals(alliance=alliance)
    rows = alliance.proposals.all()
    if status:
        rows = rows.filter(status=status)
    return [proposal_summary(p) for p in _page(rows, limit, offset)]


@router.post("/{slug}/proposals", response={201: AllianceProposalOut}, auth=AUTH)
def make(request, slug: str, data: AllianceProposalIn):
    """Make an alliance proposal (members of member communities); voting opens at once in
    every member community."""
    alliance = _alliance(request, slug)
    community = get_object_or_404(Community, slug=data.community)
    p = decisions.make_alliance_proposal(
        alliance,
        person=person(request),
        community=community,
        kind=data.kind,
        title=data.title,
        body=data.body,
        payload=data.payload,
    )
    return Status(201, alliance_proposal_data(p))


@router.get("/proposals/{proposal_id}", response=AllianceProposalOut, auth=None)
def proposal(request, proposal_id: Id):
    """An alliance proposal: its rule (fixed when voting opened), each community's vote and
    how it was decided, and once closed the result with its reasons."""
    p = get_object_or_404(
        AllianceProposal.objects.select_related("alliance", "author", "author_community"),
        pk=proposal_id,
    )
    require(reader(request), "alliances.view_alliance", p.alliance)
    return alliance_proposal_data(p)


@router.get("/{slug}/pledges", response=list[PledgeOut], auth=None)
def pledges(request, slug: str, status: str | None = None, limit: Id = 50, offset: After = 0):
    """The board of mutual aid: offers and requests, newest first."""
    alliance = _alliance(request, slug)
    rows = alliance.pledges.select_related("community", "posted_by")
    if status:
        rows = rows.filter(status=status)
    return [pledge_data(p) for p in _page(rows, limit, offset)]


@router.post("/{slug}/pledges", response={201: PledgeOut}, auth=AUTH)
def post_pledge(request, slug: str, data: PledgeIn):
    """Post an offer or a request for a member community you speak for."""
    alliance = _alliance(request, slug)
    community = get_object_or_404(Community, slug=data.community)
    answers = None
    if data.answers is not None:
        answers = get_object_or_404(Pledge, pk=data.answers, alliance=alliance)
    p = actions.post_pledge(
        alliance,
        person=person(request),
        community=community,
        kind=data.kind,
        title=data.title,
        details=data.details,
        answers=answers,
    )
    return Status(201, pledge_data(p))


@router.post("/pledges/{pledge_id}/close", response=PledgeOut, auth=AUTH)
def close_pledge(request, pledge_id: Id, data: PledgeCloseIn):
    """Mark a pledge fulfilled or not (those who speak for the community that posted it)."""
    p = get_object_or_404(Pledge, pk=pledge_id)
    return pledge_data(
        actions.close_pledge(p, person=person(request), status=data.status, note=data.note)
    )


@router.get("/{slug}/popolo", response=dict, auth=None)
def popolo_export(request, slug: str):
    """The alliance as Popolo JSON: Organizations, Memberships (communities as members),
    Motions and VoteEvents (communities as voters, with weights)."""
    alliance = _alliance(request, slug)
    decisions.close_due_alliance_proposals(alliance=alliance)
    return popolo.export(alliance)


@community_router.get("/{slug}/alliances", response=CommunityAlliancesOut, auth=None)
def community(request, slug: str):
    """A community's alliances (with dates), open applications, how it casts its votes."""
    c = get_object_or_404(Community, slug=slug)
    require(reader(request), "communities.view_community", c)
    data = community_alliances(c)
    return {
        "casting": data["casting"],
        "casting_text": data["casting_text"],
        "memberships": [
            {
                "alliance": m.alliance.slug,
                "name": m.alliance.name,
                "founder": m.founder,
                "joined_at": m.joined_at.isoformat(),
                "left_at": m.left_at.isoformat() if m.left_at else None,
            }
            for m in data["memberships"]
        ],
        "applications": [p.pk for p in data["applications"]],
    }
