"""The map of a place before a plan (new-plan form, locked units by clicking): the real
Oregon counties drawn on their majority's side, cached on disk by dataset and place, under
the maps' sandbox policy; an uploaded dataset's map for its owner alone; signed out sent to
log in; bad input a 400 naming what is wrong."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from secession.web.apps.planner import placemaps
from secession.web.apps.planner.models import DataUpload

from .factories import UserFactory
from .test_planner_uploads import IA, IA_COLUMNS, _choose, _file, _upload

pytestmark = pytest.mark.django_db

URL = "/plans/new/place-map"


@pytest.fixture(autouse=True)
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _units(page: str) -> list:
    data = re.search(r'<script type="application/json" id="plan-data">(.*?)</script>', page, re.S)
    return json.loads(data.group(1))["units"]


def test_oregon_counties_on_their_majority_side_cached_on_disk(data_dir):
    from secession.geo.load import load_graph

    c = _client(UserFactory())
    query = {"year": "2020", "place": "OR", "direction": "gop"}
    r = c.get(URL, query)
    assert r.status_code == 200, r.content
    assert "sandbox allow-scripts" in r["Content-Security-Policy"]
    assert r["X-Frame-Options"] == "SAMEORIGIN"
    page = b"".join(r.streaming_content).decode()
    graph = load_graph(year=2020, states=("OR",), leave="gop", data_dir=str(data_dir)).graph
    units = _units(page)
    assert [u[0] for u in units] == [str(i) for i in graph.ids.tolist()]  # 36 counties
    gop_won = {
        str(i) for i, lv, st in zip(graph.ids, graph.leave, graph.stay, strict=True) if lv > st
    }
    assert {u[0] for u in units if u[6] == 1} == gop_won and 0 < len(gop_won) < len(units)
    assert not any(u[7] for u in units)  # nothing is stranded: no plan yet
    assert "Republican majority" in page and "Democratic majority" in page

    cached = placemaps.cache_path({"kind": "us-counties", "year": 2020}, ["OR"], "gop", "en")
    assert cached.is_file()
    before = cached.stat().st_mtime_ns
    again = c.get(URL, query)
    assert b"".join(again.streaming_content).decode() == page
    assert cached.stat().st_mtime_ns == before  # served from the file, not drawn again
    other_side = placemaps.cache_path({"kind": "us-counties", "year": 2020}, ["OR"], "dem", "en")
    assert other_side != cached
    # in the reader's language: its own file, the same units
    for lang, words in {"es": "Mayoría republicana", "fr": "Majorité républicaine"}.items():
        r = c.get(URL, query, HTTP_ACCEPT_LANGUAGE=lang)
        shown = b"".join(r.streaming_content).decode()
        assert words in shown, (lang, words)
        assert "Republican majority" not in shown and "where each side won" not in shown, lang
        assert _units(shown) == units, lang
        assert placemaps.cache_path(
            {"kind": "us-counties", "year": 2020}, ["OR"], "gop", lang
        ).is_file()


def test_bad_input_is_a_400_naming_it_and_signed_out_logs_in():
    c = _client(UserFactory())
    for query, word in (
        ({"year": "1850", "place": "OR"}, "1850"),
        ({"year": "x", "place": "OR"}, "'x'"),
        ({"year": "2020", "place": "Atlantis"}, "Atlantis"),
        ({"year": "2020", "place": "OR", "direction": "sideways"}, "sideways"),
    ):
        r = c.get(URL, query)
        assert r.status_code == 400 and word in r.content.decode(), (query, r.content)
        assert "Traceback" not in r.content.decode()
    signed_out = Client().get(URL, {"year": "2020", "place": "OR"})
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]


def test_an_uploaded_datasets_map_is_its_owners_alone(data_dir):
    owner, other = UserFactory(username="uploader"), UserFactory(username="peeker")
    mine = _client(owner)
    assert _upload(mine, units=_file(data_dir / IA)).status_code == 302
    upload = DataUpload.objects.get(owner=owner)
    assert _choose(mine, upload, IA_COLUMNS).status_code == 302
    query = {"upload": str(upload.pk), "place": ""}
    r = mine.get(URL, query)
    assert r.status_code == 200, r.content
    assert len(_units(b"".join(r.streaming_content).decode())) == 99  # Iowa's counties
    assert _client(other).get(URL, query).status_code == 404
    assert _client(other).get(URL, {"upload": "not-an-id"}).status_code == 404
    assert Client().get(URL, query).status_code == 302  # to the login page
