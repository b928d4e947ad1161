"""Choosing units by clicking the plan's interactive map, in Debian's chromium: on a real
Oregon plan a click on a county fills the edit field and the live check answers (a lone
county moved off the new country's edge breaks contiguity); a second click takes it out;
a typed id is marked on the map; the page keeps its strict CSP (no violation, no console
error); axe-core finds nothing; the map opened alone takes clicks harmlessly."""

from __future__ import annotations

import numpy as np
import pytest
from tests.web.test_browser import chromium_browser  # noqa: F401  (fixture)
from tests.web.test_csp_browser import WATCH
from tests.web.test_planner import OREGON
from tests.web.test_territory_browser import _axe, _login

from .factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A point inside the fill of the unit ``id`` (no other shape above it), in the coordinates
# of the map's own window.
#: the unit's clickable point nearest the middle of its box (a point by its edge can land on
#: a neighbour once the page shifts by a pixel)
POINT_IN_UNIT = """id => {
  const units = JSON.parse(document.getElementById("plan-data").textContent).units;
  const path = document.querySelector(`path.unit[data-i="${units.findIndex(u => u[0] === id)}"]`);
  const box = path.getBBox(), m = path.getScreenCTM();
  let best = null, far = Infinity;
  for (let a = 1; a < 20; a++) for (let b = 1; b < 20; b++) {
    const p = new DOMPoint(box.x + box.width * a / 20, box.y + box.height * b / 20);
    if (!path.isPointInFill(p)) continue;
    const s = p.matrixTransform(m);
    const d = (a - 10) ** 2 + (b - 10) ** 2;
    if (d >= far || document.elementFromPoint(s.x, s.y) !== path) continue;
    best = {x: s.x, y: s.y}; far = d;
  }
  return best;
}"""


SCROLL_TO_UNIT = """id => {
  const units = JSON.parse(document.getElementById("plan-data").textContent).units;
  const i = units.findIndex(u => u[0] === id);
  document.querySelector(`path.unit[data-i="${i}"]`).scrollIntoView({block: "center"});
}"""


@pytest.fixture
def oregon_plan(settings, data_dir, tmp_path):
    """A done, real Oregon plan (the exact solver, run here in the test's thread)."""
    import json

    from django.test import Client

    from secession.web.apps.planner.models import PlanJob
    from secession.web.apps.planner.tasks import execute

    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")
    owner = UserFactory(username="clicker")
    api = Client()
    api.force_login(owner)
    started = api.post("/api/plans", json.dumps(OREGON), content_type="application/json")
    assert started.status_code == 201, started.content
    assert execute(started.json()["id"]) == "done"
    return PlanJob.objects.get(pk=started.json()["id"])


def _lone_stay_county(job, data_dir) -> tuple[str, str]:
    """A county left in the remaining country none of whose neighbours leaves (moving it
    splits the new country), and a leaving county: both by FIPS code."""
    import pandas as pd

    from secession.geo.load import load_graph
    from secession.web.apps.planner import storage

    graph = load_graph(year=2020, states=("OR",), leave="gop", data_dir=str(data_dir)).graph
    table = pd.read_csv(storage.results_root() / job.result_dir / "assignment.csv", dtype=str)
    side = dict(zip(table["unit_id"], table["country"], strict=True))
    before = np.asarray([0 if side[u] == "stay" else 1 for u in graph.ids.tolist()])
    lone = next(
        i for i in np.flatnonzero(before == 0) if not any(before[j] for j in graph.neighbors(i))
    )
    return str(graph.ids[lone]), str(graph.ids[np.flatnonzero(before > 0)[0]])


def _click_unit(page, frame, unit_id: str) -> None:
    """A mouse click on ``unit_id`` in the map ``frame`` (framed in ``page``, or alone)."""
    frame.evaluate(SCROLL_TO_UNIT, unit_id)
    left = top = 0.0
    if frame is not page.main_frame:
        owner = frame.frame_element()
        # the frame runs in its own process: the page's scroll follows a moment later
        box, last = owner.bounding_box(), None
        while box != last:
            page.wait_for_timeout(100)
            box, last = owner.bounding_box(), box
        border = owner.evaluate("f => [f.clientLeft, f.clientTop]")
        left, top = box["x"] + border[0], box["y"] + border[1]
    at = frame.evaluate(POINT_IN_UNIT, unit_id)
    assert at is not None, f"no clickable point inside unit {unit_id}"
    page.mouse.click(left + at["x"], top + at["y"])


def test_click_units_on_the_plan_map(chromium_browser, live_server, oregon_plan, data_dir):  # noqa: F811
    from playwright.sync_api import expect

    job = oregon_plan
    owner = job.owner
    owner.set_password(PASSWORD)
    owner.save()
    lone, leaving = _lone_stay_county(job, data_dir)

    context = chromium_browser.new_context(viewport={"width": 1100, "height": 900})
    context.add_init_script(WATCH)
    errors: list[str] = []
    page = _login(context, live_server, owner, PASSWORD)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/plans/{job.pk}/")
    frame = page.locator("#plan-map").element_handle().content_frame()
    frame.locator("#picked").wait_for(state="attached")  # the map knows it is framed
    field = page.get_by_label("Units to move")

    _click_unit(page, frame, lone)
    expect(field).to_have_value(lone)
    page.locator("#edit-result li[data-kind=split]").wait_for()
    result = page.locator("#edit-result").inner_text()
    assert "after the moves" in result and "breaks" in result and lone in result
    assert frame.locator(f'#picked path.pick.move[data-unit="{lone}"]').count() == 1

    # a second county by click, then the first one out again
    _click_unit(page, frame, leaving)
    expect(field).to_have_value(f"{lone}, {leaving}")
    page.get_by_text(f"({leaving}):").wait_for()
    _click_unit(page, frame, lone)
    expect(field).to_have_value(leaving)
    frame.locator(f'#picked path[data-unit="{lone}"]').wait_for(state="detached")
    assert frame.locator("#picked path").count() == 1
    expect(page.locator("#edit-result")).not_to_contain_text(f"({lone})")
    expect(page.locator("#edit-result")).to_contain_text(f"({leaving})")

    # typing marks the map too (the field stays the keyboard's way)
    field.fill(f"{leaving} {lone}")
    frame.locator(f'#picked path[data-unit="{lone}"]').wait_for(state="attached")
    assert frame.locator("#picked path").count() == 2
    page.locator("#edit-result li[data-kind=split]").wait_for()

    # a message from anything but the frame is ignored: the page itself posts a click
    page.evaluate(f"window.postMessage({{type: 'secession-map:click', unit: '{leaving}'}}, '*')")
    page.wait_for_timeout(300)
    assert field.input_value() == f"{leaving} {lone}"
    assert page.evaluate("window.__violations") == [] and errors == []

    # the map alone: no frame to talk to; a click does nothing but show the unit
    alone = context.new_page()
    alone.on("pageerror", lambda e: errors.append(str(e)))
    alone.goto(f"{live_server.url}/plans/{job.pk}/files/map.html")
    _click_unit(alone, alone.main_frame, lone)
    assert alone.locator("#picked").count() == 0 and errors == []
    context.close()

    # axe-core (injected, so outside the CSP) on the plan page with its map
    checked = chromium_browser.new_context(viewport={"width": 1100, "height": 900}, bypass_csp=True)
    page = _login(checked, live_server, owner, PASSWORD)
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/plans/{job.pk}/")
    page.wait_for_load_state("networkidle")
    assert _axe(page) == []
    checked.close()


def test_lock_units_by_clicking_the_place_map(
    chromium_browser,  # noqa: F811
    live_server,
    settings,
    data_dir,
    tmp_path,
):
    from playwright.sync_api import expect

    from secession.web.apps.planner.models import PlanJob

    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")
    person = UserFactory(username="locker")
    baker, benton, clatsop = "41001", "41003", "41007"

    errors: list[str] = []
    for bypass in (False, True):  # under the CSP; then with axe-core injected
        context = chromium_browser.new_context(
            viewport={"width": 1100, "height": 900}, bypass_csp=bypass
        )
        context.add_init_script(WATCH)
        page = _login(context, live_server, person, PASSWORD)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.wait_for_load_state("networkidle")
        page.goto(f"{live_server.url}/plans/new/")
        page.get_by_label("States").fill("Atlantis")
        page.get_by_role("button", name="Show the map of this place").click()
        expect(page.locator("#lock-map-status")).to_contain_text("Atlantis")  # at the button
        assert [e for e in errors if "400 (Bad Request)" not in e] == []  # the refusal only
        errors.clear()
        page.get_by_label("States").fill("OR")
        page.get_by_label("Which side leaves").select_option("gop")
        page.get_by_role("button", name="Show the map of this place").click()
        frame_el = page.locator("#lock-map-frame")
        expect(frame_el).to_be_visible()
        frame = frame_el.element_handle().content_frame()
        frame.locator("#picked").wait_for(state="attached")
        if bypass:
            assert _axe(page) == []
            context.close()
            break
        must_leave = page.get_by_label("Counties that must leave")
        must_stay = page.get_by_label("Counties that must stay")

        _click_unit(page, frame, baker)
        expect(must_leave).to_have_value(baker)
        frame.locator(f'#picked path.pick.leave[data-unit="{baker}"]').wait_for(state="attached")
        page.get_by_label("makes it a unit that must stay").check()
        _click_unit(page, frame, benton)
        expect(must_stay).to_have_value(benton)
        frame.locator(f'#picked path.pick.stay[data-unit="{benton}"]').wait_for(state="attached")
        _click_unit(page, frame, baker)  # locked to leave; a click to stay moves the lock
        expect(must_stay).to_have_value(f"{benton}, {baker}")
        expect(must_leave).to_have_value("")
        _click_unit(page, frame, benton)  # a second click with the same choice unlocks
        expect(must_stay).to_have_value(baker)
        frame.locator(f'#picked path[data-unit="{benton}"]').wait_for(state="detached")
        must_leave.fill(clatsop)  # typing marks the map too
        frame.locator(f'#picked path.pick.leave[data-unit="{clatsop}"]').wait_for(state="attached")
        assert frame.locator("#picked path").count() == 2

        page.get_by_label("Time limit (seconds)").fill("5")
        page.get_by_role("button", name="Start the plan").click()
        page.get_by_text("Status:").wait_for()
        job = PlanJob.objects.get(owner=person)
        assert job.constraints["lock_leave"] == [clatsop]
        assert job.constraints["lock_stay"] == [baker]
        assert page.evaluate("window.__violations") == [] and errors == []
        context.close()
