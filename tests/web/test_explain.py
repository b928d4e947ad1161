"""Every missing action explains itself: the proposal page says, for each kind of person,
why there is no vote form; the message after the last vote gives the result; a GET on a
vote address goes to the proposal page; the community page says why no proposal button."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from secession.web.apps.communities.actions import leave_community
from secession.web.apps.proposals.actions import cast_vote, make_proposal
from secession.web.apps.proposals.models import Ballot, Proposal

from .factories import CommunityFactory, UserFactory, add_member

OPENED = timezone.now() - timedelta(days=3)


@pytest.fixture
def world(db):
    founder = UserFactory(username="founder")
    member = UserFactory(username="member")
    former = UserFactory(username="former")
    voted = UserFactory(username="voted")
    councillor = UserFactory(username="councillor")
    plain = UserFactory(username="plain")
    town = CommunityFactory(name="Elm Town", founder=founder)
    for person in (member, former, voted):
        add_member(town, person)
    proposal = make_proposal(town, person=founder, kind="resolution", title="Open vote")
    Proposal.objects.filter(pk=proposal.pk).update(opened_at=OPENED)  # opened 3 days ago
    cast_vote(proposal, person=voted, choice="yes")
    leave_community(town, person=former)  # stays in the electorate fixed at opening
    late = add_member(town, UserFactory(username="late"))
    council = CommunityFactory(name="Council Town", governance="council", founder=councillor)
    add_member(council, plain)
    resolution = make_proposal(council, person=councillor, kind="resolution", title="Council")
    people = {
        "founder": founder,
        "member": member,
        "former member": former,
        "voted": voted,
        "late joiner": late,
        "outsider": UserFactory(username="outsider"),
        "member under a council": plain,
    }
    return {"town": town, "people": people, "proposal": proposal, "council": resolution}


def page(world, who, proposal=None) -> str:
    c = Client()
    if who != "anonymous":
        c.force_login(world["people"][who])
    proposal = proposal or world["proposal"]
    return c.get(proposal.get_absolute_url()).content.decode()


def day(moment) -> str:
    return f"{moment.day} {moment:%B %Y}"


def test_each_person_sees_the_form_or_why_not(world):
    proposal = world["proposal"]
    joined = world["town"].memberships.get(person=world["people"]["late joiner"]).joined_at
    expected = {
        "anonymous": f'<a href="/accounts/login/?next=/proposals/{proposal.pk}/">'
        "Log in to vote</a>",
        "outsider": "You are not a member of Elm Town: join it to vote on its next proposals.",
        "late joiner": f"You joined Elm Town on {day(joined)}, after voting opened on "
        f"{day(OPENED)}",
        "voted": "You have voted on this proposal.",
    }
    for who in ("founder", "member", "former member"):
        html = page(world, who)
        assert "Cast my vote" in html and 'id="why-no-vote"' not in html, who
    for who, said in expected.items():
        html = page(world, who)
        assert "Cast my vote" not in html, who
        assert said in html, who


def test_office_holders_decide_says_so(world):
    html = page(world, "member under a council", world["council"])
    assert "Cast my vote" not in html
    assert "decided by its council" in html
    client = Client()
    client.force_login(world["council"].community.founded_by)
    assert "Cast my vote" in client.get(world["council"].get_absolute_url()).content.decode()


def test_last_vote_message_gives_the_result_and_closed_page_says_when(world):
    proposal = world["proposal"]
    c = Client()
    for who in ("founder", "member"):
        c.force_login(world["people"][who])
        r = c.post(f"/proposals/{proposal.pk}/vote/", {"choice": "yes"}, follow=True)
        assert "Your vote is recorded." in r.content.decode()
        assert "voting is closed" not in r.content.decode()
    c.force_login(world["people"]["former member"])
    r = c.post(f"/proposals/{proposal.pk}/vote/", {"choice": "no"}, follow=True)
    html = r.content.decode()
    assert "Your vote is recorded. Everyone in the electorate has now voted, so voting is " in html
    assert "closed: the proposal passed." in html
    proposal.refresh_from_db()
    for who in ("anonymous", "outsider", "late joiner"):
        assert f"Voting closed on {day(proposal.closed_at)}: the proposal passed." in page(
            world, who
        ), who


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member", "voted", "late joiner"])
def test_get_on_vote_address_explains_itself(world, who):
    proposal = world["proposal"]
    c = Client()
    if who != "anonymous":
        c.force_login(world["people"][who])
    before = Ballot.objects.count()
    r = c.get(f"/proposals/{proposal.pk}/vote/?choice=yes")
    assert r.status_code == 405 and r["Allow"] == "POST"
    page = r.content.decode()
    assert "This address records your vote on a proposal." in page
    assert "Nothing was changed." in page
    assert f'href="{proposal.get_absolute_url()}"' in page
    assert Ballot.objects.count() == before


def test_community_page_says_why_no_proposal_button(world):
    expected = {
        "anonymous": "and join Elm Town to make proposals.",
        "outsider": "Only members make proposals: join Elm Town to make one.",
        "former member": "Only members make proposals: join Elm Town to make one.",
    }
    for who, said in expected.items():
        c = Client()
        if who != "anonymous":
            c.force_login(world["people"][who])
        html = c.get("/communities/elm-town/").content.decode()
        assert said in html and "Make a proposal" not in html, who
    c = Client()
    c.force_login(world["people"]["member"])
    html = c.get("/communities/elm-town/").content.decode()
    assert "Make a proposal" in html and 'id="why-no-propose"' not in html
