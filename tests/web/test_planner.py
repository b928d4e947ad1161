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
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


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


def _post(client: Client, url: str, body) -> object:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_edit_by_hand_check_repair_and_found_a_community(dask, data_dir, settings):
    """On the real Oregon plan: the check's figures equal a recomputation from the metrics
    and the checker; a move off the new country's edge breaks contiguity; the repair is a
    valid plan changing no more units than were moved; who may check and repair."""
    import numpy as np
    import pandas as pd

    from secession.geo.load import load_graph
    from secession.plan.check import check_plan
    from secession.plan.metrics import satisfied_voters
    from secession.web.apps.planner import storage
    from secession.web.apps.planner.tasks import constraints_from

    owner, other = UserFactory(username="editor"), UserFactory(username="onlooker")
    mine = _client(owner)
    started = _start(mine, OREGON)
    url = f"/api/plans/{started['id']}"
    assert _post(mine, f"{url}/check", {"moves": {}}).status_code == 409  # not done yet
    Dispatcher(dask).run_until_idle(timeout=300)
    job = PlanJob.objects.get(pk=started["id"])
    assert job.status == "done", job.message

    # an independent reading: the graph as the command line loads it, the stored CSV
    graph = load_graph(year=2020, states=("OR",), leave="gop", data_dir=str(data_dir)).graph
    table = pd.read_csv(storage.results_root() / job.result_dir / "assignment.csv", dtype=str)
    side = dict(zip(table["unit_id"], table["country"], strict=True))
    before = np.asarray([0 if side[u] == "stay" else 1 for u in graph.ids.tolist()])
    label = next(v for v in side.values() if v != "stay")  # the new country's label
    leaving = np.flatnonzero(before > 0)
    lone = next(
        i for i in np.flatnonzero(before == 0) if not any(before[j] for j in graph.neighbors(i))
    )
    uid = str(graph.ids[lone])
    answer = _post(mine, f"{url}/check", {"moves": {uid: "leave"}})
    assert answer.status_code == 200, answer.content
    found = answer.json()
    after = before.copy()
    after[lone] = 1
    constraints = constraints_from(job.constraints)
    assert found["satisfied_before"] == satisfied_voters(graph, before)
    assert found["change"] == satisfied_voters(graph, after) - satisfied_voters(graph, before)
    expected = check_plan(graph, constraints, after)
    assert [(v["kind"], v["country"], v["units"], v["message"]) for v in found["violations"]] == [
        (v.kind.value, v.country, list(v.units), v.message) for v in expected
    ]
    assert not found["valid"] and "split" in [v["kind"] for v in found["violations"]]
    assert found["moved"] == [
        {"unit_id": uid, "name": str(graph.names[lone]), "from": "stay", "to": label}
    ]
    # a move of a leaving unit to stay: the same recomputation
    back = str(graph.ids[leaving[0]])
    again = _post(mine, f"{url}/check", {"moves": {back: "other"}}).json()
    edited = before.copy()
    edited[leaving[0]] = 0
    assert again["satisfied_after"] == satisfied_voters(graph, edited)
    assert len(again["violations"]) == len(check_plan(graph, constraints, edited))

    # bad input: 4xx with a reason naming what is wrong, never a 500
    settings.PLANNER_MAX_MOVES = 3
    for body, word in (
        ({"moves": {"99999": "stay"}}, "99999"),
        ({"moves": {uid: "sideways"}}, "sideways"),
        ({"moves": dict.fromkeys(graph.ids[:4].tolist(), "stay")}, "at most 3"),
    ):
        for path in ("check", "repair"):
            bad = _post(mine, f"{url}/{path}", body)
            assert bad.status_code == 400, (path, body, bad.content)
            assert word in json.dumps(bad.json()), bad.json()
    assert 400 <= _post(mine, f"{url}/check", {"moves": ["x"]}).status_code < 500
    assert 400 <= mine.post(f"{url}/check", "{", content_type="application/json").status_code < 500

    # who may check and repair: a private plan is its owner's; a shared one anyone checks,
    # its owner alone repairs
    move = {"moves": {uid: "leave"}}
    assert _post(_client(other), f"{url}/check", move).status_code == 404
    assert _post(Client(), f"{url}/check", move).status_code == 404
    assert _post(_client(other), f"{url}/repair", move).status_code == 404
    assert _post(Client(), f"{url}/repair", move).status_code == 401
    job.shared = True
    job.save(update_fields=["shared"])
    assert _post(_client(other), f"{url}/check", move).json() == found
    assert _post(Client(), f"{url}/check", move).json() == found
    assert _post(_client(other), f"{url}/repair", move).status_code == 403
    assert _post(Client(), f"{url}/repair", move).status_code == 401

    # the page without a script: the form posts, the check is on the result page
    page = mine.post(f"/plans/{job.pk}/check", {"units": uid})
    assert page.status_code == 200
    assert expected[0].message in page.content.decode()
    wrong = mine.post(f"/plans/{job.pk}/check", {"units": "99999"})
    assert wrong.status_code == 400 and "99999" in wrong.content.decode()
    detail = mine.get(f"/plans/{job.pk}/").content.decode()
    assert "planner/edit.js" in detail and "<script>" not in detail

    # repair: a new plan linked to its parent, valid, changing at most the units moved
    repair = _post(mine, f"{url}/repair", move)
    assert repair.status_code == 201, repair.content
    Dispatcher(dask).run_until_idle(timeout=300)
    fixed = PlanJob.objects.get(pk=repair.json()["id"])
    assert fixed.status == "done", fixed.message
    assert fixed.parent_id == job.pk and fixed.edits["moves"] == {uid: "leave"}
    out = pd.read_csv(storage.results_root() / fixed.result_dir / "assignment.csv", dtype=str)
    got = dict(zip(out["unit_id"], out["country"], strict=True))
    country = np.asarray([0 if got[u] == "stay" else 1 for u in graph.ids.tolist()])
    assert check_plan(graph, constraints, country) == []
    changed = int(((country > 0) != (after > 0)).sum())
    assert 1 <= changed <= 1  # the move breaks a constraint; undoing it is one change
    summary = json.loads((storage.results_root() / fixed.result_dir / "summary.json").read_text())
    assert summary["stats"]["repair"]["units_changed"] == changed
    assert summary["satisfied_voters"] == satisfied_voters(graph, country)
    assert summary["stats"]["check"]["valid"]

    # found a community with the new country's units: the form comes prefilled
    new_ids = sorted(str(graph.ids[i]) for i in leaving)
    assert " ".join(new_ids) in detail
    form = mine.get("/communities/new/", {"territory_dataset": "us-counties-2020",
                                          "territory_unit_ids": " ".join(new_ids)})  # fmt: skip
    assert form.status_code == 200 and " ".join(new_ids) in form.content.decode()
