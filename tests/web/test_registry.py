"""The registry of free peoples: declarations published by passed votes (permanent, never
edited, superseded never rewritten), indigenous nations' sovereignty, recognitions by each
people's own vote and their withdrawal, the recognition rule as data (met exactly, one
short), points of view, pages, exports and the API for each kind of user."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.audit.log import verify
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.communities.actions import found_community
from secession.web.apps.proposals.actions import cast_vote, make_proposal
from secession.web.apps.registry.actions import (
    current_declaration,
    recognition_rule,
    set_recognition_rule,
)
from secession.web.apps.registry.models import Declaration, Immutable, Recognition
from secession.web.apps.registry.present import recognised_by, standings, world_document

from .factories import CommunityFactory, UserFactory, add_member, admit


def box(west, south, east, north) -> str:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def decide(community, *, by, kind, title, body="", payload=None, choice="yes"):
    """Open a proposal and have every member vote ``choice`` (it closes at the last vote)."""
    p = make_proposal(community, person=by[0], kind=kind, title=title, body=body, payload=payload)
    for voter in by:
        cast_vote(p, person=voter, choice=choice)
    p.refresh_from_db()
    return p


def people(name, box_, *, kind="region", indigenous=False, parent=None):
    founder = UserFactory(username=f"{name.split()[0].lower()}-founder")
    community = found_community(
        person=founder,
        name=name,
        kind=kind,
        indigenous=indigenous,
        parent=parent,
        territory_geojson=box_,
        territory_crs="EPSG:4326",
    )
    second = add_member(community, UserFactory(username=f"{name.split()[0].lower()}-second"))
    if parent is not None:  # the parent's members consent to the sub-community
        add_member(parent, UserFactory(username=f"{parent.slug}-member"))
        admit(community, parent)
    return community, [founder, second]


def declare(community, voters, *, text="We, the people, are free.", from_name=""):
    return decide(
        community,
        by=voters,
        kind="declare_independence",
        title=f"Independence of {community.name}",
        body=text,
        payload={"from_name": from_name},
    )


@pytest.fixture
def registry(db):
    """Four registered peoples (:func:`four_peoples`)."""
    return four_peoples()


def four_peoples():
    """Four registered peoples: Northland (Australia), Riverland (Brazil), Lakeland (left
    its parent Greater Valley, in Canada) and the indigenous Hill Nation (in the US)."""
    north, north_v = people("Northland", box(125, -28, 135, -20))
    river, river_v = people("Riverland", box(-62, -12, -52, -5))
    valley = CommunityFactory(name="Greater Valley", kind="country")
    lake, lake_v = people("Lakeland", box(-110, 52, -100, 58), parent=valley)
    hill, hill_v = people("Hill Nation", box(-104, 43, -101, 45), kind="nation", indigenous=True)
    declare(north, north_v, from_name="Australia")
    declare(river, river_v, from_name="Brazil")
    declare(lake, lake_v)
    decide(
        hill,
        by=hill_v,
        kind="declare_sovereignty",
        title="We are sovereign",
        body="The Hill Nation was never ceded.",
        payload={"land": "the Black Hills", "claimed_by": "United States of America"},
    )
    return {
        "north": (north, north_v),
        "river": (river, river_v),
        "lake": (lake, lake_v),
        "hill": (hill, hill_v),
        "valley": valley,
    }


def recognise(registry, who, whom):
    community, voters = registry[who]
    target = registry[whom][0]
    return decide(
        community,
        by=voters,
        kind="recognise",
        title=f"Recognise {target.name}",
        payload={"people": target.slug},
    )


def withdraw(registry, who, whom):
    community, voters = registry[who]
    target = registry[whom][0]
    return decide(
        community,
        by=voters,
        kind="withdraw_recognition",
        title=f"No longer recognise {target.name}",
        payload={"people": target.slug},
    )


def status(community) -> str:
    (s,) = standings([current_declaration(community)])
    return s.status


# --- declarations -------------------------------------------------------------------------


def test_a_passed_independence_vote_publishes_its_declaration(registry):
    north, _ = registry["north"]
    d = current_declaration(north)
    assert d.kind == "independence" and d.title == "Declaration of independence of Northland"
    assert d.text == "We, the people, are free." and d.separates_from == "Australia"
    assert json.loads(d.territory_geojson)["type"] == "Polygon"
    vote = d.vote
    assert vote["totals"]["yes"] == 2 and vote["voters"] == 2 and vote["eligible"] == 2
    assert vote["secret"] is True and vote["electorate"] == "members"
    assert "two thirds" in vote["rule_text"] or "2/3" in vote["rule_text"]
    assert vote["reasons"]
    entry = AuditEntry.objects.get(seq=d.audit_seq)
    assert entry.action == "proposal.closed" and entry.target_id == str(vote["proposal"])
    assert entry.leaf_hash == d.audit_leaf_hash
    published = AuditEntry.objects.get(action="registry.declaration_published", target_id=str(d.pk))
    assert json.loads(published.data)["vote_entry"] == d.audit_seq
    # leaving a parent: the declaration names it
    lake_d = current_declaration(registry["lake"][0])
    assert lake_d.separates_from == "Greater Valley"
    assert verify().ok


def test_a_failed_vote_publishes_nothing(db):
    town, voters = people("Failtown", box(0, 0, 1, 1))
    p = declare(town, voters[:1], from_name="France")  # one of two votes: still open
    assert p.status == "open" and current_declaration(town) is None
    p2 = decide(
        town,
        by=voters,
        kind="declare_independence",
        title="No",
        choice="no",
        payload={"from_name": "France"},
    )
    assert p2.passed is False and current_declaration(town) is None


def test_declarations_are_never_edited_or_deleted(registry):
    d = current_declaration(registry["north"][0])
    d.text = "Something else"
    with pytest.raises(Immutable):
        d.save()
    with pytest.raises(Immutable):
        Declaration.objects.filter(pk=d.pk).update(text="x")
    with pytest.raises(Immutable):
        d.delete()
    with pytest.raises(Immutable):
        Declaration.objects.filter(pk=d.pk).delete()
    assert Declaration.objects.get(pk=d.pk).text == "We, the people, are free."


def test_a_later_declaration_supersedes_and_the_first_stays(registry):
    hill, voters = registry["hill"]
    first = current_declaration(hill)
    before = {f.name: getattr(first, f.name) for f in Declaration._meta.fields}
    decide(
        hill,
        by=voters,
        kind="declare_sovereignty",
        title="We are sovereign, and here is our land",
        body="Our land, as the 1868 treaty drew it.",
        payload={"land": "the 1868 treaty land", "claimed_by": "United States of America"},
    )
    second = current_declaration(hill)
    assert second.pk != first.pk and second.supersedes_id == first.pk
    again = Declaration.objects.get(pk=first.pk)
    assert {f.name: getattr(again, f.name) for f in Declaration._meta.fields} == before
    assert list(Declaration.objects.current().filter(community=hill)) == [second]
    page = Client().get(first.get_absolute_url()).content.decode()
    assert "Superseded" in page and second.get_absolute_url() in page
    assert Client().get(f"/registry/declarations/{first.pk}.json").json()["superseded_by"] == (
        second.pk
    )


def test_indigenous_nations_declare_sovereignty_with_no_parent(registry):
    hill = registry["hill"][0]
    d = current_declaration(hill)
    assert d.kind == "sovereignty" and d.indigenous
    assert d.land == "the Black Hills" and d.claimed_by == "United States of America"
    assert hill.parent is None and not hill.independent  # nothing to leave


def test_sovereignty_is_for_indigenous_nations_only(registry):
    north, voters = registry["north"]
    with pytest.raises(ValidationError, match="kind nation marked indigenous"):
        make_proposal(
            north,
            person=voters[0],
            kind="declare_sovereignty",
            title="x",
            payload={"land": "a", "claimed_by": "b"},
        )
    hill, hill_v = registry["hill"]
    with pytest.raises(ValidationError, match="name the state that claims the land"):
        make_proposal(
            hill, person=hill_v[0], kind="declare_sovereignty", title="x", payload={"land": "a"}
        )
    with pytest.raises(ValidationError, match="only a community of kind nation"):
        found_community(person=hill_v[0], name="Not a nation", kind="town", indigenous=True)


# --- recognition and the rule -------------------------------------------------------------


def test_recognition_rule_met_exactly_three_of_three(registry):
    assert recognition_rule().min_peoples == 3
    north = registry["north"][0]
    recognise(registry, "river", "north")
    recognise(registry, "lake", "north")
    assert status(north) == "declared"  # 2 of 3: one short
    (s,) = standings([current_declaration(north)])
    assert s.shortfall == ["2 of 3 registered peoples"]
    recognise(registry, "hill", "north")
    assert status(north) == "recognised"  # 3 of 3
    doc = world_document()
    by_id = {p["id"]: p for p in doc["peoples"]}
    assert by_id[north.slug]["status"] == "recognised"
    assert by_id[north.slug]["recognised_by"] == ["Riverland", "Lakeland", "Hill Nation"]
    assert {by_id[c.slug]["status"] for c in (registry["river"][0], registry["hill"][0])} == {
        "declared"
    }


def test_a_withdrawn_recognition_leaves_the_map_and_stays_in_the_history(registry):
    north = registry["north"][0]
    for who in ("river", "lake", "hill"):
        recognise(registry, who, "north")
    assert status(north) == "recognised"
    p = withdraw(registry, "lake", "north")
    assert p.passed
    assert status(north) == "declared"
    assert [r.recogniser_name for r in recognised_by(north)] == ["Hill Nation", "Riverland"]
    history = list(recognised_by(north, history=True))
    gone = [r for r in history if r.withdrawn_at is not None]
    assert [r.recogniser_name for r in gone] == ["Lakeland"]
    assert gone[0].withdrawal_proposal_id == p.pk and gone[0].withdrawal_audit_seq
    doc = world_document()
    entry = next(x for x in doc["peoples"] if x["id"] == north.slug)
    assert entry["status"] == "declared" and "Lakeland" not in entry["recognised_by"]
    # recognising again opens a new row; the old one stays
    recognise(registry, "lake", "north")
    assert status(north) == "recognised"
    assert Recognition.objects.filter(recognised=north, recogniser_name="Lakeland").count() == 2
    assert verify().ok


@pytest.mark.parametrize(
    "who, payload, message",
    [
        ("north", {"people": "northland"}, "does not recognise itself"),
        ("north", {"people": "nowhere"}, "no community 'nowhere'"),
        ("north", {"people": "greater-valley"}, "Greater Valley is not a registered people"),
        ("north", {}, "name the people"),
    ],
)
def test_recognise_refuses_with_a_reason(registry, who, payload, message):
    community, voters = registry[who]
    with pytest.raises(ValidationError, match=message):
        make_proposal(community, person=voters[0], kind="recognise", title="x", payload=payload)


def test_only_registered_peoples_recognise_and_only_once(registry):
    valley = registry["valley"]
    with pytest.raises(ValidationError, match="not a registered people yet"):
        make_proposal(
            valley,
            person=valley.founded_by,
            kind="recognise",
            title="x",
            payload={"people": "northland"},
        )
    recognise(registry, "river", "north")
    river, voters = registry["river"]
    with pytest.raises(ValidationError, match="already recognises Northland"):
        make_proposal(
            river, person=voters[0], kind="recognise", title="x", payload={"people": "northland"}
        )
    with pytest.raises(ValidationError, match="does not recognise 'lakeland'"):
        make_proposal(
            river,
            person=voters[0],
            kind="withdraw_recognition",
            title="x",
            payload={"people": "lakeland"},
        )


def test_the_rule_is_data_set_by_administrators_only(registry):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    someone = registry["north"][1][0]
    with pytest.raises(PermissionDenied):
        set_recognition_rule({"min_peoples": 1}, person=someone)
    with pytest.raises(ValidationError, match="at least one threshold"):
        set_recognition_rule({"min_peoples": 0}, person=admin)
    with pytest.raises(ValidationError, match="unknown field"):
        set_recognition_rule({"min_friends": 2}, person=admin)
    assert AnonymousUser().has_perm("registry.set_recognition_rule") is False
    assert admin.has_perm("registry.set_recognition_rule")
    # peoples with at least 4 members together: the two recognisers have 2 each
    set_recognition_rule({"min_members": 4}, person=admin)
    rule = recognition_rule()
    assert rule.describe() == "recognised by registered peoples with at least 4 members together"
    recognise(registry, "river", "north")
    assert status(registry["north"][0]) == "declared"  # 2 members
    recognise(registry, "lake", "north")
    assert status(registry["north"][0]) == "recognised"  # 4 members
    entry = AuditEntry.objects.filter(action="registry.rule_set").last()
    assert json.loads(entry.data)["after"]["min_members"] == 4 and entry.actor_id == admin.pk


def test_a_point_of_view_shows_exactly_whom_that_people_recognises(registry):
    recognise(registry, "river", "north")
    river = registry["river"][0]
    doc = world_document(as_people=river)
    statuses = {p["id"]: p["status"] for p in doc["peoples"]}
    assert statuses == {
        "northland": "recognised",  # Riverland recognises it
        "riverland": "recognised",  # itself
        "lakeland": "declared",
        "hill-nation": "declared",
    }
    assert doc["point_of_view"] == "Riverland" and "Riverland" in doc["title"]
    assert "the registry's own rule" in doc["rule"]


def test_world_document_is_a_valid_map_input(registry):
    from secession.maps.world.doc import parse_world_doc

    doc = parse_world_doc(world_document(), "the registry")
    by = {p.id: p for p in doc.peoples}
    assert by["northland"].left == "Australia" and by["riverland"].left == "Brazil"
    assert by["lakeland"].left == ""  # left its parent community: the map infers the country
    assert by["hill-nation"].left == "United States of America" and by["hill-nation"].indigenous
    assert by["northland"].territory["type"] == "Polygon"


# --- pages, exports and the API for each kind of user -------------------------------------

WHO = ("anonymous", "outsider", "member", "admin")


def client(registry, who) -> Client:
    c = Client()
    if who == "outsider":
        c.force_login(UserFactory(username="outsider"))
    elif who == "member":
        c.force_login(registry["north"][1][1])
    elif who == "admin":
        c.force_login(UserFactory(username="admin", is_superuser=True))
    return c


PAGES = [
    "/registry/",
    "/registry/declarations/{north_d}/",
    "/registry/declarations/{north_d}.json",
    "/registry/peoples/northland/",
    "/registry/peoples/northland/?history=1",
    "/registry/graph/",
    "/registry/recognitions.csv",
    "/registry/recognitions.json",
    "/registry/world.json",
    "/registry/world.json?as=riverland",
    "/registry/assets/world.js",
    "/registry/assets/world.css",
    "/api/registry/peoples",
    "/api/registry/peoples/northland",
    "/api/registry/declarations/{north_d}",
    "/api/registry/rule",
    "/api/registry/world?as_people=riverland",
]


@pytest.mark.parametrize("who", WHO)
def test_everything_published_is_public(registry, who):
    recognise(registry, "river", "north")
    c = client(registry, who)
    north_d = current_declaration(registry["north"][0]).pk
    for page in PAGES:
        response = c.get(page.format(north_d=north_d))
        assert response.status_code == 200, page


@pytest.mark.parametrize(
    "page, status_code",
    [
        ("/registry/declarations/999999/", 404),
        ("/registry/peoples/greater-valley/", 404),  # not registered
        ("/registry/peoples/nowhere/", 404),
        ("/registry/map/?as=greater-valley", 404),
        ("/registry/assets/other.js", 404),
        ("/api/registry/peoples/greater-valley", 404),
        ("/api/registry/peoples?limit=0", 422),
        ("/api/registry/peoples?limit=201", 400),
        (f"/api/registry/peoples?offset={2**63}", 422),
        ("/api/registry/world?as_people=nowhere", 404),
    ],
)
def test_unknown_things_are_4xx_with_a_reason(registry, page, status_code):
    response = Client().get(page)
    assert response.status_code == status_code
    if page.startswith("/api/"):
        assert response.json()["detail"]


@pytest.mark.parametrize(
    "who, expected", [("anonymous", 401), ("outsider", 403), ("member", 403), ("admin", 200)]
)
def test_setting_the_rule_through_the_api(registry, who, expected):
    headers = {}
    if who != "anonymous":
        user = {
            "outsider": UserFactory(username="outsider"),
            "member": registry["north"][1][1],
            "admin": UserFactory(username="admin", is_superuser=True),
        }[who]
        headers["HTTP_AUTHORIZATION"] = "Bearer " + create_token(user)
    response = Client().put(
        "/api/registry/rule",
        json.dumps({"min_peoples": 2}),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["text"] == "recognised by at least 2 registered peoples"
        bad = Client().put(
            "/api/registry/rule",
            json.dumps({"min_peoples": -1}),
            content_type="application/json",
            **headers,
        )
        assert bad.status_code == 400 and "0 or more" in bad.json()["detail"]
    else:
        assert recognition_rule().min_peoples == 3


def test_exports_hold_every_recognition_with_its_history(registry):
    recognise(registry, "river", "north")
    recognise(registry, "lake", "north")
    withdraw(registry, "lake", "north")
    rows = list(
        csv.DictReader(
            io.StringIO(
                b"".join(Client().get("/registry/recognitions.csv").streaming_content).decode()
            )
        )
    )
    assert [(r["recogniser"], r["recognised"], bool(r["withdrawn_at"])) for r in rows] == [
        ("Riverland", "Northland", False),
        ("Lakeland", "Northland", True),
    ]
    data = json.loads(b"".join(Client().get("/registry/recognitions.json").streaming_content))
    assert data["format"] == "secession-recognitions/1" and len(data["recognitions"]) == 2
    api = Client().get("/api/registry/peoples/northland?history=true").json()
    assert api["status"] == "declared" and api["recognised_by_peoples"] == 1
    assert len(api["recognised_by"]) == 2
    listed = Client().get("/api/registry/peoples").json()
    assert [p["slug"] for p in listed] == ["hill-nation", "lakeland", "northland", "riverland"]


def test_pages_say_what_they_show(registry):
    for who in ("river", "lake", "hill"):
        recognise(registry, who, "north")
    north = registry["north"][0]
    c = Client()
    index = c.get("/registry/").content.decode()
    assert "recognised by at least 3 registered peoples" in index and "Northland" in index
    people = c.get("/registry/peoples/northland/").content.decode()
    assert "Riverland" in people and "Hill Nation" in people and "recognised" in people
    community = c.get(north.get_absolute_url()).content.decode()
    assert "In the registry of free peoples" in community and "recognised by 3 peoples" in community
    graph = c.get("/registry/graph/").content.decode()
    assert graph.count("<line ") == 3 and "marker-end" in graph
    d = current_declaration(north)
    page = c.get(d.get_absolute_url()).content.decode()
    assert "We, the people, are free." in page and d.audit_leaf_hash in page
    assert f"#{d.audit_seq}" in page


def test_the_map_page_draws_each_people_in_its_status(registry):
    import re

    for who in ("river", "lake", "hill"):
        recognise(registry, who, "north")
    page = Client().get("/registry/map/").content.decode()
    drawn = re.findall(
        r'<path class="people" data-i="\d+" data-status="(\w+)"[^>]*aria-label="([^":]+):', page
    )
    found = {name: st for st, name in drawn}
    assert found == {
        "Northland": "recognised",
        "Riverland": "declared",
        "Lakeland": "declared",
        "Hill Nation": "declared",
    }
    assert "<script>" not in page.split("</header>", 1)[1]  # no inline script: a file
    assert '<script src="/registry/assets/world.js">' in page
    file = Client().get("/registry/map.html")
    assert file["Content-Disposition"].startswith("attachment") and b"<script>" in file.content
    seen = Client().get("/registry/map/?as=lakeland").content.decode()
    assert "The map of the world as Lakeland sees it" in seen


def test_cli_reads_the_registry_with_a_point_of_view(registry, cli, tmp_path):
    for who in ("river", "lake", "hill"):
        recognise(registry, who, "north")
    r = cli("world-map", "--out", tmp_path / "all")
    assert r.exit_code == 0, r.output
    assert "1 recognised, 3 declared" in r.stderr
    doc = json.loads((tmp_path / "all" / "world-map.json").read_text())
    assert doc["rule"].endswith("recognised by at least 3 registered peoples")
    r = cli("world-map", "--as", "hill-nation", "--out", tmp_path / "hill")
    assert r.exit_code == 0, r.output
    assert "2 recognised, 2 declared" in r.stderr  # Northland and itself
    r = cli("world-map", "--as", "greater-valley", "--out", tmp_path / "x")
    assert r.exit_code == 1 and "no registered people" in r.stderr and "Traceback" not in r.output


def test_the_map_page_still_shows_the_others_when_one_cannot_be_drawn(registry):
    sea, voters = people("Sealand", box(-30, -30, -20, -20))  # the South Atlantic
    declare(sea, voters, from_name="United Kingdom")
    page = Client().get("/registry/map/").content.decode()
    assert 'aria-label="Northland:' in page and 'aria-label="Sealand:' not in page
    assert "Sealand" in page.split('id="peoples"', 1)[1]  # listed in the table


def test_audit_verify_replays_the_registry_against_its_tables(registry):
    recognise(registry, "river", "north")
    withdraw(registry, "river", "north")
    result = verify()
    assert result.ok and "registry" in result.checks, result.problems
    # a recognition edited in the table behind the log's back is named
    Recognition.objects.update(recogniser_id=registry["lake"][0].pk)
    result = verify()
    assert not result.ok
    text = " ".join(p.describe() for p in result.problems)
    assert "registry_recognition" in text and "its id is" in text
