"""The registry's story in a real browser (Playwright driving Debian's chromium) and through
the API: a community declares independence, an indigenous nation registers, three peoples
recognise the first, the map shows it as recognised, one withdraws, the map changes; the map
as one people sees it. Screenshots go to tests/artifacts/registry/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from .test_browser import Person, chromium_browser  # noqa: F401  (a fixture)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "registry"
POINT_INSIDE = """path => {
  const svg = path.ownerSVGElement, box = path.getBBox(), m = path.getScreenCTM();
  const p = svg.createSVGPoint();
  for (let k = 1; k < 30; k++) for (let j = 1; j < 30; j++) {
    p.x = box.x + box.width * j / 30; p.y = box.y + box.height * k / 30;
    if (path.isPointInFill(p)) {
      const hit = p.matrixTransform(m);
      if (document.elementFromPoint(hit.x, hit.y) === path) return [hit.x, hit.y];
    }
  }
  return null;
}"""


def box(west, south, east, north) -> str:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


class Api:
    """One person using the JSON API with a bearer token."""

    def __init__(self, name: str, password: str):
        self.client = Client()
        body = {"username": name, "password": password}
        assert self.post("/api/accounts/register", body).status_code == 201
        self.token = self.post("/api/accounts/token", body).json()["token"]

    def post(self, url: str, body: dict):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"} if hasattr(self, "token") else {}
        return self.client.post(url, json.dumps(body), content_type="application/json", **headers)

    def decide(self, community: str, kind: str, title: str, payload: dict, body: str = ""):
        made = self.post(
            "/api/proposals",
            {
                "community": community,
                "kind": kind,
                "title": title,
                "body": body,
                "payload": payload,
            },
        )
        assert made.status_code == 201, made.content
        pid = made.json()["id"]
        assert self.post(f"/api/proposals/{pid}/vote", {"choice": "yes"}).status_code == 201
        result = self.client.get(f"/api/proposals/{pid}").json()
        assert result["passed"] is True, result
        return pid

    def found_and_declare(self, name: str, territory: str, country: str) -> str:
        made = self.post(
            "/api/communities", {"name": name, "kind": "region", "territory_geojson": territory}
        )
        assert made.status_code == 201, made.content
        slug = made.json()["slug"]
        self.decide(
            slug,
            "declare_independence",
            f"{name} is free",
            {"from_name": country},
            body=f"The people of {name} govern themselves.",
        )
        return slug


def shot(person: Person, step: str) -> None:
    width = person.page.viewport_size["width"]
    assert person.page.evaluate("document.documentElement.scrollWidth") <= width, step
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    person.page.screenshot(path=str(ARTIFACTS / f"{step}-{person.name}.png"), full_page=True)


def propose(
    person: Person,
    community: str,
    kind_label: str,
    title: str,
    fields: dict,
    selects: dict | None = None,
) -> None:
    person.go(f"/communities/{community}/")
    person.page.get_by_role("link", name="Make a proposal").click()
    person.page.get_by_role("link", name=kind_label).click()
    person.page.get_by_label("Title").fill(title)
    for label, value in fields.items():
        person.page.get_by_label(label).fill(value)
    for label, value in (selects or {}).items():
        person.page.get_by_label(label).select_option(label=value)
    person.page.get_by_role("button", name="Make the proposal").click()
    person.page.get_by_text("Proposal made; voting is open.").wait_for()


def map_status(person: Person, name: str) -> str:
    person.go("/registry/map/")
    path = person.page.locator(f'path.people[aria-label^="{name}:"]')
    return path.get_attribute("data-status")


def test_registry_story(chromium_browser, live_server, password):  # noqa: F811
    from secession.web.apps.audit.log import verify
    from secession.web.apps.registry.models import Declaration, Recognition

    ada = Person(chromium_browser, live_server.url, "ada")
    bea = Person(chromium_browser, live_server.url, "bea", phone=True)
    ada.register(password)
    bea.register(password)

    # 1. Ada founds Northland and its members (she alone, so far) declare independence
    ada.go("/communities/new/")
    ada.page.get_by_label("Name").fill("Northland")
    ada.page.get_by_label("Kind").select_option("region")
    ada.page.get_by_label("Territory (GeoJSON polygon, longitude/latitude)").fill(
        box(125, -28, 135, -20)
    )
    ada.page.get_by_role("button", name="Found").click()
    ada.page.get_by_text("Northland is founded.").wait_for()
    propose(
        ada,
        "northland",
        "Declare independence",
        "Northland is free",
        {
            "Explanation": "We, the people of Northland, govern ourselves from this day.",
            "Independent from (if the community has no parent here)": "Australia",
        },
    )
    ada.vote("Yes")
    assert ada.page.locator("#result").inner_text() == "passed"
    ada.go("/communities/northland/")
    assert ada.page.locator("#registry-status").inner_text() == "declared"
    ada.page.get_by_role("link", name="Declaration of independence of Northland").click()
    assert "govern ourselves from this day" in ada.page.locator("#declaration-text").inner_text()
    shot(ada, "01-declaration")

    # 2. Bea registers the Hill Nation as the indigenous nation it is (on a phone)
    bea.go("/communities/new/")
    bea.page.get_by_label("Name").fill("Hill Nation")
    bea.page.get_by_label("Kind").select_option("nation")
    bea.page.get_by_label("This is an indigenous nation").check()
    bea.page.get_by_label("Territory (GeoJSON polygon, longitude/latitude)").fill(
        box(-104, 43, -101, 45)
    )
    bea.page.get_by_role("button", name="Found").click()
    bea.page.get_by_text("Hill Nation is founded.").wait_for()
    propose(
        bea,
        "hill-nation",
        "Declare sovereignty (indigenous nation)",
        "We are sovereign",
        {
            "Explanation": "The Hill Nation never ceded its land.",
            "The land": "the Black Hills",
            "The state that claims it": "United States of America",
        },
    )
    bea.vote("Yes")
    assert bea.page.locator("#result").inner_text() == "passed"
    bea.go("/registry/")
    assert "indigenous nation" in bea.page.locator("#peoples").inner_text()
    shot(bea, "02-registry-phone")

    # 3. two more peoples declare through the API
    cai, dan = Api("cai", password), Api("dan", password)
    river = cai.found_and_declare("Riverland", box(-62, -12, -52, -5), "Brazil")
    lake = dan.found_and_declare("Lakeland", box(-110, 52, -100, 58), "Canada")
    assert Declaration.objects.count() == 4

    # 4. three peoples recognise Northland: the Hill Nation in the browser, two by the API
    propose(
        bea,
        "hill-nation",
        "Recognise a people",
        "Recognise Northland",
        {},
        {"The people to recognise": "Northland"},
    )
    bea.vote("Yes")
    assert map_status(ada, "Northland") == "declared"  # 1 of 3
    cai.decide(river, "recognise", "Recognise Northland", {"people": "northland"})
    assert map_status(ada, "Northland") == "declared"  # 2 of 3: one short
    dan.decide(lake, "recognise", "Recognise Northland", {"people": "northland"})
    assert map_status(ada, "Northland") == "recognised"  # 3 of 3
    path = ada.page.locator('path.people[aria-label^="Northland:"]')
    ada.page.mouse.move(*path.evaluate(POINT_INSIDE))
    tip = ada.page.locator("#tip").inner_text()
    assert "Recognised by: Hill Nation, Riverland, Lakeland" in tip
    shot(ada, "03-map-recognised")

    # 5. Lakeland withdraws its recognition: Northland is declared again, the history stays
    dan.decide(lake, "withdraw_recognition", "No longer", {"people": "northland"})
    assert map_status(ada, "Northland") == "declared"
    shot(ada, "04-map-after-withdrawal")
    ada.go("/registry/peoples/northland/?history=1")
    assert "Lakeland" in ada.page.locator("#recognised-by").inner_text()
    assert Recognition.objects.filter(withdrawn_at__isnull=False).count() == 1
    api = Client().get("/api/registry/peoples/northland").json()
    assert api["status"] == "declared" and api["recognised_by_peoples"] == 2

    # 6. the map as the Hill Nation sees it: Northland recognised (the Hill Nation does)
    bea.go("/registry/map/")
    bea.page.get_by_label("See the map as").select_option(label="Hill Nation")
    bea.page.get_by_role("button", name="Show").click()
    bea.page.get_by_role("heading", name="The map of the world as Hill Nation sees it").wait_for()
    status = bea.page.locator('path.people[aria-label^="Northland:"]').get_attribute("data-status")
    assert status == "recognised"
    shot(bea, "05-map-as-hill-nation-phone")
    ada.go("/registry/graph/")
    assert ada.page.locator("svg.recognition-graph line").count() == 2
    shot(ada, "06-graph")
    assert verify().ok
