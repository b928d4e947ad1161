"""A keyboard-only story on a phone (issue 20): a new person registers, finds a community
from the home page, joins, finds the vote waiting for them on the home page, votes Yes,
reads the result once the other member has voted, and leaves, with Tab, Enter, Space,
arrow keys and typing only (never a click or a fill). Each step reaches its control by
pressing Tab (:func:`tab_to`), which proves it is reachable by keyboard, and checks that
the focused control shows a focus ring. Runs under the site's real CSP: Playwright's
``evaluate`` goes through the DevTools protocol, which the CSP does not block."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .factories import CommunityFactory, UserFactory, add_member
from .test_browser import chromium_browser  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}

# What the focused element is: its tag, and its accessible name as a person hears it
# (aria-label, else its label, else its text or value), white space collapsed.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return {tag: "body", name: ""};
  let name = e.getAttribute("aria-label") || "";
  if (!name && e.labels && e.labels.length) name = e.labels[0].innerText;
  if (!name) name = e.innerText || e.value || "";
  return {tag: e.tagName.toLowerCase(), type: e.type || "", id: e.id || "",
          name: name.replace(/\\s+/g, " ").trim()};
}"""

FOCUS_RING = """() => {
  const s = getComputedStyle(document.activeElement);
  return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, target: str | Callable[[dict], bool], limit: int = 80) -> dict:
    """Press Tab until the focused element's accessible name is ``target`` (or the predicate
    on :data:`FOCUSED`'s description holds); fail listing every element visited."""
    matches = target if callable(target) else (lambda el: el["name"] == target)
    visited = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        el = focused(page)
        if matches(el):
            return el
        visited.append(f"{el['tag']}:{el['name'][:40]}")
    pytest.fail(f"{target!r} not reached in {limit} Tabs; visited: {visited}")


def assert_focus_ring(page, step: str) -> None:
    """The focused element shows a ring: an outline or a box shadow (site.css, :focus-visible)."""
    ring = page.evaluate(FOCUS_RING)
    shown = (ring["outline"] != "none" and ring["width"] != "0px") or ring["shadow"] != "none"
    assert shown, (step, focused(page), ring)


def test_a_new_member_finds_and_casts_a_waiting_vote_by_keyboard_on_a_phone(
    chromium_browser,  # noqa: F811
    live_server,
    password,
):
    from secession.web.apps.communities.models import Membership
    from secession.web.apps.proposals.actions import cast_vote, make_proposal
    from secession.web.apps.proposals.models import Ballot, Proposal

    elder = UserFactory(username="elder")
    valley = CommunityFactory(name="Keyboard Valley", founder=elder)
    add_member(valley, UserFactory(username="neighbour"))
    # opened before the newcomer joins: its electorate is fixed, so it is not theirs to vote
    earlier = make_proposal(valley, person=elder, kind="resolution", title="Mend the old well")

    context = chromium_browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    base = live_server.url

    # 1. register: Tab to each field, type, Tab to the button, Enter
    page.goto(base + "/accounts/register/")
    tab_to(page, "Username")
    assert_focus_ring(page, "username field")
    page.keyboard.type("kim")
    tab_to(page, "Password")
    page.keyboard.type(password)
    tab_to(page, "Password (again)")
    page.keyboard.type(password)
    assert tab_to(page, "Register")["tag"] == "button"
    assert_focus_ring(page, "register button")
    page.keyboard.press("Enter")
    page.get_by_text("Welcome, kim.").wait_for()

    # 2. from the home page, Tab to the community's link and follow it; join with Enter
    page.goto(base + "/")
    assert tab_to(page, "Keyboard Valley")["tag"] == "a"
    assert_focus_ring(page, "community link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{valley.get_absolute_url()}")
    tab_to(page, "Join Keyboard Valley")
    assert_focus_ring(page, "join button")
    page.keyboard.press("Enter")
    page.get_by_text("You joined Keyboard Valley.").wait_for()

    # the elder opens a resolution now that Kim is a member (Kim is in its electorate)
    orchard = make_proposal(
        valley, person=elder, kind="resolution", title="Plant an orchard", body="By the school."
    )

    # 3. back home by the brand link: the vote is waiting there; Tab to it, Enter
    tab_to(page, "secession")
    page.keyboard.press("Enter")
    page.wait_for_url(base + "/")
    waiting = page.locator("section[aria-labelledby=todo]").inner_text()
    assert "Plant an orchard" in waiting and "Mend the old well" not in waiting
    assert page.locator("#votes-waiting").inner_text() == "1 waiting"
    tab_to(page, "Plant an orchard")
    assert_focus_ring(page, "waiting vote link")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{orchard.get_absolute_url()}")

    # 4. the radios: Tab into the group (first choice), arrows move and check, Space checks
    assert tab_to(page, "Yes")["type"] == "radio"
    assert_focus_ring(page, "yes radio")
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert focused(page)["name"] == "No" and page.get_by_label("No", exact=True).is_checked()
    page.keyboard.press("ArrowUp")
    assert focused(page)["name"] == "Yes" and page.get_by_label("Yes", exact=True).is_checked()
    tab_to(page, "Cast my vote")
    assert_focus_ring(page, "cast button")
    page.keyboard.press("Enter")
    page.get_by_text("Your vote is recorded.").wait_for()
    assert page.get_by_text("You have voted on this proposal.").is_visible()

    # 5. the other two members vote in the database; the whole electorate (3, fixed when it
    # opened) has voted, so it closes; Kim reloads the page and reads the result
    for person in (elder, UserFactory(username="neighbour")):
        cast_vote(orchard, person=person, choice="yes")
    orchard.refresh_from_db()
    assert orchard.status == "closed" and orchard.passed
    page.reload()
    assert page.locator("#result").inner_text() == "passed"
    sentence = page.locator("#result-sentence").inner_text()
    assert sentence.startswith("Passed: 3 of 3 voted yes"), sentence

    # 6. leave: Tab to the community (breadcrumb), Enter; Enter on the summary, Tab, Enter
    tab_to(page, "Keyboard Valley")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{valley.get_absolute_url()}")
    assert tab_to(page, "Leave Keyboard Valley")["tag"] == "summary"
    assert_focus_ring(page, "leave summary")
    page.keyboard.press("Enter")
    assert page.locator("#leave").get_attribute("open") is not None
    assert tab_to(page, "Yes, leave Keyboard Valley", limit=3)["tag"] == "button"
    assert_focus_ring(page, "confirm leave button")
    page.keyboard.press("Enter")
    page.get_by_text("You left Keyboard Valley.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    context.close()

    ballot = Ballot.objects.get(proposal=orchard, voter__username="kim")
    assert ballot.choice == "yes"
    assert not Ballot.objects.filter(proposal=earlier, voter__username="kim").exists()
    assert Proposal.objects.get(pk=earlier.pk).status == "open"
    kim_membership = Membership.objects.get(community=valley, person__username="kim")
    assert kim_membership.left_at is not None
    assert not valley.active_members().filter(person__username="kim").exists()
