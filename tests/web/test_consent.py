"""Consent for sub-communities (issue 19): a community becomes part of a parent only when
the parent's members admit it by vote; until then it is its own community that asked to
join, shown as such on both pages and in the API. Leaving the parent stays free."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.communities.actions import (
    leave_parent,
    request_parent,
    withdraw_parent_request,
)
from secession.web.apps.communities.models import Community
from secession.web.apps.proposals.actions import cast_vote, close_proposal, make_proposal
from secession.web.apps.proposals.present import proposal_data
from secession.web.errors import Refused

from .factories import PASSWORD, CommunityFactory, UserFactory, add_member, admit, expire


@pytest.fixture
def valley(db):
    """Free Valley: founder 'ada' and member 'bea' (an assembly)."""
    ada = UserFactory(username="ada")
    valley = CommunityFactory(name="Free Valley", founder=ada)
    add_member(valley, UserFactory(username="bea"))
    return valley


def api(method, url, who=None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {create_token(who)}"} if who else {}
    client = Client()
    if body is None:
        return getattr(client, method)(url, **headers)
    return getattr(client, method)(
        url, json.dumps(body), content_type="application/json", **headers
    )


def test_a_non_member_founding_with_a_parent_only_asks(valley):
    """The attack of the issue: a non-member posts {"parent": "free-valley"}."""
    stranger = UserFactory(username="stranger")
    r = api("post", "/api/communities", stranger, {"name": "Squatters", "parent": valley.slug})
    assert r.status_code == 201
    body = r.json()
    assert body["parent"] is None and body["requested_parent"] == "free-valley"
    assert api("get", "/api/communities?parent=free-valley").json() == []
    asking = api("get", "/api/communities?requested_parent=free-valley").json()
    assert [c["slug"] for c in asking] == ["squatters"]
    assert not valley.children.exists()
    # the parent's page does not list it among its communities, only as asking
    page = Client().get("/communities/free-valley/").content.decode()
    assert "Communities within" not in page
    assert 'id="asking"' in page and "Squatters" in page
    # the child's page says it asked and is its own community
    child = Client().get("/communities/squatters/").content.decode()
    assert "Asked to join" in child and "a community of its own" in child
    assert AuditEntry.objects.filter(action="community.parent_requested").count() == 1


def test_the_parent_admits_by_its_own_vote(valley):
    child = CommunityFactory(name="Mill Hamlet", parent=valley)
    ada, bea = (m.person for m in valley.active_members().order_by("id"))
    p = make_proposal(
        valley,
        person=ada,
        kind="admit_community",
        title="Admit Mill Hamlet",
        payload={"community": child.slug},
    )
    assert "Mill Hamlet becomes part of Free Valley" in proposal_data(p)["payload_text"]
    cast_vote(p, person=ada, choice="yes")
    child.refresh_from_db()
    assert child.parent is None  # one vote of two: not yet decided
    cast_vote(p, person=bea, choice="yes")
    child.refresh_from_db()
    assert child.parent == valley and child.requested_parent is None
    assert [c["slug"] for c in api("get", "/api/communities?parent=free-valley").json()] == [
        "mill-hamlet"
    ]
    page = Client().get("/communities/free-valley/").content.decode()
    assert "Communities within" in page and 'id="asking"' not in page
    assert AuditEntry.objects.filter(action="community.parent_admitted").count() == 1


def test_the_parent_can_refuse(valley):
    child = CommunityFactory(name="Unwanted", parent=valley)
    ada, bea = (m.person for m in valley.active_members().order_by("id"))
    p = make_proposal(
        valley,
        person=bea,
        kind="admit_community",
        title="Admit?",
        payload={"community": child.slug},
    )
    cast_vote(p, person=ada, choice="no")
    cast_vote(p, person=bea, choice="no")
    p.refresh_from_db()
    child.refresh_from_db()
    assert p.passed is False and child.parent is None
    assert child.requested_parent == valley  # it may still ask; it is its own community


def test_only_the_parents_members_can_propose_admission(valley):
    child = CommunityFactory(name="Pushy")
    request_parent(child, person=child.founded_by, parent=valley)
    with pytest.raises(PermissionDenied):
        make_proposal(
            valley,
            person=child.founded_by,
            kind="admit_community",
            title="Me",
            payload={"community": child.slug},
        )
    r = api(
        "post",
        "/api/proposals",
        child.founded_by,
        {
            "community": valley.slug,
            "kind": "admit_community",
            "title": "Me",
            "payload": {"community": child.slug},
        },
    )
    assert r.status_code == 403


def test_admission_needs_a_request(valley):
    other = CommunityFactory(name="Never Asked")
    ada = valley.founded_by
    with pytest.raises(ValidationError, match="has not asked to join"):
        make_proposal(
            valley,
            person=ada,
            kind="admit_community",
            title="Grab",
            payload={"community": other.slug},
        )
    with pytest.raises(ValidationError, match="no community"):
        make_proposal(
            valley,
            person=ada,
            kind="admit_community",
            title="Grab",
            payload={"community": "nowhere"},
        )


def test_withdrawing_before_the_vote_ends_means_nothing_to_do(valley):
    child = CommunityFactory(name="Second Thoughts", parent=valley)
    ada = valley.founded_by
    p = make_proposal(
        valley, person=ada, kind="admit_community", title="Admit", payload={"community": child.slug}
    )
    cast_vote(p, person=ada, choice="yes")
    withdraw_parent_request(child, person=child.founded_by)
    expire(p)
    p = close_proposal(p)
    child.refresh_from_db()
    assert p.passed is True and "no longer asks to join" in p.result["effect"]
    assert child.parent is None and child.requested_parent is None


def test_who_may_ask_withdraw_and_leave(valley):
    """Anonymous and outsiders may not act for a community; in a council only the
    council does; the parent's members have no say over leaving."""
    council = CommunityFactory(name="Council Hamlet", governance="council")
    councillor = council.founded_by
    plain = add_member(council, UserFactory(username="plain"))
    outsider = UserFactory(username="outsider")
    for who in (AnonymousUser(), outsider, plain):
        with pytest.raises(PermissionDenied):
            request_parent(council, person=who, parent=valley)
    request_parent(council, person=councillor, parent=valley)
    with pytest.raises(PermissionDenied):
        withdraw_parent_request(council, person=plain)
    admit(council)
    # the parent's members cannot take it out, nor keep it in
    for who in (valley.founded_by, outsider, plain):
        with pytest.raises(PermissionDenied):
            leave_parent(council, person=who)
    leave_parent(council, person=councillor)  # free: nothing of the parent is checked
    council.refresh_from_db()
    assert council.parent is None
    assert AuditEntry.objects.filter(action="community.parent_left").count() == 1
    with pytest.raises(Refused):
        leave_parent(council, person=councillor)  # not part of any community now


def test_leaving_is_free_even_during_an_open_admission_vote_in_the_parent(valley):
    child = admit(CommunityFactory(name="Restless", parent=valley))
    # the parent is voting on something about the child: it blocks nothing
    make_proposal(valley, person=valley.founded_by, kind="resolution", title="Keep Restless")
    r = api("post", f"/api/communities/{child.slug}/leave-parent", child.founded_by)
    assert r.status_code == 200 and r.json()["parent"] is None


def test_a_member_under_a_council_leaves_the_parent_by_vote(valley):
    """A member who holds no office cannot detach the community alone, but the members
    can vote to declare independence (the community's own vote)."""
    council = CommunityFactory(name="Ridge", governance="council")
    plain = add_member(council, UserFactory(username="ridge-member"))
    request_parent(council, person=council.founded_by, parent=valley)
    admit(council)
    assert api("post", f"/api/communities/{council.slug}/leave-parent", plain).status_code == 403
    p = make_proposal(council, person=plain, kind="declare_independence", title="Go")
    cast_vote(p, person=plain, choice="yes")
    cast_vote(p, person=council.founded_by, choice="yes")
    council.refresh_from_db()
    assert council.parent is None and council.independent


def test_no_cycles(valley):
    child = admit(CommunityFactory(name="Inner", parent=valley))
    with pytest.raises(Refused, match="already part of"):
        request_parent(child, person=child.founded_by, parent=valley)
    with pytest.raises(ValidationError, match="lies within"):
        request_parent(valley, person=valley.founded_by, parent=child)
    with pytest.raises(ValidationError, match="lies within"):
        request_parent(valley, person=valley.founded_by, parent=valley)


def test_api_ask_withdraw_and_errors(valley):
    town = CommunityFactory(name="Lone Town")
    founder = town.founded_by
    r = api(
        "post", f"/api/communities/{town.slug}/parent-request", founder, {"parent": "free-valley"}
    )
    assert r.status_code == 201 and r.json()["requested_parent"] == "free-valley"
    assert r.json()["requested_at"]
    r = api("post", f"/api/communities/{town.slug}/parent-request", founder, {"parent": "nowhere"})
    assert r.status_code == 404
    r = api("post", f"/api/communities/{town.slug}/parent-request", None, {"parent": "free-valley"})
    assert r.status_code == 401
    outsider = UserFactory(username="nosy")
    r = api("delete", f"/api/communities/{town.slug}/parent-request", outsider)
    assert r.status_code == 403
    r = api("delete", f"/api/communities/{town.slug}/parent-request", founder)
    assert r.status_code == 200 and r.json()["requested_parent"] is None
    r = api("delete", f"/api/communities/{town.slug}/parent-request", founder)
    assert r.status_code == 409
    r = api("post", f"/api/communities/{town.slug}/leave-parent", founder)
    assert r.status_code == 409


def test_pages_ask_propose_admission_and_leave(valley):
    town = CommunityFactory(name="Page Town")
    founder = town.founded_by
    client = Client()
    assert client.login(username=founder.username, password=PASSWORD)
    r = client.post(f"/communities/{town.slug}/parent/ask/", {"parent": "free-valley"})
    assert r.status_code == 302
    town.refresh_from_db()
    assert town.requested_parent == valley
    # a member of the parent sees the request and a link to propose admitting it
    bea = Client()
    assert bea.login(username="bea", password=PASSWORD)
    page = bea.get("/communities/free-valley/").content.decode()
    assert "Propose admitting it" in page
    form = bea.get(f"/proposals/new/free-valley/?kind=admit_community&community={town.slug}")
    assert form.status_code == 200 and 'value="page-town" selected' in form.content.decode()
    r = bea.post(
        "/proposals/new/free-valley/?kind=admit_community",
        {"title": "Admit Page Town", "community": town.slug},
    )
    assert r.status_code == 302
    assert Community.objects.get(pk=town.pk).parent is None  # voting has only opened
    # an outsider cannot ask for someone else's community
    stranger = Client()
    UserFactory(username="stranger2")
    assert stranger.login(username="stranger2", password=PASSWORD)
    assert stranger.post(f"/communities/{town.slug}/parent/withdraw/").status_code == 403
    anonymous = Client().post(f"/communities/{town.slug}/parent/withdraw/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
