"""In Chromium: a done Oregon plan's page lists the reader's community, its link opens the
proposal form with the plan's counties filled in, the person submits it, votes, and the
page shows the proposed territory on its map; zero axe-core violations on both pages, at
desktop width and at 390 px (no sideways scroll)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from secession.web.apps.communities.models import Community
from secession.web.apps.planner.edits import new_countries
from secession.web.apps.planner.models import PlanJob
from secession.web.apps.planner.tasks import execute
from secession.web.apps.proposals.actions import cast_vote
from secession.web.apps.proposals.models import Proposal

from .factories import PASSWORD, CommunityFactory, UserFactory, add_member
from .test_browser import chromium_browser  # noqa: F401 - the fixture
from .test_planner import OREGON

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1100, "height": 900}, {"width": 390, "height": 844}


def _axe(page) -> list[str]:
    from secession.assets import npm_file

    page.add_script_tag(path=str(npm_file("axe-core", "axe.min.js")))
    return page.evaluate(
        "axe.run().then(r => r.violations.map(v => v.id + ': ' + "
        "v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"
    )


def _check(page, where: str) -> None:
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        assert _axe(page) == [], (where, size)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"], where


def test_propose_a_plans_territory_in_the_browser(
    chromium_browser,  # noqa: F811
    live_server,
    settings,
    data_dir,
    tmp_path,
):
    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")
    ada, bea = UserFactory(username="ada"), UserFactory(username="bea")
    valley = CommunityFactory(name="Axe Valley", founder=ada)
    add_member(valley, bea)
    api = Client()
    api.force_login(ada)
    started = api.post("/api/plans", json.dumps(OREGON), content_type="application/json")
    assert started.status_code == 201, started.content
    assert execute(started.json()["id"]) == "done"
    job = PlanJob.objects.get(pk=started.json()["id"])
    [(_, ids)] = new_countries(job)

    context = chromium_browser.new_context(viewport=DESKTOP, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30000)
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")

    page.goto(base + f"/plans/{job.pk}/")
    page.wait_for_load_state("networkidle")
    _check(page, "plan page")
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="propose making this its territory").click()
    page.wait_for_load_state("networkidle")
    units = page.get_by_label("The units of the territory")
    assert units.input_value() == " ".join(ids)
    _check(page, "proposal form")
    page.set_viewport_size(DESKTOP)
    page.get_by_label("Title").fill("Our border is the plan's")
    page.get_by_role("button", name="Make the proposal").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#proposed-territory svg").count() == 1
    assert f"takes {len(ids)} counties in all" in page.locator("#effect").inner_text()
    _check(page, "proposal page")
    page.set_viewport_size(DESKTOP)
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Cast my vote").click()
    page.wait_for_load_state("networkidle")
    cast_vote(Proposal.objects.get(kind="change_territory"), person=bea, choice="yes")
    page.reload()
    assert "passed" in page.locator("#result").inner_text()
    assert Community.objects.get(pk=valley.pk).territory_unit_ids == sorted(ids)
    context.close()
