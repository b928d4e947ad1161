"""Forms in Chromium (issue 20): after a refused submission focus is on the error summary,
its link moves focus into the field, axe-core finds no violation; the vote radios, buttons
and nav links are at least 44 px; leaving asks once. The context bypasses the CSP only so
that axe can be injected (test_csp_browser checks the pages under it)."""

from __future__ import annotations

import pytest

from secession.assets import npm_file

from .factories import PASSWORD, CommunityFactory, UserFactory, add_member
from .test_browser import chromium_browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser

SIZES = "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })"


def _axe(page) -> None:
    page.add_script_tag(path=str(npm_file("axe-core", "axe.min.js")))
    result = page.evaluate("async () => await axe.run(document)")
    assert result["violations"] == [], [v["id"] for v in result["violations"]]


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def _sizes(page, selector: str) -> list[tuple[float, float]]:
    return [s for s in page.eval_on_selector_all(selector, SIZES) if s[0] and s[1]]


@pytest.mark.parametrize("width", [390, 1100])
def test_a_refused_form_puts_focus_on_its_summary(chromium_browser, live_server, width):  # noqa: F811
    context = chromium_browser.new_context(
        viewport={"width": width, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(live_server.url + "/accounts/register/")
    page.get_by_label("Username").fill("ann")
    page.get_by_label("Password", exact=True).fill("correct-horse-battery")
    page.get_by_role("button", name="Register").click()
    page.wait_for_selector("#error-summary")
    page.wait_for_function("document.activeElement.id === 'error-summary'")
    assert "There is a problem" in page.locator("#error-summary").inner_text()
    page.get_by_role("link", name="Password (again): Type the same password again").click()
    assert _focused(page) == "id_password_again"
    assert page.locator("#id_password_again").get_attribute("aria-invalid") == "true"
    # keyboard focus draws the site's ring (3 px), not the browser's faint default
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert _focused(page) == "id_password_again"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineWidth") == "3px"
    _axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_vote_radios_buttons_and_nav_are_44px_and_leave_asks_once(chromium_browser, live_server):  # noqa: F811
    from secession.web.apps.proposals.actions import make_proposal

    ann = UserFactory(username="ann")
    town = CommunityFactory(name="Cascadia", founder=ann)
    bob = add_member(town, UserFactory(username="bob"))
    proposal = make_proposal(town, person=ann, kind="resolution", title="Plant trees")
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(bob.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/")

    page.goto(base + proposal.get_absolute_url())
    # a vote sent without a choice: the error is at the radios, focus on the summary
    page.get_by_role("button", name="Cast my vote").click()
    page.wait_for_selector("#error-summary")
    page.wait_for_function("document.activeElement.id === 'error-summary'")
    _axe(page)
    for selector in (".choice label", "main button", "nav a", "nav button"):
        sizes = _sizes(page, selector)
        assert sizes and all(h >= 44 and w >= 44 for w, h in sizes), (selector, sizes)
    assert all(h >= 24 for _, h in _sizes(page, "input[type=radio]"))
    page.get_by_text("Yes", exact=True).click()  # the whole 44 px label row picks it
    page.get_by_role("button", name="Cast my vote").click()
    page.get_by_text("Your vote is recorded.").wait_for()

    page.goto(base + town.get_absolute_url())
    confirm = page.get_by_role("button", name="Yes, leave Cascadia")
    assert not confirm.is_visible()  # it asks first
    page.locator("#leave summary").click()
    assert page.get_by_text("Leave Cascadia?").is_visible()
    _axe(page)
    confirm.click()
    page.get_by_text("You left Cascadia.").wait_for()
    assert not town.active_members().filter(person=bob).exists()
    context.close()
