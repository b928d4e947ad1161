"""Alliances: founded, joined and left by the communities' own votes; decisions of the
member communities (one vote each, weighted by members, double majority) checked against
hand computations on exact ties; each community's vote decided its own way; eligibility
frozen; leaving never blocked; the board of mutual aid; scheduling; the audit chain."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from secession.web.apps.alliances import kinds as alliance_kinds
from secession.web.apps.alliances.actions import close_pledge, current_charter, post_pledge
from secession.web.apps.alliances.decisions import (
    close_alliance_proposal,
    close_due_alliance_proposals,
    make_alliance_proposal,
    record_community_ballot,
)
from secession.web.apps.alliances.models import (
    Alliance,
    AllianceProposal,
    AllianceRule,
    CommunityBallot,
)
from secession.web.apps.audit.log import verify
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.proposals.actions import cast_vote, make_proposal
from secession.web.apps.proposals.models import Proposal
from secession.web.errors import Refused, VotingClosed

from .alliance_world import fresh, internal, make_league, make_people, vote
from .factories import (
    MAJORITY,
    CommunityFactory,
    UserFactory,
    add_member,
    expire,
    found_alliance_by_vote,
    pass_by_vote,
)

TWO_THIRDS = {"name": "two-thirds", "threshold": "2/3", "strict": False}
MORE_THAN_TWO_THIRDS = {"name": "over-two-thirds", "threshold": "2/3", "strict": True}
HALF_OR_MORE = {"name": "half-or-more", "threshold": "1/2", "strict": False}


@pytest.fixture
def people(db):
    return make_people()


@pytest.fixture
def league(people):
    return make_league(people)


# ---------------------------------------------------------------- founding and charter
def test_founding_by_the_communitys_vote(people):
    town = CommunityFactory(name="Town", founder=people["ann"])
    add_member(town, people["amy"])
    payload = {
        "name": "Free Towns",
        "purpose": "Stand together.",
        "charter": "We help each other.\r\n",
        "method": "weighted",
        "rule": TWO_THIRDS,
        "window_minutes": 120,
        "admission": "open",
    }
    p = make_proposal(town, person=people["ann"], kind="found_alliance", title="F", payload=payload)
    assert not Alliance.objects.exists()  # nothing until the members' vote passes
    vote(p, {people["ann"]: "yes", people["amy"]: "no"})  # 1 of 2 < two thirds
    assert fresh(p).passed is False and not Alliance.objects.exists()
    p = make_proposal(town, person=people["ann"], kind="found_alliance", title="F", payload=payload)
    vote(p)
    alliance = Alliance.objects.get()
    assert (alliance.name, alliance.slug, alliance.founded_by, alliance.founding_proposal) == (
        "Free Towns",
        "free-towns",
        town,
        p,
    )
    member = alliance.memberships.get()
    assert member.community == town and member.founder and member.joined_by == p
    v1 = current_charter(alliance)
    assert (v1.number, v1.text, v1.admission, v1.leavers_keep_vote) == (
        1,
        "We help each other.\n",
        "open",
        False,
    )
    rules = {
        r.kind: (r.method, r.rule["threshold"], r.window_minutes) for r in alliance.rules.all()
    }
    assert rules == {k.name: ("weighted", "2/3", 120) for k in alliance_kinds.all_kinds()}
    actions = list(
        AuditEntry.objects.filter(action__startswith="alliance.").values_list("action", flat=True)
    )
    assert actions == [
        "alliance.founded",
        "alliance.charter_adopted",
        "alliance.rules_installed",
        "alliance.member_joined",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": ""}, "needs a name"),
        ({"name": "x" * 121}, "longer than 120"),
        ({"charter": "  \n"}, "needs a charter text"),
        ({"method": "by lot"}, "method must be one of"),
        ({"rule": {"threshold": "3/2"}}, "threshold must be between 0 and 1"),
        ({"rule": {"name": "d", "double_majority": "units"}}, "one electorate"),
        ({"window_minutes": 5}, "between 10 and"),
        ({"window_minutes": "soon"}, "whole number"),
        ({"admission": "by invitation"}, "admission must be one of"),
        ({"leavers_keep_vote": "yes"}, "true or false"),
        ({"purpose": ["a"]}, "purpose must be a text"),
    ],
)
def test_founding_payload_is_checked(people, change, message):
    town = CommunityFactory(name="Town", founder=people["ann"])
    payload = {"name": "League", "charter": "Text", "rule": MAJORITY, "window_minutes": 60}
    with pytest.raises(ValidationError, match=message):
        make_proposal(
            town,
            person=people["ann"],
            kind="found_alliance",
            title="F",
            payload={**payload, **change},
        )


def test_a_second_alliance_of_the_same_name_is_refused(league):
    with pytest.raises(ValidationError, match="already an alliance named"):
        make_proposal(
            league["dale"],
            person=league["dan"],
            kind="found_alliance",
            title="F",
            payload={
                "name": "valley league",
                "charter": "x",
                "rule": MAJORITY,
                "window_minutes": 60,
            },
        )


def test_charter_amended_by_its_own_rule_with_the_difference_and_history(league):
    lg, ann, ashford = league["league"], league["ann"], league["ashford"]
    # the alliance makes amendments need two thirds (by its own vote, today's rule)
    change = make_alliance_proposal(
        lg,
        person=ann,
        community=ashford,
        kind="change_rule",
        title="Amendments need two thirds",
        payload={
            "target_kind": "amend_charter",
            "method": "equal",
            "rule": TWO_THIRDS,
            "window_minutes": 60,
        },
    )
    for c in ("ashford", "brook", "cliff"):
        vote(internal(change, league[c]))
    assert fresh(change).passed
    assert AllianceRule.objects.get(alliance=lg, kind="amend_charter").rule["threshold"] == "2/3"
    text = current_charter(lg).text + "7. Members share their harvests.\n"
    amend = make_alliance_proposal(
        lg,
        person=league["bob"],
        community=league["brook"],
        kind="amend_charter",
        title="Harvests",
        payload={"text": text, "admission": "open"},
    )
    assert amend.rule["threshold"] == "2/3"  # fixed when voting opened
    from secession.web.apps.alliances.present import alliance_proposal_data

    data = alliance_proposal_data(amend)
    assert {"kind": "added", "text": "7. Members share their harvests."} in data["diff"]
    assert "admitted by a vote" in data["terms_before"] and "open admission" in data["payload_text"]
    vote(internal(amend, ashford))
    vote(internal(amend, league["brook"]))
    vote(internal(amend, league["cliff"]), "no")  # 2 of 3 communities = 2/3: passes
    amend = fresh(amend)
    assert amend.passed, amend.result["reasons"]
    v2 = current_charter(lg)
    assert (v2.number, v2.admission, v2.proposal) == (2, "open", amend)
    assert list(lg.charter.values_list("number", flat=True)) == [1, 2]
    with pytest.raises(ValidationError, match="changes nothing"):
        make_alliance_proposal(
            lg,
            person=ann,
            community=ashford,
            kind="amend_charter",
            title="Same",
            payload={"text": text},
        )


# ---------------------------------------------------------------- joining
def test_joining_needs_the_alliances_consent_by_an_admission_vote(league):
    lg, dale = league["league"], league["dale"]
    application = pass_by_vote(dale, league["dan"], "join_alliance", {"alliance": lg.slug})
    assert application.passed and lg.active_members().filter(community=dale).count() == 0
    admission = AllianceProposal.objects.get(subject=dale, status="open")
    assert admission.kind == "admit_member" and admission.eligible.count() == 3
    with pytest.raises(ValidationError, match="already open"):
        make_proposal(
            dale,
            person=league["dan"],
            kind="join_alliance",
            title="J",
            payload={"alliance": lg.slug},
        )
    vote(internal(admission, league["ashford"]), "no")
    vote(internal(admission, league["brook"]), "no")
    vote(internal(admission, league["cliff"]), "yes")
    admission = fresh(admission)
    assert admission.passed is False
    assert not lg.active_members().filter(community=dale).exists()
    # it may apply again; this time the members agree
    pass_by_vote(dale, league["dan"], "join_alliance", {"alliance": lg.slug})
    again = AllianceProposal.objects.get(subject=dale, status="open")
    for c in ("ashford", "brook", "cliff"):
        vote(internal(again, league[c]))
    m = lg.memberships.get(community=dale)
    assert m.admitted_by == fresh(again) and m.joined_by.kind == "join_alliance"


def test_open_admission_makes_a_member_at_once(people):
    home = CommunityFactory(name="Home", founder=people["ann"])
    guest = CommunityFactory(name="Guest", founder=people["dan"])
    lg = found_alliance_by_vote(home, people["ann"], name="Open Door", admission="open")
    pass_by_vote(guest, people["dan"], "join_alliance", {"alliance": lg.slug})
    m = lg.memberships.get(community=guest)
    assert m.admitted_by is None and not AllianceProposal.objects.exists()
    entry = AuditEntry.objects.filter(action="alliance.member_joined").last()
    assert json.loads(entry.data)["how"] == "open admission (the charter)"
    with pytest.raises(ValidationError, match="already a member"):
        make_proposal(
            guest,
            person=people["dan"],
            kind="join_alliance",
            title="J",
            payload={"alliance": lg.slug},
        )


def test_join_or_leave_payload_names_a_real_alliance(league):
    for kind in ("join_alliance", "leave_alliance"):
        with pytest.raises(ValidationError, match="there is no alliance 'nowhere'"):
            make_proposal(
                league["dale"],
                person=league["dan"],
                kind=kind,
                title="x",
                payload={"alliance": "nowhere"},
            )
    with pytest.raises(ValidationError, match="is not a member"):
        make_proposal(
            league["dale"],
            person=league["dan"],
            kind="leave_alliance",
            title="x",
            payload={"alliance": league["league"].slug},
        )


# ---------------------------------------------------------------- leaving
def test_leaving_while_a_vote_is_open_is_not_blocked_and_its_vote_stops_counting(league):
    lg, brook = league["league"], league["brook"]
    p = make_alliance_proposal(
        lg, person=league["ann"], community=league["ashford"], kind="resolution", title="Pact"
    )
    vote(internal(p, brook), "no")  # Brook votes no, then leaves
    leave = pass_by_vote(brook, league["bea"], "leave_alliance", {"alliance": lg.slug})
    assert leave.passed and "effect" not in leave.result
    m = lg.memberships.get(community=brook)
    assert m.left_at is not None and m.left_by == leave
    left = json.loads(AuditEntry.objects.filter(action="alliance.member_left").last().data)
    assert left["open_votes"] == [p.pk]
    vote(internal(p, league["ashford"]), "yes")
    vote(internal(p, league["cliff"]), "no")
    p = fresh(p)
    # by hand: Brook no longer counts -> 1 yes, 1 no of 2: a tie, fails a majority
    assert p.passed is False
    rows = {r["community"]: r for r in p.result["communities"]}
    assert rows["brook"]["counted"] is False and "no longer counts" in rows["brook"]["note"]
    assert rows["brook"]["choice"] == "no"  # the record keeps what it voted
    assert p.result["totals"]["voters"]["eligible"]["exact"] == "2"


def test_the_charter_can_let_leavers_keep_their_vote(people):
    a = CommunityFactory(name="A", founder=people["ann"])
    b = CommunityFactory(name="B", founder=people["bea"])
    c = CommunityFactory(name="C", founder=people["cal"])
    lg = found_alliance_by_vote(a, people["ann"], admission="open", leavers_keep_vote=True)
    for community, who in ((b, people["bea"]), (c, people["cal"])):
        pass_by_vote(community, who, "join_alliance", {"alliance": lg.slug})
    p = make_alliance_proposal(lg, person=people["ann"], community=a, kind="resolution", title="R")
    assert p.leavers_keep_vote is True
    vote(internal(p, b), "yes")
    pass_by_vote(b, people["bea"], "leave_alliance", {"alliance": lg.slug})
    vote(internal(p, a), "yes")
    vote(internal(p, c), "no")
    p = fresh(p)
    assert p.passed is True  # 2 yes of 3: B's vote still counts
    row = next(r for r in p.result["communities"] if r["community"] == "b")
    assert row["counted"] is True and "still counts" in row["note"]


def test_the_founder_and_then_the_last_member_leave_unblocked(league):
    lg = league["league"]
    open_vote = make_alliance_proposal(
        lg, person=league["bob"], community=league["brook"], kind="resolution", title="Open"
    )
    founder_leaves = pass_by_vote(
        league["ashford"], league["ann"], "leave_alliance", {"alliance": lg.slug}
    )
    assert founder_leaves.passed and "effect" not in founder_leaves.result
    assert json.loads(AuditEntry.objects.filter(action="alliance.member_left").last().data)[
        "founder"
    ]
    pass_by_vote(league["cliff"], league["cal"], "leave_alliance", {"alliance": lg.slug})
    assert lg.active_members().count() == 1
    pass_by_vote(league["brook"], league["bea"], "leave_alliance", {"alliance": lg.slug})
    assert lg.active_members().count() == 0
    assert AuditEntry.objects.filter(action="alliance.dormant").count() == 1
    assert fresh(lg).memberships.count() == 3  # the history stays
    open_vote = fresh(open_vote)  # nobody left whose vote counts: it closes, failing
    assert open_vote.status == "closed" and open_vote.passed is False
    assert Alliance.objects.filter(pk=lg.pk).exists()
    # a dormant alliance has nobody to consent: an applicant is a member at once
    pass_by_vote(league["dale"], league["dan"], "join_alliance", {"alliance": lg.slug})
    assert lg.active_members().get().community == league["dale"]
    assert AuditEntry.objects.filter(action="alliance.revived").count() == 1
    assert verify().ok


def test_leaving_twice_changes_nothing(league):
    lg, cliff = league["league"], league["cliff"]
    first = make_proposal(
        cliff,
        person=league["cal"],
        kind="leave_alliance",
        title="Go",
        payload={"alliance": lg.slug},
    )
    second = make_proposal(
        cliff,
        person=league["cal"],
        kind="leave_alliance",
        title="Go",
        payload={"alliance": lg.slug},
    )
    vote(first)
    vote(second)
    assert fresh(second).passed and "not a member" in second.result["effect"]
    assert lg.memberships.filter(community=cliff).count() == 1


# ---------------------------------------------------------------- eligibility and ballots
def test_eligibility_and_weights_are_frozen_when_voting_opens(league):
    lg, ashford, dale = league["league"], league["ashford"], league["dale"]
    lg_open = found_alliance_by_vote(dale, league["dan"], name="Later", admission="open")
    p = make_alliance_proposal(
        lg_open, person=league["dan"], community=dale, kind="resolution", title="R"
    )
    pass_by_vote(ashford, league["ann"], "join_alliance", {"alliance": lg_open.slug})
    assert lg_open.active_members().count() == 2
    assert list(p.eligible.values_list("community__slug", flat=True)) == ["dale"]
    assert not Proposal.objects.filter(
        community=ashford, kind="alliance_vote", payload__alliance_proposal=p.pk
    ).exists()
    # a person joining a member community after opening neither changes its weight nor votes
    q = make_alliance_proposal(
        lg, person=league["ann"], community=ashford, kind="resolution", title="Q"
    )
    late = add_member(ashford, UserFactory(username="late"))
    assert q.eligible.get(community=ashford).weight == 3
    assert not late.has_perm("proposals.vote", internal(q, ashford))


def test_one_community_one_ballot_enforced_by_the_database(league):
    lg = league["league"]
    p = make_alliance_proposal(
        lg, person=league["ann"], community=league["ashford"], kind="resolution", title="R"
    )
    own = internal(p, league["brook"])
    vote(own)
    ballot = CommunityBallot.objects.get(proposal=p, community=league["brook"])
    assert record_community_ballot(fresh(own)) is None  # recording again adds nothing
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunityBallot.objects.create(
            proposal=p,
            community=league["brook"],
            choice="no",
            decided_by="council",
            cast_at=timezone.now(),
        )
    assert CommunityBallot.objects.filter(proposal=p, community=league["brook"]).get() == ballot


# ---------------------------------------------------------------- how communities cast
def test_each_community_casts_its_vote_its_own_way(league):
    lg = league["league"]
    p = make_alliance_proposal(
        lg, person=league["ann"], community=league["ashford"], kind="resolution", title="R"
    )
    electorates = {
        c: (internal(p, league[c]).electorate, internal(p, league[c]).eligible.count())
        for c in ("ashford", "brook", "cliff")
    }
    assert electorates == {
        "ashford": ("members", 3),
        "brook": ("council", 1),
        "cliff": ("leader", 1),
    }
    assert not league["bob"].has_perm("proposals.vote", internal(p, league["brook"]))
    # Brook decides by its own vote that all its members cast its alliance votes
    pass_by_vote(league["brook"], league["bea"], "alliance_casting", {"by": "members"})
    q = make_alliance_proposal(
        lg, person=league["ann"], community=league["ashford"], kind="resolution", title="Q"
    )
    own = internal(q, league["brook"])
    assert (own.electorate, own.eligible.count()) == ("members", 2)
    assert league["bob"].has_perm("proposals.vote", own)
    assert internal(p, league["brook"]).electorate == "council"  # open votes keep theirs
    with pytest.raises(ValidationError, match="already how"):
        make_proposal(
            league["brook"],
            person=league["bea"],
            kind="alliance_casting",
            title="x",
            payload={"by": "members"},
        )


def test_internal_votes_open_with_the_alliance_vote_and_close_before_it(league):
    lg = league["league"]
    p = make_alliance_proposal(
        lg, person=league["ann"], community=league["ashford"], kind="resolution", title="R"
    )
    window = p.closes_at - p.opened_at
    assert window.total_seconds() == 3600
    assert (p.closes_at - p.internal_closes_at).total_seconds() == 360  # a tenth
    for e in p.eligible.select_related("internal"):
        assert e.internal.opened_at == p.opened_at or e.internal.opened_at >= p.opened_at
        assert e.internal.closes_at == p.internal_closes_at < p.closes_at
        assert e.internal.kind == "alliance_vote" and e.internal.author is None
    own = internal(p, league["ashford"])
    expire(own)
    with pytest.raises(VotingClosed):
        cast_vote(own, person=league["amy"], choice="yes")
    with pytest.raises(ValidationError, match="opened by the platform"):
        make_proposal(
            league["ashford"], person=league["ann"], kind="alliance_vote", title="x", payload={}
        )


def test_community_page_and_alliance_page_close_due_votes_on_first_read(league, client):
    lg = league["league"]
    p = make_alliance_proposal(
        lg, person=league["ann"], community=league["ashford"], kind="resolution", title="R"
    )
    own = internal(p, league["ashford"])
    cast_vote(own, person=league["ann"], choice="yes")
    expire(own)
    client.get("/communities/ashford/")  # the community's own vote closes there
    assert fresh(own).status == "closed"
    assert CommunityBallot.objects.filter(
        proposal=p, community=league["ashford"], choice="yes"
    ).exists()
    AllianceProposal.objects.filter(pk=p.pk).update(closes_at=timezone.now())
    for e in p.eligible.all():
        Proposal.objects.filter(pk=e.internal_id).update(closes_at=timezone.now())
    assert client.get(f"/alliances/{lg.slug}/").status_code == 200
    p = fresh(p)
    assert p.status == "closed" and p.passed is True  # 1 yes; Brook and Cliff did not vote
    rows = {r["community"]: r["choice"] for r in p.result["communities"]}
    assert rows == {"ashford": "yes", "brook": "none", "cliff": "none"}


def test_close_due_proposals_command_closes_communities_then_alliances(league):
    lg = league["league"]
    p = make_alliance_proposal(
        lg, person=league["ann"], community=league["ashford"], kind="resolution", title="R"
    )
    cast_vote(internal(p, league["cliff"]), person=league["cal"], choice="no")
    cast_vote(internal(p, league["ashford"]), person=league["amy"], choice="yes")
    for e in p.eligible.all():
        expire(e.internal)
    expire_alliance = AllianceProposal.objects.filter(pk=p.pk)
    expire_alliance.update(closes_at=timezone.now())
    out = StringIO()
    call_command("close_due_proposals", stdout=out)
    text = out.getvalue()
    assert f"alliance proposal {p.pk} (valley-league): failed" in text
    assert "2 proposal(s) closed" in text and "1 other vote(s) closed" in text
    # Ashford 1 yes (passes), Brook nothing, Cliff no: 1 yes 1 no = a tie: fails
    assert {r["community"]: r["choice"] for r in fresh(p).result["communities"]} == {
        "ashford": "yes",
        "brook": "none",
        "cliff": "no",
    }


# ---------------------------------------------------------------- tallies by hand
def _alliance_of(people, sizes, *, method, rule, governance=None):
    """Communities of the given sizes in an open-admission alliance (the first founds)."""
    governance = governance or {}
    communities, heads = [], []
    for i, size in enumerate(sizes):
        head = UserFactory(username=f"head{i}")
        kw = {"governance": governance.get(i, "assembly")}
        c = CommunityFactory(name=f"C{i}", founder=head, **kw)
        for j in range(size - 1):
            add_member(c, UserFactory(username=f"m{i}-{j}"))
        communities.append(c)
        heads.append(head)
    lg = found_alliance_by_vote(
        communities[0], heads[0], method=method, rule=rule, admission="open"
    )
    for c, head in zip(communities[1:], heads[1:], strict=True):
        pass_by_vote(c, head, "join_alliance", {"alliance": lg.slug})
    return lg, communities, heads


def _members(proposal):
    return [
        e.person for e in proposal.eligible.select_related("person").order_by("person__username")
    ]


@pytest.mark.parametrize(("rule", "expected"), [(MAJORITY, False), (HALF_OR_MORE, True)])
def test_one_vote_each_exactly_half_of_the_communities(people, rule, expected):
    lg, cs, heads = _alliance_of(people, [1, 1, 1, 1], method="equal", rule=rule)
    p = make_alliance_proposal(lg, person=heads[0], community=cs[0], kind="resolution", title="R")
    for c, choice in zip(cs, ["yes", "yes", "no", "no"], strict=True):
        vote(internal(p, c), choice)
    p = fresh(p)
    # by hand: 2 yes of 4 = 1/2; "more than half" needs 3, "at least half" 2
    assert p.passed is expected, p.result["reasons"]
    condition = p.result["conditions"][0]
    assert (condition["have"], condition["value"], condition["needed"]) == (
        "2",
        "1/2",
        "3" if rule["strict"] else "2",
    )


@pytest.mark.parametrize(("rule", "expected"), [(TWO_THIRDS, True), (MORE_THAN_TWO_THIRDS, False)])
def test_weighted_exactly_at_the_threshold_of_members(people, rule, expected):
    # C0: 4 members, votes internally 1 yes 2 no (one does not vote): it fails there, but
    # its weight is split 4/3 yes, 8/3 no. C1: a council of 1 with 4 members: yes, whole.
    # By hand: yes 4/3 + 4 = 16/3 of 8 = exactly 2/3.
    lg, cs, heads = _alliance_of(
        people, [4, 4], method="weighted", rule=rule, governance={1: "council"}
    )
    p = make_alliance_proposal(lg, person=heads[0], community=cs[0], kind="resolution", title="R")
    a = internal(p, cs[0])
    m = _members(a)
    vote(a, {m[0]: "yes", m[1]: "no", m[2]: "no"})
    vote(internal(p, cs[1]), "yes")
    p = close_alliance_proposal(p, force=True)
    assert p.passed is expected, p.result["reasons"]
    assert p.result["totals"]["weight"]["yes"]["exact"] == "16/3"
    assert p.result["totals"]["weight"]["valid"]["exact"] == "8"
    assert p.result["conditions"][0]["needed"] == "16/3"
    rows = {r["community"]: r for r in p.result["communities"]}
    assert rows["c0"]["choice"] == "no" and rows["c0"]["split"] is True
    assert rows["c0"]["cast"]["weight"] == {"yes": "4/3", "no": "8/3", "abstain": "0"}
    assert rows["c1"]["decided_by"] == "council" and rows["c1"]["cast"]["weight"]["yes"] == "4"


@pytest.mark.parametrize(
    ("sizes", "choices", "conditions"),
    [
        # 3 of 4 communities, but they represent 5 of 10 members: exactly half fails
        (
            [3, 1, 1, 5],
            ["yes", "yes", "yes", "no"],
            {"voters": (True, "3/4"), "weight": (False, "1/2")},
        ),
        # 2 of 4 communities (exactly half) though they represent 11 of 20 members
        (
            [10, 1, 1, 8],
            ["yes", "yes", "no", "no"],
            {"voters": (False, "1/2"), "weight": (True, "11/20")},
        ),
    ],
)
def test_double_majority_exactly_half_of_communities_or_of_members_fails(
    people, sizes, choices, conditions
):
    lg, cs, heads = _alliance_of(people, sizes, method="double", rule=MAJORITY)
    p = make_alliance_proposal(lg, person=heads[0], community=cs[0], kind="resolution", title="R")
    for c, choice in zip(cs, choices, strict=True):
        vote(internal(p, c), choice)
    p = fresh(p)
    got = {c["name"].split("_")[0]: (c["passed"], c["value"]) for c in p.result["conditions"]}
    assert got == conditions
    assert p.passed is False


# ---------------------------------------------------------------- the kinds registry
class Recognise(alliance_kinds.AllianceKind):
    """An alliance-level kind registered after the alliance was founded (as the registry
    of recognition will add one)."""

    name, label = "test_recognise", "Recognise a community (test)"

    def clean(self, alliance, payload):
        from secession.web.apps.communities.models import Community

        community = Community.objects.filter(slug=payload.get("community")).first()
        if community is None:
            raise ValidationError("name a community to recognise")
        return {"subject": community.pk}

    def apply(self, proposal):
        proposal.subject.description = f"Recognised by {proposal.alliance.name}"
        proposal.subject.save(update_fields=["description"])
        return ""


@pytest.fixture
def recognise():
    kind = alliance_kinds.register(Recognise())
    yield kind
    alliance_kinds._KINDS.pop(kind.name)


def test_an_alliance_kind_added_later_uses_the_founders_rule_and_works(league, recognise):
    lg = league["league"]
    assert not AllianceRule.objects.filter(alliance=lg, kind=recognise.name).exists()
    p = make_alliance_proposal(
        lg,
        person=league["ann"],
        community=league["ashford"],
        kind=recognise.name,
        title="Recognise Out",
        payload={"community": "out"},
    )
    assert p.subject == league["out"]
    rule = AllianceRule.objects.get(alliance=lg, kind=recognise.name)
    assert (rule.method, rule.rule) == (lg.founding_rule["method"], lg.founding_rule["rule"])
    for c in ("ashford", "brook", "cliff"):
        vote(internal(p, league[c]))
    assert fresh(league["out"]).description == "Recognised by Valley League"
    with pytest.raises(ValidationError, match="unknown alliance proposal kind 'coup'"):
        make_alliance_proposal(
            lg, person=league["ann"], community=league["ashford"], kind="coup", title="x"
        )


def test_only_members_of_member_communities_propose_and_for_their_own(league):
    lg = league["league"]
    with pytest.raises(PermissionDenied):
        make_alliance_proposal(
            lg, person=league["oz"], community=league["out"], kind="resolution", title="x"
        )
    with pytest.raises(PermissionDenied, match="you are a member of"):
        make_alliance_proposal(
            lg, person=league["ann"], community=league["brook"], kind="resolution", title="x"
        )
    with pytest.raises(ValidationError, match="opened by the platform"):
        make_alliance_proposal(
            lg, person=league["ann"], community=league["ashford"], kind="admit_member", title="x"
        )


# ---------------------------------------------------------------- mutual aid
def test_the_board_of_mutual_aid(league):
    lg = league["league"]
    ask = post_pledge(
        lg,
        person=league["cal"],
        community=league["cliff"],
        kind="request",
        title="Seed",
        details="Barley",
    )
    with pytest.raises(PermissionDenied):  # not an office holder of Brook
        post_pledge(lg, person=league["bob"], community=league["brook"], kind="offer", title="x")
    with pytest.raises(PermissionDenied, match="do not act for"):
        post_pledge(lg, person=league["bea"], community=league["ashford"], kind="offer", title="x")
    with pytest.raises(PermissionDenied):
        post_pledge(lg, person=league["oz"], community=league["out"], kind="offer", title="x")
    with pytest.raises(ValidationError, match="only an offer can answer"):
        post_pledge(
            lg,
            person=league["bea"],
            community=league["brook"],
            kind="request",
            title="x",
            answers=ask,
        )
    offer = post_pledge(
        lg,
        person=league["bea"],
        community=league["brook"],
        kind="offer",
        title="Barley seed",
        answers=ask,
    )
    assert offer.answers == ask
    with pytest.raises(PermissionDenied):  # only Cliff's office holder closes Cliff's request
        close_pledge(ask, person=league["bea"], status="fulfilled")
    done = close_pledge(ask, person=league["cal"], status="fulfilled", note="Brook sent it")
    assert (done.status, done.note, done.closed_by) == ("fulfilled", "Brook sent it", league["cal"])
    with pytest.raises(Refused, match="already closed"):
        close_pledge(ask, person=league["cal"], status="not_fulfilled")
    with pytest.raises(ValidationError, match="must be open"):
        post_pledge(
            lg,
            person=league["bea"],
            community=league["brook"],
            kind="offer",
            title="y",
            answers=ask,
        )
    actions = list(
        AuditEntry.objects.filter(action__startswith="pledge.").values_list("action", flat=True)
    )
    assert actions == ["pledge.posted", "pledge.posted", "pledge.closed"]


# ---------------------------------------------------------------- the record
def test_audit_chain_verifies_and_names_every_step(league):
    lg = league["league"]
    p = make_alliance_proposal(
        lg, person=league["ann"], community=league["ashford"], kind="resolution", title="R"
    )
    for c in ("ashford", "brook", "cliff"):
        vote(internal(p, league[c]))
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    from secession.web.apps.alliances import events

    assert {
        events.FOUNDED,
        events.CHARTER_ADOPTED,
        events.MEMBER_JOINED,
        events.APPLICATION_RECEIVED,
        events.PROPOSAL_OPENED,
        events.COMMUNITY_VOTED,
        events.PROPOSAL_CLOSED,
    } <= actions
    voted = AuditEntry.objects.filter(
        action=events.COMMUNITY_VOTED, community_id=league["brook"].pk
    ).last()
    assert json.loads(voted.data)["decided_by"] == "council"
    assert verify().ok


def test_the_communitys_export_lists_its_alliance_proposals_and_pledges(league):
    from secession.web.apps.accounts.exports import exported_sections

    lg = league["league"]
    make_alliance_proposal(
        lg, person=league["bob"], community=league["brook"], kind="resolution", title="Mine"
    )
    post_pledge(lg, person=league["cal"], community=league["cliff"], kind="offer", title="Tools")
    assert [p["title"] for p in exported_sections(league["bob"])["alliance_proposals"]] == ["Mine"]
    assert [p["title"] for p in exported_sections(league["cal"])["pledges"]] == ["Tools"]


def test_founding_partners_join_by_their_own_vote_without_an_admission_vote(people):
    ash = CommunityFactory(name="Ash", founder=people["ann"])
    birch = CommunityFactory(name="Birch", founder=people["bea"])
    cedar = CommunityFactory(name="Cedar", founder=people["cal"])
    elm = CommunityFactory(name="Elm", founder=people["dan"])
    with pytest.raises(ValidationError, match="no community 'nowhere'"):
        make_proposal(
            ash,
            person=people["ann"],
            kind="found_alliance",
            title="F",
            payload={
                "name": "Grove",
                "charter": "x",
                "rule": MAJORITY,
                "window_minutes": 60,
                "partners": ["birch", "nowhere"],
            },
        )
    lg = found_alliance_by_vote(ash, people["ann"], name="Grove", partners="birch, cedar, ash")
    assert lg.invited == sorted([birch.pk, cedar.pk])  # the founder itself is no partner
    for community, who in ((birch, people["bea"]), (cedar, people["cal"])):
        pass_by_vote(community, who, "join_alliance", {"alliance": lg.slug})
    assert sorted(lg.active_members().values_list("community__slug", flat=True)) == [
        "ash",
        "birch",
        "cedar",
    ]
    assert all(m.founder for m in lg.memberships.all())
    assert not AllianceProposal.objects.exists() and fresh(lg).invited == []
    # a community that was not invited applies: the three founders vote on it
    pass_by_vote(elm, people["dan"], "join_alliance", {"alliance": lg.slug})
    assert AllianceProposal.objects.get().kind == "admit_member"


def test_a_community_vote_still_being_counted_is_waited_for(league):
    """A community whose own vote is a verifiable ballot: at the alliance's close its
    trustees may still be decrypting; the alliance vote waits for its ballot."""
    lg = league["league"]
    p = make_alliance_proposal(
        lg, person=league["ann"], community=league["ashford"], kind="resolution", title="R"
    )
    vote(internal(p, league["brook"]), "yes")
    vote(internal(p, league["cliff"]), "no")
    own = internal(p, league["ashford"])
    Proposal.objects.filter(pk=own.pk).update(status="counting")  # as a verifiable vote
    AllianceProposal.objects.filter(pk=p.pk).update(closes_at=timezone.now())
    assert close_due_alliance_proposals() == [fresh(p)]
    assert fresh(p).status == "open"  # waiting for Ashford's count
    Proposal.objects.filter(pk=own.pk).update(
        status="closed", passed=True, result={"totals": {"yes": 3, "no": 0, "abstain": 0}}
    )
    record_community_ballot(fresh(own))  # what the count's close does
    p = fresh(p)
    assert p.status == "closed" and p.passed is True  # 2 of 3
    assert p.result["closed_because"] == "the voting window ended"
