"""The Content-Security-Policy holds in a real browser: every page, the territory tool
(Leaflet over the offline world map served by the platform), the territory maps and
/api/docs (Swagger UI) work in Chromium with no CSP violation and no console error; the
policy allows no inline script or style."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from .factories import PASSWORD, CommunityFactory, UserFactory, add_member
from .test_browser import chromium_browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-123.0, 44.0], [-122.0, 44.0], [-122.0, 45.0], [-123.0, 45.0], [-123.0, 44.0]]
    ],
}


def test_the_policy_is_strict(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    page = client.get("/accounts/login/").content.decode()
    assert "<style" not in page and " style=" not in page and "<script>" not in page


def test_pages_drawing_pad_maps_and_api_docs_keep_working(chromium_browser, live_server):  # noqa: F811
    from secession.web.apps.proposals.actions import make_proposal

    ada = UserFactory(username="ada")
    town = CommunityFactory(name="Policy Town", founder=ada)
    town.territory_geojson = json.dumps(SQUARE)
    town.territory_crs = "EPSG:4326"
    town.save()
    add_member(town, UserFactory(username="bea"))
    proposal = make_proposal(town, person=ada, kind="resolution", title="Plant trees")

    context = chromium_browser.new_context(viewport={"width": 1100, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(20000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url

    def visit(path: str) -> None:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        violations = page.evaluate("window.__violations")
        assert violations == [], (path, violations)
        assert errors == [], (path, errors)

    # styles come from the stylesheet: the header's nav is laid out in a row
    visit("/")
    assert page.evaluate("getComputedStyle(document.querySelector('nav ul')).display") == "flex"
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    for path in (
        "/communities/",
        f"/communities/{town.slug}/",
        f"/communities/{town.slug}/members/",
        f"/proposals/{proposal.pk}/",
        f"/constitutions/{town.slug}/",
        "/audit/",
        "/accounts/me/",
    ):
        visit(path)
    visit(f"/communities/{town.slug}/")
    assert page.locator("svg.territory path").count() >= 1  # the territory map is drawn

    # the territory tool (Leaflet and its data from the platform's own files) draws under
    # the policy: the offline world map loads, clicks make a polygon
    visit("/communities/new/")
    # (a locator waits without evaluating a string in the page, which the CSP forbids)
    page.locator("#territory-map path").nth(100).wait_for(state="attached")
    page.locator("#territory-map").scroll_into_view_if_needed()
    box = page.locator("#territory-map").bounding_box()
    for fx, fy in [(0.4, 0.4), (0.6, 0.4), (0.6, 0.6)]:
        page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
        page.wait_for_timeout(350)  # not a double click (which zooms)
    drawn = json.loads(page.locator("#id_territory_geojson").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 4
    assert page.evaluate("window.__violations") == [] and errors == []

    # Swagger UI renders the schema under the policy
    visit("/api/docs")
    page.locator(".swagger-ui .opblock").first.wait_for()
    assert page.locator(".swagger-ui .opblock").count() > 20
    assert page.evaluate("window.__violations") == [] and errors == []
    context.close()


def test_consent_sections_have_no_axe_violations(chromium_browser, live_server):  # noqa: F811
    """The pages that show asking, admitted and leaving (axe-core, run with the page's
    CSP bypassed only so that the test can inject axe itself)."""
    from secession.assets import npm_file
    from secession.web.apps.communities.actions import request_parent

    from .factories import admit

    ada = UserFactory(username="ada")
    valley = CommunityFactory(name="Axe Valley", founder=ada)
    asking = CommunityFactory(name="Asking Hamlet", founder=ada)
    request_parent(asking, person=ada, parent=valley)
    admitted = admit(CommunityFactory(name="Admitted Hamlet", parent=valley, founder=ada))
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    axe = npm_file("axe-core", "axe.min.js")
    for path in (
        f"/communities/{valley.slug}/",
        f"/communities/{asking.slug}/",
        f"/communities/{admitted.slug}/",
        "/communities/",
        f"/communities/{valley.slug}/members/",
    ):
        page.goto(live_server.url + path)
        page.add_script_tag(path=str(axe))
        result = page.evaluate("axe.run().then(r => r.violations.map(v => v.id))")
        assert result == [], (path, result)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()


def test_alliance_registry_and_planner_pages_work_under_the_policy(
    chromium_browser,  # noqa: F811
    live_server,
    settings,
    data_dir,
    tmp_path,
):
    """The pages of the alliances, the registry (its world map drawn by its own script
    file) and the planner (a finished plan's page framing its interactive map) raise no
    CSP violation and no console error."""
    from secession.web.apps.planner.models import PlanJob
    from secession.web.apps.planner.tasks import execute

    from .factories import found_alliance_by_vote, pass_by_vote
    from .test_planner import OREGON

    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")
    ada = UserFactory(username="ada")
    town = CommunityFactory(name="Policy Town", founder=ada)
    town.territory_geojson = json.dumps(SQUARE)
    town.territory_crs = "EPSG:4326"
    town.save()
    alliance = found_alliance_by_vote(town, ada)
    declaration = pass_by_vote(
        town, ada, "declare_independence", {"from_name": "United States of America"}
    )
    assert declaration.passed, declaration.result
    api = Client()
    api.force_login(ada)
    started = api.post("/api/plans", json.dumps(OREGON), content_type="application/json")
    assert started.status_code == 201, started.content
    assert execute(started.json()["id"]) == "done"
    job = PlanJob.objects.get(pk=started.json()["id"])

    context = chromium_browser.new_context(viewport={"width": 1100, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(30000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    for path in (
        "/alliances/",
        f"/alliances/{alliance.slug}/",
        f"/alliances/{alliance.slug}/members/",
        f"/alliances/{alliance.slug}/charter/",
        "/registry/",
        "/registry/graph/",
        f"/registry/peoples/{town.slug}/",
        "/registry/map/",
        "/plans/",
        "/plans/new/",
        f"/plans/{job.pk}/",
    ):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__violations") == [], path
        assert errors == [], (path, errors)
    # the plan's interactive map is framed and draws its units inside its sandbox
    frame = page.frame_locator("iframe.plan-map")
    frame.locator("svg path").first.wait_for(state="attached")
    assert page.evaluate("window.__violations") == [] and errors == []
    context.close()
