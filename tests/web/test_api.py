"""The JSON API: every endpoint for anonymous, non-member, member and office holder;
token and session (CSRF) authentication; the OpenAPI schema; a whole story."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.communities.actions import leave_community
from secession.web.apps.proposals.actions import make_proposal

from .factories import PASSWORD, CommunityFactory, UserFactory, add_member

WHO = ("anonymous", "outsider", "member", "council")


@pytest.fixture
def world(db):
    """A council-governed community: 'council' holds office, 'member' does not."""
    council = UserFactory(username="council")
    town = CommunityFactory(name="Hill Town", governance="council", founder=council)
    member = add_member(town, UserFactory(username="member"))
    outsider = UserFactory(username="outsider")
    resolution = make_proposal(town, person=member, kind="resolution", title="Council decides")
    general = make_proposal(
        town,
        person=member,
        kind="amend_constitution",
        title="Everyone decides",
        payload={"text": "All members decide."},
    )
    users = {"outsider": outsider, "member": member, "council": council}
    return {"town": town, "users": users, "resolution": resolution, "general": general}


def call(world, who, method, url, body=None):
    headers = {}
    if who != "anonymous":
        headers["HTTP_AUTHORIZATION"] = "Bearer " + create_token(world["users"][who])
    client = Client()
    fn = getattr(client, method)
    if body is None:
        return fn(url, **headers)
    return fn(url, json.dumps(body), content_type="application/json", **headers)


def url(world, template):
    return template.format(
        slug=world["town"].slug, res=world["resolution"].pk, gen=world["general"].pk
    )


MATRIX = [
    # (method, url, body, {who: expected status})
    ("get", "/api/communities", None, dict.fromkeys(WHO, 200)),
    ("get", "/api/communities/{slug}", None, dict.fromkeys(WHO, 200)),
    ("get", "/api/communities/{slug}/members?history=true", None, dict.fromkeys(WHO, 200)),
    ("get", "/api/communities/{slug}/territory", None, dict.fromkeys(WHO, 200)),
    ("get", "/api/communities/{slug}/rules", None, dict.fromkeys(WHO, 200)),
    (
        "post",
        "/api/communities",
        {"name": "New Place"},
        {"anonymous": 401, "outsider": 201, "member": 201, "council": 201},
    ),
    (
        "patch",
        "/api/communities/{slug}",
        {"description": "new"},
        {"anonymous": 401, "outsider": 403, "member": 403, "council": 200},
    ),
    (
        "post",
        "/api/communities/{slug}/join",
        None,
        {"anonymous": 401, "outsider": 201, "member": 409, "council": 409},
    ),
    (
        "post",
        "/api/communities/{slug}/leave",
        None,
        {"anonymous": 401, "outsider": 409, "member": 200, "council": 200},
    ),
    (
        "get",
        "/api/communities/{slug}/membership",
        None,
        {"anonymous": 401, "outsider": 404, "member": 200, "council": 200},
    ),
    ("get", "/api/proposals?community={slug}", None, dict.fromkeys(WHO, 200)),
    (
        "post",
        "/api/proposals",
        {"community": "hill-town", "kind": "resolution", "title": "T"},
        {"anonymous": 401, "outsider": 403, "member": 201, "council": 201},
    ),
    ("get", "/api/proposals/{res}", None, dict.fromkeys(WHO, 200)),
    (
        "post",
        "/api/proposals/{res}/vote",
        {"choice": "yes"},
        {"anonymous": 401, "outsider": 403, "member": 403, "council": 201},
    ),
    (
        "post",
        "/api/proposals/{gen}/vote",
        {"choice": "no"},
        {"anonymous": 401, "outsider": 403, "member": 201, "council": 201},
    ),
    ("get", "/api/constitutions/{slug}", None, dict.fromkeys(WHO, 200)),
    ("get", "/api/constitutions/{slug}/1", None, dict.fromkeys(WHO, 200)),
    ("get", "/api/constitutions/{slug}/1/diff", None, dict.fromkeys(WHO, 200)),
    ("get", "/api/audit", None, dict.fromkeys(WHO, 200)),
    ("get", "/api/audit/head", None, dict.fromkeys(WHO, 200)),
    ("get", "/api/audit/proof/inclusion?seq=1", None, dict.fromkeys(WHO, 200)),
    ("get", "/api/audit/proof/consistency?first=1", None, dict.fromkeys(WHO, 200)),
    (
        "get",
        "/api/accounts/me",
        None,
        {"anonymous": 401, "outsider": 200, "member": 200, "council": 200},
    ),
    (
        "get",
        "/api/accounts/me/export",
        None,
        {"anonymous": 401, "outsider": 200, "member": 200, "council": 200},
    ),
    (
        "post",
        "/api/accounts/me/password",
        {"old_password": PASSWORD, "new_password": "fresh-pass-981"},
        {"anonymous": 401, "outsider": 204, "member": 204, "council": 204},
    ),
    (
        "delete",
        "/api/accounts/token",
        None,
        {"anonymous": 401, "outsider": 204, "member": 204, "council": 204},
    ),
    (
        "post",
        "/api/accounts/me/delete",
        {"password": "wrong"},
        {"anonymous": 401, "outsider": 403, "member": 403, "council": 403},
    ),
    (
        "post",
        "/api/accounts/me/delete",
        {"password": PASSWORD},
        {"anonymous": 401, "outsider": 204, "member": 204, "council": 204},
    ),
]


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("method", "template", "body", "expected"),
    MATRIX,
    ids=[f"{m} {u}{' ' + json.dumps(b) if b and 'password' in b else ''}" for m, u, b, _ in MATRIX],
)
def test_endpoint_permissions(world, who, method, template, body, expected):
    r = call(world, who, method, url(world, template), body)
    assert r.status_code == expected[who], r.content


# Who may join or leave is decided by the actions; the API maps not logged in to 401 and
# the membership state (already a member, not a member) to 409.
ALREADY, NOT_MEMBER = "you are already a member of Hill Town", "you are not a member of Hill Town"
JOIN_LEAVE = {  # who: {step: (status, refusal detail)}
    "anonymous": {"join": (401, None), "leave": (401, None)},
    "outsider": {"join": (201, None), "leave": (409, NOT_MEMBER)},
    "former": {"join": (201, None), "leave": (409, NOT_MEMBER)},  # joined, then left
    "member": {"join": (409, ALREADY), "leave": (200, None)},
    "council": {"join": (409, ALREADY), "leave": (200, None)},  # office holder
}


@pytest.mark.parametrize("who", JOIN_LEAVE)
@pytest.mark.parametrize("step", ["join", "leave"])
def test_join_and_leave_for_each_kind_of_person(world, who, step):
    town, users = world["town"], world["users"]
    if who == "former":
        users["former"] = add_member(town, UserFactory(username="former"))
        leave_community(town, person=users["former"])
    before = _active(town, users.get(who))
    status, detail = JOIN_LEAVE[who][step]
    path = url(world, "/api/communities/{slug}/" + step)
    r = call(world, who, "post", path)
    assert r.status_code == status, r.content
    if detail is not None:
        assert r.json()["detail"] == detail
    if status >= 400:
        assert _active(town, users.get(who)) == before  # nothing changed
    else:
        assert _active(town, users[who]) == (step == "join")
        assert call(world, who, "post", path).status_code == 409  # the same step again


def _active(town, user) -> bool:
    return user is not None and town.active_members().filter(person=user).exists()


def test_refusals_explain(world):
    r = call(world, "member", "post", url(world, "/api/proposals/{res}/vote"), {"choice": "yes"})
    assert "electorate" in r.json()["detail"]
    call(world, "council", "post", url(world, "/api/proposals/{gen}/vote"), {"choice": "yes"})
    r = call(world, "council", "post", url(world, "/api/proposals/{gen}/vote"), {"choice": "no"})
    assert r.status_code == 409 and r.json()["detail"] == "you have already voted on this proposal"
    r = call(
        world,
        "member",
        "post",
        "/api/proposals",
        {"community": "hill-town", "kind": "x", "title": "t"},
    )
    assert r.status_code == 400 and "unknown proposal kind" in r.json()["detail"]
    r = call(world, "member", "post", "/api/communities", {"name": "Bad", "territory_geojson": "{"})
    assert r.status_code == 400 and "not valid JSON" in r.json()["detail"]


def test_too_long_names_are_refused_not_stored(world):
    r = call(world, "member", "post", "/api/communities", {"name": "n" * 121})
    assert r.status_code == 400 and "at most 120 characters" in r.json()["detail"]
    body = {"community": "hill-town", "kind": "resolution", "title": "t" * 201}
    r = call(world, "member", "post", "/api/proposals", body)
    assert r.status_code == 400 and "at most 200 characters" in r.json()["detail"]


def test_export_is_own_data(world):
    r = call(world, "member", "get", "/api/accounts/me/export")
    assert r.json()["account"]["username"] == "member"


def test_bad_token_is_refused(world):
    r = Client().get("/api/accounts/me", HTTP_AUTHORIZATION="Bearer sec_nope")
    assert r.status_code == 401


def test_session_auth_needs_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["outsider"])
    join = url(world, "/api/communities/{slug}/join")
    assert client.post(join).status_code == 403
    client.get("/accounts/login/")  # any page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    r = client.post(join, HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 201 and r.json()["role"] == "member"


def test_openapi_schema(client, db):
    r = client.get("/api/openapi.json")
    assert r.status_code == 200
    schema = r.json()
    assert schema["info"]["title"] == "secession platform API"
    paths = set(schema["paths"])
    assert {"/api/communities", "/api/proposals/{proposal_id}/vote", "/api/audit/head"} <= paths
    assert {"/api/audit/proof/inclusion", "/api/audit/proof/consistency"} <= paths
    vote = schema["paths"]["/api/proposals/{proposal_id}/vote"]["post"]
    assert vote["security"]  # authenticated endpoint
    assert len(paths) >= 20
    assert "delete" in schema["paths"]["/api/accounts/token"]
    # proposals have a documented shape, not an untyped object
    detail = schema["paths"]["/api/proposals/{proposal_id}"]["get"]["responses"]["200"]
    ref = detail["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/ProposalOut"
    fields = schema["components"]["schemas"]["ProposalOut"]["properties"]
    assert {"reasons", "papers", "participants", "counts", "payload_text", "diff"} <= set(fields)


def test_api_story(db):
    """Two people do the whole story through the API alone."""
    anon = Client()
    tokens = {}
    for name in ("ada", "bob"):
        r = anon.post(
            "/api/accounts/register",
            {"username": name, "password": PASSWORD},
            content_type="application/json",
        )
        assert r.status_code == 201
        r = anon.post(
            "/api/accounts/token",
            {"username": name, "password": PASSWORD},
            content_type="application/json",
        )
        tokens[name] = {"HTTP_AUTHORIZATION": "Bearer " + r.json()["token"]}

    def post(who, path, body=None):
        return anon.post(
            path, json.dumps(body or {}), content_type="application/json", **tokens[who]
        )

    square = {
        "type": "Polygon",
        "coordinates": [[[10, 50], [11, 50], [11, 51], [10, 51], [10, 50]]],
    }
    r = post(
        "ada",
        "/api/communities",
        {"name": "Free Valley", "kind": "region", "territory_geojson": json.dumps(square)},
    )
    assert r.status_code == 201 and r.json()["has_territory"]
    assert post("bob", "/api/communities/free-valley/join").status_code == 201
    r = post(
        "ada",
        "/api/proposals",
        {"community": "free-valley", "kind": "resolution", "title": "Build a well"},
    )
    pid = r.json()["id"]
    assert r.json()["eligible"] == 2
    assert post("ada", f"/api/proposals/{pid}/vote", {"choice": "yes"}).json()["status"] == "open"
    assert post("bob", f"/api/proposals/{pid}/vote", {"choice": "yes"}).json()["status"] == "closed"
    result = anon.get(f"/api/proposals/{pid}").json()
    assert result["passed"] is True and result["counts"] == {"yes": 2, "no": 0, "abstain": 0}
    assert result["public_votes"] == [
        {"voter": "ada", "choice": "yes"},
        {"voter": "bob", "choice": "yes"},
    ]
    text = anon.get("/api/constitutions/free-valley").json()[0]["text"] + "6. Wells are shared.\n"
    r = post(
        "bob",
        "/api/proposals",
        {
            "community": "free-valley",
            "kind": "amend_constitution",
            "title": "Wells",
            "payload": {"text": text},
        },
    )
    aid = r.json()["id"]
    assert {"kind": "added", "text": "6. Wells are shared."} in r.json()["diff"]
    post("ada", f"/api/proposals/{aid}/vote", {"choice": "yes"})
    post("bob", f"/api/proposals/{aid}/vote", {"choice": "yes"})
    versions = anon.get("/api/constitutions/free-valley").json()
    assert [v["number"] for v in versions] == [1, 2] and versions[1]["proposal"] == aid
    assert anon.get("/api/constitutions/free-valley/2/diff").json()[-1] == {
        "kind": "added",
        "text": "6. Wells are shared.",
    }
    assert post("bob", "/api/communities/free-valley/leave").json()["left_at"] is not None
    assert anon.get("/api/communities/free-valley").json()["members"] == 1
    from secession.web.apps.audit.log import verify

    assert verify().ok
    assert anon.get("/api/audit/head").json()["tree_size"] == verify().checked


def test_token_revoke_logs_out_of_the_api(world):
    user = world["users"]["member"]
    header = {"HTTP_AUTHORIZATION": "Bearer " + create_token(user)}
    other = {"HTTP_AUTHORIZATION": "Bearer " + create_token(user, "second")}
    client = Client()
    assert client.get("/api/accounts/me", **header).status_code == 200
    assert client.delete("/api/accounts/token", **header).status_code == 204
    assert client.get("/api/accounts/me", **header).status_code == 401
    assert client.delete("/api/accounts/token", **header).status_code == 401
    assert client.get("/api/accounts/me", **other).status_code == 200  # only that one
    # a session cannot use this endpoint (it names the token of the request)
    session = Client()
    session.force_login(user)
    assert session.delete("/api/accounts/token").status_code == 401
    from secession.web.apps.audit.models import AuditEntry

    revoked = AuditEntry.objects.filter(action="account.token_revoked", actor_id=user.pk)
    assert revoked.count() == 1 and json.loads(revoked.get().data) == {"name": "api"}


def test_token_issue_is_audited_without_the_secret(db):
    from secession.web.apps.audit.models import AuditEntry

    UserFactory(username="ada")
    r = Client().post(
        "/api/accounts/token",
        {"username": "ada", "password": PASSWORD, "name": "laptop"},
        content_type="application/json",
    )
    secret = r.json()["token"]
    entry = AuditEntry.objects.get(action="account.token_created")
    assert json.loads(entry.data) == {"name": "laptop"} and secret not in entry.data


def test_api_docs_load_swagger_from_this_site_not_a_cdn(client, db):
    r = client.get("/api/docs")
    assert r.status_code == 200
    page = r.content.decode()
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in page
    assert "cdn" not in page.lower()
    assert "https://" not in page
