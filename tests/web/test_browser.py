"""The whole story in a real browser (Playwright driving Debian's chromium): register,
found a community, a second person joins, a proposal is made, both vote, it passes, the
constitution is amended, someone leaves. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "web-story"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium_browser(monkeypatch):
    playwright = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("SECESSION_CHROMIUM") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.skip(f"chromium not found at {executable} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM checks
    # are plain synchronous calls, so allow them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Person:
    """One person with their own browser context (cookies), on a phone-sized screen."""

    bypass_csp = False  # a subclass that injects axe-core sets it (the CSP forbids that)

    def __init__(self, browser, base: str, name: str, phone: bool = False):
        size = {"width": 390, "height": 844} if phone else {"width": 1100, "height": 900}
        self.context = browser.new_context(viewport=size, bypass_csp=self.bypass_csp)
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.base, self.name = base, name

    def go(self, path: str):
        self.page.goto(self.base + path)

    def shot(self, step: str):
        """Save a full-page screenshot; on a phone, check nothing is wider than the screen
        (no sideways scrolling)."""
        width = self.page.viewport_size["width"]
        assert self.page.evaluate("document.documentElement.scrollWidth") <= width, step
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{step}-{self.name}.png"), full_page=True)

    def register(self, password: str):
        self.go("/accounts/register/")
        self.page.get_by_label("Username").fill(self.name)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.page.get_by_label("Password (again)").fill(password)
        self.page.get_by_role("button", name="Register").click()
        self.page.get_by_text(f"Welcome, {self.name}.").wait_for()

    def vote(self, choice: str):
        self.page.get_by_label(choice, exact=True).check()
        self.page.get_by_role("button", name="Cast my vote").click()
        self.page.get_by_text("Your vote is recorded.").wait_for()


def test_story(chromium_browser, live_server, password):
    from secession.web.apps.audit.log import verify
    from secession.web.apps.communities.models import Community

    ada = Person(chromium_browser, live_server.url, "ada")
    bob = Person(chromium_browser, live_server.url, "bob", phone=True)

    # 1. both register
    ada.register(password)
    bob.register(password)
    ada.shot("01-registered")

    # 2. Ada founds a community with the starter constitution and a drawn territory
    ada.go("/communities/new/")
    ada.page.get_by_label("Name").fill("Green Valley")
    ada.page.get_by_label("Kind").select_option("region")
    # the territory from the keyboard: type four corners (Oregon-ish); the map script
    # writes them into the GeoJSON field (tests/web/test_territory_browser.py draws by hand)
    ada.page.get_by_label("…or type the corners").fill(
        "-123, 44\n-121.5, 44\n-121.5, 45.2\n-123, 45.2"
    )
    drawn = json.loads(
        ada.page.get_by_label("Territory (GeoJSON polygon, longitude/latitude)").input_value()
    )
    ring = drawn["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]
    assert all(-125 < lon < -110 and 40 < lat < 50 for lon, lat in ring)
    ada.shot("02-found-form")
    ada.page.get_by_role("button", name="Found").click()
    ada.page.get_by_text("Green Valley is founded.").wait_for()
    assert ada.page.locator("svg.territory").count() == 1
    assert ada.page.locator("#member-count").inner_text() == "1 member."
    ada.shot("03-founded")

    # 3. Bob finds it in the tree and joins with one click
    bob.go("/communities/")
    bob.page.get_by_role("link", name="Green Valley").click()
    bob.page.get_by_role("button", name="Join Green Valley").click()
    bob.page.get_by_text("You joined Green Valley.").wait_for()
    assert bob.page.locator("#member-count").inner_text() == "2 members."
    bob.shot("04-joined")

    # 4. Ada proposes a resolution
    ada.go("/communities/green-valley/")
    ada.page.get_by_role("link", name="Make a proposal").click()
    ada.page.get_by_role("link", name="Resolution").click()
    ada.page.get_by_label("Title").fill("Build a footbridge")
    ada.page.get_by_label("Explanation").fill("Over the river, by spring.")
    ada.page.get_by_role("button", name="Make the proposal").click()
    ada.page.get_by_text("Proposal made; voting is open.").wait_for()
    proposal_url = ada.page.url

    # 5. both vote yes; when the whole electorate has voted the result is final
    ada.vote("Yes")
    bob.page.goto(proposal_url)
    bob.vote("Yes")
    assert bob.page.locator("#result").inner_text() == "passed"
    assert "Passed: 2 of 2 voted yes" in bob.page.content()  # the result in words
    bob.shot("05-passed")

    # 6. Bob proposes an amendment (whole new text; the diff is shown); both vote; adopted
    bob.go("/constitutions/green-valley/")
    bob.page.get_by_role("link", name="Propose an amendment").click()
    text = bob.page.get_by_label("The whole new text of the constitution")
    text.fill(text.input_value().rstrip() + "\n6. The footbridge belongs to everyone.\n")
    bob.page.get_by_label("Title").fill("Shared bridge")
    bob.page.get_by_role("button", name="Make the proposal").click()
    bob.page.get_by_text("Proposal made; voting is open.").wait_for()
    assert "+ 6. The footbridge belongs to everyone." in bob.page.locator(".diff").inner_text()
    bob.shot("06-amendment")
    bob.vote("Yes")
    ada.page.goto(bob.page.url)
    ada.vote("Yes")
    assert ada.page.locator("#result").inner_text() == "passed"
    ada.go("/constitutions/green-valley/")
    assert ada.page.locator("#version").inner_text().startswith("Version 2")
    assert (
        "6. The footbridge belongs to everyone."
        in ada.page.locator("#constitution-text").inner_text()
    )
    ada.shot("07-constitution-v2")

    # 7. Bob leaves; nothing stops him
    bob.go("/communities/green-valley/")
    bob.page.locator("#leave summary").click()  # asks once
    bob.page.get_by_role("button", name="Yes, leave Green Valley").click()
    bob.page.get_by_text("You left Green Valley.").wait_for()
    assert bob.page.locator("#member-count").inner_text() == "1 member."
    bob.shot("08-left")

    # the audit log page shows the signed head and how to check it (also on the phone)
    ada.go("/audit/")
    assert "Current signed head" in ada.page.content()
    ada.shot("09-audit")
    bob.go("/audit/")
    assert "secession audit verify --url" in bob.page.content()
    bob.shot("10-audit-phone")
    bob.go("/constitutions/green-valley/")
    assert "Rule for amending it:" in bob.page.locator("#amendment-rule").inner_text()
    bob.shot("11-constitution-phone")

    valley = Community.objects.get(slug="green-valley")
    assert valley.constitution_versions.count() == 2
    assert valley.memberships.count() == 2 and valley.active_members().count() == 1
    assert verify().ok
