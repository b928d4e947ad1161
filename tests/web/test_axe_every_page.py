"""Every HTML page of the platform, /api/docs included, has zero axe-core violations and
no sideways scroll on a phone: signed out and signed in, at 1100 px and at 390 px.

The pages are enumerated from Django's URL resolver, so a new page is covered (or fails
here until it is filled from the world below or named in SKIP with a reason). axe-core
comes from the npm package; the contexts bypass the CSP only so the test can inject it
(tests/web/test_csp_browser.py checks the pages under the policy)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from .factories import (
    PASSWORD,
    CommunityFactory,
    UserFactory,
    add_member,
    found_alliance_by_vote,
    pass_by_vote,
)
from .test_browser import chromium_browser  # noqa: F401 - the fixture
from .test_planner import OREGON

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1100, "height": 900}, {"width": 390, "height": 844}

# Routes that are not HTML pages a person reads, each with why it is left out.
SKIP = {
    # files and data, not pages
    "accounts/me/export.json": "a JSON download",
    "communities/<slug:slug>/feed.atom": "an Atom feed",
    "communities/map-files/<str:name>": "the territory tool's static map data",
    "data/<slug:scope>/<str:key>/<slug:name>.<slug:fmt>": "open-data downloads (CSV, JSON)",
    "plans/<uuid:pk>/status.json": "a JSON status for the plan page's script",
    "plans/new/place-map": "a map file framed by plans/new/ (axe on that page with the map "
    "shown: test_planner_map_browser.py)",
    "plans/<uuid:pk>/files/<str:name>": "a plan's result files (its map is framed, below)",
    "registry/declarations/<int:pk>.json": "a declaration's JSON file",
    "registry/recognitions.json": "a JSON download",
    "registry/recognitions.csv": "a CSV download",
    "registry/map.html": "the framed world map (a file, its page is registry/map/)",
    "registry/world.json": "map data",
    "registry/assets/<str:name>": "scripts and styles",
    "verifiable/assets/<str:name>": "scripts",
    "verifiable/<int:pk>/board.json": "the bulletin board as JSON",
    "i18n/setlang/": "the language switcher's POST target",
    # POST only (a GET answers with a redirect to the page holding the form, or a 405)
    "accounts/logout/": "POST only",
    "accounts/me/delete/": "POST only (the form is on accounts/me/)",
    "communities/<slug:slug>/join/": "POST only",
    "communities/<slug:slug>/leave/": "POST only",
    "communities/<slug:slug>/edit/": "POST only",
    "communities/<slug:slug>/parent/ask/": "POST only",
    "communities/<slug:slug>/parent/withdraw/": "POST only",
    "communities/<slug:slug>/parent/leave/": "POST only",
    "proposals/<int:pk>/vote/": "POST only",
    "alliances/pledges/<int:pk>/close/": "POST only",
    "notices/preferences/": "POST only (the form is on accounts/me/)",
    "plans/<uuid:pk>/check": "POST only (the check of a finished plan's edit is not visited)",
    "plans/<uuid:pk>/stop": "POST only",
    "plans/<uuid:pk>/share": "POST only",
    "plans/<uuid:pk>/delete": "POST only",
    "plans/uploads/<uuid:pk>/delete": "POST only",
    "plans/referendum/<int:pk>/results": "POST only (the form is on the referendum's page)",
    "verifiable/<int:pk>/upload/<str:what>/": "POST only (trustees' uploads)",
}
# Ninja's routes: the JSON API is not pages; its documentation is.
API_PAGES = ["api/docs"]
SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-123.0, 44.0], [-122.0, 44.0], [-122.0, 45.0], [-123.0, 45.0], [-123.0, 44.0]]
    ],
}


def routes(resolvers=None, prefix: str = "") -> list[str]:
    """Every route of the URL map, as its full pattern text (``proposals/<int:pk>/``)."""
    found = []
    for entry in (resolvers or get_resolver()).url_patterns:
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if text == "api/":
                found += [r for r in routes(entry, text) if r in API_PAGES]
            else:
                found += routes(entry, text)
        elif isinstance(entry, URLPattern):
            found.append(text.lstrip("^").rstrip("$").replace("\\Z", ""))
    return found


def world() -> dict[str, list]:
    """A small platform, and for each parameter of each route the values to visit."""
    from secession.web.apps.alliances.decisions import make_alliance_proposal
    from secession.web.apps.notifications.tokens import make_token
    from secession.web.apps.planner.models import DataUpload, PlanJob
    from secession.web.apps.proposals.actions import make_proposal, set_rule
    from secession.web.apps.registry.models import Declaration

    ada = UserFactory(username="ada")
    bea = UserFactory(username="bea")
    town = CommunityFactory(name="Axe Town", founder=ada)
    town.territory_geojson = json.dumps(SQUARE)
    town.territory_crs = "EPSG:4326"
    town.save()
    add_member(town, bea)
    closed = pass_by_vote(town, ada, "resolution", title="Plant trees")
    amended = pass_by_vote(
        town, ada, "amend_constitution", {"text": "All members decide together."}, "Amend"
    )
    assert amended.passed, amended.result
    declared = pass_by_vote(
        town, ada, "declare_independence", {"from_name": "United States of America"}
    )
    assert declared.passed, declared.result
    alliance = found_alliance_by_vote(town, ada)
    opened = make_proposal(town, person=ada, kind="resolution", title="Build a bridge")
    # a territory change of real Oregon counties (its page draws the proposed territory)
    territory = make_proposal(
        town,
        person=ada,
        kind="change_territory",
        title="Take the plan's counties",
        payload={"territory_unit_ids": ["41039", "41043", "41003"]},
    )
    recognise = make_alliance_proposal(
        alliance,
        person=ada,
        community=town,
        kind="recognise",
        title="Recognise Axe Town",
        payload={"people": town.slug},
    )
    # a community whose resolutions are secret, verifiable ballots
    ballot = CommunityFactory(name="Ballot Town", founder=ada)
    trustees = [ada] + [add_member(ballot, UserFactory(username=n)) for n in ("cy", "dee")]
    set_rule(
        ballot,
        "resolution",
        rule={"name": "simple-majority", "threshold": "1/2", "strict": True},
        window_minutes=60,
        secret=True,
        verifiable=True,
        trustees=[p.pk for p in trustees],
        trustee_threshold=2,
    )
    election = make_proposal(ballot, person=ada, kind="resolution", title="Secret question")
    api = Client()
    api.force_login(ada)
    started = api.post("/api/plans", json.dumps(OREGON), content_type="application/json")
    assert started.status_code == 201, started.content
    job = PlanJob.objects.get(pk=started.json()["id"])  # waiting: no worker in this test
    upload = DataUpload.objects.create(
        owner=ada,
        title="Wards",
        kind="units",
        files={"units": "units.zip"},
        names={"units": "wards.zip"},
        header=["ward", "votes_leave", "votes_stay"],
    )
    optin = _optin_referendum(ada)
    counted_open, counted = _counted_referendum(ada)
    from secession.web.apps.translations.actions import add_translation

    first = town.constitution_versions.order_by("number").first()
    translation = add_translation(
        first, person=ada, language="es", text="Todos los miembros deciden juntos."
    )
    return {
        "translations:pk": [translation.pk],
        "translations:kind": ["constitution"],
        "translations:object_id": [first.pk],
        "communities:slug": [town.slug],
        "proposals:slug": [town.slug],
        "proposals:pk": [opened.pk, closed.pk, amended.pk, territory.pk, counted_open.pk],
        "constitutions:slug": [town.slug],
        "constitutions:number": [1, 2],
        "alliances:slug": [alliance.slug],
        "alliances:pk": [recognise.pk],
        "alliances:number": [1],
        "registry:pk": [Declaration.objects.get(proposal=declared).pk],
        "registry:slug": [town.slug],
        "verifiable:pk": [election.pk],
        "notices:token": [make_token(ada)],
        "plans:pk": [job.pk],
        "plans/uploads:pk": [upload.pk],
        "plans/referendum:pk": [optin.pk, counted.pk],
    }


def _optin_referendum(person):
    """An opt-in referendum on three Oregon counties, passed, its border repaired (the
    repair run here, in this process: the page shows its result)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secession.web.apps.communities.actions import found_community
    from secession.web.apps.communities.forms import territory_fields
    from secession.web.apps.planner.models import OptInRepair
    from secession.web.apps.planner.optin_actions import upload_results
    from secession.web.apps.planner.tasks import execute
    from secession.web.apps.proposals.actions import cast_vote, make_proposal

    units = ["41001", "41061", "41063"]
    fields = territory_fields("", "us-counties-2020", units)
    community = found_community(person=person, name="Opt Town", **fields)
    proposal = make_proposal(
        community, person=person, kind="optin_territory", title="Counties decide", payload={}
    )
    rows = "unit,yes,no\n41001,900,100\n41061,100,900\n41063,800,200\n"
    upload_results(
        proposal, person=person, upload=SimpleUploadedFile("official.csv", rows.encode())
    )
    cast_vote(proposal, person=person, choice="yes")
    job = OptInRepair.objects.get(proposal=proposal).job
    assert execute(str(job.pk)) == "done"
    return proposal


def _counted_referendum(person):
    """Two opt-in referendums counted from their own ballots: one open (its page asks the
    voter's county), one passed, its county counts shown and its border repaired."""
    from secession.web.apps.communities.actions import found_community
    from secession.web.apps.communities.forms import territory_fields
    from secession.web.apps.planner.models import OptInRepair
    from secession.web.apps.planner.tasks import execute
    from secession.web.apps.proposals.actions import cast_vote, make_proposal

    fields = territory_fields("", "us-counties-2020", ["41001", "41061", "41063"])
    community = found_community(person=person, name="Count Town", **fields)
    payload = {"results_source": "platform"}
    kind = "optin_territory"
    closed = make_proposal(community, person=person, kind=kind, title="Counted", payload=payload)
    cast_vote(closed, person=person, choice="yes", extra={"unit": "41061"})
    assert execute(str(OptInRepair.objects.get(proposal=closed).job.pk)) == "done"
    opened = make_proposal(community, person=person, kind=kind, title="Count", payload=payload)
    return opened, closed


def fill(route: str, values: dict[str, list]) -> list[str]:
    """The paths to visit for ``route``; fails for a parameter the world cannot fill."""
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    paths = ["/" + route]
    head = route.split("/")[0]
    scope = next(
        (s for s in ("plans/uploads", "plans/referendum") if route.startswith(s + "/")), head
    )
    for name in params:
        key = f"{scope}:{name}"
        assert key in values, f"{route}: nothing in the world fills <{name}> (add it or SKIP)"
        pattern = re.compile(rf"<(?:\w+:)?{name}>")
        paths = [pattern.sub(str(v), p, count=1) for p in paths for v in values[key]]
    return paths


def axe(page, axe_path) -> list[str]:
    page.add_script_tag(path=str(axe_path))
    return page.evaluate(
        """axe.run().then(r => r.violations.map(v =>
             v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"""
    )


def test_every_page_passes_axe_signed_out_and_in(chromium_browser, live_server):  # noqa: F811
    from secession.assets import npm_file

    axe_path = npm_file("axe-core", "axe.min.js")
    all_routes = routes()
    assert "api/docs" in all_routes
    values = world()
    pages = []
    for route in all_routes:
        if route in SKIP:
            continue
        pages += fill(route, values)
    assert len(pages) > 40, pages
    base = live_server.url
    failures: list[str] = []
    for signed_in in (False, True):
        context = chromium_browser.new_context(viewport=DESKTOP, bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(20000)
        if signed_in:
            page.goto(base + "/accounts/login/")
            page.get_by_label("Username").fill("ada")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_load_state("networkidle")
        seen: set[str] = set()  # signed out, many pages send to the same login page
        who = "signed in" if signed_in else "signed out"
        for path in pages:
            page.set_viewport_size(DESKTOP)
            response = page.goto(base + path)
            assert response is not None and response.status < 500, (who, path)
            final = page.url.removeprefix(base)
            if final in seen and final != path:
                continue
            seen.add(final)
            if path == "/api/docs":
                page.locator(".swagger-ui .opblock").first.wait_for()
            else:
                page.wait_for_load_state("networkidle")
            for size in (DESKTOP, PHONE):
                page.set_viewport_size(size)
                found = (
                    axe(page, axe_path)
                    if size is DESKTOP
                    else page.evaluate(
                        "axe.run().then(r => r.violations.map(v => v.id + ': ' + "
                        "v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"
                    )
                )
                where = f"{who} {size['width']} px {path} ({response.status} {final})"
                failures += [f"{where}: {v}" for v in found]
                if size is PHONE:
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    if wide > PHONE["width"]:
                        failures.append(f"{where}: scrolls sideways ({wide} px)")
        context.close()
    assert failures == [], "\n".join(failures)
