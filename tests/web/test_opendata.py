"""Open data: every public export as JSON, CSV and GeoJSON, for anonymous and logged-in
readers; Popolo validated against the local draft-03 schemas; the licence and its vote."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.test import Client
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from secession.web.apps.accounts.actions import change_password
from secession.web.apps.communities.actions import leave_community
from secession.web.apps.licences.models import LicenceChoice
from secession.web.apps.opendata.registry import datasets
from secession.web.apps.opendata.render import export
from secession.web.apps.proposals import popolo
from secession.web.apps.proposals.actions import cast_vote, close_proposal, make_proposal, set_rule

from .factories import PASSWORD, CommunityFactory, UserFactory, add_member

POPOLO = Path("/work/shared/data/popolo")
SQUARE = json.dumps(
    {"type": "Polygon", "coordinates": [[[-90, 40], [-89, 40], [-89, 41], [-90, 41], [-90, 40]]]}
)
SCHEMA_OF = {
    "organizations": "organization",
    "persons": "person",
    "memberships": "membership",
    "areas": "area",
    "motions": "motion",
    "vote_events": "vote_event",
}


@pytest.fixture(scope="module")
def validators() -> dict[str, Draft3Validator]:
    """A draft-03 validator per Popolo class; every ``$ref`` resolves to the local files."""
    schemas = {p.stem: json.loads(p.read_text()) for p in POPOLO.glob("*.json")}
    for s in schemas.values():
        assert s["$schema"] == "http://json-schema.org/draft-03/schema#"
    registry = Registry().with_resources(
        (s["id"].rstrip("#"), Resource.from_contents(s, default_specification=DRAFT3))
        for s in schemas.values()
    )

    def offline(uri: str):
        raise AssertionError(f"a schema reference left the local files: {uri}")

    registry = Registry(retrieve=offline).combine(registry)
    return {name: Draft3Validator(s, registry=registry) for name, s in schemas.items()}


@pytest.fixture
def town(founder):
    """A town with a territory, a member who left, a public vote and a closed secret one."""
    c = CommunityFactory(
        name="Hill Town", founder=founder, territory_geojson=SQUARE, territory_crs="EPSG:4326"
    )
    voter, former = add_member(c, UserFactory(username="voter")), add_member(c)
    public = make_proposal(c, person=founder, kind="resolution", title="Public question")
    cast_vote(public, person=founder, choice="yes")
    cast_vote(public, person=voter, choice="no")
    close_proposal(public, force=True)
    set_rule(
        c,
        "resolution",
        rule={"name": "simple-majority", "threshold": "1/2", "strict": True},
        window_minutes=60,
        secret=True,
    )
    secret = make_proposal(c, person=founder, kind="resolution", title="Secret question")
    cast_vote(secret, person=founder, choice="abstain")
    cast_vote(secret, person=voter, choice="no")
    close_proposal(secret, force=True)
    leave_community(c, person=former)
    change_password(voter, person=voter, old_password=PASSWORD, new_password="another long pass 9")
    return c


def _readers(voter):
    anonymous, logged_in = Client(), Client()
    logged_in.force_login(voter)
    return {"anonymous": anonymous, "logged in": logged_in}


def _get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("where", ["page", "api"])
def test_every_export_is_the_same_public_bytes_for_every_reader(town, where):
    voter = town.memberships.get(person__username="voter").person
    prefix = "/data" if where == "page" else "/api/data"
    for scope, key in (("community", town.slug), ("site", "all")):
        for ds in datasets(scope):
            for fmt in ds.formats:
                url = f"{prefix}/{scope}/{key}/{ds.name}.{fmt}"
                got = {who: _get(c, url) for who, c in _readers(voter).items()}
                assert (
                    got["anonymous"]
                    == got["logged in"]
                    == export(scope, _subject(scope, town), ds.name, fmt)
                ), url
                text = got["anonymous"].decode()
                # no secret choice, no private account event, anywhere
                assert "password" not in text, url
                if ds.name == "votes":  # public ballots only: no secret choice
                    assert "Secret question" not in text and "abstain" not in text, url


def _subject(scope, town):
    from secession.web.apps.opendata.registry import SITE_SUBJECT

    return town if scope == "community" else SITE_SUBJECT


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(), newline="")))


def test_csv_headers_and_round_trip_match_the_json(town):
    for ds in datasets("community"):
        if "csv" not in ds.formats:
            continue
        table = export("community", town, ds.name, "csv").decode()
        assert table.splitlines()[0].split(",") == [*ds.columns, "data_licence"]
        rows = _csv(table.encode())
        doc = json.loads(export("community", town, ds.name, "json"))
        assert len(rows) == len(doc["rows"]) > 0, ds.name
        from secession.web.apps.opendata.render import cell

        for back, original in zip(rows, doc["rows"], strict=True):
            assert back.pop("data_licence") == doc["licence"]["url"]
            assert back == {c: cell(original[c]) for c in ds.columns}


def test_memberships_keep_their_dates_and_public_names(town):
    rows = _csv(export("community", town, "memberships", "csv"))
    assert [r["person"] for r in rows][:2] == ["founder", "voter"]
    assert sum(1 for r in rows if r["left_at"]) == 1
    assert all(r["joined_at"] for r in rows)


def test_secret_votes_export_counts_only(town):
    votes = _csv(export("community", town, "votes", "csv"))
    assert {(v["voter"], v["choice"]) for v in votes} == {("founder", "yes"), ("voter", "no")}
    proposals = {r["title"]: r for r in _csv(export("community", town, "proposals", "csv"))}
    secret = proposals["Secret question"]
    assert (secret["yes"], secret["no"], secret["abstain"], secret["secret"]) == (
        "0",
        "1",
        "1",
        "true",
    )


def test_an_open_secret_vote_exports_no_counts(town, founder):
    p = make_proposal(town, person=founder, kind="resolution", title="Open secret")
    cast_vote(p, person=founder, choice="yes")
    row = next(
        r
        for r in _csv(export("community", town, "proposals", "csv"))
        if r["title"] == "Open secret"
    )
    assert (row["yes"], row["no"], row["voted"]) == ("", "", "1")
    event = next(
        e for e in popolo.community_document(town)["vote_events"] if e["identifier"] == str(p.pk)
    )
    assert event["counts"] == [] and event["votes"] == []


def test_territory_is_valid_geojson_in_lon_lat(town):
    doc = json.loads(export("community", town, "territory", "geojson"))
    assert doc["type"] == "FeatureCollection" and doc["licence"]["id"] == "CC0-1.0"
    (feature,) = doc["features"]
    assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Polygon"
    from shapely.geometry import shape

    geom = shape(feature["geometry"])
    assert geom.is_valid and geom.bounds == (-90.0, 40.0, -89.0, 41.0)
    site = json.loads(export("site", _subject("site", town), "communities", "geojson"))
    assert [f["id"] for f in site["features"]] == [town.slug]


def test_audit_export_has_leaves_and_hides_private_entries(town):
    rows = json.loads(export("site", _subject("site", town), "audit", "json"))["rows"]
    assert [r["seq"] for r in rows] == list(range(1, len(rows) + 1))
    assert all(len(r["leaf_hash"]) == 64 for r in rows)
    private = [r for r in rows if r["private"]]
    assert private and all(not r["readable"] and r["leaf"] is None for r in private)
    assert all(r["leaf"] for r in rows if not r["private"])
    head = json.loads(export("site", _subject("site", town), "audit-head", "json"))
    assert head["signed_head"]["tree_size"] == len(rows)


def test_popolo_document_validates_against_the_local_schemas(town, validators):
    # an organisation as a member and as a voter, as alliances will add them
    def alliance_part(c):
        org = popolo.member("Organization", "alliance/rivers", "Rivers Alliance")
        return {
            "organizations": [{"id": "alliance/rivers", "name": "Rivers Alliance"}],
            "memberships": [
                {
                    "organization_id": "alliance/rivers",
                    "member": popolo.member("Organization", popolo.organization_id(c), c.name),
                    "start_date": "2024-05-01",
                }
            ],
            "vote_events": [
                {
                    "id": "vote_event/a1",
                    "counts": [{"option": "yes", "value": 1}],
                    "votes": [{"voter_id": "alliance/rivers", "voter": org, "option": "yes"}],
                }
            ],
        }

    popolo.register_part("test-alliance", alliance_part)
    try:
        doc = json.loads(export("community", town, "popolo", "json"))
    finally:
        popolo.unregister_part("test-alliance")
    assert doc["licence"]["id"] == "CC0-1.0" and "copy" in doc["notice"]
    checked = 0
    for key, schema in SCHEMA_OF.items():
        assert doc[key], key
        for obj in doc[key]:
            errors = list(validators[schema].iter_errors(obj))
            assert not errors, (key, obj, [e.message for e in errors])
            checked += 1
    events = {e["identifier"]: e for e in doc["vote_events"] if "identifier" in e}
    secret = next(e for e in events.values() if e["classification"] == "secret ballot")
    assert secret["votes"] == [] and {c["option"]: c["value"] for c in secret["counts"]} == {
        "yes": 0,
        "no": 1,
        "abstain": 1,
    }
    public = next(e for e in events.values() if e["classification"] == "public vote")
    assert sorted(v["option"] for v in public["votes"]) == ["no", "yes"]
    assert len(doc["memberships"]) == 4  # three people (one left), and the organisation


def test_a_schema_violation_is_caught(validators):
    """The validators are live: a wrong date and a count without a value fail."""
    assert list(validators["membership"].iter_errors({"start_date": "1 May 2024"}))
    assert list(validators["vote_event"].iter_errors({"counts": [{"option": "yes"}]}))


def test_exports_are_reproducible(town):
    for ds in datasets("community"):
        for fmt in ds.formats:
            assert export("community", town, ds.name, fmt) == export(
                "community", town, ds.name, fmt
            )


def test_unknown_exports_are_404_with_a_reason(town):
    c = Client()
    for url in (
        f"/api/data/community/{town.slug}/nothing.json",
        f"/api/data/community/{town.slug}/territory.csv",
        "/api/data/community/no-such-town/memberships.json",
        "/api/data/nowhere/x/memberships.json",
    ):
        response = c.get(url)
        assert response.status_code == 404, url
        assert response.json()["detail"], url
    assert c.get(f"/data/community/{town.slug}/nothing.json").status_code == 404


def test_catalogue_and_page_link_every_download(town):
    listing = Client().get(f"/api/data/community/{town.slug}").json()
    names = {d["name"] for d in listing}
    assert {
        "community",
        "memberships",
        "territory",
        "proposals",
        "votes",
        "constitution",
        "audit",
        "popolo",
        "licence",
    } <= names
    page = Client().get(town.get_absolute_url()).content.decode()
    for d in listing:
        for url in d["formats"].values():
            assert f'href="{url}"' in page


def test_change_licence_by_vote_changes_every_export(town, founder):
    voter = town.memberships.get(person__username="voter").person
    p = make_proposal(
        town,
        person=founder,
        kind="change_licence",
        title="Name us",
        payload={"licence": "CC-BY-4.0"},
    )
    assert p.rule["name"] == "simple-majority"
    cast_vote(p, person=founder, choice="yes")
    cast_vote(p, person=voter, choice="yes")
    close_proposal(p, force=True)
    assert LicenceChoice.objects.get(community=town).proposal_id == p.pk
    doc = json.loads(export("community", town, "popolo", "json"))
    assert doc["licence"]["id"] == "CC-BY-4.0" and "naming the source" in doc["notice"]
    rows = _csv(export("community", town, "memberships", "csv"))
    assert {r["data_licence"] for r in rows} == {"https://creativecommons.org/licenses/by/4.0/"}
    history = [r["licence"] for r in _csv(export("community", town, "licence", "csv"))]
    assert history == ["CC0-1.0", "CC-BY-4.0"]
    audit = json.loads(export("community", town, "audit", "json"))["rows"]
    changed = [r for r in audit if r["action"] == "licence.changed"]
    assert changed and changed[0]["data"]["proposal"] == p.pk
    response = Client().get(f"/data/community/{town.slug}/memberships.csv")
    assert 'rel="license"' in response["Link"] and "by/4.0" in response["Link"]


def test_change_licence_refuses_the_licence_in_force_and_unknown_ones(town, founder):
    c = Client()
    c.force_login(founder)
    for payload in ({"licence": "CC0-1.0"}, {"licence": "GPL"}):
        response = c.post(
            "/api/proposals",
            {"community": town.slug, "kind": "change_licence", "title": "x", "payload": payload},
            content_type="application/json",
        )
        assert response.status_code == 400 and "licence" in response.json()["detail"]
