"""Server-rendered pages: who may see and do what, CSRF, and accessible markup."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from secession.web.apps.communities.models import Community
from secession.web.apps.proposals.actions import make_proposal
from secession.web.apps.proposals.kinds import all_kinds as registered_kinds
from secession.web.apps.proposals.models import Ballot, Proposal

from .factories import PASSWORD, CommunityFactory, UserFactory, add_member

WHO = ("anonymous", "outsider", "member", "council")


@pytest.fixture
def world(db):
    council = UserFactory(username="council")
    town = CommunityFactory(name="Hill Town", governance="council", founder=council)
    member = add_member(town, UserFactory(username="member"))
    users = {"outsider": UserFactory(username="outsider"), "member": member, "council": council}
    proposal = make_proposal(
        town,
        person=member,
        kind="amend_constitution",
        title="All decide",
        payload={"text": "New text."},
    )
    return {"town": town, "users": users, "proposal": proposal}


def client_for(world, who) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(world["users"][who])
    return client


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


PUBLIC_PAGES = [
    "/",
    "/communities/",
    "/communities/hill-town/",
    "/communities/hill-town/members/",
    "/constitutions/hill-town/",
    "/constitutions/hill-town/v/1/",
    "/audit/",
    "/accounts/login/",
    "/accounts/register/",
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages(world, who, path):
    r = client_for(world, who).get(path)
    assert r.status_code == 200
    html = r.content.decode()
    assert '<html lang="en">' in html and '<main id="main">' in html
    assert '<nav aria-label="Main">' in html and 'name="viewport"' in html


def test_proposal_page_for_everyone(world):
    path = world["proposal"].get_absolute_url()
    for who in WHO:
        html = client_for(world, who).get(path).content.decode()
        assert "All decide" in html and "Changes to the constitution" in html
        assert ("Cast my vote" in html) is (who in ("member", "council"))


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/communities/new/", {"outsider": 200, "member": 200, "council": 200}),
        ("/proposals/new/hill-town/", {"outsider": 403, "member": 200, "council": 200}),
        (
            "/proposals/new/hill-town/?kind=change_rule",
            {"outsider": 403, "member": 200, "council": 200},
        ),
        ("/accounts/me/", {"outsider": 200, "member": 200, "council": 200}),
        ("/accounts/me/votes/", {"outsider": 200, "member": 200, "council": 200}),
        ("/accounts/me/password/", {"outsider": 200, "member": 200, "council": 200}),
        ("/accounts/me/export.json", {"outsider": 200, "member": 200, "council": 200}),
    ],
)
def test_login_pages(world, path, expected):
    assert is_login_redirect(client_for(world, "anonymous").get(path))
    for who, status in expected.items():
        assert client_for(world, who).get(path).status_code == status, who


def test_export_download(world):
    r = client_for(world, "member").get("/accounts/me/export.json")
    assert r["Content-Disposition"] == 'attachment; filename="secession-member.json"'
    assert json.loads(r.content)["account"]["username"] == "member"


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("edit", {"outsider": 403, "member": 403, "council": 302}),
    ],
)
def test_community_actions(world, action, expected):
    path = f"/communities/hill-town/{action}/"
    assert is_login_redirect(client_for(world, "anonymous").post(path, {"description": "d"}))
    for who, status in expected.items():
        r = client_for(world, who).post(path, {"description": "d"})
        assert r.status_code == status, who


ALREADY, NOT_MEMBER = "you are already a member of Hill Town", "you are not a member of Hill Town"
JOIN_LEAVE = {  # who: {step: what the community page then says}
    "outsider": {"join": "You joined Hill Town.", "leave": NOT_MEMBER},
    "former": {"join": "You joined Hill Town.", "leave": NOT_MEMBER},  # joined, then left
    "member": {"join": ALREADY, "leave": "You left Hill Town."},
    "council": {"join": ALREADY, "leave": "You left Hill Town."},  # office holder
}


@pytest.mark.parametrize("step", ["join", "leave"])
def test_join_and_leave_for_each_kind_of_person(world, step):
    """The actions decide; the page shows their refusal on the community page (as for
    votes), and sends anonymous people to log in, then back to the community."""
    from secession.web.apps.communities.actions import leave_community

    town, users = world["town"], world["users"]
    users["former"] = add_member(town, UserFactory(username="former"))
    leave_community(town, person=users["former"])
    path = f"/communities/hill-town/{step}/"
    r = client_for(world, "anonymous").post(path)
    assert is_login_redirect(r) and r["Location"].endswith("?next=/communities/hill-town/")
    for who, says in JOIN_LEAVE.items():
        said = says[step]
        before = town.active_members().filter(person=users[who]).exists()
        client = client_for(world, who)
        r = client.post(path)
        assert r.status_code == 302 and r["Location"] == "/communities/hill-town/", who
        assert said in client.get(r["Location"]).content.decode(), who
        now = town.active_members().filter(person=users[who]).exists()
        assert now == (before if said in (ALREADY, NOT_MEMBER) else step == "join"), who


def test_join_and_leave_change_membership(world):
    town = world["town"]
    client = client_for(world, "outsider")
    client.post("/communities/hill-town/join/")
    assert town.active_members().filter(person=world["users"]["outsider"]).exists()
    page = client.get("/communities/hill-town/").content.decode()
    assert "Leave Hill Town" in page and "Join Hill Town" not in page
    client.post("/communities/hill-town/leave/")
    assert not town.active_members().filter(person=world["users"]["outsider"]).exists()
    assert "You left Hill Town." in client.get("/communities/hill-town/").content.decode()


@pytest.mark.parametrize("action", ["join", "leave", "edit"])
@pytest.mark.parametrize("who", WHO)
def test_get_cannot_change_state(world, who, action):
    """A GET on an action's address (a link followed, a reload) changes nothing: a 405
    page says what the address is for and links to the page holding its form."""
    town = world["town"]
    before = (list(town.memberships.values_list("id", "left_at")), town.description)
    r = client_for(world, who).get(f"/communities/hill-town/{action}/")
    page = r.content.decode()
    assert r.status_code == 405 and 'href="/communities/hill-town/"' in page
    assert "This address" in page and "Nothing was changed." in page
    town.refresh_from_db()
    assert (list(town.memberships.values_list("id", "left_at")), town.description) == before


def test_logout_needs_post(world):
    r = client_for(world, "member").get("/accounts/logout/")
    assert r.status_code == 405 and "This address logs you out" in r.content.decode()
    assert "_auth_user_id" in client_for(world, "member").session  # still logged in


def test_vote_through_page(world):
    p = world["proposal"]
    path = f"/proposals/{p.pk}/vote/"
    assert is_login_redirect(client_for(world, "anonymous").post(path, {"choice": "yes"}))
    r = client_for(world, "outsider").post(path, {"choice": "yes"}, follow=True)
    assert "not in this proposal&#x27;s electorate" in r.content.decode()
    client = client_for(world, "member")
    client.post(path, {"choice": "yes"})
    r = client.post(path, {"choice": "no"}, follow=True)
    assert "already voted" in r.content.decode()
    assert list(Ballot.objects.filter(proposal=p).values_list("choice", flat=True)) == ["yes"]


def test_make_proposal_through_page(world):
    client = client_for(world, "member")
    r = client.post(
        "/proposals/new/hill-town/?kind=change_rule",
        {
            "title": "Faster",
            "target_kind": "resolution",
            "threshold": "3/5",
            "strict": "least",
            "window_minutes": "30",
            "secret": "on",
        },
    )
    p = Proposal.objects.get(title="Faster")
    assert r.status_code == 302 and r["Location"] == f"/proposals/{p.pk}/"
    assert p.payload["rule"]["threshold"] == "3/5" and p.payload["secret"] is True
    r = client.post(
        "/proposals/new/hill-town/?kind=change_rule",
        {
            "title": "Bad",
            "target_kind": "resolution",
            "threshold": "3/2",
            "strict": "least",
            "window_minutes": "30",
        },
    )
    assert r.status_code == 200 and "threshold must be between 0 and 1" in r.content.decode()


def test_found_through_page_with_uploaded_territory(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    square = {"type": "Polygon", "coordinates": [[[5, 45], [6, 45], [6, 46], [5, 46], [5, 45]]]}
    client = client_for(world, "outsider")
    r = client.post(
        "/communities/new/",
        {
            "name": "Upload Village",
            "kind": "town",
            "parent": "hill-town",
            "governance": "leader",
            "capital": "Well Square",
            "territory_file": SimpleUploadedFile("t.geojson", json.dumps(square).encode()),
            "constitution_text": "Constitution of [name].",
        },
    )
    c = Community.objects.get(name="Upload Village")
    assert r.status_code == 302 and c.capital == "Well Square"
    # it asked to join Hill Town; it is not part of it until Hill Town's members admit it
    assert c.parent is None and c.requested_parent.slug == "hill-town"
    assert c.constitution_versions.get().text == "Constitution of Upload Village.\n"
    page = client.get(c.get_absolute_url()).content.decode()
    assert (
        '<svg xmlns="http://www.w3.org/2000/svg"' in page
        and 'aria-label="Territory of Upload Village. About ' in page
    )
    r = client.post(
        "/communities/new/",
        {
            "name": "Bad",
            "kind": "town",
            "governance": "assembly",
            "territory_geojson": '{"type":"Point","coordinates":[0,0]}',
        },
    )
    assert r.status_code == 200 and "is a Point: it must be an outline" in r.content.decode()


def test_csrf_is_enforced_on_pages(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["outsider"])
    assert client.post("/communities/hill-town/join/").status_code == 403
    client.get("/communities/hill-town/")
    token = client.cookies["csrftoken"].value
    assert (
        client.post("/communities/hill-town/join/", {"csrfmiddlewaretoken": token}).status_code
        == 302
    )


def test_register_login_logout_delete(db):
    client = Client()
    r = client.post(
        "/accounts/register/", {"username": "ada", "password": PASSWORD, "password_again": PASSWORD}
    )
    assert r.status_code == 302
    assert "ada" in client.get("/").content.decode()
    client.post("/accounts/logout/")
    r = client.post(
        "/accounts/login/?next=/communities/", {"username": "ada", "password": PASSWORD}
    )
    assert r["Location"] == "/communities/"
    r = client.post(
        "/accounts/login/?next=https://evil.example/", {"username": "ada", "password": PASSWORD}
    )
    assert r["Location"] == "/"
    client.post("/accounts/me/delete/", {"password": "wrong"})
    assert Client().login(username="ada", password=PASSWORD)
    client.post("/accounts/me/delete/", {"password": PASSWORD})
    assert not Client().login(username="ada", password=PASSWORD)


def test_removed_account_shown_in_audit_log(world):
    member = world["users"]["member"]
    from secession.web.apps.accounts.actions import delete_account

    pk = member.pk
    delete_account(member, person=member)
    html = Client().get("/audit/").content.decode()
    assert f"Removed account #{pk} joined Hill Town" in html and "Current signed head" in html


@pytest.mark.parametrize(
    "path",
    [
        "/communities/new/",
        "/accounts/register/",
        "/proposals/new/hill-town/?kind=change_governance",
    ],
)
def test_every_form_field_has_a_label(world, path):
    html = client_for(world, "member").get(path).content.decode()
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    assert ids
    for field_id in ids:
        assert f'for="{field_id}"' in html, field_id


def test_independent_and_dormant_badges_in_tree(world):
    CommunityFactory(name="Dormant Hamlet", founder=world["users"]["outsider"])
    from secession.web.apps.communities.actions import leave_community

    leave_community(Community.objects.get(name="Dormant Hamlet"), person=world["users"]["outsider"])
    html = Client().get("/communities/").content.decode()
    assert re.search(
        r'Dormant Hamlet</a> <span class="badge">Town</span> <span class="badge">dormant</span>',
        html,
    )


def test_make_proposal_page_post_for_each_kind_of_user(world):
    path = "/proposals/new/hill-town/?kind=resolution"
    body = {"title": "Plant trees", "body": ""}
    assert is_login_redirect(client_for(world, "anonymous").post(path, body))
    assert client_for(world, "outsider").post(path, body).status_code == 403
    for who in ("member", "council"):
        r = client_for(world, who).post(path, body)
        assert r.status_code == 302 and r["Location"].startswith("/proposals/"), who
    made = Proposal.objects.filter(title="Plant trees")
    assert sorted(p.author.username for p in made) == ["council", "member"]


def test_account_page_token_for_own_account_only(world):
    assert is_login_redirect(client_for(world, "anonymous").post("/accounts/me/", {"new_token": 1}))
    client = client_for(world, "member")
    html = client.post("/accounts/me/", {"new_token": "1"}).content.decode()
    token = re.search(r'<code id="api-token">(sec_[^<]+)</code>', html).group(1)
    me = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["username"] == "member"


def test_help_texts_are_tied_to_their_fields(world):
    html = client_for(world, "member").get("/communities/new/").content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert "id_capital_helptext" in described
    for target in described:
        assert f'id="{target}"' in html, target


def test_community_page_is_readable(world):
    """Proposals are made from a button; rules read as a list, not a cramped table."""
    html = client_for(world, "member").get("/communities/hill-town/").content.decode()
    assert 'class="button" href="/proposals/new/hill-town/">Make a proposal</a>' in html
    assert re.search(
        r"<dt>Resolution</dt><dd>Passes when more than half of the valid votes "
        r"\(yes and no\) are yes",
        html,
    )
    assert "Voting lasts 7 days; public ballot." in html
    html = client_for(world, "anonymous").get(world["proposal"].get_absolute_url()).content
    assert b"No votes yet." in html
    assert b"<strong>If it passes:</strong> The text below becomes the constitution" in html
    html = client_for(world, "member").get("/proposals/new/hill-town/").content.decode()
    kinds = re.findall(r'<li><a href="\?kind=(\w+)">[^<]+</a><br><span class="muted">', html)
    # every kind members may propose; not those the platform opens (an alliance vote)
    assert sorted(kinds) == sorted(k.name for k in registered_kinds() if k.offered)
    assert "alliance_vote" not in kinds and "found_alliance" in kinds


def test_refusal_and_error_pages_explain_in_the_site_layout(world):
    r = client_for(world, "outsider").get("/proposals/new/hill-town/")
    html = r.content.decode()
    assert r.status_code == 403 and '<main id="main">' in html
    assert "Only members of the community can make proposals: join it first" in html
    r = client_for(world, "anonymous").get("/communities/no-such-place/")
    assert r.status_code == 404 and "Browse the communities" in r.content.decode()
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["outsider"])
    r = client.post("/communities/hill-town/join/")
    assert r.status_code == 403 and "check token (CSRF)" in r.content.decode()
