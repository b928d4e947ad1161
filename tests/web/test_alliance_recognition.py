"""An alliance recognises a people, and withdraws that recognition, by its own rule: the
registry counts it towards ``min_alliances`` and links the alliance and its vote; refusals
say why; each kind of user may do what the alliance's permissions say; the audit replays."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.alliances.decisions import make_alliance_proposal
from secession.web.apps.audit.log import verify
from secession.web.apps.registry.actions import set_recognition_rule
from secession.web.apps.registry.models import Recognition
from secession.web.apps.registry.recognisers import ALLIANCE

from .alliance_world import fresh, internal, make_league, make_people, vote
from .factories import UserFactory
from .test_registry import box, declare, people, status


@pytest.fixture
def world(db):
    """The Valley League (Ashford, Brook, Cliff) and Northland, a declared people outside
    it; Dale is a community with no declaration."""
    w = make_league(make_people())
    north, voters = people("Northland", box(125, -28, 135, -20))
    declare(north, voters, from_name="Australia")
    w["north"] = north
    w["admin"] = UserFactory(username="root", is_superuser=True, is_staff=True)
    return w


def decide(w, kind, people_slug, *, choice="yes", who="ann", community="ashford"):
    """Propose ``kind`` for ``people_slug`` and have every member community vote ``choice``."""
    p = make_alliance_proposal(
        w["league"],
        person=w[who],
        community=w[community],
        kind=kind,
        title=f"{kind} {people_slug}",
        payload={"people": people_slug},
    )
    for c in ("ashford", "brook", "cliff"):
        vote(internal(p, w[c]), choice)
    return fresh(p)


def world_status(slug: str) -> str:
    doc = Client().get("/registry/world.json").json()
    return next(p["status"] for p in doc["peoples"] if p["id"] == slug)


def test_an_alliance_recognises_by_its_rule_and_withdraws_with_history(world):
    lg, north = world["league"], world["north"]
    set_recognition_rule({"min_alliances": 1}, person=world["admin"])
    assert status(north) == "declared" and world_status(north.slug) == "declared"

    p = decide(world, "recognise", north.slug)
    assert p.passed, p.result
    assert p.subject == north and "effect" not in p.result
    r = Recognition.objects.get(recogniser_type=ALLIANCE, recognised=north)
    assert (r.recogniser_id, r.recogniser_name, r.decision, r.proposal) == (
        lg.pk,
        lg.name,
        p.pk,
        None,
    )
    assert status(north) == "recognised" and world_status(north.slug) == "recognised"
    api = Client().get(f"/api/registry/peoples/{north.slug}").json()
    assert (api["recognised_by_alliances"], api["recognised_by_peoples"]) == (1, 0)

    page = Client().get(f"/registry/peoples/{north.slug}/").content.decode()
    table = page.split('id="recognised-by"', 1)[1].split("</table>", 1)[0]
    assert f'href="{lg.get_absolute_url()}"' in table and lg.name in table
    assert f'href="{p.get_absolute_url()}"' in table and "(alliance)" in table
    graph = Client().get("/registry/graph/").content.decode()
    assert "<rect" in graph and lg.name in graph
    listed = graph.split('id="recognised-by-alliances"', 1)[1].split("</table>", 1)[0]
    assert f'href="{lg.get_absolute_url()}"' in listed
    assert f'href="{p.get_absolute_url()}"' in listed

    w = decide(world, "withdraw_recognition", north.slug)
    assert w.passed, w.result
    r.refresh_from_db()
    assert r.withdrawn_at is not None and r.withdrawal_decision == w.pk
    assert status(north) == "declared" and world_status(north.slug) == "declared"
    history = Client().get(f"/registry/peoples/{north.slug}/?history=1").content.decode()
    assert f'href="{w.get_absolute_url()}"' in history and lg.name in history

    rows = json.loads(b"".join(Client().get("/registry/recognitions.json").streaming_content))[
        "recognitions"
    ]
    (row,) = [x for x in rows if x["recogniser_type"] == ALLIANCE]
    assert row["recogniser"] == lg.name and row["recogniser_slug"] == lg.slug
    assert row["recogniser_url"] == lg.get_absolute_url()
    assert row["vote_url"] == p.get_absolute_url()
    assert row["withdrawal_vote_url"] == w.get_absolute_url() and row["withdrawn_at"]
    text = b"".join(Client().get("/registry/recognitions.csv").streaming_content).decode()
    (line,) = [x for x in csv.DictReader(io.StringIO(text)) if x["recogniser_type"] == ALLIANCE]
    assert line["recogniser_url"] == lg.get_absolute_url()
    assert line["decision"] == str(p.pk) and line["withdrawal_decision"] == str(w.pk)

    # recognised again later: a new row, the old one stays in the history
    assert decide(world, "recognise", north.slug).passed
    assert Recognition.objects.filter(recogniser_type=ALLIANCE, recognised=north).count() == 2
    result = verify()
    assert result.ok and "registry" in result.checks, result.problems


def test_a_failed_alliance_vote_recognises_no_one(world):
    p = decide(world, "recognise", world["north"].slug, choice="no")
    assert p.passed is False
    assert not Recognition.objects.filter(recogniser_type=ALLIANCE).exists()


def test_min_alliances_counts_alliances_and_not_peoples(world):
    """With min_peoples 1 and min_alliances 1, an alliance alone is one short."""
    north = world["north"]
    set_recognition_rule({"min_peoples": 1, "min_alliances": 1}, person=world["admin"])
    assert decide(world, "recognise", north.slug).passed
    page = Client().get(f"/registry/peoples/{north.slug}/").content.decode()
    assert status(north) == "declared" and "0 of 1 registered peoples" in page


def test_an_alliance_may_recognise_its_own_member_once_declared(world):
    ashford = world["ashford"]
    with pytest.raises(ValidationError, match="not a registered people"):
        decide(world, "recognise", ashford.slug)
    declare(ashford, [world["ann"], world["amy"], world["abe"]], from_name="Canada")
    assert decide(world, "recognise", ashford.slug).passed


@pytest.mark.parametrize(
    "kind, payload, message",
    [
        ("recognise", {}, "name the people"),
        ("recognise", {"people": 7}, "name the people"),
        ("recognise", {"people": "atlantis"}, "no community 'atlantis'"),
        ("recognise", {"people": "dale"}, "Dale is not a registered people"),
        ("withdraw_recognition", {"people": "northland"}, "does not recognise Northland"),
        ("withdraw_recognition", {"people": "atlantis"}, "no community 'atlantis'"),
    ],
)
def test_refusals_name_the_reason(world, kind, payload, message):
    with pytest.raises(ValidationError, match=message):
        make_alliance_proposal(
            world["league"],
            person=world["ann"],
            community=world["ashford"],
            kind=kind,
            title="x",
            payload=payload,
        )


def test_already_recognised_or_already_being_voted_on_is_refused(world):
    slug = world["north"].slug
    make_alliance_proposal(
        world["league"],
        person=world["ann"],
        community=world["ashford"],
        kind="recognise",
        title="first",
        payload={"people": slug},
    )
    with pytest.raises(ValidationError, match="already open"):
        decide(world, "recognise", slug)
    Recognition.objects.all().delete()
    world["league"].proposals.filter(kind="recognise").delete()
    assert decide(world, "recognise", slug).passed
    with pytest.raises(ValidationError, match="Valley League already recognises Northland"):
        decide(world, "recognise", slug)


@pytest.mark.parametrize(
    "who, community, expected",
    [
        ("anonymous", "ashford", 401),
        ("nobody", "ashford", 403),  # in no community
        ("oz", "out", 403),  # a community outside the alliance
        ("bea", "ashford", 403),  # a member of Brook, proposing for Ashford
        ("bob", "brook", 201),  # a member of Brook who holds no office: any member proposes
        ("ann", "ashford", 201),
    ],
)
def test_who_may_propose_a_recognition_through_the_api(world, who, community, expected):
    headers = {}
    if who != "anonymous":
        headers["HTTP_AUTHORIZATION"] = "Bearer " + create_token(world[who])
    body = {
        "community": community,
        "kind": "recognise",
        "title": "Recognise Northland",
        "payload": {"people": world["north"].slug},
    }
    r = Client().post(
        f"/api/alliances/{world['league'].slug}/proposals",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )
    assert r.status_code == expected, r.content
    if expected != 201:
        assert r.json().get("detail"), r.content
    else:
        assert r.json()["kind"] == "recognise"


def test_bad_payload_through_the_api_is_400_with_a_reason(world):
    r = Client().post(
        f"/api/alliances/{world['league'].slug}/proposals",
        json.dumps(
            {
                "community": "ashford",
                "kind": "withdraw_recognition",
                "title": "x",
                "payload": {"people": "northland"},
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer " + create_token(world["ann"]),
    )
    assert r.status_code == 400 and "does not recognise Northland" in r.content.decode()


def test_outsiders_cannot_propose_directly(world):
    with pytest.raises(PermissionDenied):
        make_alliance_proposal(
            world["league"],
            person=world["oz"],
            community=world["out"],
            kind="recognise",
            title="x",
            payload={"people": "northland"},
        )


def test_the_proposal_form_offers_registered_peoples(world, client):
    client.force_login(world["ann"])
    page = client.get(f"/alliances/{world['league'].slug}/propose/?kind=recognise")
    assert page.status_code == 200, page.status_code
    assert "Northland" in page.content.decode()


def test_audit_verify_names_an_alliance_recognition_edited_behind_its_back(world):
    p = decide(world, "recognise", world["north"].slug)
    assert verify().ok
    Recognition.objects.filter(decision=p.pk).update(decision=p.pk + 1000)
    result = verify()
    assert not result.ok
    text = " ".join(x.describe() for x in result.problems)
    assert "registry_recognition" in text and "its decision is" in text
