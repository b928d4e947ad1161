"""The planner and the ballot-counted opt-in referendum tried as an attacker would
(issue 21): the drawn region (the new-plan form's field and ``POST /api/plans``), the
vote's county (the form's field and the vote API's ``unit``), the plan file view and the
place map. Every bad input gets a 4xx with a plain reason (JSON on the API, at its field
on the form), never a 500 or a traceback, and nothing stored changes."""

from __future__ import annotations

import json

import pytest
from tests.web.test_planner import _client
from tests.web.test_planner_region import FORM

from secession.web.apps.planner.models import PlanJob

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


def _api_raw(client, text: str):
    return client.post("/api/plans", text, content_type="application/json")


def _body(region) -> dict:
    return {"year": 2020, "place": ["OR"], "direction": "gop", "region": region}


def _square(x0=-123.5, y0=44.0, x1=-122.5, y1=45.0) -> list:
    return [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]


# Each: the region as the JSON text a client sends (so NaN, Infinity and huge numbers
# go through the parser as they would), and words of the reason (on the API, on the form:
# the API's strict JSON parser refuses NaN, Infinity and deep nesting before the planner).
REGIONS = {
    "a server file path as the feature's geometry": (
        json.dumps({"type": "Feature", "geometry": "/etc/passwd"}),
        "GeoJSON polygon",
    ),
    "a data file path as the feature's geometry": (
        json.dumps({"type": "Feature", "geometry": "us-president-county/2020.csv"}),
        "GeoJSON polygon",
    ),
    "a GeometryCollection": (
        json.dumps(
            {
                "type": "GeometryCollection",
                "geometries": [{"type": "Polygon", "coordinates": _square()}],
            }
        ),
        "Polygon or MultiPolygon",
    ),
    "NaN coordinates": (
        '{"type": "Polygon", "coordinates": [[[NaN, 44], [-122, 44], [-122, 45], [NaN, 44]]]}',
        ("NaN is not a JSON number", "is not a finite number"),
    ),
    "one NaN corner": (
        '{"type": "Polygon", "coordinates": [[[-123, 44], [-122, 44], [-122, NaN], '
        "[-123, 45], [-123, 44]]]}",
        ("NaN is not a JSON number", "corner 3 of ring 1 of polygon 1 is not a finite number"),
    ),
    "Infinity coordinates": (
        '{"type": "Polygon", "coordinates": [[[-123, 44], [Infinity, 44], [-122, 45], '
        "[-123, 44]]]}",
        ("Infinity is not a JSON number", "corner 2 of ring 1 of polygon 1 is not a finite"),
    ),
    "1e308 coordinates": (
        '{"type": "Polygon", "coordinates": [[[-123, 44], [1e308, 44], [-122, 45], [-123, 44]]]}',
        "not longitude/latitude",
    ),
    "1e400 (an overflow) coordinates": (
        '{"type": "Polygon", "coordinates": [[[-123, 44], [1e400, 44], [-122, 45], [-123, 44]]]}',
        ("1e400 is too large a number", "corner 2 of ring 1 of polygon 1 is not a finite"),
    ),
    "an integer too large for a float": (
        '{"type": "Polygon", "coordinates": [[[-123, 44], [' + "9" * 400 + ", 44], "
        "[-122, 45], [-123, 44]]]}",
        "cannot be used",
    ),
    "strings for numbers": (
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[["-123", "44"], ["-122", "44"], ["-122", "45"], ["-123", "44"]]],
            }
        ),
        "cannot be used",
    ),
    "booleans for numbers": (
        json.dumps(
            {"type": "Polygon", "coordinates": [[[True, 44], [False, 44], [True, 45], [True, 44]]]}
        ),
        "cannot be used",
    ),
    "nested too deep": (
        '{"type": "Polygon", "coordinates": ' + "[" * 100 + "1" + "]" * 100 + "}",
        ("nested more than 32 levels deep", "not a readable GeoJSON polygon"),
    ),
    "nested deeper than the parser goes": (
        '{"type": "Polygon", "coordinates": ' + "[" * 20000 + "]" * 20000 + "}",
        ("nested more than 32 levels deep", "nested deeper than any polygon"),
    ),
    "coordinates as an object": (
        json.dumps({"type": "Polygon", "coordinates": {"a": 1}}),
        "cannot be used",
    ),
    "a ring of one point": (
        json.dumps({"type": "Polygon", "coordinates": [[[-123, 44]]]}),
        "cannot be used",
    ),
    "three-dimensional points with a NaN height": (
        '{"type": "Polygon", "coordinates": [[[-123, 44, NaN], [-122, 44, 0], '
        "[-122, 45, 0], [-123, 44, 0]]]}",
        ("NaN is not a JSON number", "corner 1 of ring 1 of polygon 1 is not a finite number"),
    ),
    "many tiny rings": (
        json.dumps(
            {
                "type": "MultiPolygon",
                "coordinates": [
                    [
                        [
                            [-123 + i * 1e-4, 44],
                            [-123 + i * 1e-4, 44.0001],
                            [-123.00005 + i * 1e-4, 44.0001],
                            [-123 + i * 1e-4, 44],
                        ]
                    ]
                    for i in range(1500)
                ],
            }
        ),
        "corners",
    ),
    "a region crossing the antimeridian": (
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[[170, 50], [-170, 50], [-170, 60], [170, 60], [170, 50]]],
            }
        ),
        "antimeridian",
    ),
}


@pytest.mark.parametrize("kind", sorted(REGIONS))
def test_a_hostile_region_is_refused_plainly_on_the_api_and_at_the_field(kind):
    text, needle = REGIONS[kind]
    api_words, form_words = needle if isinstance(needle, tuple) else (needle, needle)
    c = _client(UserFactory())
    r = _api_raw(c, '{"year": 2020, "place": ["OR"], "direction": "gop", "region": ' + text + "}")
    assert 400 <= r.status_code < 500, (r.status_code, r.content[:500])
    reason = r.json()["detail"]
    assert "Traceback" not in json.dumps(reason)
    assert api_words in reason, reason
    page = c.post("/plans/new/", {**FORM, "region": text})
    assert page.status_code == 400, page.content[:500]
    html = page.content.decode()
    assert 'id="id_region_error"' in html and "Traceback" not in html
    assert form_words in html.replace("&#x27;", "'"), html[html.find("id_region_error") :][:400]
    assert not PlanJob.objects.exists()


def test_what_is_kept_of_a_region_is_a_plain_geometry_of_floats():
    """A Feature's properties, a height and integer degrees are accepted; the job keeps
    only the type and the 2-D coordinates as floats (what ``load_graph`` reads)."""
    c = _client(UserFactory())
    feature = {
        "type": "Feature",
        "properties": {"note": "x" * 100, "crs": "/etc/passwd"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[-124, 44, 10], [-122, 44, 10], [-122, 46, 10], [-124, 44, 10]]],
        },
    }
    r = _api_raw(c, json.dumps(_body(feature)))
    assert r.status_code == 201, r.content
    kept = PlanJob.objects.get().region
    assert kept == {
        "type": "Polygon",
        "coordinates": [[[-124.0, 44.0], [-122.0, 44.0], [-122.0, 46.0], [-124.0, 44.0]]],
    }
    assert all(isinstance(v, float) for v in kept["coordinates"][0][0])


def test_a_region_covering_the_poles_is_the_whole_map_in_degrees():
    """A box from pole to pole and -180 to 180 is a valid region in lon/lat (every unit
    lies inside it); the same box split at the antimeridian as two polygons is too."""
    c = _client(UserFactory())
    world = {
        "type": "Polygon",
        "coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]],
    }
    assert _api_raw(c, json.dumps(_body(world))).status_code == 201
    split = {
        "type": "MultiPolygon",
        "coordinates": [
            [[[170, 50], [180, 50], [180, 60], [170, 60], [170, 50]]],
            [[[-180, 50], [-170, 50], [-170, 60], [-180, 60], [-180, 50]]],
        ],
    }
    r = _api_raw(c, json.dumps(_body(split)))
    assert r.status_code == 201, r.content
    assert PlanJob.objects.count() == 2


# ----------------------------------------------------------- the ballot's county
def _vote_api(user, proposal, body: dict | str):
    from django.test import Client

    from secession.web.apps.accounts.tokens import create_token

    headers = {"HTTP_AUTHORIZATION": "Bearer " + create_token(user)} if user else {}
    text = body if isinstance(body, str) else json.dumps(body)
    return Client(**headers).post(
        f"/api/proposals/{proposal.pk}/vote", text, content_type="application/json"
    )


@pytest.fixture
def towns():
    """Two communities with opt-in referendums counted from their ballots: Oregon Towns
    (public vote, three Oregon counties) and Coast Towns (secret, two others)."""
    from tests.web.test_optin_ballots import TRIO, _community, _counted

    from .factories import add_member

    founder, member, outsider = (UserFactory(username=n) for n in ("founder", "member", "out"))
    oregon = _community(founder, TRIO)
    add_member(oregon, member)
    coast = _community(founder, ["41007", "41057"], secret=True, name="Coast Towns")
    add_member(coast, member)
    return {
        "founder": founder,
        "member": member,
        "outsider": outsider,
        "public": _counted(oregon, founder),
        "secret": _counted(coast, founder),
        "resolution": __import__(
            "secession.web.apps.proposals.actions", fromlist=["make_proposal"]
        ).make_proposal(oregon, person=founder, kind="resolution", title="Plain"),
    }


def _stored(proposal) -> tuple:
    from secession.web.apps.planner.models import OptInCount
    from secession.web.apps.proposals.models import Ballot

    proposal.refresh_from_db()
    counts = OptInCount.objects.filter(proposal=proposal).order_by("unit")
    return (
        list(counts.values_list("unit", "yes", "no", "abstain")),
        Ballot.objects.filter(proposal=proposal).count(),
        proposal.yes_count,
        proposal.no_count,
    )


FORGED_UNITS = {
    "another proposal's county": ("41007", 400, "is not a county of"),
    "a county of no territory": ("06037", 400, "is not a county of"),
    "a state's code": ("41", 400, "is not a county of"),
    "padded with zeros": ("041001", 400, "is not a county of"),
    "a path": ("../41001", 400, "is not a county of"),
    "very long": ("41001" * 20000, 400, "is not a county of"),
    "a NUL character": ("41001\u0000", 400, "NUL"),
    "a lone surrogate": ("\ud800", 400, "surrogate"),
}


@pytest.mark.parametrize("which", ["public", "secret"])
@pytest.mark.parametrize("forged", sorted(FORGED_UNITS))
def test_a_forged_county_is_refused_on_the_api_and_nothing_is_counted(towns, which, forged):
    unit, status, words = FORGED_UNITS[forged]
    proposal = towns[which]
    if which == "secret" and forged == "another proposal's county":
        unit = "41001"  # Oregon Towns' county, not Coast Towns'
    before = _stored(proposal)
    r = _vote_api(towns["member"], proposal, {"choice": "yes", "unit": unit})
    assert r.status_code == status, r.content[:300]
    assert words in r.json()["detail"] and len(r.content) < 2000  # the id is not echoed whole
    assert "Traceback" not in r.content.decode()
    assert _stored(proposal) == before


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ('{"choice": "yes", "unit": 41001}', "unit"),
        ('{"choice": "yes", "unit": ["41001"]}', "unit"),
        ('{"choice": "yes", "unit": {"id": "41001"}}', "unit"),
        ('{"choice": "maybe", "unit": "41001"}', "choice must be one of"),
        ('{"choice": "yes", "unit": "41001", "unit": "41005"}', ""),  # the last one counts
        ('{"choice": "yes", "county": "41001"}', "Choose the county you live in."),
    ],
)
def test_a_malformed_vote_body_is_a_4xx_json_reason(towns, body, words):
    proposal = towns["public"]
    before = _stored(proposal)
    r = _vote_api(towns["member"], proposal, body)
    if not words:  # duplicate keys: JSON's last value, a valid county of the territory
        assert r.status_code == 201
        assert _stored(proposal)[0][1] == ("41005", 1, 0, 0)
        return
    assert 400 <= r.status_code < 500, r.content[:300]
    assert words in json.dumps(r.json()["detail"]), r.json()
    assert _stored(proposal) == before


def test_a_county_on_a_proposal_of_another_kind_is_refused(towns):
    plain = towns["resolution"]
    before = (plain.yes_count, _stored(plain)[1])
    r = _vote_api(towns["member"], plain, {"choice": "yes", "unit": "41001"})
    assert r.status_code == 400 and "asks only for yes, no or abstain" in r.json()["detail"]
    assert (_stored(plain)[2], _stored(plain)[1]) == before


def test_each_kind_of_user_on_the_vote_with_a_county(towns):
    """Signed out: 401 (the API) or sent to log in (the form); not in the electorate:
    403 with the reason; a member: counted once; a second vote: 409; nothing else moves."""
    from django.test import Client

    proposal = towns["public"]
    url = f"/proposals/{proposal.pk}/vote/"
    before = _stored(proposal)
    assert _vote_api(None, proposal, {"choice": "yes", "unit": "41001"}).status_code == 401
    signed_out = Client().post(url, {"choice": "yes", "unit": "41001"})
    assert signed_out.status_code == 302 and "/login" in signed_out["Location"]
    r = _vote_api(towns["outsider"], proposal, {"choice": "yes", "unit": "41001"})
    assert r.status_code == 403 and "electorate" in r.json()["detail"]
    page = Client()
    page.force_login(towns["outsider"])
    refused = page.post(url, {"choice": "yes", "unit": "41001"}, follow=True)
    assert refused.redirect_chain[-1][0] == f"/proposals/{proposal.pk}/"
    assert "electorate" in refused.content.decode()  # the reason, on the proposal's page
    assert _stored(proposal) == before
    assert (
        _vote_api(towns["member"], proposal, {"choice": "no", "unit": "41051"}).status_code == 201
    )
    after = _stored(proposal)
    again = _vote_api(towns["member"], proposal, {"choice": "yes", "unit": "41001"})
    assert again.status_code == 409 and "already voted" in again.json()["detail"]
    assert _stored(proposal) == after and after[0][2] == ("41051", 0, 1, 0)


def test_a_vote_after_close_changes_no_count(towns):
    from datetime import timedelta

    from django.utils import timezone

    from secession.web.apps.proposals.models import Proposal

    for which in ("public", "secret"):
        proposal = towns[which]
        unit = proposal.payload["units"][0]
        Proposal.objects.filter(pk=proposal.pk).update(
            closes_at=timezone.now() - timedelta(seconds=1)
        )
        before = _stored(proposal)
        r = _vote_api(towns["member"], proposal, {"choice": "yes", "unit": unit})
        assert r.status_code == 409 and "closed" in r.json()["detail"], r.content
        assert _stored(proposal) == before


@pytest.mark.parametrize("secret", [False, True], ids=["public", "secret"])
def test_votes_racing_in_one_county_are_each_counted_once(transactional_db, secret):
    """Eight members vote in the same county at once, and one of them four times more
    from other threads: every vote but the repeats is counted, in its county, once."""
    from tests.web.test_concurrency import run_parallel
    from tests.web.test_optin_ballots import TRIO, _community, _counted

    from secession.web.apps.proposals.actions import cast_vote

    from .factories import add_member

    founder = UserFactory(username="founder")
    community = _community(founder, TRIO, secret=secret)
    voters = [add_member(community) for _ in range(8)]
    proposal = _counted(community, founder)
    choices = ["yes", "no", "yes", "abstain", "yes", "no", "yes", "yes"]
    jobs = [
        (lambda v=v, c=c: cast_vote(proposal, person=v, choice=c, extra={"unit": "41005"}))
        for v, c in zip(voters, choices, strict=True)
    ]
    jobs += [
        (lambda: cast_vote(proposal, person=voters[0], choice="no", extra={"unit": "41001"}))
    ] * 4
    outcomes = run_parallel(jobs)
    assert sorted(outcomes) == ["AlreadyVoted"] * 4 + ["ok"] * 8, outcomes
    counts, ballots, *_ = _stored(proposal)
    # voters[0]'s one counted vote is whichever of its five threads won the race
    first = "41005" if outcomes[0] == "ok" else "41001"
    expected = {u: [0, 0, 0] for u in TRIO}
    for i, c in enumerate(choices):
        unit, choice = (first, c if first == "41005" else "no") if i == 0 else ("41005", c)
        expected[unit][("yes", "no", "abstain").index(choice)] += 1
    assert counts == [(u, *expected[u]) for u in TRIO] and ballots == 8


# ------------------------------------------------- the plan's other numbers on the API
@pytest.mark.parametrize(
    "field",
    [
        '"water_links": 1e400',
        '"time_limit": 1e400',
        '"seed": ' + "9" * 400,
        '"year": ' + "9" * 5000,
        '"constraints": {"min_population": 1e400}',
        '"constraints": {"consent": 1e400}',
        '"constraints": {"max_countries": ' + "9" * 400 + "}",
    ],
)
def test_an_overflowing_number_is_refused_and_nothing_is_stored(field):
    c = _client(UserFactory())
    r = _api_raw(c, '{"place": ["OR"], "direction": "gop", ' + field + "}")
    assert 400 <= r.status_code < 500, (r.status_code, r.content[:300])
    assert isinstance(r.json()["detail"], str | list) and "Traceback" not in r.content.decode()
    assert not PlanJob.objects.exists()


def test_the_form_refuses_an_absurd_number_of_countries_at_its_field():
    c = _client(UserFactory())
    page = c.post("/plans/new/", {**FORM, "max_countries": "9" * 400})
    assert page.status_code == 400 and 'id="id_max_countries_error"' in page.content.decode()
    assert not PlanJob.objects.exists()


# ------------------------------------------------------------ the plan's files
@pytest.fixture
def done_plan():
    """A private, finished plan whose folder holds the map in English and Spanish and a
    summary, beside a file of another plan that no name may reach."""
    from secession.plan import PlanConstraints
    from secession.web.apps.planner import storage

    owner = UserFactory(username="owner")
    job = PlanJob.objects.create(
        owner=owner,
        dataset={"kind": "us-counties", "year": 2020, "water_links": None},
        place=["OR"],
        constraints=PlanConstraints().to_dict(),
        status=PlanJob.Status.DONE,
    )
    folder = storage.results_root() / str(job.pk)
    folder.mkdir(parents=True)
    (folder / "map.html").write_text("<p>the map in English</p>")
    (folder / "map.es.html").write_text("<p>el mapa en español</p>")
    (folder / "summary.json").write_text('{"private": "the owner\'s plan"}')
    other = storage.results_root() / "other"
    other.mkdir()
    (other / "summary.json").write_text('{"private": "another plan"}')
    PlanJob.objects.filter(pk=job.pk).update(result_dir=str(job.pk))
    job.refresh_from_db()
    return job


def _read(response) -> str:
    return b"".join(response.streaming_content).decode()


TRICKS = [
    "../other/summary.json",
    "..%2Fother%2Fsummary.json",
    "%2E%2E%2Fother%2Fsummary.json",
    "map.x.html",
    "map..html",
    "map.es.html",  # the language is the page's, never a name to ask for
    "map.html%00",
    "map.html%00.png",
    "MAP.HTML",
    "map.html.",
    "map.html%20",
    "map.html;.png",
    ".",
    "..",
    "%2E%2E",
]


@pytest.mark.parametrize("name", TRICKS)
def test_a_path_trick_in_the_file_name_reaches_no_file(done_plan, name):
    c = _client(done_plan.owner)
    r = c.get(f"/plans/{done_plan.pk}/files/{name}")
    assert r.status_code in (400, 404), r.status_code
    body = r.content.decode() if not r.streaming else _read(r)
    assert "another plan" not in body and "el mapa" not in body and "Traceback" not in body


def test_the_framed_map_is_in_the_page_language_and_only_for_who_may_see_the_plan(done_plan):
    from django.test import Client

    url = f"/plans/{done_plan.pk}/files/map.html"
    owner = _client(done_plan.owner)
    assert "el mapa en español" in _read(owner.get(url, HTTP_ACCEPT_LANGUAGE="es"))
    assert "in English" in _read(owner.get(url, HTTP_ACCEPT_LANGUAGE="fr"))  # none drawn yet
    for header in ("xx", "../../etc/passwd", "es;q=abc", "*", "e" * 5000, "es-ES,es;q=0.9"):
        r = owner.get(url, HTTP_ACCEPT_LANGUAGE=header)
        assert r.status_code == 200 and "Accept-Language" in r["Vary"]
    # the download is the file as written, whatever the language
    assert "in English" in _read(owner.get(url + "?download=1", HTTP_ACCEPT_LANGUAGE="es"))
    other = _client(UserFactory(username="someone"))
    for who in (Client(), other):
        for lang in ("en", "es", "fr"):
            for name in ("map.html", "summary.json"):
                r = who.get(f"/plans/{done_plan.pk}/files/{name}", HTTP_ACCEPT_LANGUAGE=lang)
                assert r.status_code == 404, (name, lang)
                assert "mapa" not in r.content.decode() and "owner" not in r.content.decode()
        assert who.get(f"/api/plans/{done_plan.pk}").status_code == 404
        assert who.get(f"/plans/{done_plan.pk}/status.json").status_code == 404
    # once shared, anyone sees it, the map in their language
    PlanJob.objects.filter(pk=done_plan.pk).update(shared=True)
    assert "el mapa en español" in _read(Client().get(url, HTTP_ACCEPT_LANGUAGE="es"))


# ------------------------------------------------------------ the place map's cache
def _place_maps() -> list[str]:
    from secession.web.apps.planner import storage

    folder = storage.results_root() / ".place-maps"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_accept_language_values_that_are_not_languages_draw_no_new_place_map():
    """The place map is cached per language of the pages: a header that names no such
    language is served the English map, so no header can make the server draw (and keep)
    another file."""
    c = _client(UserFactory())
    query = {"year": "2020", "place": "DE", "direction": "gop"}
    headers = [
        "en", "xx", "xx-YY", "../../etc", "en;q=0.1, zz", "*", "a" * 2000, "en-GB",
        "de,it,ja,zh", "es-419", "%00", "fr-CA;q=0.5",
    ]  # fmt: skip
    for header in headers:
        r = c.get("/plans/new/place-map", query, HTTP_ACCEPT_LANGUAGE=header)
        assert r.status_code == 200, (header, r.content[:200])
        _read(r)
    kept = _place_maps()
    assert len(kept) == 3 and {name.split(".")[1] for name in kept} == {"en", "es", "fr"}


def test_the_same_states_in_another_order_or_spelling_are_one_place_map():
    c = _client(UserFactory())
    for place in (
        "DE,RI",
        "RI,DE",
        "ri, de",
        "Delaware, Rhode Island",
        "DE,RI,DE",
        "10,44",
        "RI" + ",DE" * 5000,
    ):
        r = c.get("/plans/new/place-map", {"year": "2020", "place": place, "direction": "gop"})
        assert r.status_code == 200, (place, r.content[:200])
        _read(r)
    assert len(_place_maps()) == 1, _place_maps()


@pytest.mark.parametrize(
    "query",
    [
        {"year": "2020", "place": "Atlantis", "direction": "gop"},
        {"year": "1e400", "place": "DE", "direction": "gop"},
        {"year": "9" * 5000, "place": "DE", "direction": "gop"},
        {"year": "2020", "place": "DE", "direction": "../gop"},
        {"year": "²⁰²⁰", "place": "DE", "direction": "gop"},
        {"upload": "../../etc/passwd", "place": "DE"},
        {"upload": "00000000-0000-0000-0000-000000000000", "place": "DE"},
    ],
)
def test_a_bad_place_map_query_is_a_plain_4xx_and_draws_nothing(query):
    c = _client(UserFactory())
    r = c.get("/plans/new/place-map", query)
    assert 400 <= r.status_code < 500, r.status_code
    body = r.content.decode()
    assert "Traceback" not in body and len(body) < 20000
    assert _place_maps() == []


def test_a_self_intersecting_region_is_read_as_its_valid_shape():
    """A bow tie is made valid (its two triangles), as ``load_graph`` reads it; a ring that
    folds back on itself enclosing nothing is refused."""
    c = _client(UserFactory())
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[-124, 44], [-122, 46], [-122, 44], [-124, 46], [-124, 44]]],
    }
    assert _api_raw(c, json.dumps(_body(bowtie))).status_code == 201
    folded = {
        "type": "Polygon",
        "coordinates": [[[-124, 44], [-122, 44], [-124, 44], [-122, 44], [-124, 44]]],
    }
    r = _api_raw(c, json.dumps(_body(folded)))
    assert r.status_code == 400 and "encloses no area" in r.json()["detail"]
    assert PlanJob.objects.count() == 1


def test_a_body_of_a_hundred_thousand_rings_is_refused_before_it_is_read_whole():
    from django.conf import settings as django_settings

    ring = "[[[-123,44],[-123,44.0001],[-122.9999,44],[-123,44]]]"
    text = (
        json.dumps(_body(None))[:-5]
        + '{"type": "MultiPolygon", "coordinates": ['
        + (",".join([ring] * 100_000))
        + "]}}"
    )
    assert len(text) > 5_000_000
    r = _api_raw(_client(UserFactory()), text)
    assert r.status_code == 413, r.content[:300]
    limit = f"{django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"
    assert f"the request body is larger than {limit} bytes" in r.json()["detail"]
    assert not PlanJob.objects.exists()


def test_each_kind_of_user_on_the_region_endpoints():
    """Signed out: 401 on the API, sent to log in on the form and the place map; signed
    in: the region is theirs (another person's plans are not counted against them)."""
    from django.test import Client

    body = json.dumps(_body({"type": "Polygon", "coordinates": _square()}))
    assert _api_raw(Client(), body).status_code == 401
    for url in ("/plans/new/", "/plans/new/place-map?year=2020&place=DE"):
        r = Client().get(url)
        assert r.status_code == 302 and "/login" in r["Location"], url
    r = Client().post("/plans/new/", FORM)
    assert r.status_code == 302 and "/login" in r["Location"]
    assert not PlanJob.objects.exists()
    someone = UserFactory()
    r = _api_raw(_client(someone), body)
    assert r.status_code == 201 and PlanJob.objects.get().owner == someone


def test_a_summary_without_countries_still_shows_the_plan_page(done_plan):
    """A summary.json with no country rows (a hand-edited or partial file) is shown, not a
    500: the page names no country rather than failing on the names."""
    for lang in ("en", "es", "fr"):
        r = _client(done_plan.owner).get(f"/plans/{done_plan.pk}/", HTTP_ACCEPT_LANGUAGE=lang)
        assert r.status_code == 200, (lang, r.status_code)
