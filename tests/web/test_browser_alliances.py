"""The alliance story in a real browser (Playwright driving Debian's chromium): three
communities found an alliance, a fourth applies and is admitted, a weighted decision passes
with one community voting by an internal vote of its members and one by its council, and a
community leaves. Every new page is checked with axe-core (zero violations) and on a phone
screen (no sideways scrolling); screenshots go to tests/artifacts/alliance-story/."""

from __future__ import annotations

import re

import pytest

from secession.assets import npm_file

from .factories import CommunityFactory, UserFactory, add_member
from .test_browser import ARTIFACTS, Person, chromium_browser  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

ALLIANCE_ARTIFACTS = ARTIFACTS.parent / "alliance-story"


class Member(Person):
    """A person who logs in, takes part, and checks pages with axe-core (the pages' CSP
    is bypassed only so that axe can be injected; test_csp_browser checks them under it)."""

    bypass_csp = True

    def login(self, password: str) -> None:
        self.go("/accounts/login/")
        self.page.get_by_label("Username").fill(self.name)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(self.base + "/")

    def shot(self, step: str) -> None:
        width = self.page.viewport_size["width"]
        assert self.page.evaluate("document.documentElement.scrollWidth") <= width, step
        ALLIANCE_ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ALLIANCE_ARTIFACTS / f"{step}-{self.name}.png"
        self.page.screenshot(path=str(path), full_page=True)

    def axe(self, step: str) -> None:
        """axe-core (the installed npm package, injected by Playwright): no violations."""
        self.page.add_script_tag(path=str(npm_file("axe-core", "axe.min.js")))
        violations = self.page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']}))
                .violations.map(v => ({id: v.id, help: v.help,
                    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
        )
        assert violations == [], f"{step} ({self.page.url}): {violations}"

    def check(self, step: str) -> None:
        self.axe(step)
        self.shot(step)

    def propose(self, community: str, link: str, title: str, fields: dict | None = None):
        """Open the community page, follow ``link``, fill the form, make the proposal."""
        self.go(f"/communities/{community}/")
        self.page.get_by_role("link", name=link).click()
        self.page.get_by_label("Title").fill(title)
        for label, value in (fields or {}).items():
            field = self.page.get_by_label(label, exact=True)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        self.page.get_by_role("button", name="Make the proposal").click()
        self.page.get_by_text("Proposal made;").wait_for()
        return self.page.url

    def vote(self, choice: str, url: str | None = None) -> None:
        if url:
            self.page.goto(url)
        self.page.get_by_label(choice, exact=True).check()
        self.page.get_by_role("button", name="Cast my vote").click()
        self.page.get_by_text("Your vote is recorded.").wait_for()


def own_vote_url(person: Member, alliance_proposal: str, community: str) -> str:
    """The address of ``community``'s own vote, read from the alliance proposal's page."""
    person.page.goto(alliance_proposal)
    href = person.page.locator(f"#vote-{community} a", has_text="Its vote").get_attribute("href")
    return person.base + href


def test_alliance_story(chromium_browser, live_server, password):  # noqa: F811
    from secession.web.apps.alliances.models import Alliance
    from secession.web.apps.audit.log import verify

    names = ("ada", "abe", "bea", "bo", "cy", "dee")
    users = {n: UserFactory(username=n) for n in names}
    ash = CommunityFactory(name="Ash", founder=users["ada"])  # an assembly of two
    add_member(ash, users["abe"])
    birch = CommunityFactory(name="Birch", governance="council", founder=users["bea"])
    add_member(birch, users["bo"])  # bea holds office, bo does not
    CommunityFactory(name="Cedar", founder=users["cy"])
    CommunityFactory(name="Dogwood", founder=users["dee"])

    people = {n: Member(chromium_browser, live_server.url, n, phone=(n == "bo")) for n in names}
    for p in people.values():
        p.login(password)
    ada, abe, bea, bo, cy, dee = (people[n] for n in names)

    # 1. Ash proposes founding the Grove League with Birch and Cedar as founding partners
    url = ada.propose(
        "ash",
        "Propose founding an alliance",
        "Found the Grove League",
        {
            "Name of the alliance": "Grove League",
            "Purpose": "Mutual aid between the valley's communities.",
            "How the member communities decide": "weighted",
            "Founding partners (optional)": "birch, cedar",
        },
    )
    assert "The charter" in ada.page.content()
    ada.check("01-founding-proposal")
    ada.vote("Yes")
    abe.vote("Yes", url)
    assert abe.page.locator("#result").inner_text() == "passed"

    # 2. Birch (both members) and Cedar vote to join as founding partners
    for person, community, voters in ((bea, "birch", [bea, bo]), (cy, "cedar", [cy])):
        url = person.propose(community, "Propose joining one", "Join the Grove League")
        for v in voters:
            v.vote("Yes", url)
    ada.go("/alliances/grove-league/")
    assert ada.page.locator("#member-count").inner_text() == "3 member communities."
    ada.check("02-founded")
    bo.go("/alliances/grove-league/")
    bo.check("02-founded-phone")

    # 3. Dogwood applies; the three members admit it, each by its own vote
    dee.propose("dogwood", "Propose joining one", "Join the Grove League")
    dee.vote("Yes")
    dee.go("/alliances/grove-league/")
    dee.page.get_by_role("link", name="Admit Dogwood").click()
    admission = dee.page.url
    dee.check("03-admission-open")
    for person, community in ((ada, "ash"), (abe, "ash"), (bea, "birch"), (cy, "cedar")):
        person.vote("Yes", own_vote_url(person, admission, community))
    dee.page.goto(admission)
    assert dee.page.locator("#result").inner_text() == "passed"
    dee.check("04-admitted")

    # 4. A weighted decision: Ash by an internal vote (1 yes, 1 no: its weight of 2 is
    # split), Birch by its council (bea; bo has no vote in it), Cedar yes, Dogwood no.
    # By hand: yes 1 + 2 + 1 = 4 of 6 weighted votes: passes.
    abe.go("/alliances/grove-league/")
    abe.page.get_by_role("link", name="Make an alliance proposal").click()
    abe.page.get_by_role("link", name="Resolution").click()
    abe.axe("05-proposal-form")
    abe.page.get_by_label("Title").fill("Share the harvest")
    abe.page.get_by_label("Explanation").fill("Each member sets aside a tenth for the others.")
    abe.page.get_by_role("button", name="Make the proposal").click()
    abe.page.get_by_text("Proposal made; each member community").wait_for()
    decision = abe.page.url
    abe.check("05-decision-open")
    ada.vote("Yes", own_vote_url(ada, decision, "ash"))
    abe.vote("No", own_vote_url(abe, decision, "ash"))
    bo.page.goto(own_vote_url(bo, decision, "birch"))
    assert bo.page.get_by_role("button", name="Cast my vote").count() == 0
    bo.check("06-council-decides-phone")
    bea.vote("Yes", own_vote_url(bea, decision, "birch"))
    bea.axe("06-internal-vote")
    cy.vote("Yes", own_vote_url(cy, decision, "cedar"))
    dee.vote("No", own_vote_url(dee, decision, "dogwood"))
    abe.page.goto(decision)
    assert abe.page.locator("#result").inner_text() == "passed"
    ash_row = abe.page.locator("#vote-ash").inner_text()
    assert "No" in ash_row and "split by its members' yes and no" in ash_row
    assert "decided by its council" in abe.page.locator("#vote-birch").inner_text()
    assert re.search(r"yes 4 of 6 valid votes", abe.page.locator("#reasons").inner_text())
    abe.check("07-decision-passed")
    bo.page.goto(decision)
    bo.check("07-decision-passed-phone")

    # 5. The board of mutual aid: Birch asks, Ash offers in answer
    bea.go("/alliances/grove-league/")
    bea.page.get_by_role("link", name="Offer or ask for help").click()
    bea.axe("08-board-form")
    bea.page.get_by_label("For the community").select_option("birch")
    bea.page.get_by_label("Offer or request").select_option("request")
    bea.page.get_by_label("Title").fill("Seed grain for spring")
    bea.page.get_by_role("button", name="Post").click()
    bea.page.get_by_text("Posted on the board.").wait_for()
    ada.go("/alliances/grove-league/")
    ada.page.get_by_role("link", name="Offer help with this").click()
    ada.page.get_by_label("Title").fill("Two sacks of barley")
    ada.page.get_by_role("button", name="Post").click()
    ada.page.get_by_text("Posted on the board.").wait_for()
    assert "answers “Seed grain for spring”" in ada.page.content()
    bea.go("/alliances/grove-league/")
    bea.page.get_by_role("button", name=re.compile("Close “Seed grain")).click()
    bea.page.get_by_text("The pledge is closed.").wait_for()
    bea.check("08-board")

    # 6. Cedar leaves by its own vote; nothing in the alliance can block it
    cy.propose(
        "cedar",
        "Propose leaving one",
        "Leave the Grove League",
        {"Alliance to leave": "grove-league"},
    )
    cy.vote("Yes")
    assert cy.page.locator("#result").inner_text() == "passed"
    cy.go("/alliances/grove-league/")
    assert cy.page.locator("#member-count").inner_text() == "3 member communities."
    cy.go("/alliances/grove-league/members/")
    assert "Cedar" in cy.page.content()
    cy.check("09-left-history")
    bo.go("/alliances/grove-league/members/")
    bo.check("09-history-phone")

    # every other new page, on a desktop and a phone screen
    for path, step in (
        ("/alliances/", "10-index"),
        ("/alliances/grove-league/charter/", "11-charter"),
        ("/alliances/grove-league/charter/v/1/", "12-charter-v1"),
        ("/alliances/grove-league/propose/", "13-chooser"),
        ("/alliances/grove-league/propose/?kind=amend_charter", "14-amend-form"),
        ("/communities/birch/", "15-community-section"),
        ("/proposals/new/birch/?kind=alliance_casting", "16-casting-form"),
    ):
        bea.go(path)
        bea.check(step)
        bo.go(path)
        bo.shot(step + "-phone")

    ada.go("/audit/")  # the log's signed head, and how anyone checks it
    assert "secession audit verify --url" in ada.page.content()
    league = Alliance.objects.get(slug="grove-league")
    assert league.active_members().count() == 3 and league.memberships.count() == 4
    assert league.proposals.filter(passed=True).count() == 2
    result = verify()  # the log, its tree and head, and every table against it
    assert result.ok and "alliances" in result.checks, [p.describe() for p in result.problems]
