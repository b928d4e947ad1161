"""Proposals and votes: electorate fixed at opening, one vote each, rules from the
referendum engine, secret ballots unlinkable, results final with reasons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from secession.web.apps.accounts.actions import export_data
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.communities.actions import join_community, leave_community
from secession.web.apps.communities.models import Role
from secession.web.apps.proposals.actions import (
    cast_vote,
    close_due_proposals,
    close_proposal,
    make_proposal,
    rule_for,
)
from secession.web.apps.proposals.models import Ballot, Proposal, SecretBallotPaper
from secession.web.apps.proposals.present import proposal_data
from secession.web.errors import AlreadyVoted, VotingClosed

from .factories import CommunityFactory, UserFactory, add_member, admit, expire


@pytest.fixture
def five(community, founder):
    """The founder and four more members."""
    return [founder, *(add_member(community, UserFactory(username=f"m{i}")) for i in range(4))]


def test_anonymous_and_outsiders_cannot_propose(community, outsider):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        make_proposal(community, person=AnonymousUser(), kind="resolution", title="x")
    with pytest.raises(PermissionDenied):
        make_proposal(community, person=outsider, kind="resolution", title="x")


def test_member_proposes_and_electorate_is_fixed(community, five):
    p = make_proposal(community, person=five[1], kind="resolution", title="Open a library")
    assert p.status == "open" and p.eligible.count() == 5
    late = add_member(community, UserFactory(username="late"))
    with pytest.raises(PermissionDenied, match="electorate"):
        cast_vote(p, person=late, choice="yes")
    # leaving does not take away a vote already granted, and nothing blocks leaving
    leave_community(community, person=five[4])
    cast_vote(p, person=five[4], choice="no")
    assert p.ballots.count() == 1


def test_outsider_cannot_vote(community, five, outsider):
    p = make_proposal(community, person=five[0], kind="resolution", title="x")
    with pytest.raises(PermissionDenied):
        cast_vote(p, person=outsider, choice="yes")


def test_one_member_one_vote(community, five):
    p = make_proposal(community, person=five[0], kind="resolution", title="x")
    cast_vote(p, person=five[1], choice="yes")
    with pytest.raises(AlreadyVoted):
        cast_vote(p, person=five[1], choice="no")
    assert list(p.ballots.values_list("choice", flat=True)) == ["yes"]
    # the database itself refuses a second ballot, whatever the code path
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(proposal=p, voter=five[1], voted_at=timezone.now(), choice="no")


def test_bad_choice_refused(community, five):
    p = make_proposal(community, person=five[0], kind="resolution", title="x")
    with pytest.raises(ValidationError):
        cast_vote(p, person=five[1], choice="maybe")


def test_simple_majority_result_with_reasons(community, five):
    p = make_proposal(community, person=five[0], kind="resolution", title="Plant trees")
    for person, choice in zip(five[:4], ["yes", "yes", "no", "abstain"], strict=True):
        cast_vote(p, person=person, choice=choice)
    expire(p)
    p = close_proposal(p)
    assert p.passed is True
    assert p.result["totals"]["yes"] == 2 and p.result["totals"]["no"] == 1
    assert p.result["eligible"] == 5 and p.result["voters"] == 4
    assert any("threshold met" in r for r in p.result["reasons"])
    assert p.result["closed_because"] == "the voting window ended"
    # final: a vote after close is refused, closing again changes nothing
    with pytest.raises(VotingClosed):
        cast_vote(p, person=five[4], choice="no")
    assert close_proposal(p).result == p.result


def test_tie_fails_simple_majority(community, five):
    p = make_proposal(community, person=five[0], kind="resolution", title="x")
    cast_vote(p, person=five[0], choice="yes")
    cast_vote(p, person=five[1], choice="no")
    expire(p)
    p = close_proposal(p)
    assert p.passed is False
    assert p.result["reasons"][0].startswith("threshold not met")


def test_vote_after_window_refused_and_closed_on_first_read(community, five):
    p = make_proposal(community, person=five[0], kind="resolution", title="x")
    cast_vote(p, person=five[0], choice="yes")
    expire(p)
    with pytest.raises(VotingClosed):
        cast_vote(p, person=five[1], choice="yes")
    assert Proposal.objects.get(pk=p.pk).status == "open"  # nobody has read it yet
    data = proposal_data(p)
    assert data["status"] == "closed" and data["passed"] is True
    assert Proposal.objects.get(pk=p.pk).status == "closed"


def test_cannot_close_early_without_force(community, five):
    p = make_proposal(community, person=five[0], kind="resolution", title="x")
    with pytest.raises(ValidationError, match="still open"):
        close_proposal(p)


def test_closes_when_whole_electorate_has_voted(community, founder):
    bob = add_member(community, UserFactory(username="bob"))
    p = make_proposal(community, person=founder, kind="resolution", title="x")
    cast_vote(p, person=founder, choice="yes")
    p.refresh_from_db()
    assert p.status == "open"
    cast_vote(p, person=bob, choice="yes")
    p.refresh_from_db()
    assert p.status == "closed" and p.passed is True
    assert p.result["closed_because"] == "every eligible member has voted"


def test_management_command_closes_due(community, five, capsys):
    due = make_proposal(community, person=five[0], kind="resolution", title="due")
    later = make_proposal(community, person=five[0], kind="resolution", title="later")
    cast_vote(due, person=five[1], choice="no")
    expire(due)
    call_command("close_due_proposals")
    out = capsys.readouterr().out
    assert f"proposal {due.pk} (riverside): failed" in out and "1 proposal(s) closed" in out
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == "closed" and later.status == "open"
    assert close_due_proposals() == []


def test_secret_ballot_keeps_who_apart_from_what(community, five):
    p = make_proposal(
        community,
        person=five[0],
        kind="declare_independence",
        title="Go",
        payload={"from_name": "X"},
    )
    assert p.secret is True
    assert SecretBallotPaper.objects.filter(proposal=p).count() == 5
    for person, choice in zip(five[:3], ["yes", "yes", "no"], strict=True):
        cast_vote(p, person=person, choice=choice)
    # the participation table has no choice; the papers have no person and no time
    assert set(p.ballots.values_list("choice", flat=True)) == {""}
    paper_fields = {f.name for f in SecretBallotPaper._meta.get_fields()}
    assert paper_fields == {"id", "proposal", "choice"}
    assert sorted(p.papers.exclude(choice="").values_list("choice", flat=True)) == [
        "no",
        "yes",
        "yes",
    ]
    data = proposal_data(p)
    assert data["counts"] is None and data["papers"] == [] and data["public_votes"] == []
    assert sorted(data["participants"]) == ["founder", "m0", "m1"]
    votes = AuditEntry.objects.filter(action="vote.cast", target_id=str(p.pk))
    assert votes.count() == 3 and set(votes.values_list("data", flat=True)) == {"{}"}
    assert export_data(five[0], person=five[0])["votes"][0]["choice"] is None
    keys_while_open = set(p.papers.values_list("id", flat=True))
    expire(p)
    data = proposal_data(p)
    # closing re-issues the papers: same choices, new keys, nothing left of the vote writes
    assert not keys_while_open & set(p.papers.values_list("id", flat=True))
    # blank papers of those who did not vote are not kept; the three votes are
    assert p.papers.count() == 3 and p.papers.filter(choice="").count() == 0
    # two thirds of 3 valid votes met, quorum 1/2 of 5 met (3 voted)
    assert data["passed"] is True and data["counts"] == {"yes": 2, "no": 1, "abstain": 0}
    assert [x["id"] for x in data["papers"]] == sorted(x["id"] for x in data["papers"])


def test_independence_fails_without_quorum(founder):
    parent = CommunityFactory(name="Big Country", founder=founder)
    child = admit(CommunityFactory(name="Small Region", parent=parent, founder=founder))
    others = [add_member(child, UserFactory(username=f"c{i}")) for i in range(3)]
    p = make_proposal(child, person=others[0], kind="declare_independence", title="Leave")
    cast_vote(p, person=others[0], choice="yes")
    expire(p)
    p = close_proposal(p)
    assert p.passed is False and any("quorum not met" in r for r in p.result["reasons"])
    child.refresh_from_db()
    assert child.parent == parent and not child.independent


def test_independence_passes_and_leaves_parent(founder):
    parent = CommunityFactory(name="Big Country", founder=founder)
    child = admit(CommunityFactory(name="Small Region", parent=parent, founder=founder))
    bob = add_member(child, UserFactory(username="bob"))
    p = make_proposal(child, person=bob, kind="declare_independence", title="Leave")
    cast_vote(p, person=bob, choice="yes")
    cast_vote(p, person=founder, choice="yes")
    child.refresh_from_db()
    assert child.independent and child.parent is None
    assert child.independent_from == "Big Country"


def test_rule_change_applies_to_later_proposals_only(community, five):
    rule = {"name": "three-quarters", "threshold": "3/4", "strict": False}
    before = make_proposal(community, person=five[0], kind="resolution", title="before")
    change = make_proposal(
        community,
        person=five[0],
        kind="change_rule",
        title="Resolutions need three quarters",
        payload={"target_kind": "resolution", "rule": rule, "window_minutes": 60, "secret": True},
    )
    for person in five[:4]:
        cast_vote(change, person=person, choice="yes")
    expire(change)
    assert close_proposal(change).passed is True
    current = rule_for(community, "resolution")
    assert current.rule["threshold"] == "3/4" and current.secret and current.window_minutes == 60
    after = make_proposal(community, person=five[0], kind="resolution", title="after")
    assert after.secret and after.rule["threshold"] == "3/4"
    assert (after.closes_at - after.opened_at) == timedelta(minutes=60)
    before.refresh_from_db()
    assert before.rule["threshold"] == "1/2" and not before.secret
    # 2 yes of 3 valid is 2/3 < 3/4: fails under the new rule
    for person, choice in zip(five[:3], ["yes", "yes", "no"], strict=True):
        cast_vote(after, person=person, choice=choice)
    expire(after)
    assert close_proposal(after).passed is False


def test_invalid_rule_change_refused(community, five):
    with pytest.raises(ValidationError, match="threshold"):
        make_proposal(
            community,
            person=five[0],
            kind="change_rule",
            title="bad",
            payload={
                "target_kind": "resolution",
                "rule": {"threshold": "7/5"},
                "window_minutes": 5,
            },
        )


def test_governance_change_to_council_and_resolutions_go_to_council(community, five):
    council = [five[1].pk, five[2].pk]
    p = make_proposal(
        community,
        person=five[0],
        kind="change_governance",
        title="Elect a council",
        payload={"governance": "council", "office_holders": council},
    )
    for person in five:
        cast_vote(p, person=person, choice="yes")
    community.refresh_from_db()
    assert community.governance == "council"
    roles = dict(community.active_members().values_list("person_id", "role"))
    assert roles[five[1].pk] == Role.COUNCIL and roles[five[0].pk] == Role.MEMBER
    res = make_proposal(community, person=five[3], kind="resolution", title="Budget")
    assert res.electorate == "council" and set(
        res.eligible.values_list("person_id", flat=True)
    ) == set(council)
    with pytest.raises(PermissionDenied):
        cast_vote(res, person=five[3], choice="yes")
    # constitutional questions still go to every member
    amend = make_proposal(
        community, person=five[3], kind="amend_constitution", title="A", payload={"text": "New."}
    )
    assert amend.electorate == "members" and amend.eligible.count() == 5


def test_leader_needs_a_capital_and_one_member(community, five):
    with pytest.raises(ValidationError, match="capital"):
        make_proposal(
            community,
            person=five[0],
            kind="change_governance",
            title="x",
            payload={"governance": "leader", "office_holders": [five[1].pk]},
        )
    with pytest.raises(ValidationError, match="members"):
        make_proposal(
            community,
            person=five[0],
            kind="change_governance",
            title="x",
            payload={"governance": "leader", "capital": "Mill", "office_holders": [999999]},
        )


def test_join_after_opening_rejoin_cannot_vote(community, five):
    leave_community(community, person=five[4])
    p = make_proposal(community, person=five[0], kind="resolution", title="x")
    join_community(community, person=five[4])
    with pytest.raises(PermissionDenied):
        cast_vote(p, person=five[4], choice="yes")


def test_leader_governance_roles(founder):
    """Under a leader with a capital: the leader decides resolutions and edits the page;
    constitutional questions still go to every member; the leader may leave like anyone."""
    from secession.web.apps.communities.actions import edit_community

    realm = CommunityFactory(name="Realm", governance="leader", capital="Hilltop", founder=founder)
    subject = add_member(realm, UserFactory(username="subject"))
    with pytest.raises(PermissionDenied):
        edit_community(realm, person=subject, description="mine")
    edit_community(realm, person=founder, description="The leader's words")
    res = make_proposal(realm, person=subject, kind="resolution", title="Road")
    assert res.electorate == "leader" and res.eligible.get().person == founder
    with pytest.raises(PermissionDenied):
        cast_vote(res, person=subject, choice="yes")
    cast_vote(res, person=founder, choice="no")
    res.refresh_from_db()
    assert res.status == "closed" and res.passed is False
    change = make_proposal(
        realm,
        person=subject,
        kind="change_governance",
        title="Assembly now",
        payload={"governance": "assembly"},
    )
    assert change.electorate == "members" and change.eligible.count() == 2
    leave_community(realm, person=founder)  # nothing blocks the leader from leaving
    after = make_proposal(realm, person=subject, kind="resolution", title="Who decides?")
    assert after.electorate == "members"  # no leader in office: all members decide


def _choices(obj) -> list:
    """Every non-empty ``choice`` value in a JSON tree."""
    if isinstance(obj, dict):
        own = [obj["choice"]] if obj.get("choice") not in (None, "") else []
        return own + [c for value in obj.values() for c in _choices(value)]
    if isinstance(obj, list):
        return [c for value in obj for c in _choices(value)]
    return []


def _own_choice(obj: dict) -> bool:
    """Whether ``obj`` or an object nested in it (not in a list: a list of anonymous
    papers next to a name is no link) holds a choice."""
    if obj.get("choice") not in (None, ""):
        return True
    return any(isinstance(v, dict) and _own_choice(v) for v in obj.values())


def _linked(obj, names: set[str], ids: set[int]) -> list:
    """Every JSON object that names a voter and holds a choice (itself or nested)."""
    found = []
    if isinstance(obj, dict):
        values = {str(v) for v in obj.values() if not isinstance(v, dict | list)}
        if values & (names | {str(i) for i in ids}) and _own_choice(obj):
            found.append(obj)
        for value in obj.values():
            found += _linked(value, names, ids)
    elif isinstance(obj, list):
        for value in obj:
            found += _linked(value, names, ids)
    return found


def test_secret_vote_is_unlinked_on_every_page_api_and_export(community, five):
    """Three voters choose yes, no and abstain (so any link would show). No API answer,
    export or audit entry holds an object naming a voter with a choice; no table row of a
    page shows a voter next to a choice; before the close there are no running totals."""
    import json as jsonlib
    import re

    from django.test import Client

    p = make_proposal(
        community,
        person=five[0],
        kind="declare_independence",
        title="Go",
        payload={"from_name": "X"},
    )
    voters = dict(zip(five[:3], ["yes", "no", "abstain"], strict=True))
    names = {u.username for u in voters}
    ids = {u.pk for u in voters}
    for person, choice in voters.items():
        cast_vote(p, person=person, choice=choice)

    def surfaces():
        anon = Client()
        yield "api proposal", anon.get(f"/api/proposals/{p.pk}").json()
        yield "api audit", anon.get("/api/audit").json()
        yield "api members", anon.get(f"/api/communities/{community.slug}/members?history=1").json()
        for person in voters:
            client = Client()
            client.force_login(person)
            yield f"export {person}", jsonlib.loads(client.get("/accounts/me/export.json").content)
            yield f"api export {person}", client.get("/api/accounts/me/export").json()

    def exports():
        for label, data in surfaces():
            if "export" in label:
                yield label, data

    def page_rows():
        for person in [None, *voters]:
            client = Client()
            if person is not None:
                client.force_login(person)
            for path in (f"/proposals/{p.pk}/", "/audit/", f"/communities/{community.slug}/"):
                html = client.get(path).content.decode()
                yield from re.findall(r"<tr>.*?</tr>|<li>.*?</li>", html, flags=re.S)

    def check(stage):
        for label, data in surfaces():
            assert _linked(data, names, ids) == [], (stage, label)
        for label, data in exports():  # an export is one person's: no choice in it at all
            assert _choices(data) == [], (stage, label)
        for row in page_rows():
            text = re.sub(r"<[^>]+>", " ", row)
            has_name = any(re.search(rf"\b{n}\b", text) for n in names)
            has_choice = re.search(r"\b(yes|no|abstain)\b", text, flags=re.I)
            assert not (has_name and has_choice), (stage, row)

    check("open")
    assert Client().get(f"/api/proposals/{p.pk}").json()["counts"] is None
    audit = Client().get("/api/audit").json()
    assert [e["data"] for e in audit if e["action"] == "vote.cast"] == [{}, {}, {}]
    expire(p)
    check("closed")
    closed = Client().get(f"/api/proposals/{p.pk}").json()
    assert closed["counts"] == {"yes": 1, "no": 1, "abstain": 1}
    assert sorted(x["choice"] for x in closed["papers"]) == ["abstain", "no", "yes"]
    assert set(closed["participants"]) == names


def test_page_and_api_reads_close_only_that_communitys_due_proposals(community, five, founder):
    from django.test import Client

    other = CommunityFactory(name="Elsewhere", founder=founder)
    here = make_proposal(community, person=five[1], kind="resolution", title="here")
    there = make_proposal(other, person=founder, kind="resolution", title="there")
    expire(here)
    expire(there)
    assert Client().get(f"/communities/{community.slug}/").status_code == 200
    here.refresh_from_db()
    there.refresh_from_db()
    assert (here.status, there.status) == ("closed", "open")
    Client().get(f"/api/proposals?community={other.slug}")
    there.refresh_from_db()
    assert there.status == "closed" and there.result["closed_because"] == "the voting window ended"


def test_each_kind_says_what_it_does_if_it_passes(community, five):
    from secession.web.apps.communities.models import Community

    texts = {}
    for kind, payload in [
        ("resolution", {}),
        ("amend_constitution", {"text": "New."}),
        ("change_governance", {"governance": "council", "office_holders": [five[1].pk]}),
        (
            "change_rule",
            {
                "target_kind": "resolution",
                "rule": {"name": "three-quarters", "threshold": "3/4", "strict": False},
                "window_minutes": 90,
                "secret": True,
            },
        ),
    ]:
        p = make_proposal(community, person=five[0], kind=kind, title=kind, payload=payload)
        texts[kind] = proposal_data(p)["payload_text"]
    assert (
        texts["change_governance"]
        == "Riverside will govern itself as an elected council; council: m0."
    )
    assert texts["change_rule"].startswith(
        "New rule for proposals of kind “resolution”: Passes when at least three quarters"
    )
    assert "Voting lasts 1 hour 30 minutes. Secret ballot." in texts["change_rule"]
    assert "becomes the constitution of Riverside" in texts["amend_constitution"]
    child = admit(CommunityFactory(name="Hamlet", parent=community, founder=five[0]))
    p = make_proposal(child, person=five[0], kind="declare_independence", title="Go")
    data = proposal_data(p)
    assert data["payload_text"] == "Hamlet declares itself independent of Riverside."
    assert data["window_text"] == "30 days"
    assert Community.objects.get(pk=child.pk).parent == community


def test_rule_change_form_can_count_abstentions(community, five):
    from django.test import Client

    client = Client()
    client.force_login(five[1])
    client.post(
        "/proposals/new/riverside/?kind=change_rule",
        {
            "title": "Abstentions count",
            "target_kind": "resolution",
            "threshold": "1/2",
            "strict": "more",
            "abstentions_count": "on",
            "window_minutes": "60",
        },
    )
    change = Proposal.objects.get(title="Abstentions count")
    assert change.payload["rule"]["count_abstentions_as_valid"] is True
    for person in five:
        cast_vote(change, person=person, choice="yes")
    later = make_proposal(community, person=five[0], kind="resolution", title="Later")
    # 2 yes, 1 no, 2 abstain: passes when abstentions are ignored (2 of 3), fails now (2 of 5)
    for person, choice in zip(five, ["yes", "yes", "no", "abstain", "abstain"], strict=True):
        cast_vote(later, person=person, choice=choice)
    later.refresh_from_db()
    assert later.passed is False and later.result["totals"]["valid"] == 5


def test_second_independence_passing_changes_nothing(founder):
    parent = CommunityFactory(name="Big Land", founder=founder)
    child = admit(CommunityFactory(name="Shire", parent=parent, founder=founder))
    first = make_proposal(child, person=founder, kind="declare_independence", title="One")
    second = make_proposal(child, person=founder, kind="declare_independence", title="Two")
    cast_vote(first, person=founder, choice="yes")
    child.refresh_from_db()
    assert child.independent and child.independent_from == "Big Land" and child.parent is None
    cast_vote(second, person=founder, choice="yes")
    second.refresh_from_db()
    child.refresh_from_db()
    assert second.passed is True
    assert second.result["effect"] == "nothing to do: Shire was already independent"
    assert child.independent_from == "Big Land"  # the first declaration's record stays
    skipped = AuditEntry.objects.get(action="proposal.effect_skipped")
    assert skipped.target_id == str(second.pk)
    from secession.web.apps.audit.log import verify

    assert verify().ok
