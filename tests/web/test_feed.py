"""The Atom feed of a community's proposals and results (public, like the community page)."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.test import Client

from secession.web.apps.proposals.actions import cast_vote, make_proposal

from .factories import CommunityFactory, UserFactory

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def town(db):
    founder = UserFactory(username="founder")
    town = CommunityFactory(name="Ash Town", founder=founder)
    make_proposal(town, person=founder, kind="resolution", title="Open one")
    done = make_proposal(town, person=founder, kind="resolution", title="Decided one")
    cast_vote(done, person=founder, choice="yes")  # the only voter: closed, passed
    return town


@pytest.mark.parametrize("who", ["anonymous", "founder", "outsider"])
def test_feed_lists_proposals_and_results(town, who):
    c = Client()
    if who != "anonymous":
        c.force_login(UserFactory(username=who))
    r = c.get("/communities/ash-town/feed.atom")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(r.content)
    assert root.findtext(f"{ATOM}title") == "Ash Town: proposals and results"
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert titles == ["Passed: Decided one", "Voting open: Open one"]
    links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
    assert all(link.startswith("http://testserver/proposals/") for link in links)


def test_feed_is_linked_from_the_community_page_and_unknown_is_404(town):
    html = Client().get("/communities/ash-town/").content.decode()
    assert 'href="/communities/ash-town/feed.atom"' in html
    assert Client().get("/communities/no-such-town/feed.atom").status_code == 404
