"""The interactive world map: one self-contained page, one path per people in its status
colour, inline data true to the document."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from secession.maps.world.doc import read_world_doc
from secession.maps.world.interactive import render_world_html
from secession.maps.world.layout import world_layout
from secession.maps.world.model import WorldMap
from secession.maps.world.render import place_peoples
from secession.maps.world.style import STATUS_COLORS

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "world-peoples.json"
PEOPLE_RE = re.compile(
    r'<path class="(people[^"]*)" data-i="(\d+)" data-status="(\w+)" fill="(#\w+)"'
)


@pytest.fixture(scope="module")
def example() -> WorldMap:
    doc = read_world_doc(EXAMPLE)
    return WorldMap(doc, world_layout(place_peoples(doc, EXAMPLE.parent), doc.base))


def _payload(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="world-data">(.*?)</script>', page, re.S)
    assert m, "no inline data"
    return json.loads(m.group(1))


def test_page_is_self_contained(example) -> None:
    page = render_world_html(example)
    assert "<script src" not in page and '<link rel="stylesheet"' not in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert (
        "url(http" not in page
        and "@import" not in page
        and "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    )


def test_each_people_is_one_path_in_its_status_colour(example) -> None:
    page = render_world_html(example)
    paths = PEOPLE_RE.findall(page)
    data = _payload(page)
    assert len(paths) == len(example.drawn) == len(data["features"]) == 7  # 6 peoples, 1 contested
    for css, i, status, fill in paths:
        f = data["features"][int(i)]
        assert f["status"] == status and STATUS_COLORS[status] == fill
        assert ("contested" in css) == (f["kind"] == "contested")
    countries = re.findall(r'<path class="country" data-i="(\d+)"', page)
    assert len(countries) == len(
        [f for f in example.layout.features if f.kind == "country" and not f.geometry.is_empty]
    )


def test_inline_data_matches_the_document(example) -> None:
    data = _payload(render_world_html(example))
    by_name = {f["name"]: f for f in data["features"]}
    for p in example.doc.peoples:
        f = by_name[p.name]
        assert f["recognised_by"] == list(p.recognised_by) and f["status"] == p.status
        assert f["indigenous"] == p.indigenous
    assert by_name["Example Lakeland"]["left"] == "Kosovo"
    assert by_name["Example Hill Nation"]["left"] == "United States of America"  # given as 840
    contested = by_name["Claimed by Example Riverland and Example Ridge"]
    assert contested["claimants"] == ["Example Riverland", "Example Ridge"]
    assert data["status_words"]["recognised"].startswith("Recognised")


def test_table_lists_every_people(example) -> None:
    from mapcheck import html_table

    rows = html_table(render_world_html(example), "peoples")
    assert rows[0] == ["people", "status", "recognised by", "left", "area (km²)"]
    assert [r[0].split(" (")[0] for r in rows[1:]] == [p.name for p in example.doc.peoples]
    assert rows[1][2] == "Example Riverland, Example Lakeland, Example Hill Nation"
    assert rows[3][2] == "no one yet"


def test_names_are_escaped(example) -> None:
    odd = replace(example.doc.peoples[0], name='A & B <script>alert("x")</script>')
    doc = replace(example.doc, peoples=(odd, *example.doc.peoples[1:]))
    wm = WorldMap(doc, world_layout(place_peoples(doc, EXAMPLE.parent), doc.base))
    page = render_world_html(wm)
    assert "<script>alert" not in page
    assert "A &amp; B &lt;script&gt;" in page
    assert _payload(page)["features"][0]["name"] == 'A & B <script>alert("x")</script>'


def test_point_of_view_changes_the_words(example) -> None:
    doc = replace(example.doc, point_of_view="Example Lakeland")
    page = render_world_html(WorldMap(doc, example.layout))
    assert "Recognised by Example Lakeland" in page
    assert "Declared, not recognised by Example Lakeland" in page
    assert "as seen by Example Lakeland" in page
