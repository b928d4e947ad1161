"""The Popolo export of an alliance, validated against the Popolo JSON schemas in the shared
data folder (draft-03; their ``$ref``\\ s resolved to the local files, never the network)."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client
from jsonschema import Draft3Validator
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT3

from secession.web.apps.alliances.decisions import close_alliance_proposal, make_alliance_proposal
from secession.web.apps.proposals.actions import cast_vote

from .factories import (
    CommunityFactory,
    UserFactory,
    add_member,
    found_alliance_by_vote,
    pass_by_vote,
)


@pytest.fixture(scope="module")
def popolo(data_dir):
    """``validator(name)`` for each Popolo class, with every schema registered by its id."""
    folder = data_dir / "popolo"
    schemas = {p.stem: json.loads(p.read_text()) for p in folder.glob("*.json")}
    registry = Registry().with_resources(
        (s["id"].rstrip("#"), DRAFT3.create_resource(s)) for s in schemas.values()
    )

    def validator(name: str) -> Draft3Validator:
        return Draft3Validator(schemas[name], registry=registry)

    return validator


def errors(validator, document) -> list[str]:
    return [e.message for e in validator.iter_errors(document)]


@pytest.fixture
def export(db):
    """A weighted alliance: Ash (3 members, votes internally 2 yes 1 no: split), Birch (a
    council), Cedar (joins, then leaves while a vote is open: not counted)."""
    ann, bea, cal = (UserFactory(username=n) for n in ("ann", "bea", "cal"))
    ash = CommunityFactory(name="Ash", founder=ann)
    helpers = [add_member(ash, UserFactory(username=f"a{i}")) for i in range(2)]
    birch = CommunityFactory(name="Birch", governance="council", founder=bea)
    add_member(birch, UserFactory(username="b1"))
    cedar = CommunityFactory(name="Cedar", founder=cal)
    league = found_alliance_by_vote(
        ash, ann, name="Tree League", method="weighted", admission="open"
    )
    for community, who in ((birch, bea), (cedar, cal)):
        pass_by_vote(community, who, "join_alliance", {"alliance": league.slug})
    p = make_alliance_proposal(league, person=ann, community=ash, kind="resolution", title="Share")
    own = {e.community.slug: e.internal for e in p.eligible.select_related("community")}
    cast_vote(own["ash"], person=ann, choice="yes")
    cast_vote(own["ash"], person=helpers[0], choice="yes")
    cast_vote(own["ash"], person=helpers[1], choice="no")
    cast_vote(own["birch"], person=bea, choice="yes")
    pass_by_vote(cedar, cal, "leave_alliance", {"alliance": league.slug})
    close_alliance_proposal(p, force=True)
    return Client().get(f"/api/alliances/{league.slug}/popolo").json()


def test_export_validates_against_the_popolo_schemas(popolo, export):
    assert errors(popolo("organization"), export["organizations"][0]) == []
    for org in export["organizations"]:
        assert errors(popolo("organization"), org) == []
    for m in export["memberships"]:
        assert errors(popolo("membership"), m) == []
    for motion in export["motions"]:
        assert errors(popolo("motion"), motion) == []
    for event in export["vote_events"]:
        assert errors(popolo("vote_event"), event) == []
        for v in event["votes"]:
            assert errors(popolo("vote"), v) == []
        for c in event["counts"]:
            assert errors(popolo("count"), c) == []


def test_alliance_is_an_organisation_of_organisations(export):
    alliance = export["organizations"][0]
    assert (alliance["id"], alliance["classification"]) == (
        "secession:alliance:tree-league",
        "alliance",
    )
    members = {m["member"]["id"]: m for m in export["memberships"]}
    assert set(members) == {
        "secession:community:ash",
        "secession:community:birch",
        "secession:community:cedar",
    }
    assert all(m["member"]["@type"] == "Organization" for m in members.values())
    assert members["secession:community:ash"]["role"] == "founding member"
    assert members["secession:community:cedar"]["end_date"] is not None
    assert members["secession:community:ash"]["end_date"] is None
    assert members["secession:community:ash"]["start_date"].endswith("Z")


def test_decision_is_a_vote_event_with_organisations_as_weighted_voters(export):
    event = export["vote_events"][0]
    assert event["result"] == "pass" and event["motion"]["result"] == "passed"
    votes = [
        (v["voter_id"].rsplit(":", 1)[1], v["option"], v["weight_exact"]) for v in event["votes"]
    ]
    # Ash (3 members) split 2:1 -> 2 yes, 1 no; Birch's council: yes, its 2 members whole
    # (4 of 5: passes); Cedar left during the vote: listed, not counted
    assert votes == [
        ("ash", "yes", "2"),
        ("ash", "no", "1"),
        ("birch", "yes", "2"),
        ("cedar", "not counted", "1"),
    ]
    assert all(v["voter"]["@type"] == "Organization" for v in event["votes"])
    assert {c["option"]: c["value"] for c in event["counts"]} == {
        "yes": 2,
        "no": 0,
        "abstain": 0,
        "none": 0,
    }
    # Cedar left before its own vote closed: the alliance vote closed without it
    assert [v["role"] for v in event["votes"]] == ["members", "members", "council", None]


def test_the_validation_can_fail(popolo, export):
    """The check is real: a wrong type anywhere (also behind a $ref) is reported."""
    event = copy.deepcopy(export["vote_events"][0])
    event["votes"][0]["weight"] = "heavy"
    event["counts"][0]["value"] = "one"
    found = errors(popolo("vote_event"), event)
    assert any("'heavy' is not of type" in e for e in found)
    assert any("'one' is not of type" in e for e in found)
    membership = copy.deepcopy(export["memberships"][0])
    membership["start_date"] = "yesterday"
    assert errors(popolo("membership"), membership)


def test_references_are_never_fetched_from_the_network():
    schema = {
        "$schema": "http://json-schema.org/draft-03/schema#",
        "properties": {"x": {"$ref": "http://www.popoloproject.com/schemas/not-stored.json#"}},
    }
    with pytest.raises(Unresolvable):
        list(Draft3Validator(schema, registry=Registry()).iter_errors({"x": {}}))
