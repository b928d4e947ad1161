"""A verifiable vote end to end in Debian's chromium (Playwright) against the live server:
five trustees make their keys with the ``secession trustee`` commands on their own files
(one uploads through the election page), voters encrypt in the page (one audits a ballot
first, then votes), each finds their tracker on the board, the vote closes, three of the
five trustees decrypt with the CLI, the result is published, and ``secession ballots
verify`` passes on the downloaded board. The pages have no axe-core violations, at 390 px
wide too. Screenshots go to tests/artifacts/verifiable/."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest

from secession.assets import npm_file

from .factories import PASSWORD, CommunityFactory, UserFactory, add_member

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "verifiable"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NAMES = ("ana", "ben", "cy", "dee", "eli", "fay", "gus")


@pytest.fixture
def browser(monkeypatch):
    playwright = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("SECESSION_CHROMIUM") or "/usr/bin/chromium"
    if not Path(executable).exists():
        pytest.skip(f"chromium not found at {executable} (apt-get install chromium)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Client:
    """An API caller with a person's token (as a trustee's own script would be)."""

    def __init__(self, base: str, user=None):
        from secession.web.apps.accounts.tokens import create_token

        self.base = base
        self.headers = {"Authorization": "Bearer " + create_token(user)} if user else {}

    def call(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={**self.headers, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read())

    def download(self, path: str, to: Path) -> Path:
        with urllib.request.urlopen(self.base + path, timeout=30) as r:
            to.write_bytes(r.read())
        return to


def check_axe(page, name: str) -> None:
    page.add_script_tag(path=str(npm_file("axe-core", "axe.min.js")))
    found = page.evaluate("async () => (await axe.run()).violations.map(v => v.id)")
    assert found == [], f"{name}: axe-core violations {found}"


def login(browser, base: str, name: str, phone: bool = False):
    size = {"width": 390, "height": 844} if phone else {"width": 1100, "height": 900}
    # bypass_csp: the test injects axe-core, which the site's CSP forbids
    page = browser.new_context(viewport=size, bypass_csp=True).new_page()
    page.set_default_timeout(20000)
    page.goto(base + "/accounts/login/")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    return page


def shot(page, step: str) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, step
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{step}.png"), full_page=True)


def test_a_verifiable_vote_in_the_browser(browser, live_server, tmp_path, cli):
    from secession.web.apps.proposals.actions import make_proposal, set_rule
    from secession.web.apps.proposals.models import Proposal

    base = live_server.url
    people = [UserFactory(username=NAMES[0])]
    community = CommunityFactory(name="Free Valley", founder=people[0])
    people += [add_member(community, UserFactory(username=n)) for n in NAMES[1:]]
    set_rule(
        community,
        "resolution",
        rule={"name": "simple-majority", "threshold": "1/2", "strict": True},
        window_minutes=60,
        secret=True,
        verifiable=True,
        trustees=[p.pk for p in people[:5]],
        trustee_threshold=3,
    )
    proposal = make_proposal(
        community, person=people[0], kind="resolution", title="Shall Free Valley leave?"
    )
    pk = proposal.pk
    public = Client(base)
    dirs = {p.username: tmp_path / p.username for p in people[:5]}

    # the trustees, each on "their own machine" (a folder), with the CLI
    for person in people[:5]:
        d = dirs[person.username]
        d.mkdir()
        public.download(f"/verifiable/{pk}/board.json", d / "board.json")
        done = cli(
            "trustee",
            "keygen",
            d / "board.json",
            "--name",
            person.username,
            "--secret",
            d / "secret.json",
            "--public",
            d / "public.json",
        )
        assert done.exit_code == 0, done.output
    # ana uploads her record through the election page; the others with the API
    ana = login(browser, base, "ana")
    ana.goto(f"{base}/verifiable/{pk}/")
    check_axe(ana, "election page (setup)")
    ana.get_by_label("Your public record").set_input_files(str(dirs["ana"] / "public.json"))
    ana.get_by_role("button", name="Upload the public record").click()
    ana.get_by_text("Posted.").wait_for()
    for person in people[1:5]:
        record = json.loads((dirs[person.username] / "public.json").read_text())
        Client(base, person).call("POST", f"/api/verifiable/{pk}/trustee-record", record)
    for person in people[:5]:
        d = dirs[person.username]
        public.download(f"/verifiable/{pk}/board.json", d / "board.json")
        assert (
            cli(
                "trustee",
                "shares",
                d / "board.json",
                "--secret",
                d / "secret.json",
                "--out",
                d / "shares.json",
            ).exit_code
            == 0
        )
        shares = json.loads((d / "shares.json").read_text())
        Client(base, person).call("POST", f"/api/verifiable/{pk}/shares", shares)
    everyone = public.call("GET", f"/api/verifiable/{pk}/shares")
    for person in people[:5]:
        d = dirs[person.username]
        files = []
        for item in everyone:
            path = d / f"shares-{item['trustee']}.json"
            path.write_text(json.dumps(item["data"]))
            files.append(path)
        done = cli("trustee", "check", d / "board.json", "--secret", d / "secret.json", *files)
        assert done.exit_code == 0, done.output

    # voters encrypt in the page; fay audits a ballot first, then votes
    choices = {
        "ana": "Yes",
        "ben": "Yes",
        "cy": "No",
        "dee": "Yes",
        "eli": "Abstain",
        "fay": "No",
        "gus": "Yes",
    }
    trackers = {}
    for n, person in enumerate(people):
        page = (
            ana
            if person.username == "ana"
            else login(browser, base, person.username, phone=n % 2 == 1)
        )
        page.goto(f"{base}/proposals/{pk}/")
        page.get_by_role("link", name="Go to the vote page").click()
        page.get_by_text("Election key checked against the trustees' proofs").wait_for()
        if n == 0:
            check_axe(page, "vote page")
        if person.username == "fay":
            page.get_by_label("Yes", exact=True).check()
            page.get_by_role("button", name="Encrypt my ballot").click()
            page.get_by_role("button", name="Audit this ballot instead").click()
            page.get_by_text("Audited: that ballot encrypted “yes”").wait_for()
            shot(page, "vote-audited-fay")
        page.get_by_label(choices[person.username], exact=True).check()
        page.get_by_role("button", name="Encrypt my ballot").click()
        tracker = page.locator("#tracker").inner_text()
        assert len(tracker) == 64
        if n < 2:
            shot(page, f"vote-encrypted-{person.username}")
        page.get_by_role("button", name="Cast this ballot").click()
        page.get_by_text("Your ballot is cast").first.wait_for()
        trackers[person.username] = tracker
        # the voter finds the tracker on the board
        page.get_by_role("link", name="the board").click()
        page.locator("#found").wait_for()
        assert "a cast ballot" in page.locator("#found").inner_text()
        if n == 1:
            check_axe(page, "board page")
            shot(page, "board-found")

    proposal = Proposal.objects.get(pk=pk)
    assert proposal.status == "counting"  # everyone voted: closed at once, now counting
    # three of the five trustees decrypt with the CLI (each checks the whole board first)
    for person in (people[1], people[2], people[4]):
        d = dirs[person.username]
        public.download(f"/verifiable/{pk}/board.json", d / "board.json")
        done = cli(
            "trustee",
            "decrypt",
            d / "board.json",
            "--secret",
            d / "secret.json",
            "--out",
            d / "decryption.json",
        )
        assert done.exit_code == 0, done.output
        share = json.loads((d / "decryption.json").read_text())
        Client(base, person).call("POST", f"/api/verifiable/{pk}/decryptions", share)

    ana.goto(f"{base}/proposals/{pk}/")
    ana.locator("#result").wait_for()
    assert ana.locator("#result").inner_text() == "passed"
    assert "Yes 4, no 2, abstain 1" in ana.content()
    shot(ana, "proposal-decided")
    ana.goto(f"{base}/verifiable/{pk}/")
    check_axe(ana, "election page (decided)")
    board = public.download(f"/verifiable/{pk}/board.json", tmp_path / "final-board.json")
    done = cli("ballots", "verify", board)
    assert done.exit_code == 0, done.output
    assert "board ok (decided): 7 ballots, 1 audited" in done.stdout
    assert "yes: 4" in done.stdout and "no: 2" in done.stdout and "abstain: 1" in done.stdout
