"""From data to a border to a vote, in Debian's chromium (issue 21's story), walked through
the pages only: register; upload Oregon's 2020 county results (a CSV written here from
the real data) with its county boundaries (Census 2016, lon/lat) and choose the columns so
the Republican votes are the side that leaves; plan Oregon on it (a minimum population,
the exact solver, a fixed seed) and watch the status, best plan, bound and gap update
while a Dask dispatcher runs the job beside the live server; click a county on the plan's
map whose move breaks contiguity and see the checker's warning and the change in voters;
repair with the fewest changes; found a community with the plan's new country; propose
and vote an opt-in referendum on it, upload the official results by county (a few
counties voting against their neighbours), and read the repaired border: which counties
joined, stayed, and each one placed against its own vote with its reason. The ORM is only
read, to check what the pages did; the repair is checked against
``secession.referendum.optin.repair_opt_in`` called directly, unit for unit. axe-core
finds nothing on each new page (1100 px, and the referendum page at 390 px); screenshots
go to tests/artifacts/planner-story/."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from .test_browser import chromium_browser  # noqa: F401 - the fixture
from .test_planner_map_browser import _click_unit
from .test_planner_territory_browser import _axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "planner-story"
DESKTOP, PHONE = {"width": 1100, "height": 900}, {"width": 390, "height": 844}
MIN_POPULATION = 200000  # voters: the upload's population column is the votes cast
SEED = 7


def _oregon(data_dir: Path) -> pd.DataFrame:
    frame = pd.read_csv(data_dir / "us-president-county/2020.csv", dtype={"county_fips": str})
    return frame[frame["state_name"] == "Oregon"].reset_index(drop=True)


def _results_csv(oregon: pd.DataFrame, path: Path) -> Path:
    """An official-looking results table: county FIPS, name, votes of each side, total."""
    table = pd.DataFrame(
        {
            "fips": oregon["county_fips"],
            "county": oregon["county_name"],
            "republican": oregon["votes_gop"],
            "democratic": oregon["votes_dem"],
            "votes_cast": oregon["votes_gop"] + oregon["votes_dem"],
        }
    )
    table.to_csv(path, index=False)
    return path


def _boundaries(path: Path) -> Path:
    """Oregon's counties (Census 2016 cartographic boundaries from plotly-geo, lon/lat) as
    GeoJSON whose ``fips`` property is the results table's id."""
    import geopandas as gpd

    from secession.geo.boundaries import read_boundaries

    counties = read_boundaries("plotly:counties")
    frame = gpd.GeoDataFrame(
        {"fips": counties.ids}, geometry=counties.geometry.values, crs=counties.crs
    )
    frame[frame["fips"].str.startswith("41")].to_crs(4326).to_file(path, driver="GeoJSON")
    return path


class Dispatching:
    """The ``plan_worker`` loop, in a thread beside the live server: a Dask local cluster
    (worker threads of this process, so they share the test database)."""

    def __init__(self) -> None:
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.error: BaseException | None = None

    def _run(self) -> None:
        from django.db import connection

        from secession.scenario.parallel import dask_client
        from secession.web.apps.planner.dispatch import Dispatcher

        try:
            with dask_client(workers=1, processes=False) as client:
                dispatcher = Dispatcher(client)
                while not self.stop.is_set():
                    dispatcher.dispatch()
                    time.sleep(0.2)
                while dispatcher.dispatch():  # let a job in flight end before the DB goes
                    time.sleep(0.2)
        except BaseException as exc:  # reported by the test
            self.error = exc
        finally:
            connection.close()

    def __enter__(self) -> Dispatching:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(timeout=120)


WATCH_PROGRESS = """() => {
  window.__seen = {status_label: [], best_bound: [], gap: []};
  const box = document.getElementById("plan-progress");
  const note = () => {
    for (const k of Object.keys(window.__seen)) {
      const t = box.querySelector(`[data-field="${k}"]`).textContent.trim();
      const seen = window.__seen[k];
      if (seen[seen.length - 1] !== t) seen.push(t);
    }
  };
  note();
  new MutationObserver(note).observe(box, {subtree: true, childList: true, characterData: true});
}"""


def _shot(page, step: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{step}.png"), full_page=True)


def _checked(page, step: str, phone: bool = False) -> None:
    """axe-core finds nothing (at 1100 px, and at 390 px with no sideways scroll when
    ``phone``); a screenshot of each width."""
    page.wait_for_load_state("networkidle")
    assert _axe(page) == [], step
    _shot(page, step)
    if phone:
        page.set_viewport_size(PHONE)
        assert _axe(page) == [], (step, "390 px")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], step
        _shot(page, f"{step}-390px")
        page.set_viewport_size(DESKTOP)


def _lone_stay_county(job) -> str:
    """A county the plan keeps in the remaining country none of whose neighbours leaves
    (read from the plan's files and the upload's own adjacency): moving it splits the new
    country."""
    from secession.geo.load import load_graph
    from secession.web.apps.planner import datasets, storage

    graph = load_graph(**datasets.load_kwargs(job.dataset, job.place, job.direction)).graph
    table = pd.read_csv(storage.results_root() / job.result_dir / "assignment.csv", dtype=str)
    side = dict(zip(table["unit_id"], table["country"], strict=True))
    leaves = np.asarray([side[u] != "stay" for u in graph.ids.tolist()])
    lone = next(
        i for i in np.flatnonzero(~leaves) if not any(leaves[j] for j in graph.neighbors(i))
    )
    return str(graph.ids[lone])


def _referendum_rows(oregon: pd.DataFrame, territory: list[str]) -> tuple[list[dict], set]:
    """The official opt-in results of the territory: each county votes yes with its
    Republican votes, no with its Democratic ones, except the neighbours of one county
    inside the territory, which swap them: that county chose to join but is cut off by
    neighbours that chose to stay out, so the repair must place it against its vote."""
    from secession.geo.load import load_graph

    graph = load_graph(year=2020, states=("OR",)).graph
    ids = graph.ids.tolist()
    inside = set(territory)
    votes = oregon.set_index("county_fips")
    # a county of the territory with two or more neighbours in it, all of which then vote no
    for unit in territory:
        i = ids.index(unit)
        near = [ids[j] for j in graph.neighbors(i) if ids[j] in inside]
        if len(near) >= 2 and votes.loc[unit, "votes_gop"] > votes.loc[unit, "votes_dem"]:
            break
    against = set(near)
    rows = []
    for unit in territory:
        gop, dem = int(votes.loc[unit, "votes_gop"]), int(votes.loc[unit, "votes_dem"])
        yes, no = (dem, gop) if unit in against else (gop, dem)
        rows.append({"unit": unit, "yes": str(yes), "no": str(no)})
    return rows, against


def _csv_bytes(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["unit", "yes", "no"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _wait_done(page, timeout_s: float = 240) -> None:
    """Reload the page until the plan's status says it is no longer queued or running."""
    end = time.monotonic() + timeout_s
    while page.locator("#plan-progress").get_attribute("data-status") in ("queued", "running"):
        assert time.monotonic() < end, "the plan did not finish"
        page.wait_for_timeout(1000)
        page.reload()


def test_from_data_to_a_border_to_a_vote(
    chromium_browser,  # noqa: F811
    live_server,
    settings,
    data_dir,
    tmp_path,
    password,
):
    from playwright.sync_api import expect

    from secession.web.apps.communities.models import Community
    from secession.web.apps.planner import storage
    from secession.web.apps.planner.edits import new_countries
    from secession.web.apps.planner.models import DataUpload, OptInRepair, PlanJob

    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")
    settings.PLANNER_UPLOADS_DIR = str(tmp_path / "uploads")
    oregon = _oregon(data_dir)
    results = _results_csv(oregon, tmp_path / "oregon-2020-official.csv")
    boundaries = _boundaries(tmp_path / "oregon-counties.geojson")

    context = chromium_browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url

    # 1. register (and so log in)
    page.goto(base + "/accounts/register/")
    page.get_by_label("Username").fill("organiser")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password (again)").fill(password)
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/register/" not in page.url

    # 2. upload the results with boundaries; choose the columns (Republicans leave)
    page.goto(base + "/plans/uploads/")
    _checked(page, "01-uploads")
    page.get_by_label("Name of this dataset").fill("Oregon 2020, official")
    page.locator("#id_results").set_input_files(str(results))
    page.locator("#id_boundaries").set_input_files(str(boundaries))
    page.locator("form[enctype] button[type=submit]").click()
    page.wait_for_url("**/plans/uploads/*/")
    _checked(page, "02-choose-columns")
    page.locator("#id_id_col").select_option("fips")
    page.locator("#id_leave_col").select_option("republican")
    page.locator("#id_stay_col").select_option("democratic")
    page.locator("#id_population_col").select_option("votes_cast")
    page.locator("#id_name_col").select_option("county")
    page.locator("form:has(#id_name_col) button[type=submit]").click()
    plan_it = page.locator('a.button[href*="?upload="]')  # offered once the file is read
    plan_it.wait_for()
    upload = DataUpload.objects.get(owner__username="organiser")
    assert upload.ready and upload.n_units == len(oregon) == 36
    assert upload.columns["leave_col"] == "republican"

    # 3. plan Oregon on it: a minimum population, the exact solver, a fixed seed
    plan_it.click()
    page.wait_for_url("**/plans/new/*")
    _checked(page, "03-new-plan")
    page.get_by_label("Name of this plan").fill("Oregon: the Republican side leaves")
    page.locator("#id_upload").select_option(str(upload.pk))
    page.locator("#id_min_population").fill(str(MIN_POPULATION))
    page.locator("#id_solver").select_option("exact")
    page.locator("#id_seed").fill(str(SEED))
    page.locator("#id_time_limit").fill("120")
    page.locator("form:has(#id_seed) button[type=submit]").click()
    page.locator("#plan-progress").wait_for()
    job = PlanJob.objects.get(owner__username="organiser")
    assert job.dataset == {"kind": "upload", "upload": str(upload.pk)}
    assert job.solver == "exact" and job.seed == SEED
    assert job.constraints["min_population"] == MIN_POPULATION
    assert page.locator("#plan-progress").get_attribute("data-status") == "queued"
    header = page.locator("main p").first.inner_text()  # the plan says what it was made of
    assert f"The uploaded dataset {upload.title}, all its units" in header, header
    assert "column republican leave" in header and "the whole country" not in header
    _checked(page, "04-plan-queued")
    page.evaluate(WATCH_PROGRESS)

    with Dispatching() as worker:
        # 4. watch the progress: the page follows the job until it is done
        expect(page.locator("[data-reload-note]")).to_be_visible(timeout=240000)
        seen = page.evaluate("window.__seen")
        job.refresh_from_db()
        assert job.status == "done", job.message
        assert seen["status_label"][0] != seen["status_label"][-1] == job.get_status_display()
        assert seen["best_bound"][0] == "not yet" and seen["best_bound"][-1] != "not yet"
        assert seen["gap"][-1] == "0.0000 %"
        page.locator("[data-reload-note] a").click()
        page.wait_for_load_state("networkidle")
        summary = page.locator("table").first.inner_text()
        bound = job.progress["best_bound"]
        assert f"{bound:,.0f}" in summary and "0.000000" in summary
        assert job.progress["gap"] == 0 and "Proven best\tyes" in summary
        _checked(page, "05-plan-done")

        # 5. click a county whose move splits the new country: the warning, the voters
        lone = _lone_stay_county(job)
        frame = page.locator("#plan-map").element_handle().content_frame()
        frame.locator("#picked").wait_for(state="attached")
        _click_unit(page, frame, lone)
        expect(page.locator("#edit-units")).to_have_value(lone)
        warning = page.locator("#edit-result li[data-kind=split]")
        warning.wait_for()
        assert lone in warning.inner_text()
        voters = page.locator("#edit-result p[data-change]")
        change = float(voters.get_attribute("data-change"))
        assert change < 0 and f"{change:,.0f}" in voters.inner_text()  # the move costs voters
        _shot(page, "06-edit-warning")

        # 6. repair with the fewest changes; the repair's page
        plan_url = page.url
        button = page.locator('#plan-edit button[name="repair"]')
        button.scroll_into_view_if_needed()
        with page.expect_navigation(timeout=20000):
            button.click()
        page.wait_for_url(lambda url: url != plan_url)
        repair = PlanJob.objects.get(parent=job)
        _wait_done(page)
        repair.refresh_from_db()
        assert repair.status == "done", repair.message
        done = json.loads((storage.results_root() / repair.result_dir / "summary.json").read_text())
        changed = done["stats"]["repair"]["units_changed"]
        assert changed >= 1
        said = page.locator(f'p:has(a[href="/plans/{job.pk}/"])').inner_text()
        assert str(changed) in said  # the number of units changed, and which
        assert all(u in said for u in done["stats"]["repair"].get("changed", []))
        assert done["stats"]["repair"]["proven_fewest"]
        _checked(page, "07-repair")

        # 7. found a community with the plan's territory
        page.goto(f"{base}/plans/{job.pk}/")
        page.locator("#country-1 + form button").click()
        page.wait_for_load_state("networkidle")
        _checked(page, "08-found-form")
        page.get_by_label("Name", exact=True).fill("High Desert")
        page.get_by_role("button", name="Found").click()
        page.wait_for_load_state("networkidle")
        community = Community.objects.get(name="High Desert")
        [(_, territory)] = new_countries(job)
        assert community.territory_unit_ids == sorted(territory)
        _checked(page, "09-founded")

        # 8. an opt-in referendum on that territory: propose, vote, upload the results
        page.get_by_role("link", name="Make a proposal").click()
        page.wait_for_load_state("networkidle")
        page.get_by_role("link", name="Opt-in referendum on the territory").click()
        page.wait_for_load_state("networkidle")
        _checked(page, "10-propose-opt-in")
        page.get_by_label("Title").fill("Each county decides")
        page.locator("#id_min_population").fill(str(MIN_POPULATION // 2))
        page.get_by_role("button", name="Make the proposal").click()
        page.wait_for_load_state("networkidle")
        page.get_by_label("Yes", exact=True).check()
        page.get_by_role("button", name="Cast my vote").click()
        page.wait_for_load_state("networkidle")
        # the only member has voted: the whole electorate, so the vote is final
        expect(page.locator("#result")).to_have_text("passed")
        _checked(page, "11-proposal-passed")
        proposal = community.proposals.get(kind="optin_territory")
        page.goto(f"{base}/plans/referendum/{proposal.pk}/")
        _checked(page, "12-referendum", phone=True)
        rows, against = _referendum_rows(oregon, sorted(territory))
        official = tmp_path / "official-results.csv"
        official.write_text(_csv_bytes(rows))
        page.locator("#id_results").set_input_files(str(official))
        page.locator("form:has(#id_results) button[type=submit]").click()
        page.wait_for_load_state("networkidle")

        # 9. the repaired border after the vote
        end = time.monotonic() + 240
        while not page.locator("#result-summary").count():
            assert time.monotonic() < end and worker.error is None, worker.error
            page.wait_for_timeout(1000)
            page.reload()
        _checked(page, "13-repaired-border", phone=True)
    assert worker.error is None, worker.error
    assert errors == []

    record = OptInRepair.objects.get(proposal=proposal)
    doc = json.loads((storage.results_root() / record.job.result_dir / "outcome.json").read_text())[
        "opt_in"
    ]
    joined = sorted(doc["leaving_after_repair"])
    community.refresh_from_db()
    assert community.territory_unit_ids == joined

    # the same results, repaired directly by the analysis: unit for unit
    direct = _direct_repair(official, proposal.payload)
    assert direct["joined"] == joined
    assert direct["moves"] and direct["moves"] == {m["unit_id"]: m["reason"] for m in doc["moves"]}
    summary = page.locator("#result-summary").inner_text()
    stayed = len(territory) - len(joined)
    assert f"After the repair: {len(joined)} joined, {stayed} stayed out." in summary
    table = page.locator("#moves").inner_text()
    for unit, reason in direct["moves"].items():
        assert unit in table and reason in table
    # the counties that voted against their neighbours are where they voted; the county
    # they cut off is placed against its own vote
    assert not set(direct["moves"]) & against
    assert set(direct["moves"]) <= set(direct["chose"])
    context.close()


def _direct_repair(path: Path, payload: dict) -> dict:
    """``repair_opt_in`` called directly on the same results file, Oregon's 2020 county
    graph and the proposal's constraints (the counties of the state outside the territory
    stay), as ``secession referendum --rule opt-in`` would: who joins, and each move's
    reason."""
    from secession.geo.load import load_graph
    from secession.plan import PlanConstraints
    from secession.referendum import Rule
    from secession.referendum.optin import repair_opt_in
    from secession.referendum.results import join_to_graph, read_results
    from secession.referendum.tally import decide

    graph = load_graph(year=2020, states=("OR",)).graph
    counts, graph, _ = join_to_graph(read_results(path), graph, on_mismatch="keep")
    inside = set(payload["units"])
    c = payload["constraints"]
    constraints = PlanConstraints(
        min_population=c["min_population"],
        max_countries=c["max_countries"],
        consent=c["consent"],
        lock_stay=tuple(u for u in graph.ids.tolist() if u not in inside),
    )
    outcome = decide(Rule.from_dict(dict(payload["unit_rule"])), counts)
    result = repair_opt_in(graph, outcome, constraints, solver="auto", time_limit=60, seed=0)
    return {
        "joined": sorted(result.units_leaving),
        "chose": sorted(np.asarray(counts.units)[outcome.unit_passed].tolist()),
        "moves": {m.unit_id: m.reason for m in result.moves},
    }
