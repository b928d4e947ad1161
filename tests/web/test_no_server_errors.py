"""The requests that got a 500 (issue 19), each now a 4xx with a JSON reason; API errors
are JSON even for URLs no view matches; an unexpected error is logged with its traceback
and shown to nobody; no message names a file on the server."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from secession.web.apps.accounts.tokens import create_token

from .factories import PASSWORD, UserFactory

LONE = "\ud800"


def post(url, body, token="", raw: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = raw if raw is not None else json.dumps(body)  # json.dumps escapes "\ud800"
    return Client().post(url, data, content_type="application/json", **headers)


def assert_refused(response, status=400, *words):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    for word in words:
        assert word in detail, detail
    return detail


@pytest.mark.parametrize("field", ["username", "password", "display_name"])
def test_lone_surrogate_in_registration(db, field):
    body = {"username": "ada", "password": PASSWORD, "display_name": "Ada"}
    body[field] = LONE
    detail = assert_refused(post("/api/accounts/register", body), 400, "lone surrogate")
    assert f"body.{field}" in detail


@pytest.mark.parametrize("field", ["username", "password", "name"])
def test_lone_surrogate_in_token_request(db, field):
    UserFactory(username="ada")
    body = {"username": "ada", "password": PASSWORD, "name": "cli"}
    body[field] = "x" + LONE
    assert_refused(post("/api/accounts/token", body), 400, "lone surrogate", f"body.{field}")


FOUND_FIELDS = ["name", "kind", "description", "governance", "capital", "constitution_text"]


@pytest.mark.parametrize("field", [*FOUND_FIELDS, "territory_geojson", "territory_unit_ids"])
def test_lone_surrogate_in_every_field_of_founding(founder, field):
    body = {"name": "Lone Town"}
    body[field] = [LONE] if field == "territory_unit_ids" else LONE
    assert_refused(post("/api/communities", body, create_token(founder)), 400, "surrogate")


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/proposals", {"community": "riverside", "kind": "resolution", "title": LONE}),
        (
            "/api/proposals",
            {"community": "riverside", "kind": "resolution", "title": "t", "body": LONE},
        ),
        (
            "/api/proposals",
            {"community": "riverside", "kind": "resolution", "title": "t", "payload": {LONE: 1}},
        ),
        ("/api/proposals", {"community": LONE, "kind": "resolution", "title": "t"}),
        ("/api/accounts/me/password", {"old_password": PASSWORD, "new_password": LONE}),
        ("/api/accounts/me/delete", {"password": LONE}),
    ],
)
def test_lone_surrogate_in_other_bodies(community, founder, url, body):
    assert_refused(post(url, body, create_token(founder)), 400, "surrogate")


def test_lone_surrogate_in_a_vote_and_an_edit(community, founder):
    from secession.web.apps.proposals.actions import make_proposal

    token = create_token(founder)
    p = make_proposal(community, person=founder, kind="resolution", title="t")
    assert_refused(post(f"/api/proposals/{p.pk}/vote", {"choice": LONE}, token), 400)
    reply = Client().patch(
        f"/api/communities/{community.slug}",
        json.dumps({"description": LONE}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert_refused(reply, 400, "surrogate")


def test_nul_in_query_path_and_form_is_refused(community):
    assert_refused(Client().get("/api/communities", {"parent": "a\x00b"}), 400, "NUL")
    assert_refused(Client().get("/api/proposals", {"community": "\x00"}), 400, "NUL")
    assert_refused(Client().get("/api/communities/a%00b"), 400, "NUL")
    page = Client().get("/communities/", {"q": "\x00"})
    assert page.status_code == 400 and b"NUL" in page.content  # an HTML page, not a 500
    form = Client().post("/accounts/login/", {"username": "a\x00", "password": "x"})
    assert form.status_code == 400 and b"<h1>" in form.content


def test_territory_nested_fifty_thousand_levels(founder):
    deep = "[" * 50_000 + "]" * 50_000
    body = {"name": "Deep", "territory_geojson": deep}
    assert_refused(post("/api/communities", body, create_token(founder)), 400, "nested")


def test_territory_with_features_not_a_list(founder):
    body = {
        "name": "Five",
        "territory_geojson": json.dumps({"type": "FeatureCollection", "features": 5}),
    }
    assert_refused(post("/api/communities", body, create_token(founder)), 400, "must be a list")


@pytest.mark.parametrize(
    "territory",
    [
        {"type": "FeatureCollection", "features": [5]},
        {"type": "Feature", "geometry": 5},
        {"type": "Feature", "geometry": {"type": "Feature", "geometry": None}},
        {"type": 5},
        {"type": "Polygon", "coordinates": [[["a", "b"]]]},
        {"type": "Polygon", "coordinates": 7},
    ],
)
def test_other_malformed_territories(founder, territory):
    body = {"name": "Odd", "territory_geojson": json.dumps(territory)}
    assert_refused(post("/api/communities", body, create_token(founder)), 400)


def test_body_nested_fifty_thousand_levels(db):
    raw = '{"username": ' + "[" * 50_000 + "]" * 50_000 + "}"
    assert_refused(post("/api/accounts/register", None, raw=raw), 400, "nested")


@pytest.mark.parametrize("constant", ["Infinity", "-Infinity", "NaN"])
def test_non_finite_numbers_are_refused(community, founder, constant):
    raw = (
        '{"community": "riverside", "kind": "change_rule", "title": "t", "payload": '
        '{"target_kind": "resolution", "rule": {"threshold": "1/2"}, "window_minutes": '
        + constant
        + "}}"
    )
    assert_refused(post("/api/proposals", None, create_token(founder), raw=raw), 400, constant)


@pytest.mark.parametrize(
    "url",
    [
        "/api/proposals/99999999999999999999999",
        "/api/constitutions/riverside/99999999999999999999999",
        "/api/audit?after=99999999999999999999999",
        "/api/audit?community_id=-5",
    ],
)
def test_numbers_beyond_the_database_are_a_422(community, url):
    assert_refused(Client().get(url), 422)


def test_unknown_api_address_is_json(db):
    assert_refused(Client().get("/api/no/such/thing"), 404)
    assert_refused(Client().get("/api/proposals/1/vote"), 405)  # POST only


def test_unexpected_error_is_logged_and_never_shown(community, founder, monkeypatch, caplog):
    from secession.web.apps.communities import actions

    def broken(*args, **kwargs):
        raise RuntimeError("boom at /srv/secret/settings.py")

    monkeypatch.setattr(actions, "join_community", broken)
    outsider = UserFactory(username="curious")
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="secession.web"):
        reply = client.post(
            f"/api/communities/{community.slug}/join",
            HTTP_AUTHORIZATION=f"Bearer {create_token(outsider)}",
        )
    assert reply.status_code == 500 and reply["Content-Type"].startswith("application/json")
    detail = reply.json()["detail"]
    assert "boom" not in detail and "/srv" not in detail and "reference" in detail
    reference = detail.rsplit(" ", 1)[-1].rstrip(".")
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info and "boom" in str(logged[0].exc_info[1])

    # a page: the error page, nothing of the exception
    assert client.login(username="curious", password=PASSWORD)
    page = client.post(f"/communities/{community.slug}/join/")
    assert page.status_code == 500 and b"Something went wrong" in page.content
    assert b"boom" not in page.content and b"Traceback" not in page.content


def test_missing_unit_data_names_no_server_path(founder, monkeypatch, tmp_path):
    from secession.web.apps.communities import territory

    territory._dataset.cache_clear()
    monkeypatch.setenv("SECESSION_DATA", str(tmp_path))
    try:
        body = {"name": "Units", "territory_unit_ids": ["41065"]}
        detail = assert_refused(post("/api/communities", body, create_token(founder)), 400)
    finally:
        territory._dataset.cache_clear()
    assert str(tmp_path) not in detail and "/" not in detail.replace("[server file]", "")
    assert "data file missing" in detail


def test_schema_declares_the_errors_each_operation_gives(db):
    schema = Client().get("/api/openapi.json").json()
    paths = schema["paths"]
    assert {"400", "401", "403", "404", "409", "422"} <= set(
        paths["/api/proposals/{proposal_id}/vote"]["post"]["responses"]
    )
    assert {"409"} <= set(paths["/api/communities/{slug}/join"]["post"]["responses"])
    assert {"401", "429"} <= set(paths["/api/accounts/token"]["post"]["responses"])
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
