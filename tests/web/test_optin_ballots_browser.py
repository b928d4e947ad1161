"""An opt-in referendum counted from the platform's own ballots, in Debian's chromium
(issue 21): a community whose territory is five Oregon counties around Portland (founded
with the ORM in setup, as ``found_community`` does it: founding from a plan through the
pages is walked in test_planner_story.py); its founder proposes, through the pages, the
opt-in referendum with "this vote: each voter says which county they live in"; four of its
five members vote, each choosing their county in the ballot's county select by keyboard
only (Tab, arrow keys, typing); one first tampers with the form to send a county outside
the territory and reads the error at the field; the window ends (the end moved into the
past, as ``factories.expire`` does), the first read closes the vote, the Dask dispatcher
runs the border repair, and the referendum's page shows the counts by county, the counties
with no vote and the repaired border. axe-core finds nothing on the ballot page at 1100
and 390 px.

The votes: Washington, Columbia and Hood River vote yes, Multnomah no, Clackamas casts no
ballot. Hood River chose to join but touches only Multnomah, Clackamas and Wasco, none of
which joins: the repair keeps the new territory in one piece by placing it out, against
its own vote.
"""

from __future__ import annotations

import time

import pytest

from .factories import UserFactory, add_member, expire
from .test_browser import chromium_browser  # noqa: F401 - the fixture
from .test_planner_story import DESKTOP, Dispatching, _checked
from .test_territory_browser import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TERRITORY = {
    "41005": "Clackamas County, OR",
    "41009": "Columbia County, OR",
    "41027": "Hood River County, OR",
    "41051": "Multnomah County, OR",
    "41067": "Washington County, OR",
}
SOURCE = "this vote: each voter says which county they live in"


def _tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element ``selector`` has the focus (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _choose(page, choice: str) -> None:
    """The ballot's choice by keyboard: Tab into the radio group, arrows to the choice."""
    _tab_to(page, "input[name=choice]")
    page.keyboard.press("Space")
    for _ in range(3):
        if page.evaluate("() => document.activeElement.value") == choice:
            break
        page.keyboard.press("ArrowDown")
    assert page.locator(f"input[name=choice][value={choice}]").is_checked()


def _county_by_typing(page, text: str) -> None:
    """Tab to the county select and type the start of the county's name."""
    _tab_to(page, "#id_unit")
    page.keyboard.type(text)


def _county_by_arrows(page, steps: int) -> None:
    """Tab to the county select and press the down arrow ``steps`` times."""
    _tab_to(page, "#id_unit")
    for _ in range(steps):
        page.keyboard.press("ArrowDown")


def _submit(page) -> None:
    """Tab to "Cast my vote" and press Enter."""
    _tab_to(page, "form[action$='/vote/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")


def test_an_opt_in_vote_counted_from_its_own_ballots(
    chromium_browser,  # noqa: F811
    live_server,
    settings,
    data_dir,
    tmp_path,
    password,
):
    from playwright.sync_api import expect

    from secession.web.apps.communities.actions import found_community
    from secession.web.apps.communities.forms import territory_fields
    from secession.web.apps.planner.models import OptInCount, OptInRepair

    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")
    settings.PLANNER_UPLOADS_DIR = str(tmp_path / "uploads")
    founder = UserFactory(username="founder")
    community = found_community(
        person=founder,
        name="Columbia Gorge",
        **territory_fields("", "us-counties-2020", sorted(TERRITORY)),
    )
    voters = {  # who votes, where they say they live, their choice, how they pick the county
        "founder": ("41067", "yes", ("type", "Wash")),
        "amy": ("41009", "yes", ("type", "Col")),
        "ben": ("41027", "yes", ("type", "Hood")),
        "cat": ("41051", "no", ("arrows", 4)),  # Clackamas, Columbia, Hood River, Multnomah
    }
    for name in ("amy", "ben", "cat", "dan"):  # dan never votes
        add_member(community, UserFactory(username=name))
    base = live_server.url
    errors: list[str] = []

    with Dispatching() as worker:
        # the founder proposes the referendum, counted from its own ballots
        founder_context = chromium_browser.new_context(viewport=DESKTOP, bypass_csp=True)
        page = _login(founder_context, live_server, founder, password)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.wait_for_load_state("networkidle")
        page.goto(f"{base}{community.get_absolute_url()}")
        page.get_by_role("link", name="Make a proposal").click()
        page.get_by_role("link", name="Opt-in referendum on the territory").click()
        page.wait_for_load_state("networkidle")
        page.get_by_label("Title").fill("Each county decides by this vote")
        page.get_by_label(SOURCE).check()
        page.get_by_role("button", name="Make the proposal").click()
        page.wait_for_load_state("networkidle")
        proposal = community.proposals.get(kind="optin_territory")
        assert proposal.payload["results_source"] == "platform"
        assert page.url.endswith(proposal.get_absolute_url()), page.url
        ballot_url = page.url
        pages = {"founder": page}
        for name in ("amy", "ben", "cat"):
            context = chromium_browser.new_context(viewport=DESKTOP, bypass_csp=True)
            pages[name] = _login(context, live_server, UserFactory(username=name), password)
            pages[name].on("pageerror", lambda e: errors.append(str(e)))
            pages[name].wait_for_load_state("networkidle")

        # the ballot page: the county select, grouped by state; nothing for axe at any width
        cat = pages["cat"]
        cat.goto(ballot_url)
        select = cat.locator("#id_unit")
        assert select.locator("optgroup[label=Oregon] option").all_inner_texts() == [
            f"{TERRITORY[u]} ({u})" for u in sorted(TERRITORY, key=TERRITORY.get)
        ]
        _checked(cat, "ballots-01-ballot", phone=True)

        # cat tampers with the form: a county outside the territory (Los Angeles)
        cat.evaluate(
            """() => {
              const o = new Option("Los Angeles County, CA (06037)", "06037");
              const s = document.getElementById("id_unit");
              s.add(o); s.value = "06037";
            }"""
        )
        cat.locator("input[name=choice][value=no]").check()
        cat.locator("form[action$='/vote/'] button[type=submit]").click()
        cat.wait_for_load_state("networkidle")
        error = cat.locator("#id_unit_error")
        # the form's select refuses a value it did not offer (the API's own reason, naming
        # the territory, is tested in test_optin_ballots.py)
        expect(error).to_have_text(
            "Choose one of the options offered for “The county you live in”."
        )
        expect(select).to_have_attribute("aria-invalid", "true")
        assert "id_unit_error" in (select.get_attribute("aria-describedby") or "")
        assert (
            not OptInCount.objects.filter(proposal=proposal)
            .exclude(yes=0, no=0, abstain=0)
            .exists()
        )
        _checked(cat, "ballots-02-county-refused", phone=True)

        # each voter, by keyboard only: the choice, the county, Enter
        for name, (unit, choice, (how, what)) in voters.items():
            voter = pages[name]
            voter.goto(ballot_url)
            voter.wait_for_load_state("networkidle")
            _choose(voter, choice)
            if how == "type":
                _county_by_typing(voter, what)
            else:
                _county_by_arrows(voter, what)
            expect(voter.locator("#id_unit")).to_have_value(unit)
            _submit(voter)
            expect(voter.get_by_text("You have voted on this proposal.")).to_be_visible()
        proposal.refresh_from_db()
        assert proposal.status == "open" and proposal.voted_count == 4  # dan has not voted
        assert "county-counts" not in page.content()  # no counts while the vote is open

        # the window ends; the first read closes the vote and queues the repair
        expire(proposal)
        page.goto(ballot_url)
        expect(page.locator("#result")).to_have_text("passed")
        page.goto(f"{base}/plans/referendum/{proposal.pk}/")
        end = time.monotonic() + 120
        while not page.locator("#result-summary").count():
            assert time.monotonic() < end and worker.error is None, worker.error
            page.wait_for_timeout(500)
            page.reload()
        _checked(page, "ballots-03-results", phone=True)
    assert worker.error is None, worker.error
    assert errors == []

    # the counts by county, as the page shows them (Clackamas: no ballot)
    rows = page.locator("#county-counts tbody tr").all_inner_texts()
    assert [r.split("\t") for r in rows] == [
        ["Clackamas County, OR (41005)", "0", "0", "0"],
        ["Columbia County, OR (41009)", "1", "0", "0"],
        ["Hood River County, OR (41027)", "1", "0", "0"],
        ["Multnomah County, OR (41051)", "0", "1", "0"],
        ["Washington County, OR (41067)", "1", "0", "0"],
    ]
    silent = page.locator("#without-votes").inner_text()
    assert "1 county had no yes or no vote" in silent and "(41005)" in silent
    assert "(41027)" not in silent
    # the repaired border: Hood River, cut off, placed against its vote; the rest as voted
    summary = page.locator("#result-summary").inner_text()
    assert "3 of 5 counties voted to join; after the repair 2 joined and 3 stayed" in summary
    moves = page.locator("#moves tbody tr").all_inner_texts()
    [move] = [m.split("\t") for m in moves]
    assert move[:4] == ["Hood River County (41027)", "join", "stays out", "1"], move
    assert "not connected to the leaving region" in move[4]  # the reason, in words
    record = OptInRepair.objects.get(proposal=proposal)
    assert record.applied_at is not None
    community.refresh_from_db()
    assert community.territory_unit_ids == ["41009", "41067"]
    for context in chromium_browser.contexts:
        context.close()
