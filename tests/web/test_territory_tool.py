"""The territory tool: plain messages, the drawing kept when the form has an error, the
keyboard paths (typed corners, a country by name), the map files served from npm, and
the community page's map with place names and a description for screen readers."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from secession.exceptions import DataError
from secession.web.apps.communities import mapassets
from secession.web.apps.communities.models import Community
from secession.web.apps.communities.territory import parse_corners, parse_geojson, svg

CROSSED = {"type": "Polygon", "coordinates": [[[12, 45], [13, 46], [13, 45], [12, 46], [12, 45]]]}
OREGON = {
    "type": "Polygon",
    "coordinates": [[[-123.5, 43.1], [-121, 43.1], [-121, 45.6], [-123.5, 45.6], [-123.5, 43.1]]],
}


@pytest.fixture
def client(founder):
    c = Client()
    c.force_login(founder)
    return c


def _found(client, **fields):
    data = {"name": "Free Valley", "kind": "region", "governance": "assembly", **fields}
    return client.post("/communities/new/", data)


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        (CROSSED, "The outline crosses itself near 12.5 E, 45.5 N: move a point so the lines"),
        (
            {"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [1, 1]]]},
            "An outline needs at least three distinct points",
        ),
        (
            {"type": "Polygon", "coordinates": [[[1, 1], [2, 2], [2, 2], [1, 1]]]},
            "An outline needs at least three distinct points",
        ),
        ({"type": "Polygon", "coordinates": [["a", "b", "c", "d"]]}, "cannot be read"),
    ],
)
def test_bad_outlines_get_plain_messages(geometry, message):
    with pytest.raises(DataError, match=message) as caught:
        parse_geojson(json.dumps(geometry))
    assert "linearring" not in str(caught.value).lower() and "[" not in str(caught.value)


def test_corners_are_parsed_or_refused_by_line():
    polygon = json.loads(parse_corners("12.3, 45.6\n13 45.6; 12.6,46.1"))
    assert polygon["coordinates"][0] == [[12.3, 45.6], [13, 45.6], [12.6, 46.1], [12.3, 45.6]]
    with pytest.raises(DataError, match=r"Corner 2 \('x y'\) is not a longitude, latitude"):
        parse_corners("1 1\nx y\n2 2")
    with pytest.raises(DataError, match=r"Corner 1 .*longitude goes from -180 to 180"):
        parse_corners("200 1\n1 2\n2 2")


def test_error_keeps_the_drawing_and_shows_the_message_at_its_field(client):
    drawn = json.dumps(CROSSED)
    r = _found(client, territory_geojson=drawn)
    html = r.content.decode()
    assert r.status_code == 200 and not Community.objects.filter(name="Free Valley").exists()
    # the posted drawing is in the field again (the map re-reads it from there)
    field = re.search(r'<textarea name="territory_geojson"[^>]*>(.*?)</textarea>', html, re.S)
    assert json.loads(field.group(1).strip().replace("&quot;", '"')) == CROSSED
    # the message is right after the territory field, in plain words
    after = html[field.end() :].split("<label", 1)[0]
    assert "The outline crosses itself near 12.5 E, 45.5 N" in after
    # a second error elsewhere keeps the (good) drawing too
    r = _found(client, territory_geojson=json.dumps(OREGON), governance="leader")
    assert r.status_code == 200 and "-123.5" in r.content.decode()


def test_found_by_typed_corners_and_by_country_name(client):
    r = _found(client, territory_corners="12, 45\n13, 45\n13, 46\n12, 46")
    assert r.status_code == 302
    stored = json.loads(Community.objects.get(name="Free Valley").territory_geojson)
    assert stored["type"] == "Polygon" and [12.0, 45.0] in stored["coordinates"][0]
    r = _found(client, name="Kosovars", territory_place="kosovo")  # a country with no id
    assert r.status_code == 302
    kosovo = json.loads(Community.objects.get(name="Kosovars").territory_geojson)
    lons = [x for x, _ in kosovo["coordinates"][0]]
    assert 20 < min(lons) < max(lons) < 21.8
    r = _found(client, name="Nowhere", territory_place="Atlantis")
    assert "No country called &#x27;Atlantis&#x27;" in r.content.decode()
    r = _found(client, name="Bad corners", territory_corners="1 1\n2 2")
    assert "An outline needs at least three distinct points" in r.content.decode()


def test_found_page_loads_the_map_from_files_not_inline(client):
    html = client.get("/communities/new/").content.decode()
    page = html.split("<h1>", 1)[1]  # this page's own part (the base template is shared)
    assert "<script>" not in html and " onclick=" not in page
    assert "<style" not in page and ' style="' not in page
    for name in mapassets.ASSETS:
        if name != "countries-50m.json":
            assert f"/communities/map-files/{name}" in html
    assert '<option value="Kosovo">' in html and 'id="territory-map"' in html


def test_map_files_are_served_from_npm_and_only_those(client, monkeypatch):
    r = Client().get("/communities/map-files/leaflet.js")
    assert r.status_code == 200 and r["Content-Type"] == "text/javascript"
    assert b"Leaflet" in b"".join(r.streaming_content)[:400]
    world = Client().get("/communities/map-files/countries-50m.json")
    assert json.loads(b"".join(world.streaming_content))["type"] == "Topology"
    assert Client().get("/communities/map-files/package.json").status_code == 404
    assert Client().get("/communities/map-files/..%2Fpackage.json").status_code == 404
    # a package that is not installed: a clear message naming it, here and on the page
    monkeypatch.setitem(
        mapassets.ASSETS, "leaflet.js", ("no-such-map-lib", "x.js", "text/javascript")
    )
    r = Client().get("/communities/map-files/leaflet.js")
    assert r.status_code == 503 and "'no-such-map-lib'" in r.content.decode()
    html = client.get("/communities/new/").content.decode()
    assert "The map cannot be shown" in html and "no-such-map-lib" in html


def test_map_names_places_and_describes_the_extent():
    oregon = svg(json.dumps(OREGON), label="Territory of T", context=True)
    names = re.findall(r"<text[^>]*>([^<]*)</text>", oregon)
    assert "Oregon" in names and "Washington" in names
    assert (
        "About 55,000 km² in the west of Oregon, United States; "
        "from 123.5 W to 121.0 W, 43.1 N to 45.6 N"
    ) in oregon
    assert 'aria-label="Territory of T. About 55,000 km²' in oregon
    italy = {"type": "Polygon", "coordinates": [[[12, 45], [13, 45], [13, 46], [12, 46], [12, 45]]]}
    north = svg(json.dumps(italy), context=True)
    assert "Italy" in re.findall(r"<text[^>]*>([^<]*)</text>", north)
    assert "in the north of Italy; from 12.0 E to 13.0 E, 45.0 N to 46.0 N" in north
    # the geodesic area of one degree square at 45 N is about 8,700 km²
    assert "About 8,700 km²" in north
