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
def _planner_settings(settings, data_dir, tmp_path):
    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")
    settings.PLANNER_UPLOADS_DIR = str(tmp_path / "uploads")


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
        "cannot be used",
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
