"""Proposals that carry a territory of real US counties: "Change the territory" and a
declaration of independence claiming one; who may make them, what they say, what they do
(the territory and its audit row in the closing transaction; the registry's declaration)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from secession.web.apps.audit.log import verify
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.communities.actions import leave_community
from secession.web.apps.communities.forms import territory_fields
from secession.web.apps.communities.models import Community
from secession.web.apps.proposals.actions import cast_vote
from secession.web.apps.proposals.models import Proposal
from secession.web.apps.registry.models import Declaration

from .factories import CommunityFactory, UserFactory, add_member

pytestmark = pytest.mark.django_db

LANE, LINN, BENTON, DOUGLAS, CLATSOP = "41039", "41043", "41003", "41019", "41007"


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _propose(client: Client, slug: str, kind: str, payload: dict, title="Our new border"):
    body = {"community": slug, "kind": kind, "title": title, "payload": payload}
    return client.post("/api/proposals", json.dumps(body), content_type="application/json")


@pytest.fixture
def valley():
    """A community of two members whose territory is Douglas and Clatsop counties."""
    founder = UserFactory(username="valley-founder")
    c = CommunityFactory(
        name="Willamette", founder=founder, **territory_fields("", "", [DOUGLAS, CLATSOP])
    )
    second = add_member(c, UserFactory(username="valley-second"))
    return c, [founder, second]


def test_a_passed_change_sets_the_territory_with_its_audit_row(valley, data_dir):
    community, (ada, bo) = valley
    answer = _propose(
        _client(ada),
        community.slug,
        "change_territory",
        {"territory_unit_ids": [LANE, LINN, BENTON, DOUGLAS]},
    )
    assert answer.status_code == 201, answer.content
    data = answer.json()
    assert data["kind_label"] == "Change the territory"
    assert data["payload_text"] == (
        "The territory of Willamette adds 3 counties (Benton County, OR, Lane County, OR, "
        "Linn County, OR), removes 1 (Clatsop County, OR); 4 counties in all."
    )
    proposal = Proposal.objects.get(pk=data["id"])
    page = _client(bo).get(f"/proposals/{proposal.pk}/").content.decode()
    assert 'id="proposed-territory"' in page and "<svg" in page and "stroke-dasharray" in page
    assert "adds 3 counties" in page
    for voter in (ada, bo):
        cast_vote(proposal, person=voter, choice="yes")
    proposal.refresh_from_db()
    assert proposal.passed
    community.refresh_from_db()
    assert community.territory_unit_ids == sorted([LANE, LINN, BENTON, DOUGLAS])
    assert community.territory_dataset == "us-counties-2020"
    expected = territory_fields("", "us-counties-2020", [LANE, LINN, BENTON, DOUGLAS])
    assert community.territory_geojson == expected["territory_geojson"]
    entry = AuditEntry.objects.get(action="community.territory_changed")
    logged = json.loads(entry.data)
    assert logged["proposal"] == proposal.pk and entry.actor_id is None
    assert logged["unit_ids"] == community.territory_unit_ids
    assert logged["before"]["unit_ids"] == [CLATSOP, DOUGLAS]
    # the territory row and the close are one transaction: the audit entry follows the
    # proposal's close in the same log, and the log verifies
    closed = AuditEntry.objects.get(action="proposal.closed", target_id=str(proposal.pk))
    assert closed.seq < entry.seq
    assert verify().ok
    # the page keeps saying what it changed (against the territory when proposed)
    after = _client().get(f"/proposals/{proposal.pk}/").content.decode()
    assert "What it did:" in after and "removes 1 (Clatsop County, OR)" in after


def test_a_failed_change_leaves_the_territory(valley, data_dir):
    community, voters = valley
    answer = _propose(_client(voters[0]), community.slug, "change_territory",
                      {"territory_unit_ids": f"{LANE}, {LINN}"})  # fmt: skip
    proposal = Proposal.objects.get(pk=answer.json()["id"])
    for voter in voters:
        cast_vote(proposal, person=voter, choice="no")
    community.refresh_from_db()
    assert community.territory_unit_ids == [CLATSOP, DOUGLAS]
    assert not AuditEntry.objects.filter(action="community.territory_changed").exists()


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({}, "give the units of the new territory"),
        ({"territory_unit_ids": ["99999", LANE]}, "1 unit id(s) not in dataset us-counties-2020"),
        ({"territory_unit_ids": [LANE], "territory_dataset": "mars"}, "unknown unit dataset"),
        ({"territory_unit_ids": {"a": 1}}, "give the unit ids as a list"),
        ({"territory_unit_ids": [True]}, "unit ids must be text"),
        ({"territory_unit_ids": [CLATSOP, DOUGLAS]}, "already the territory of Willamette"),
    ],
)
def test_bad_territories_get_a_json_reason(valley, data_dir, payload, words):
    community, (ada, _) = valley
    answer = _propose(_client(ada), community.slug, "change_territory", payload)
    assert answer.status_code == 400, answer.content
    assert words in answer.json()["detail"]
    assert not Proposal.objects.exists()


def test_who_may_propose_a_territory(valley, data_dir):
    """Member: yes; former member, non-member: 403 with a reason; signed out: 401 (API),
    the login page (page)."""
    community, (ada, bo) = valley
    stranger = UserFactory(username="stranger")
    leave_community(community, person=bo)
    payload = {"territory_unit_ids": [LANE]}
    assert _propose(_client(ada), community.slug, "change_territory", payload).status_code == 201
    for who in (bo, stranger):
        refused = _propose(_client(who), community.slug, "change_territory", payload)
        assert refused.status_code == 403
        assert "only members" in refused.json()["detail"]
        page = _client(who).get(f"/proposals/new/{community.slug}/?kind=change_territory")
        assert page.status_code == 403
    assert _propose(Client(), community.slug, "change_territory", payload).status_code == 401
    page = Client().get(f"/proposals/new/{community.slug}/?kind=change_territory")
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_the_page_form_shows_errors_at_the_field(valley, data_dir):
    community, (ada, _) = valley
    c = _client(ada)
    url = f"/proposals/new/{community.slug}/?kind=change_territory"
    prefilled = c.get(url + f"&territory_dataset=us-counties-2020&territory_unit_ids={LANE}+{LINN}")
    assert prefilled.status_code == 200
    assert f"{LANE} {LINN}</textarea>" in prefilled.content.decode()
    wrong = c.post(url, {"title": "Border", "territory_dataset": "us-counties-2020",
                         "territory_unit_ids": f"{LANE} 99999"})  # fmt: skip
    assert wrong.status_code == 200
    html = wrong.content.decode()
    at = html.index('name="territory_unit_ids"')
    field = html[at - 400 : at + 600]
    assert "99999" in field and 'aria-invalid="true"' in field
    assert not Proposal.objects.exists()
    made = c.post(url, {"title": "Border", "territory_dataset": "us-counties-2020",
                        "territory_unit_ids": f"{LANE}, {LINN}"})  # fmt: skip
    assert made.status_code == 302
    assert Proposal.objects.get().payload["territory_unit_ids"] == [LANE, LINN]


def test_a_declaration_with_a_territory_publishes_it(data_dir):
    ada, bo = UserFactory(username="north-a"), UserFactory(username="north-b")
    community = CommunityFactory(name="Cascadia", founder=ada)
    add_member(community, bo)
    answer = _propose(
        _client(ada),
        community.slug,
        "declare_independence",
        {"from_name": "United States of America", "territory_unit_ids": [LANE, LINN]},
    )
    assert answer.status_code == 201, answer.content
    text = answer.json()["payload_text"]
    assert text.startswith("Cascadia declares itself independent of United States of America.")
    assert "Cascadia, which has no territory yet, takes 2 counties in all: Lane County, OR" in text
    proposal = Proposal.objects.get(pk=answer.json()["id"])
    for voter in (ada, bo):
        cast_vote(proposal, person=voter, choice="yes")
    community = Community.objects.get(pk=community.pk)
    assert community.independent and community.territory_unit_ids == [LANE, LINN]
    declaration = Declaration.objects.get(community=community)
    assert declaration.territory_unit_ids == [LANE, LINN]
    assert declaration.territory_dataset == "us-counties-2020"
    assert declaration.territory_geojson == community.territory_geojson != ""
    # a declaration without a territory keeps the community's (none here) and says nothing of it
    plain = _propose(_client(ada), CommunityFactory(name="Plain", founder=ada).slug,
                     "declare_independence", {"from_name": "Somewhere"})  # fmt: skip
    assert plain.status_code == 201 and "territory" not in plain.json()["payload_text"]
