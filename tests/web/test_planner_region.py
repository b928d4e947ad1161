"""A plan of a drawn region: made through the new-plan form it equals ``secession plan
--region FILE`` unit for unit and in summary.json; a region too large or malformed is
refused at the form's field and with a 4xx JSON reason on the API; a region keeping no
unit fails the job with a plain sentence."""

from __future__ import annotations

import json

import pytest
from shapely.geometry import mapping
from tests.geo.test_region import WILLAMETTE, oregon_inside, write_region
from tests.web.test_planner import _client, _untimed, dask  # noqa: F401  (fixture)

from secession.web.apps.planner import storage
from secession.web.apps.planner.dispatch import Dispatcher
from secession.web.apps.planner.models import PlanJob

from .factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

REGION = json.loads(json.dumps(mapping(WILLAMETTE)))  # lists, as a browser sends it
FORM = {
    "title": "The Willamette Valley, drawn",
    "year": "2020",
    "place_kind": "region",
    "place": "OR",
    "region": json.dumps(REGION),
    "direction": "gop",
    "contiguous_new": "on",
    "contiguous_rest": "on",
    "exclaves": "nearest",
    "min_population": "100000",
    "max_countries": "1",
    "solver": "exact",
    "time_limit": "30",
    "seed": "3",
}


@pytest.fixture(autouse=True)
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


def _same_region(summary: dict, label: str) -> dict:
    """``summary`` with its region named ``label``: the one thing that differs between a
    region drawn on the form ("a drawn region") and the same region in a file (its path)."""
    source = dict(summary["source"])
    named = source["region"]["source"]
    source["region"] = {**source["region"], "source": label}
    source["notes"] = [n.replace(f"region {named}:", f"region {label}:") for n in source["notes"]]
    return {**summary, "source": source}


def test_a_drawn_region_planned_on_the_form_equals_the_command_line(
    dask,  # noqa: F811
    cli,
    tmp_path,
    data_dir,
):
    owner = UserFactory(username="drawer")
    c = _client(owner)
    page = c.post("/plans/new/", FORM)
    assert page.status_code == 302, page.content.decode()[:3000]
    job = PlanJob.objects.get(owner=owner)
    assert job.region == REGION and job.place == ["OR"]
    Dispatcher(dask).run_until_idle(timeout=300)
    job.refresh_from_db()
    assert job.status == "done", job.message

    region_file = write_region(tmp_path, WILLAMETTE)
    out = tmp_path / "cli"
    result = cli(
        "plan", "--state", "OR", "--region", region_file, "--leave", "gop",
        "--min-population", "100000", "--solver", "exact", "--seed", "3",
        "--time-limit", "30", "--no-maps", "--data-dir", data_dir, "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    web = storage.results_root() / job.result_dir
    assert (web / "assignment.csv").read_text() == (out / "assignment.csv").read_text()
    ours = json.loads((web / "summary.json").read_text())
    theirs = json.loads((out / "summary.json").read_text())
    assert ours["source"]["region"]["source"] == "a drawn region"
    assert theirs["source"]["region"]["source"] == str(region_file)
    assert _untimed(_same_region(ours, "R")) == _untimed(_same_region(theirs, "R"))
    counties = oregon_inside(WILLAMETTE)
    assert ours["source"]["region"]["kept"] == len(counties)
    units = (web / "assignment.csv").read_text().split()[1:]
    assert sorted(u.split(",")[0] for u in units) == counties

    detail = c.get(f"/plans/{job.pk}/").content.decode()
    assert f"a drawn region in OR ({len(counties)} counties)" in detail
    listed = c.get("/plans/").content.decode()  # lists read no plan's files: no count
    assert "<td>a drawn region in OR</td>" in listed
    status = c.get(f"/api/plans/{job.pk}").json()
    assert status["region"] == REGION
    # the edit-by-hand check reads the same graph: every unit of the region, no other
    check = c.post(
        f"/api/plans/{job.pk}/check",
        json.dumps({"moves": {counties[0]: "other"}}),
        content_type="application/json",
    )
    assert check.status_code == 200, check.content
    outside = c.post(
        f"/api/plans/{job.pk}/check",
        json.dumps({"moves": {"41059": "other"}}),  # Umatilla County: outside the region
        content_type="application/json",
    )
    assert outside.status_code == 400 and "41059" in outside.json()["detail"]


def test_the_region_graph_cache_key_includes_the_region():
    from secession.web.apps.planner.datasets import load_kwargs

    dataset = {"kind": "us-counties", "year": 2020, "water_links": None}
    plain = load_kwargs(dataset, ["OR"], "gop")
    drawn = load_kwargs(dataset, ["OR"], "gop", REGION)
    assert "region" not in plain and drawn["region"] == REGION
    assert json.dumps(plain, sort_keys=True, default=str) != json.dumps(
        drawn, sort_keys=True, default=str
    )


def _api(client, region) -> object:
    body = {"year": 2020, "place": ["OR"], "direction": "gop", "region": region}
    return client.post("/api/plans", json.dumps(body), content_type="application/json")


def _ring(n: int) -> list[list[float]]:
    import math

    pts = [
        [-123 + 0.5 * math.cos(2 * math.pi * i / n), 44.5 + 0.5 * math.sin(2 * math.pi * i / n)]
        for i in range(n)
    ]
    return [*pts, pts[0]]


BAD = {
    "a point": ({"type": "Point", "coordinates": [-123, 44]}, "Polygon or MultiPolygon"),
    "unreadable coordinates": ({"type": "Polygon", "coordinates": "x"}, "not a readable"),
    "too few corners": (
        {"type": "Polygon", "coordinates": [[[-123, 44], [-122, 44], [-123, 44]]]},
        "cannot be used",
    ),
    "no area": (
        {"type": "Polygon", "coordinates": [[[-123, 44], [-122, 44], [-121, 44], [-123, 44]]]},
        "encloses no area",
    ),
    "metres, not degrees": (
        {
            "type": "Polygon",
            "coordinates": [[[5e5, 4.8e6], [6e5, 4.8e6], [6e5, 4.9e6], [5e5, 4.8e6]]],
        },
        "not longitude/latitude",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_malformed_region_is_refused_on_the_api_and_at_the_field(kind):
    region, needle = BAD[kind]
    c = _client(UserFactory())
    r = _api(c, region)
    assert r.status_code == 400 and needle in r.json()["detail"], r.content
    page = c.post("/plans/new/", {**FORM, "region": json.dumps(region)})
    assert page.status_code == 400
    html = page.content.decode()
    assert 'id="id_region_error"' in html and needle in html
    assert not PlanJob.objects.exists()


def test_a_region_too_large_is_refused(settings):
    c = _client(UserFactory())
    settings.PLANNER_REGION_MAX_POINTS = 100
    many = _api(c, {"type": "Polygon", "coordinates": [_ring(200)]})
    assert many.status_code == 400 and "201 corners: at most 100" in many.json()["detail"]
    settings.PLANNER_REGION_MAX_BYTES = 2000
    big = {"type": "Polygon", "coordinates": [_ring(150)]}
    r = _api(c, big)
    assert r.status_code == 400 and "too large" in r.json()["detail"]
    page = c.post("/plans/new/", {**FORM, "region": json.dumps(big)})
    assert page.status_code == 400 and "too large" in page.content.decode()
    assert not PlanJob.objects.exists()


def test_the_form_asks_for_a_region_and_reads_json_at_the_field():
    c = _client(UserFactory())
    empty = c.post("/plans/new/", {**FORM, "region": ""})
    assert empty.status_code == 400
    assert "draw the region on the map, or paste its GeoJSON here" in empty.content.decode()
    broken = c.post("/plans/new/", {**FORM, "region": '{"type": "Polygon",'})
    assert broken.status_code == 400 and "not valid GeoJSON" in broken.content.decode()
    not_a_schema = _api(c, "a polygon, trust me")
    assert not_a_schema.status_code == 422  # the schema: region is an object
    # with the states chosen, a region given stays unused
    states = c.post("/plans/new/", {**FORM, "place_kind": "states", "region": "not json"})
    assert states.status_code == 302
    assert PlanJob.objects.get().region is None


def test_a_region_that_keeps_no_unit_fails_the_job_plainly(dask):  # noqa: F811
    c = _client(UserFactory(username="atsea"))
    sea = {"type": "Polygon", "coordinates": [[[-130, 40], [-129, 40], [-129, 41], [-130, 40]]]}
    r = _api(c, sea)
    assert r.status_code == 201, r.content
    Dispatcher(dask).run_until_idle(timeout=120)
    job = PlanJob.objects.get(pk=r.json()["id"])
    assert job.status == "failed"
    assert job.message.startswith("a drawn region: no unit's point lies inside the region")


def test_the_new_plan_page_offers_a_drawn_region_and_its_map():
    c = _client(UserFactory())
    html = c.get("/plans/new/").content.decode()
    assert 'value="region"' in html and "A drawn region" in html
    assert 'id="region-map"' in html and 'data-field="id_region"' in html
    assert "communities/territory-map.js" in html  # the founding form's drawing, reused


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", ("Una región dibujada", "Dibujar la región", "Ninguna región dibujada.")),
        ("fr", ("Une région dessinée", "Dessiner la région", "Aucune région dessinée.")),
    ],
)
def test_the_drawn_region_speaks_the_page_language(lang, words):
    c = _client(UserFactory())
    html = c.get("/plans/new/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    choice, heading, sentence = words  # the choice, the map's heading, a script's sentence
    assert choice in html and heading in html
    assert json.dumps(sentence)[1:-1] in html  # in the page's JSON for the map's script
