"""Which units of a place a drawn region keeps (POST /api/plans/region-units, asked by
the new-plan form's lock map to grey the rest): the same answer as the lock check
(``check_locks_in_region``) and as ``load_graph(region=...)``, county for county on real
Oregon data; signed out refused, CSRF checked for a session; bad input a 4xx JSON reason;
the sentence in the page's language."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from tests.geo.test_region import WILLAMETTE, oregon_inside
from tests.web.test_planner_region import REGION

from secession.web.apps.planner import regionlocks

from .factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/plans/region-units"
US_2020 = {"kind": "us-counties", "year": 2020, "water_links": None}


@pytest.fixture(autouse=True)
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


def _client(user=None, **kwargs) -> Client:
    c = Client(**kwargs)
    if user is not None:
        c.force_login(user)
    return c


def _ask(c: Client, lang: str = "en", **body):
    sent = {"year": 2020, "place": ["OR"], "direction": "gop", "region": REGION, **body}
    return c.post(URL, json.dumps(sent), content_type="application/json",
                  HTTP_ACCEPT_LANGUAGE=lang)  # fmt: skip


def test_inside_is_what_the_lock_check_and_load_graph_keep(data_dir):
    from secession.geo.load import load_graph

    r = _ask(_client(UserFactory()))
    assert r.status_code == 200, r.content
    answer = r.json()
    everyone = load_graph(states=["OR"], data_dir=data_dir).graph.ids.tolist()
    valley = oregon_inside(WILLAMETTE)
    assert sorted(answer["inside"]) == valley and 0 < len(valley) < len(everyone)
    assert sorted(answer["inside"] + answer["outside"]) == sorted(everyone)
    # the form's check refuses exactly the units this endpoint answers outside
    refused = regionlocks.outside_region(US_2020, ["OR"], "gop", REGION, everyone)
    assert sorted(u for u, _ in refused.outside) == sorted(answer["outside"])
    n = len(answer["outside"])
    assert answer["sentence"] == (
        f"{n} counties of these states lie outside the drawn region and cannot be locked."
    )


@pytest.mark.parametrize(
    "lang, words",
    [
        ("es", "condados de estos estados quedan fuera de la región dibujada"),
        ("fr", "comtés de ces États sont en dehors de la région dessinée"),
    ],
)
def test_the_sentence_speaks_the_page_language(lang, words):
    r = _ask(_client(UserFactory()), lang=lang)
    assert r.status_code == 200 and words in r.json()["sentence"], r.json()


def test_signed_out_refused_and_a_session_needs_its_csrf_token():
    assert _ask(_client()).status_code == 401
    strict = _client(UserFactory(), enforce_csrf_checks=True)
    r = _ask(strict)
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]


def test_bad_input_is_a_4xx_json_reason(settings):
    c = _client(UserFactory())
    cases = [
        ({"region": {"type": "Point", "coordinates": [0, 0]}}, 400, "Polygon"),
        ({"region": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}}, 400, "region"),
        ({"place": ["Atlantis"]}, 400, "Atlantis"),
        ({"year": 1812}, 400, "1812"),
        ({"direction": "whig"}, 400, "whig"),
        ({"upload": "not-an-id"}, 400, "of yours"),
        ({"region": "a square"}, 422, "region"),
    ]
    for body, status, words in cases:
        r = _ask(c, **body)
        assert r.status_code == status, (body, r.content)
        assert words in r.json()["detail"], (body, r.json())
    settings.PLANNER_REGION_MAX_BYTES = 1000
    big = {"type": "Polygon", "coordinates": [[[-123.0, 44.0]] * 400]}
    r = _ask(c, region=big)
    assert r.status_code == 413 and "at most 1000 bytes" in r.json()["detail"]
    r = c.post(URL, "{", content_type="application/json")
    assert r.status_code == 400 and "not valid JSON" in r.json()["detail"]
