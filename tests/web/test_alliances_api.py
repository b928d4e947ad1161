"""The alliance API: every endpoint for each kind of user (anonymous, in no community, a
member of a member community, its council or leader, a member of a community outside),
bad input answered 4xx with a reason, the OpenAPI schema, and the whole story through the
API alone."""

from __future__ import annotations

import json

import pytest
from django.db import transaction
from django.test import Client, override_settings

from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.alliances.actions import post_pledge
from secession.web.apps.alliances.decisions import make_alliance_proposal
from secession.web.apps.audit.log import verify

from .alliance_world import internal, make_league, make_people
from .factories import PASSWORD

WHO = ("anonymous", "nobody", "bob", "amy", "bea", "cal", "oz")
"""bob: a member under Brook's council; amy: a member of the assembly Ashford; bea: Brook's
council; cal: Cliff's leader; oz: a member of Out, outside the alliance; nobody: in no
community."""


@pytest.fixture
def world(db):
    w = make_league(make_people())
    lg = w["league"]
    w["proposal"] = make_alliance_proposal(
        lg, person=w["ann"], community=w["ashford"], kind="resolution", title="Together"
    )
    w["pledge"] = post_pledge(
        lg, person=w["bea"], community=w["brook"], kind="offer", title="Grain"
    )
    return w


def call(world, who, method, path, body=None):
    headers = {}
    if who != "anonymous":
        headers["HTTP_AUTHORIZATION"] = "Bearer " + create_token(world[who])
    fn = getattr(Client(), method)
    if body is None:
        return fn(path, **headers)
    return fn(path, json.dumps(body), content_type="application/json", **headers)


def fill(world, template: str) -> str:
    return template.format(
        slug=world["league"].slug,
        p=world["proposal"].pk,
        pledge=world["pledge"].pk,
        brook_vote=internal(world["proposal"], world["brook"]).pk,
    )


EVERYONE = dict.fromkeys(WHO, 200)
READS = [
    "/api/alliances",
    "/api/alliances/{slug}",
    "/api/alliances/{slug}/members?history=true",
    "/api/alliances/{slug}/charter",
    "/api/alliances/{slug}/charter/1",
    "/api/alliances/{slug}/charter/1/diff",
    "/api/alliances/{slug}/rules",
    "/api/alliances/{slug}/proposals",
    "/api/alliances/proposals/{p}",
    "/api/alliances/{slug}/pledges",
    "/api/alliances/{slug}/popolo",
    "/api/communities/brook/alliances",
]
WRITES = [
    # any member of a member community proposes, for a community they belong to
    (
        "/api/alliances/{slug}/proposals",
        {"community": "brook", "kind": "resolution", "title": "By Brook"},
        {
            "anonymous": 401,
            "nobody": 403,
            "bob": 201,
            "amy": 403,
            "bea": 201,
            "cal": 403,
            "oz": 403,
        },
    ),
    (
        "/api/alliances/{slug}/proposals",
        {"community": "out", "kind": "resolution", "title": "By Out"},
        {
            "anonymous": 401,
            "nobody": 403,
            "bob": 403,
            "amy": 403,
            "bea": 403,
            "cal": 403,
            "oz": 403,
        },
    ),
    # those who speak for a member community post on the board for it
    (
        "/api/alliances/{slug}/pledges",
        {"community": "brook", "kind": "request", "title": "Seed"},
        {
            "anonymous": 401,
            "nobody": 403,
            "bob": 403,
            "amy": 403,
            "bea": 201,
            "cal": 403,
            "oz": 403,
        },
    ),
    (
        "/api/alliances/{slug}/pledges",
        {"community": "ashford", "kind": "offer", "title": "Tools"},
        {
            "anonymous": 401,
            "nobody": 403,
            "bob": 403,
            "amy": 201,
            "bea": 403,
            "cal": 403,
            "oz": 403,
        },
    ),
    # and close the pledges of that community
    (
        "/api/alliances/pledges/{pledge}/close",
        {"status": "fulfilled"},
        {
            "anonymous": 401,
            "nobody": 403,
            "bob": 403,
            "amy": 403,
            "bea": 200,
            "cal": 403,
            "oz": 403,
        },
    ),
    # Brook's vote on the alliance proposal is its council's (its own rule, by default)
    (
        "/api/proposals/{brook_vote}/vote",
        {"choice": "yes"},
        {
            "anonymous": 401,
            "nobody": 403,
            "bob": 403,
            "amy": 403,
            "bea": 201,
            "cal": 403,
            "oz": 403,
        },
    ),
    # founding, joining, leaving: a proposal of the community, by any of its members
    (
        "/api/proposals",
        {
            "community": "dale",
            "kind": "join_alliance",
            "title": "Join",
            "payload": {"alliance": "valley-league"},
        },
        {
            "anonymous": 401,
            "nobody": 403,
            "bob": 403,
            "amy": 403,
            "bea": 403,
            "cal": 403,
            "oz": 403,
        },
    ),
    (
        "/api/proposals",
        {
            "community": "brook",
            "kind": "leave_alliance",
            "title": "Go",
            "payload": {"alliance": "valley-league"},
        },
        {
            "anonymous": 401,
            "nobody": 403,
            "bob": 201,
            "amy": 403,
            "bea": 201,
            "cal": 403,
            "oz": 403,
        },
    ),
]


@pytest.mark.parametrize("who", WHO)
def test_public_reads_for_everyone(world, who):
    for template in READS:
        r = call(world, who, "get", fill(world, template))
        assert r.status_code == 200, (template, r.content)


@pytest.mark.parametrize("who", WHO)
def test_writes_for_each_kind_of_user(world, who):
    """Each write from the same starting state (each one rolled back after it)."""
    for template, body, expected in WRITES:
        with transaction.atomic():
            r = call(world, who, "post", fill(world, template), body)
            transaction.set_rollback(True)
        assert r.status_code == expected[who], (template, body, r.content)
        if r.status_code in (401, 403):
            assert "detail" in r.json()


def test_bad_input_is_answered_with_a_reason(world):
    slug = world["league"].slug
    cases = [
        (
            "post",
            f"/api/alliances/{slug}/proposals",
            {"community": "brook", "kind": "x", "title": "t"},
            400,
            "unknown alliance proposal kind",
        ),
        (
            "post",
            f"/api/alliances/{slug}/proposals",
            {"community": "brook", "kind": "resolution", "title": " "},
            400,
            "needs a title",
        ),
        (
            "post",
            f"/api/alliances/{slug}/proposals",
            {"community": "brook", "kind": "resolution", "title": "t" * 201},
            400,
            "at most 200",
        ),
        (
            "post",
            f"/api/alliances/{slug}/proposals",
            {"community": "brook", "kind": "admit_member", "title": "t"},
            400,
            "opened by the platform",
        ),
        (
            "post",
            f"/api/alliances/{slug}/proposals",
            {
                "community": "brook",
                "kind": "change_rule",
                "title": "t",
                "payload": {
                    "target_kind": "resolution",
                    "method": "equal",
                    "rule": {"threshold": "2"},
                    "window_minutes": 60,
                },
            },
            400,
            "threshold must be between",
        ),
        (
            "post",
            f"/api/alliances/{slug}/proposals",
            {"community": "nowhere", "kind": "resolution", "title": "t"},
            404,
            None,
        ),
        (
            "post",
            f"/api/alliances/{slug}/pledges",
            {"community": "brook", "kind": "gift", "title": "t"},
            400,
            "kind must be one of",
        ),
        (
            "post",
            f"/api/alliances/{slug}/pledges",
            {"community": "brook", "kind": "offer", "title": "t" * 201},
            400,
            "longer than 200",
        ),
        (
            "post",
            f"/api/alliances/{slug}/pledges",
            {"community": "brook", "kind": "offer", "title": "t", "answers": 99999},
            404,
            None,
        ),
        (
            "post",
            f"/api/alliances/pledges/{world['pledge'].pk}/close",
            {"status": "maybe"},
            400,
            "fulfilled or not_fulfilled",
        ),
        ("get", "/api/alliances/nowhere", None, 404, None),
        ("get", f"/api/alliances/{slug}/charter/9", None, 404, None),
        ("get", "/api/alliances/proposals/99999", None, 404, None),
    ]
    for method, path, body, status, detail in cases:
        r = call(world, "bea", method, path, body)
        assert r.status_code == status, (path, body, r.content)
        assert r["Content-Type"].startswith("application/json")
        if detail:
            assert detail in r.json()["detail"], r.json()
    r = call(
        world,
        "bea",
        "post",
        f"/api/alliances/pledges/{world['pledge'].pk}/close",
        {"status": "fulfilled"},
    )
    r = call(
        world,
        "bea",
        "post",
        f"/api/alliances/pledges/{world['pledge'].pk}/close",
        {"status": "fulfilled"},
    )
    assert r.status_code == 409 and "already closed" in r.json()["detail"]
    assert call(world, "bea", "get", "/api/alliances?limit=500&offset=0").status_code == 200
    for query in ("limit=-5", "offset=-1", f"offset={2**63}", "limit=0"):
        r = call(world, "bea", "get", f"/api/alliances?{query}")
        assert r.status_code == 422 and r.json()["detail"], query


def test_openapi_schema_documents_alliances(client, db):
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/alliances",
        "/api/alliances/{slug}",
        "/api/alliances/{slug}/proposals",
        "/api/alliances/proposals/{proposal_id}",
        "/api/alliances/{slug}/pledges",
        "/api/alliances/pledges/{pledge_id}/close",
        "/api/alliances/{slug}/popolo",
        "/api/communities/{slug}/alliances",
    } <= paths
    assert schema["paths"]["/api/alliances/{slug}/proposals"]["post"]["security"]
    fields = schema["components"]["schemas"]["AllianceProposalOut"]["properties"]
    assert {"communities", "reasons", "method", "internal_closes_at", "diff"} <= set(fields)
    votes = schema["components"]["schemas"]["CommunityVoteOut"]["properties"]
    assert {"weight", "decided_by", "choice", "counted", "note", "cast"} <= set(votes)


@override_settings(REGISTRATION_LIMIT=100)  # one client registers the whole cast
def test_api_story(db):
    """Through the API alone: three communities found an alliance, a fourth applies and is
    admitted, a weighted decision passes with one community voting by an internal vote and
    one by its council, and a community leaves."""
    anon = Client()
    tokens = {}
    names = ("ada", "abe", "amy", "bea", "bo", "cy", "dee")
    for name in names:
        anon.post(
            "/api/accounts/register",
            {"username": name, "password": PASSWORD},
            content_type="application/json",
        )
        r = anon.post(
            "/api/accounts/token",
            {"username": name, "password": PASSWORD},
            content_type="application/json",
        )
        tokens[name] = {"HTTP_AUTHORIZATION": "Bearer " + r.json()["token"]}

    def post(who, path, body=None, status=None):
        r = anon.post(path, json.dumps(body or {}), content_type="application/json", **tokens[who])
        if status is not None:
            assert r.status_code == status, r.content
        return r.json()

    def get(path):
        r = anon.get(path)
        assert r.status_code == 200, r.content
        return r.json()

    def decide(who, community, kind, payload, voters):
        p = post(
            who,
            "/api/proposals",
            {"community": community, "kind": kind, "title": kind, "payload": payload},
            201,
        )
        for v in voters:
            post(v, f"/api/proposals/{p['id']}/vote", {"choice": "yes"}, 201)
        return get(f"/api/proposals/{p['id']}")

    post("ada", "/api/communities", {"name": "Ash"}, 201)  # an assembly of three
    post("abe", "/api/communities/ash/join", status=201)
    post("amy", "/api/communities/ash/join", status=201)
    post("bea", "/api/communities", {"name": "Birch", "governance": "council"}, 201)
    post("bo", "/api/communities/birch/join", status=201)
    post("cy", "/api/communities", {"name": "Cedar"}, 201)
    post("dee", "/api/communities", {"name": "Dogwood"}, 201)

    founding = {
        "name": "Grove League",
        "purpose": "Mutual aid.",
        "charter": "We stand together.\n",
        "method": "weighted",
        "rule": {"name": "majority", "threshold": "1/2", "strict": True},
        "window_minutes": 60,
    }
    assert decide("ada", "ash", "found_alliance", founding, ["ada", "abe", "amy"])["passed"]
    # Birch and Cedar apply; the members admit them (each community's own vote)
    for who, community, voters in (("bea", "birch", ["bea", "bo"]), ("cy", "cedar", ["cy"])):
        decide(who, community, "join_alliance", {"alliance": "grove-league"}, voters)
        admission = get("/api/alliances/grove-league/proposals?status=open")[0]
        for row in get(f"/api/alliances/proposals/{admission['id']}")["communities"]:
            own = get(f"/api/proposals/{row['internal_proposal']}")
            voters_of = {"ash": ["ada", "abe", "amy"], "birch": ["bea"]}[row["community"]]
            for v in voters_of[: own["eligible"]]:
                post(v, f"/api/proposals/{row['internal_proposal']}/vote", {"choice": "yes"}, 201)
        assert get(f"/api/alliances/proposals/{admission['id']}")["passed"] is True
    assert [m["community"] for m in get("/api/alliances/grove-league")["member_communities"]] == [
        "ash",
        "birch",
        "cedar",
    ]

    # a fourth applies and is admitted
    decide("dee", "dogwood", "join_alliance", {"alliance": "grove-league"}, ["dee"])
    admission = get("/api/alliances/grove-league/proposals?status=open")[0]
    assert admission["kind"] == "admit_member"
    ballots = {
        r["community"]: r["internal_proposal"]
        for r in get(f"/api/alliances/proposals/{admission['id']}")["communities"]
    }
    voters = (("ada", "ash"), ("abe", "ash"), ("amy", "ash"), ("bea", "birch"), ("cy", "cedar"))
    for who, community in voters:
        post(who, f"/api/proposals/{ballots[community]}/vote", {"choice": "yes"}, 201)
    assert get(f"/api/alliances/proposals/{admission['id']}")["passed"] is True
    assert get("/api/alliances/grove-league")["members"] == 4

    # a weighted decision: Ash by internal vote (2 yes, 1 no), Birch by its council
    p = post(
        "amy",
        "/api/alliances/grove-league/proposals",
        {"community": "ash", "kind": "resolution", "title": "Share the harvest"},
        201,
    )
    rows = {r["community"]: r for r in p["communities"]}
    assert {c: (r["weight"], r["decided_by"]) for c, r in rows.items()} == {
        "ash": (3, "members"),
        "birch": (2, "council"),
        "cedar": (1, "members"),
        "dogwood": (1, "members"),
    }
    for who, choice in (("ada", "yes"), ("abe", "yes"), ("amy", "no")):
        post(
            who, f"/api/proposals/{rows['ash']['internal_proposal']}/vote", {"choice": choice}, 201
        )
    # Birch's council decides: bo, a member, has no vote in it
    post("bo", f"/api/proposals/{rows['birch']['internal_proposal']}/vote", {"choice": "no"}, 403)
    post("bea", f"/api/proposals/{rows['birch']['internal_proposal']}/vote", {"choice": "yes"}, 201)
    post("cy", f"/api/proposals/{rows['cedar']['internal_proposal']}/vote", {"choice": "no"}, 201)
    post(
        "dee", f"/api/proposals/{rows['dogwood']['internal_proposal']}/vote", {"choice": "no"}, 201
    )
    result = get(f"/api/alliances/proposals/{p['id']}")
    # by hand: yes 2 (Ash's 3 split 2:1) + 2 (Birch) = 4 of 7 > 1/2
    assert result["status"] == "closed" and result["passed"] is True
    assert result["totals"]["weight"]["yes"]["exact"] == "4"
    assert result["totals"]["weight"]["valid"]["exact"] == "7"
    by = {
        r["community"]: (r["choice"], r["decided_by_text"], r["split"])
        for r in result["communities"]
    }
    assert by["ash"] == ("yes", "an internal vote of its members", True)
    assert by["birch"] == ("yes", "its council", False)

    # a community leaves: its own vote, nothing else
    decide("cy", "cedar", "leave_alliance", {"alliance": "grove-league"}, ["cy"])
    history = get("/api/alliances/grove-league/members?history=true")
    cedar = next(m for m in history if m["community"] == "cedar")
    assert cedar["left_at"] is not None and cedar["left_by"] is not None
    assert get("/api/alliances/grove-league")["members"] == 3
    assert get("/api/communities/cedar/alliances")["memberships"][0]["left_at"] is not None
    popolo = get("/api/alliances/grove-league/popolo")
    assert len(popolo["vote_events"]) == 4 and len(popolo["memberships"]) == 4
    result = verify()  # the log and every table against it, the alliances' too
    assert result.ok and "alliances" in result.checks, [p.describe() for p in result.problems]
    assert get("/api/audit/head")["tree_size"] == result.checked


def test_first_read_of_a_due_alliance_proposal_closes_it(world):
    from django.utils import timezone

    from secession.web.apps.alliances.models import AllianceProposal
    from secession.web.apps.proposals.models import Proposal

    p = world["proposal"]
    cast_by = internal(p, world["cliff"])
    call(world, "cal", "post", f"/api/proposals/{cast_by.pk}/vote", {"choice": "yes"})
    now = timezone.now()
    Proposal.objects.filter(pk__in=p.eligible.values("internal")).update(closes_at=now)
    AllianceProposal.objects.filter(pk=p.pk).update(closes_at=now)
    r = call(world, "anonymous", "get", f"/api/alliances/proposals/{p.pk}").json()
    assert r["status"] == "closed" and r["passed"] is True  # Cliff yes; the others did not vote
    assert r["closed_because"] == "the voting window ended"
    assert {c["community"]: c["choice"] for c in r["communities"]} == {
        "ashford": "none",
        "brook": "none",
        "cliff": "yes",
    }
