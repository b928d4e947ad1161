"""Kinds of proposal come from a registry: apps add theirs without touching the voting code."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from secession.referendum import Rule
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.proposals import kinds
from secession.web.apps.proposals.actions import cast_vote, make_proposal
from secession.web.apps.proposals.models import VotingRule

from .factories import PASSWORD, add_member


class Petition(kinds.ProposalKind):
    """A kind registered after the community was founded (as a later app would)."""

    name, label = "test_petition", "Petition (test)"
    default = Rule.preset("simple-majority")
    default_window = 60

    def clean(self, community, payload):
        if not isinstance(payload.get("to"), str):
            raise ValidationError("a petition names who it is sent to")
        return {"to": payload["to"]}

    def apply(self, proposal):
        proposal.community.description = f"Petitioned {proposal.payload['to']}"
        proposal.community.save(update_fields=["description"])
        return ""


@pytest.fixture
def petition():
    kind = kinds.register(Petition())
    yield kind
    kinds._KINDS.pop(kind.name)


def test_every_builtin_kind_is_registered_once_with_a_default_rule():
    names = [k.name for k in kinds.all_kinds()]
    assert names[:8] == [
        "resolution",
        "adopt_constitution",
        "amend_constitution",
        "change_governance",
        "change_territory",
        "declare_independence",
        "admit_community",
        "change_rule",
    ]
    assert len(names) == len(set(names))
    for kind in kinds.all_kinds():
        Rule.from_dict(kind.default_rule)  # each default is a valid rule


def test_unknown_kind_is_refused_naming_the_known_ones(community, founder):
    with pytest.raises(ValidationError) as err:
        make_proposal(community, person=founder, kind="coup", title="x")
    assert "unknown proposal kind 'coup'" in str(err.value)
    assert "resolution" in str(err.value)


def test_kind_registered_later_gets_its_default_rule_once_and_works(community, founder, petition):
    assert not VotingRule.objects.filter(community=community, kind=petition.name).exists()
    p = make_proposal(
        community, person=founder, kind=petition.name, title="Ask", payload={"to": "the state"}
    )
    row = VotingRule.objects.get(community=community, kind=petition.name)
    assert (row.rule, row.window_minutes) == (petition.default_rule, 60)
    installed = AuditEntry.objects.filter(action="rules.installed", community_id=community.pk)
    assert json.loads(installed.last().data) == {petition.name: "simple-majority"}
    make_proposal(community, person=founder, kind=petition.name, title="Again", payload={"to": "x"})
    assert installed.count() == 2  # founding, then the new kind once
    cast_vote(p, person=founder, choice="yes")  # the whole electorate: closes and applies
    community.refresh_from_db()
    assert community.description == "Petitioned the state"
    assert p.kind_label == "Petition (test)"


def test_registering_a_different_kind_under_a_taken_name_fails():
    class Impostor(kinds.ProposalKind):
        name, label = "resolution", "Not a resolution"
        default = Rule.preset("simple-majority")

    with pytest.raises(RuntimeError, match="registered twice"):
        kinds.register(Impostor())


@pytest.mark.parametrize(
    "payload",
    [
        {"governance": "council", "office_holders": ["abc"]},
        {"governance": "council", "office_holders": 5},
        {"governance": "council", "office_holders": [None]},
        {"governance": "council", "office_holders": [2**70]},
        {"governance": "council", "office_holders": [True]},
    ],
)
def test_bad_office_holders_are_a_400_with_a_reason(community, founder, payload):
    assert _propose(founder, community, "change_governance", payload).status_code == 400


@pytest.mark.parametrize(
    "payload",
    [
        {"target_kind": "resolution", "rule": "abc", "window_minutes": 60},
        {"target_kind": "resolution", "rule": {"threshold": "1/2"}, "window_minutes": 1e400},
        {"target_kind": "resolution", "rule": {"threshold": "1/2"}, "window_minutes": 1.5},
        {"target_kind": ["resolution"], "rule": {}, "window_minutes": 60},
        {"target_kind": "resolution", "rule": {"threshold": []}, "window_minutes": 60},
        {"target_kind": "resolution", "rule": {}, "window_minutes": 60, "secret": "yes"},
    ],
)
def test_bad_rule_changes_are_a_400_with_a_reason(community, founder, payload):
    response = _propose(founder, community, "change_rule", payload)
    assert response.status_code == 400, response.content
    assert response.json()["detail"]


def test_payload_that_is_not_an_object_is_refused_by_the_schema(community, founder):
    response = _propose(founder, community, "resolution", [1, 2])
    assert response.status_code == 422
    assert response.json()["detail"]


def _propose(person, community, kind, payload):
    client = Client()
    assert client.login(username=person.username, password=PASSWORD)
    body = json.dumps({"community": community.slug, "kind": kind, "title": "t", "payload": payload})
    return client.post("/api/proposals", body, content_type="application/json")


def test_page_form_of_a_kind_comes_from_the_kind(community, founder):
    add_member(community)
    client = Client()
    client.login(username=founder.username, password=PASSWORD)
    html = client.get(f"/proposals/new/{community.slug}/?kind=change_governance").content
    assert b'name="governance"' in html and b'name="office_holders"' in html
    html = client.get(f"/proposals/new/{community.slug}/?kind=amend_constitution").content
    assert b"Constitution of Riverside" in html  # the text in force, to edit
