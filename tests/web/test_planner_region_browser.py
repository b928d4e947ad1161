"""Drawing a plan's region in Debian's chromium: the founding form's map, reused on the
new-plan form, writes the region field; pasting GeoJSON there (the keyboard way) draws
it; the plan made from it plans exactly the counties inside; zero axe violations on the
form at desktop and phone widths; nothing breaks the CSP."""

from __future__ import annotations

import json

import pytest
from tests.geo.test_region import WILLAMETTE, oregon_inside
from tests.web.test_browser import chromium_browser  # noqa: F401  (fixture)
from tests.web.test_csp_browser import WATCH
from tests.web.test_territory_browser import _axe, _login

from .factories import PASSWORD, UserFactory
from .test_planner_map_browser import POINT_IN_UNIT
from .test_planner_region import REGION

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIELD = "Drawn region (GeoJSON polygon, longitude/latitude)"


def _corners(page) -> list:
    return json.loads(page.get_by_label(FIELD).input_value())["coordinates"][0]


def test_draw_or_paste_a_region_and_plan_it(
    chromium_browser,  # noqa: F811
    live_server,
    settings,
    data_dir,
    tmp_path,
):
    from playwright.sync_api import expect

    from secession.web.apps.planner.models import PlanJob
    from secession.web.apps.planner.tasks import execute

    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")
    person = UserFactory(username="regional")
    for width in (1100, 390):  # axe-core injected (bypass_csp) at both widths
        context = chromium_browser.new_context(
            viewport={"width": width, "height": 900}, bypass_csp=True
        )
        page = _login(context, live_server, person, PASSWORD)
        page.goto(f"{live_server.url}/plans/new/")
        assert page.locator("#region-draw").is_hidden()  # shown once a region is chosen
        page.get_by_label("A drawn region", exact=True).check()
        page.wait_for_function("document.querySelectorAll('#region-map path').length > 100")
        page.get_by_label(FIELD).fill(json.dumps(REGION))
        page.wait_for_timeout(300)
        assert _axe(page) == []
        context.close()

    context = chromium_browser.new_context(viewport={"width": 1100, "height": 900})
    context.add_init_script(WATCH)
    errors: list[str] = []
    page = _login(context, live_server, person, PASSWORD)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/plans/new/")
    page.get_by_label("A drawn region", exact=True).check()
    page.wait_for_function("document.querySelectorAll('#region-map path').length > 100")
    status = page.locator("#region-map-status")
    # the mouse: three corners on the map, then undo and clear
    page.locator("#region-map").scroll_into_view_if_needed()
    box = page.locator("#region-map").bounding_box()
    for fx, fy in ((0.4, 0.4), (0.6, 0.4), (0.5, 0.6)):
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(350)  # not a double click (which zooms)
    expect(status).to_have_text("3 corners; the drawn region field is updated.")
    ring = _corners(page)
    assert len(ring) == 4 and all(-130 < lon < -65 and 20 < lat < 55 for lon, lat in ring)
    page.get_by_role("button", name="Undo").click()
    expect(status).to_have_text("2 corner(s): add at least three.")
    assert page.get_by_label(FIELD).input_value() == ""
    page.get_by_role("button", name="Clear").click()
    expect(status).to_have_text("No region drawn.")
    # the keyboard: a pasted polygon is drawn, its corners draggable on the map
    page.get_by_label(FIELD).fill(json.dumps(REGION))
    page.wait_for_function("document.querySelectorAll('#region-map .corner').length === 5")
    page.get_by_label("States", exact=True).fill("OR")
    page.get_by_label("Which side leaves").select_option("gop")
    page.get_by_label("Time limit (seconds)").fill("10")
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_text("Status:").wait_for()
    job = PlanJob.objects.get(owner=person)
    assert job.region == REGION and job.place == ["OR"]
    assert execute(str(job.pk)) == "done"
    page.reload()
    n = len(oregon_inside(WILLAMETTE))
    expect(page.get_by_text(f"a drawn region in OR ({n} counties)")).to_be_visible()
    assert page.evaluate("window.__violations") == [] and errors == []
    context.close()


# The point of the unit ``id`` nearest the middle of its box that is in its fill and on top
# (away from its edge, where a neighbour's outline may take the click), in frame coordinates.
def _click(page, frame, unit_id: str) -> None:
    """A mouse click on ``unit_id`` in the lock map (the whole of Oregon fits its frame:
    nothing scrolls between finding the point and clicking it)."""
    owner = frame.frame_element()
    owner.scroll_into_view_if_needed()
    box, last = owner.bounding_box(), None
    while box != last:
        page.wait_for_timeout(100)
        box, last = owner.bounding_box(), box
    border = owner.evaluate("f => [f.clientLeft, f.clientTop]")
    at = frame.evaluate(POINT_IN_UNIT, unit_id)
    assert at is not None, f"no clickable point inside unit {unit_id}"
    page.mouse.click(box["x"] + border[0] + at["x"], box["y"] + border[1] + at["y"])


def test_the_lock_map_greys_the_counties_outside_the_drawn_region(
    chromium_browser,  # noqa: F811
    live_server,
    settings,
    data_dir,
    tmp_path,
):
    """The lock map of a drawn region: the counties the server finds outside it are greyed
    and hatched, say why in their tooltip and under the map, and a click on one locks
    nothing; a county inside still locks; a region drawn again updates the map."""
    from playwright.sync_api import expect

    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")
    person = UserFactory(username="greyed")
    valley = oregon_inside(WILLAMETTE)
    baker = "41001"  # far east of the valley
    assert baker not in valley
    n_out = 36 - len(valley)

    context = chromium_browser.new_context(viewport={"width": 1100, "height": 900})
    context.add_init_script(WATCH)
    errors: list[str] = []
    page = _login(context, live_server, person, PASSWORD)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/plans/new/")
    page.get_by_label("A drawn region", exact=True).check()
    page.get_by_label(FIELD).fill(json.dumps(REGION))
    page.get_by_label("States", exact=True).fill("OR")
    page.get_by_label("Which side leaves").select_option("gop")
    page.get_by_role("button", name="Show the map of this place").click()
    sentence = page.locator("#lock-map-outside")
    expect(sentence).to_have_text(
        f"{n_out} counties of these states lie outside the drawn region and cannot be locked."
    )
    frame = page.locator("#lock-map-frame").element_handle().content_frame()
    expect(frame.locator("#off path.out")).to_have_count(n_out)
    assert frame.locator(f'#off path.out[data-unit="{baker}"]').count() == 1
    assert frame.locator(f'#off path.out[data-unit="{valley[0]}"]').count() == 0
    expect(frame.locator("#legend-off")).to_have_text(
        "Outside the drawn region: it cannot be locked."
    )
    must_leave = page.get_by_label("Counties that must leave")
    _click(page, frame, baker)  # greyed: the map tells the page nothing
    expect(frame.locator("#tip")).to_contain_text("Outside the drawn region")  # hovered
    _click(page, frame, valley[0])  # inside: locked (and only it: clicks arrive in order)
    expect(must_leave).to_have_value(valley[0])
    assert frame.locator("#picked path").count() == 1
    frame.locator(f'#picked path.pick.leave[data-unit="{valley[0]}"]').wait_for(state="attached")
    # the region drawn again, around all of Oregon: nothing is greyed any more
    oregon = [[-125.0, 41.5], [-116.0, 41.5], [-116.0, 46.5], [-125.0, 46.5], [-125.0, 41.5]]
    page.get_by_label(FIELD).fill(json.dumps({"type": "Polygon", "coordinates": [oregon]}))
    expect(sentence).to_have_text("Every unit of the chosen place lies inside the drawn region.")
    expect(frame.locator("#off path.out")).to_have_count(0)
    expect(frame.locator("#legend-off")).to_have_count(0)
    _click(page, frame, baker)  # inside now: it locks
    expect(must_leave).to_have_value(f"{valley[0]}, {baker}")
    assert page.evaluate("window.__violations") == [] and errors == []
    context.close()
