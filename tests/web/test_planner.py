"""The planner app: jobs run on a real Dask local cluster (worker threads of this process,
``processes=False``, so they share the test database), their results, stop, failure, and
who may do what on every endpoint."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from secession.scenario.parallel import dask_client
from secession.web.apps.planner.dispatch import Dispatcher
from secession.web.apps.planner.models import PlanJob
from secession.web.apps.planner.tasks import execute

from .factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

OREGON = {
    "title": "Oregon, Republican side leaves",
    "year": 2020,
    "place": ["OR"],
    "direction": "gop",
    "constraints": {"min_population": 200000},
    "solver": "exact",
    "seed": 3,
    "time_limit": 30,
}


@pytest.fixture(scope="module")
def dask():
    with dask_client(workers=1, processes=False) as client:
        yield client


@pytest.fixture(autouse=True)
def _planner_settings(settings, data_dir, tmp_path):
    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _start(client: Client, body: dict) -> dict:
    r = client.post("/api/plans", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    return r.json()


def _untimed(value):
    """``value`` without timings (keys naming seconds or time), for comparing runs."""
    if isinstance(value, dict):
        return {
            k: _untimed(v)
            for k, v in value.items()
            if "second" not in k and "time" not in k and k not in ("nodes",)
        }
    if isinstance(value, list):
        return [_untimed(v) for v in value]
    return value


def test_a_plan_made_in_the_app_equals_the_command_line(dask, cli, tmp_path, data_dir):
    owner = UserFactory(username="planner")
    started = _start(_client(owner), OREGON)
    assert started["status"] == "queued"
    Dispatcher(dask).run_until_idle(timeout=300)
    job = PlanJob.objects.get(pk=started["id"])
    assert job.status == "done", job.message
    assert job.progress["stage"] == "done"
    out = tmp_path / "cli"
    result = cli(
        "plan", "--state", "OR", "--leave", "gop", "--min-population", "200000",
        "--solver", "exact", "--seed", "3", "--time-limit", "30", "--no-maps",
        "--data-dir", data_dir, "--out", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from secession.web.apps.planner import storage

    web = storage.results_root() / job.result_dir
    assert (web / "assignment.csv").read_text() == (out / "assignment.csv").read_text()
    ours = json.loads((web / "summary.json").read_text())
    theirs = json.loads((out / "summary.json").read_text())
    assert _untimed(ours) == _untimed(theirs)
    assert ours["proven_optimal"] and ours["new_countries"] == 1
    assert job.progress["satisfied_voters"] == ours["satisfied_voters"]
    assert (web / "map.html").is_file()  # the interactive map of secession.maps

    _check_who_sees_what(job, owner)


def _check_who_sees_what(job: PlanJob, owner) -> None:
    """Every read endpoint: the owner sees the private plan; others get 404; once shared,
    everyone (anonymous too) sees it; only the owner shares, deletes."""
    pk = job.pk
    reads = [
        f"/plans/{pk}/",
        f"/plans/{pk}/status.json",
        f"/plans/{pk}/files/summary.json",
        f"/plans/{pk}/files/map.html",
        f"/api/plans/{pk}",
        f"/api/plans/{pk}/result",
    ]
    other = UserFactory(username="other")
    for url in reads:
        assert _client(owner).get(url).status_code == 200, url
        assert _client(other).get(url).status_code == 404, url
        assert _client().get(url).status_code == 404, url
    page = _client(owner).get(f"/plans/{pk}/").content.decode()
    assert "Proven bound" in page and f"/plans/{pk}/files/assignment.csv?download=1" in page
    assert "<script>" not in page  # the progress script is a static file (strict CSP)
    map_page = _client(owner).get(f"/plans/{pk}/files/map.html")
    assert "sandbox" in map_page["Content-Security-Policy"]
    assert map_page["X-Frame-Options"] == "SAMEORIGIN"
    assert _client(owner).get(f"/plans/{pk}/files/secret_key.txt").status_code == 404

    # only the owner shares; then the shared plan is everyone's to see, not to change
    assert _client(other).post(f"/plans/{pk}/share", {"shared": "1"}).status_code == 404
    assert _client(owner).post(f"/plans/{pk}/share", {"shared": "1"}).status_code == 302
    for url in reads:
        assert _client(other).get(url).status_code == 200, url
        assert _client().get(url).status_code == 200, url
    compare = _client().get("/plans/compare/", {"plan": [str(pk)]}).content.decode()
    assert job.title in compare and "Countries" in compare
    stop = _client(other).post(f"/api/plans/{pk}/stop")
    assert stop.status_code == 409  # done: nothing to stop (for anyone)
    _client(other).post(f"/plans/{pk}/delete")
    assert PlanJob.objects.filter(pk=pk).exists()
    assert _client().post(f"/plans/{pk}/delete").status_code == 302  # to the login page
    assert PlanJob.objects.filter(pk=pk).exists()
    assert _client(owner).post(f"/plans/{pk}/delete").status_code == 302
    assert not PlanJob.objects.filter(pk=pk).exists()


def test_a_failing_job_shows_its_reason_not_a_traceback(dask):
    owner = UserFactory(username="unlucky")
    body = {**OREGON, "constraints": {"lock_leave": ["99999"]}, "solver": "fast"}
    started = _start(_client(owner), body)
    Dispatcher(dask).run_until_idle(timeout=120)
    job = PlanJob.objects.get(pk=started["id"])
    assert job.status == "failed"
    assert "99999" in job.message and "Traceback" not in job.message
    page = _client(owner).get(f"/plans/{job.pk}/").content.decode()
    assert "99999" in page and "Traceback" not in page
    assert _client(owner).get(f"/api/plans/{job.pk}/result").status_code == 409


def test_stop_a_waiting_job_and_a_job_the_worker_has_taken(dask):
    owner = UserFactory(username="impatient")
    c = _client(owner)
    waiting = _start(c, OREGON)
    assert c.post(f"/api/plans/{waiting['id']}/stop").json()["stop_requested"]
    Dispatcher(dask).run_until_idle(timeout=60)
    job = PlanJob.objects.get(pk=waiting["id"])
    assert job.status == "stopped" and job.started_at is None  # it never ran

    taken = _start(c, OREGON)
    PlanJob.objects.filter(pk=taken["id"]).update(stop_requested=True)
    # the worker claims it; the solver's first progress call sees the stop
    assert dask.submit(execute, taken["id"], pure=False).result() == "stopped"
    job = PlanJob.objects.get(pk=taken["id"])
    assert job.started_at is not None and job.message == "Stopped on request."
    assert not job.result_dir


def test_start_checks_input_limits_and_login(settings):
    owner = UserFactory(username="busy")
    c = _client(owner)
    bad = c.post(
        "/api/plans", json.dumps({**OREGON, "place": ["Atlantis"]}), content_type="application/json"
    )
    assert bad.status_code == 400 and "Atlantis" in bad.json()["detail"]
    settings.PLANNER_DATA_DIR = "/nonexistent-data"
    missing = c.post("/api/plans", json.dumps(OREGON), content_type="application/json")
    assert missing.status_code == 400 and "data folder not found" in missing.json()["detail"]
    settings.PLANNER_DATA_DIR = None
    settings.PLANNER_MAX_PER_PERSON = 1
    form = {"year": "2016", "place": "Atlantis", "direction": "dem", "min_population": "0",
            "max_countries": "1", "solver": "fast", "time_limit": "10", "seed": "0",
            "exclaves": "nearest"}  # fmt: skip
    page = c.post("/plans/new/", form)
    assert page.status_code == 400 and "Atlantis" in page.content.decode()
    _start(c, OREGON)
    again = c.post("/api/plans", json.dumps(OREGON), content_type="application/json")
    assert again.status_code == 429 and "waiting or running" in again.json()["detail"]
    assert (
        _client()
        .post("/api/plans", json.dumps(OREGON), content_type="application/json")
        .status_code
        == 401
    )
    assert _client().get("/plans/new/").status_code == 302
    schema = _client().get("/api/openapi.json").json()["paths"]
    assert {"/api/plans", "/api/plans/{plan_id}", "/api/plans/{plan_id}/stop",
            "/api/plans/{plan_id}/result"} <= set(schema)  # fmt: skip
