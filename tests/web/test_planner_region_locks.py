"""A drawn region and locked counties: the new-plan form refuses, at the lock's field, a
locked county whose point lies outside the drawn region (named in plain words), the API
with a 400 JSON reason; the check uses the definition ``load_graph(region=...)`` keeps
units by (checked county for county on real Oregon data), and reads the place's points
from a file after the first time."""

from __future__ import annotations

import html
import json

import pytest
from tests.geo.test_region import WILLAMETTE, oregon_inside
from tests.web.test_planner import _client
from tests.web.test_planner_region import FORM, REGION

from secession.web.apps.planner import regionlocks
from secession.web.apps.planner.models import PlanJob

from .factories import UserFactory

pytestmark = pytest.mark.django_db

US_2020 = {"kind": "us-counties", "year": 2020, "water_links": None}
BAKER, HARNEY = "41001", "41025"  # far east of the valley


@pytest.fixture(autouse=True)
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


@pytest.fixture(scope="module")
def valley() -> list[str]:
    return oregon_inside(WILLAMETTE)


def _api(client, **constraints):
    body = {
        "year": 2020,
        "place": ["OR"],
        "direction": "gop",
        "region": REGION,
        "constraints": constraints,
    }
    return client.post("/api/plans", json.dumps(body), content_type="application/json")


def test_the_form_refuses_a_locked_county_outside_the_region_at_its_field(valley):
    c = _client(UserFactory())
    inside = valley[0]
    r = c.post("/plans/new/", {**FORM, "lock_leave": f"{inside}, {BAKER}"})
    assert r.status_code == 400
    page = html.unescape(r.content.decode())
    error = page.split('id="id_lock_leave_error"')[1].split("</ul>")[0]
    assert (
        "Baker County (41001) lies outside the drawn region (its centre is not inside it): "
        "unlock it, or draw the region around it." in error
    )
    assert inside not in error and 'id="id_lock_stay_error"' not in page
    r = c.post("/plans/new/", {**FORM, "lock_stay": f"{HARNEY},{BAKER}"})
    page = html.unescape(r.content.decode())
    error = page.split('id="id_lock_stay_error"')[1].split("</ul>")[0]
    assert "Harney County (41025), Baker County (41001) lie outside the drawn region" in error
    assert "unlock them, or draw the region around them." in error
    r = c.post("/plans/new/", {**FORM, "lock_stay": "06037"})
    page = html.unescape(r.content.decode())
    error = page.split('id="id_lock_stay_error"')[1].split("</ul>")[0]
    assert "06037 is not a county of the chosen place." in error
    assert not PlanJob.objects.exists()
    # locks inside the region are taken; with states as the place, nothing is checked here
    r = c.post("/plans/new/", {**FORM, "lock_leave": inside, "lock_stay": valley[1]})
    assert r.status_code == 302
    job = PlanJob.objects.get()
    assert job.constraints["lock_leave"] == [inside]
    r = c.post("/plans/new/", {**FORM, "place_kind": "states", "lock_stay": BAKER})
    assert r.status_code == 302 and PlanJob.objects.count() == 2


def test_the_api_refuses_it_with_a_400_json_reason(valley):
    c = _client(UserFactory())
    r = _api(c, lock_stay=[BAKER])
    assert r.status_code == 400, r.content
    assert r.json()["detail"].startswith("Baker County (41001) lies outside the drawn region")
    r = _api(c, lock_leave=[valley[0], "99999"])
    assert r.status_code == 400
    assert r.json()["detail"] == "99999 is not a county of the chosen place."
    assert not PlanJob.objects.exists()
    r = _api(c, lock_leave=[valley[0]])
    assert r.status_code == 201, r.content


def test_the_same_definition_as_load_graph_county_for_county(data_dir, valley):
    from secession.geo.load import load_graph

    everyone = load_graph(states=["OR"], data_dir=data_dir).graph.ids.tolist()
    kept = load_graph(states=["OR"], region=WILLAMETTE, data_dir=data_dir).graph.ids.tolist()
    assert sorted(kept) == valley and 0 < len(kept) < len(everyone)
    found = regionlocks.outside_region(US_2020, ["OR"], "gop", REGION, everyone)
    assert found.unknown == []
    assert sorted(u for u, _ in found.outside) == sorted(set(everyone) - set(kept))
    # with no state given, the whole country's counties, the same answer for Oregon's
    found = regionlocks.outside_region(US_2020, [], "gop", REGION, everyone)
    assert sorted(u for u, _ in found.outside) == sorted(set(everyone) - set(kept))


def test_the_points_are_read_from_a_file_after_the_first_time(monkeypatch):
    path = regionlocks.cache_path(US_2020, ["OR"], "gop")
    assert not path.exists()
    first = regionlocks.place_points(US_2020, ["OR"], "gop")
    assert path.is_file() and len(first.ids) == 36
    assert regionlocks.cache_path({**US_2020, "water_links": 10}, ["OR"], "dem") == path

    def no_loading(**kwargs):
        raise AssertionError("the graph was loaded again")

    monkeypatch.setattr("secession.geo.load.load_graph", no_loading)
    again = regionlocks.place_points(US_2020, ["OR"], "dem")
    assert again.ids.tolist() == first.ids.tolist()
    assert again.names.tolist() == first.names.tolist()
    assert (again.points == first.points).all()


@pytest.mark.parametrize(
    "lang, words",
    [
        ("es", "queda fuera de la región dibujada"),
        ("fr", "est en dehors de la région dessinée"),
    ],
)
def test_the_refusal_speaks_the_page_language(lang, words):
    c = _client(UserFactory())
    r = c.post("/plans/new/", {**FORM, "lock_stay": BAKER}, HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 400
    page = html.unescape(r.content.decode())
    error = page.split('id="id_lock_stay_error"')[1].split("</ul>")[0]
    assert words in error and "Baker County (41001)" in error
