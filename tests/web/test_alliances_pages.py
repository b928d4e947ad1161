"""Alliance pages: public to read for every kind of user; making a proposal and the board
for those who may, refused with a reason for those who may not; labelled form fields; the
community page's alliance section; an internal vote's page links to the alliance's."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from secession.web.apps.alliances.actions import post_pledge
from secession.web.apps.alliances.decisions import make_alliance_proposal
from secession.web.apps.alliances.models import AllianceProposal, Pledge

from .alliance_world import internal, make_league, make_people

WHO = ("anonymous", "nobody", "bob", "amy", "bea", "cal", "oz")


def league_world() -> dict:
    """A league of three with an open charter amendment and a pledge (pages' fixture)."""
    w = make_league(make_people())
    w["proposal"] = make_alliance_proposal(
        w["league"],
        person=w["ann"],
        community=w["ashford"],
        kind="amend_charter",
        title="Harvests",
        payload={"text": "We share harvests.\n", "admission": "open"},
    )
    w["pledge"] = post_pledge(
        w["league"], person=w["bea"], community=w["brook"], kind="request", title="Seed"
    )
    return w


@pytest.fixture
def world(db):
    return league_world()


def client_for(world, who) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world[who])
    return client


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


PAGES = [
    "/alliances/",
    "/alliances/valley-league/",
    "/alliances/valley-league/members/",
    "/alliances/valley-league/charter/",
    "/alliances/valley-league/charter/v/1/",
    "/alliances/proposals/{p}/",
    "/communities/brook/",
]


@pytest.mark.parametrize("who", WHO)
def test_public_pages_for_everyone(world, who):
    client = client_for(world, who)
    for path in PAGES:
        r = client.get(path.format(p=world["proposal"].pk))
        assert r.status_code == 200, path


# page: who may open it (200), who is sent to log in (login), who is refused (403)
GATED = {
    "/alliances/valley-league/propose/": {
        "anonymous": "login",
        "nobody": 403,
        "bob": 200,
        "amy": 200,
        "bea": 200,
        "cal": 200,
        "oz": 403,
    },
    "/alliances/valley-league/pledges/new/": {
        "anonymous": "login",
        "nobody": 403,
        "bob": 403,
        "amy": 200,
        "bea": 200,
        "cal": 200,
        "oz": 403,
    },
}


@pytest.mark.parametrize("who", WHO)
def test_gated_pages_for_each_kind_of_user(world, who):
    client = client_for(world, who)
    for path, expected in GATED.items():
        r = client.get(path)
        if expected[who] == "login":
            assert is_login_redirect(r), path
        else:
            assert r.status_code == expected[who], path
        if r.status_code == 403:
            assert b"member communit" in r.content  # the refusal says why


def test_chooser_offers_the_kinds_members_may_propose(world):
    html = client_for(world, "bob").get("/alliances/valley-league/propose/").content.decode()
    kinds = re.findall(r'<li><a href="\?kind=(\w+)">', html)
    assert kinds == [  # not admit_member
        "resolution",
        "amend_charter",
        "change_rule",
        "recognise",
        "withdraw_recognition",
    ]


def test_make_an_alliance_proposal_through_the_page(world):
    client = client_for(world, "bob")
    r = client.post(
        "/alliances/valley-league/propose/?kind=resolution",
        {"community": "brook", "title": "Winter stores", "body": "Share them."},
    )
    p = AllianceProposal.objects.get(title="Winter stores")
    assert r.status_code == 302 and r["Location"] == p.get_absolute_url()
    assert p.author == world["bob"] and p.author_community == world["brook"]
    html = client.get(r["Location"]).content.decode()
    assert "Proposal made; each member community&#x27;s own vote is open." in html
    assert 'id="vote-brook"' in html and "decided by its council" in html
    # a community the person is not a member of cannot be chosen
    r = client.post(
        "/alliances/valley-league/propose/?kind=resolution",
        {"community": "ashford", "title": "Not mine"},
    )
    assert r.status_code == 200 and "Select a valid choice" in r.content.decode()


def test_charter_amendment_page_shows_the_difference_and_the_terms(world):
    html = client_for(world, "anonymous").get(world["proposal"].get_absolute_url()).content.decode()
    assert "Changes to the charter" in html and "+ We share harvests." in html
    assert "open admission" in html
    assert "Terms in force when voting opened" in html


def test_post_and_close_pledges_through_the_page(world):
    amy = client_for(world, "amy")
    r = amy.post(
        "/alliances/valley-league/pledges/new/",
        {
            "community": "ashford",
            "kind": "offer",
            "title": "Barley",
            "answers": str(world["pledge"].pk),
        },
    )
    assert r.status_code == 302
    offer = Pledge.objects.get(title="Barley")
    assert offer.answers == world["pledge"] and offer.community == world["ashford"]
    close = f"/alliances/pledges/{world['pledge'].pk}/close/"
    assert client_for(world, "amy").post(close, {"status": "fulfilled"}).status_code == 403
    assert is_login_redirect(client_for(world, "anonymous").post(close, {"status": "fulfilled"}))
    r = client_for(world, "bea").get(close)  # a GET changes nothing; the page links the board
    assert r.status_code == 405 and 'href="/alliances/valley-league/#board"' in r.content.decode()
    assert world["pledge"].status == "open"
    r = client_for(world, "bea").post(close, {"status": "fulfilled", "note": "Ashford sent it"})
    assert r.status_code == 302
    world["pledge"].refresh_from_db()
    assert (world["pledge"].status, world["pledge"].note) == ("fulfilled", "Ashford sent it")
    html = client_for(world, "anonymous").get("/alliances/valley-league/").content.decode()
    assert "Fulfilled" in html and "Ashford sent it" in html


def test_alliance_page_shows_members_board_rules_and_data(world):
    html = client_for(world, "bea").get("/alliances/valley-league/").content.decode()
    assert "3 member communities." in html
    for name in ("Ashford", "Brook", "Cliff"):
        assert name in html
    assert "One community, one vote".lower() in html.lower()
    assert "/api/alliances/valley-league/popolo" in html
    assert 'action="/alliances/pledges/' in html  # bea may close Brook's request
    html = client_for(world, "amy").get("/alliances/valley-league/").content.decode()
    assert 'action="/alliances/pledges/' not in html and "Offer help with this" in html


def test_community_page_has_its_alliances_section(world):
    html = client_for(world, "bob").get("/communities/brook/").content.decode()
    assert "Valley League" in html and "member since" in html
    assert "It casts its votes on alliance proposals by its council" in html
    assert "?kind=leave_alliance" in html and "?kind=alliance_casting" in html
    html = client_for(world, "oz").get("/communities/brook/").content.decode()
    assert "?kind=leave_alliance" not in html  # not a member of Brook


def test_internal_vote_page_links_to_the_alliance_proposal(world):
    own = internal(world["proposal"], world["brook"])
    html = client_for(world, "bea").get(own.get_absolute_url()).content.decode()
    assert world["proposal"].get_absolute_url() in html
    assert "This is how Brook votes on" in html
    r = client_for(world, "bea").get(f"/api/proposals/{own.pk}").json()
    assert r["links"][0]["url"] == world["proposal"].get_absolute_url()


@pytest.mark.parametrize(
    "path",
    [
        "bea:/alliances/valley-league/",  # with the form closing Brook's pledge
        "/alliances/valley-league/propose/?kind=resolution",
        "/alliances/valley-league/propose/?kind=amend_charter",
        "/alliances/valley-league/propose/?kind=change_rule",
        "/alliances/valley-league/pledges/new/",
        "/proposals/new/ashford/?kind=found_alliance",
        "/proposals/new/ashford/?kind=join_alliance",
        "/proposals/new/ashford/?kind=leave_alliance",
        "/proposals/new/ashford/?kind=alliance_casting",
    ],
)
def test_every_form_field_has_a_label(world, path):
    who, _, path = path.rpartition(":")
    html = client_for(world, who or "ann").get(path).content.decode()
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert ids, path
    for field_id in ids:
        assert f'for="{field_id}"' in html, field_id
