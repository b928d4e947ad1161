"""A done plan into an existing community: the plan page lists, for each new country, the
communities where the reader may propose (paged in SQL), each link opens the proposal form
with the kind and the territory filled in, and the vote sets the territory. On the real
Oregon plan (a real Dask local cluster, as tests/web/test_planner.py)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from secession.web.apps.communities.actions import found_community, leave_community
from secession.web.apps.communities.models import Community
from secession.web.apps.planner.dispatch import Dispatcher
from secession.web.apps.planner.edits import new_countries
from secession.web.apps.planner.models import PlanJob
from secession.web.apps.proposals.actions import cast_vote
from secession.web.apps.proposals.models import Proposal
from secession.web.apps.registry.models import Declaration

from .factories import UserFactory, add_member
from .test_planner import OREGON, _client, _start, dask  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


def _links(page: str) -> dict[str, str]:
    """Link text -> address, for the links of the "Propose this territory" lists."""
    found = re.findall(r'<li>([^<:]+): <a href="([^"]+)">propose making', page)
    return {name.strip(): html.unescape(url) for name, url in found}


def test_plan_to_proposal_to_vote_to_territory(dask):  # noqa: F811
    owner = UserFactory(username="planner")
    neighbour = UserFactory(username="neighbour")
    stranger = UserFactory(username="stranger")
    started = _start(_client(owner), OREGON)
    Dispatcher(dask).run_until_idle(timeout=300)
    job = PlanJob.objects.get(pk=started["id"])
    assert job.status == "done", job.message
    job.shared = True
    job.save(update_fields=["shared"])
    [(label, ids)] = new_countries(job)

    home = found_community(person=owner, name="Willamette")
    add_member(home, neighbour)
    left = found_community(person=owner, name="Former Home")
    add_member(left, neighbour)
    leave_community(left, person=owner)
    found_community(person=neighbour, name="Not Mine")
    url = f"/plans/{job.pk}/"

    # a member who may propose: only the communities where they are a member
    page = _client(owner).get(url).content.decode()
    assert f"New country {label} ({len(ids)} units)" in page
    links = _links(page)
    assert list(links) == ["Willamette"]
    assert "propose declaring independence with this territory" in page
    # a former member (may not propose there) and a non-member: no list, a reason
    assert _links(_client(stranger).get(url).content.decode()) == {}
    assert "You are not a member of any community" in _client(stranger).get(url).content.decode()
    signed_out = Client().get(url).content.decode()
    assert "to propose this territory in a community you are a member of" in signed_out
    assert _links(signed_out) == {}

    # the link opens the form filled in; the person reads it and submits it
    form = _client(owner).get(links["Willamette"])
    assert form.status_code == 200
    text = form.content.decode()
    assert " ".join(ids) + "</textarea>" in text and "Change the territory" in text
    made = _client(owner).post(
        links["Willamette"],
        {"title": "Our border is the plan's", "territory_dataset": "us-counties-2020",
         "territory_unit_ids": " ".join(ids)},
    )  # fmt: skip
    assert made.status_code == 302, made.content.decode()[:2000]
    proposal = Proposal.objects.get(kind="change_territory")
    assert proposal.payload["territory_unit_ids"] == sorted(ids)
    assert f"takes {len(ids)} counties in all" in proposal_page(proposal)
    for voter in (owner, neighbour):
        cast_vote(proposal, person=voter, choice="yes")
    home = Community.objects.get(pk=home.pk)
    assert home.territory_dataset == "us-counties-2020"
    assert home.territory_unit_ids == sorted(ids)
    territory = Client().get(f"/api/communities/{home.slug}/territory").json()
    assert territory["properties"]["unit_ids"] == sorted(ids)
    assert territory["geometry"]["type"] in ("Polygon", "MultiPolygon")

    # the same territory as a declaration of independence: the registry publishes it
    declare = _links_declare(_client(owner).get(url).content.decode())["Willamette"]
    body = {
        "title": "Independence",
        "from_name": "United States of America",
        "territory_dataset": "us-counties-2020",
        "territory_unit_ids": " ".join(ids),
    }
    assert _client(owner).post(declare, body).status_code == 302
    declaration_vote = Proposal.objects.get(kind="declare_independence")
    for voter in (owner, neighbour):
        cast_vote(declaration_vote, person=voter, choice="yes")
    published = Declaration.objects.get(community=home)
    assert published.territory_unit_ids == sorted(ids)
    assert published.territory_geojson == Community.objects.get(pk=home.pk).territory_geojson
    # now independent: the plan page offers only the territory change there
    assert "(it is already independent)" in _client(owner).get(url).content.decode()


def test_the_list_of_communities_is_paged(dask):  # noqa: F811
    owner = UserFactory(username="many")
    started = _start(_client(owner), OREGON)
    Dispatcher(dask).run_until_idle(timeout=300)
    for n in range(12):
        found_community(person=owner, name=f"Town {n:02d}")
    url = f"/plans/{started['id']}/"
    first = _client(owner).get(url).content.decode()
    assert list(_links(first)) == [f"Town {n:02d}" for n in range(10)]
    assert "Your communities 1 to 10 of 12." in first
    second = _client(owner).get(url, {"in": 2}).content.decode()
    assert list(_links(second)) == ["Town 10", "Town 11"]


def proposal_page(proposal: Proposal) -> str:
    return Client().get(f"/proposals/{proposal.pk}/").content.decode()


def _links_declare(page: str) -> dict[str, str]:
    found = re.findall(
        r'<li>([^<:]+): <a href="[^"]+">propose making this its territory</a>, or '
        r'<a href="([^"]+)">',
        page,
    )
    return {name.strip(): html.unescape(url) for name, url in found}
