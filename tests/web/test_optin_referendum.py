"""An opt-in referendum on a community's territory (issue 21): the official unit results
uploaded on the platform, the border repair on a real Dask local cluster, the repaired
border made the territory (audited), the page that says which counties moved and why, and
the same repair as ``secession referendum --rule opt-in`` unit for unit, on real Oregon data.
"""

from __future__ import annotations

import csv
import html
import io
import json

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from secession.scenario.parallel import dask_client
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.communities.actions import found_community
from secession.web.apps.communities.forms import territory_fields
from secession.web.apps.planner import storage
from secession.web.apps.planner.dispatch import Dispatcher
from secession.web.apps.planner.models import OptInRepair
from secession.web.apps.proposals.actions import cast_vote, close_proposal, make_proposal

from .factories import UserFactory, add_member

pytestmark = pytest.mark.django_db(transaction=True)

MIN_POPULATION = 200000


@pytest.fixture(scope="module")
def dask():
    with dask_client(workers=1, processes=False) as client:
        yield client


@pytest.fixture(autouse=True)
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


@pytest.fixture(scope="module")
def oregon(data_dir) -> list[dict[str, str]]:
    """Oregon's counties as an opt-in result: yes = the 2020 Republican votes, no = the
    Democratic votes (a "join the new territory" referendum where the east says yes)."""
    frame = pd.read_csv(data_dir / "us-president-county/2020.csv", dtype={"county_fips": str})
    frame = frame[frame["state_name"] == "Oregon"]
    return [
        {"unit": f, "yes": str(g), "no": str(d)}
        for f, g, d in zip(
            frame["county_fips"], frame["votes_gop"], frame["votes_dem"], strict=True
        )
    ]


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def _community(founder, units: list[str]):
    fields = territory_fields("", "us-counties-2020", units)
    return found_community(person=founder, name="Eastern Oregon", **fields)


def _upload(client: Client, proposal, content: bytes, name: str = "official.csv"):
    return client.post(
        f"/plans/referendum/{proposal.pk}/results",
        {"results": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def test_the_platform_repair_equals_the_command_line(dask, cli, tmp_path, data_dir, oregon):
    founder, member = UserFactory(username="founder"), UserFactory(username="member")
    units = [r["unit"] for r in oregon]
    community = _community(founder, units)
    add_member(community, member)
    proposal = make_proposal(
        community,
        person=founder,
        kind="optin_territory",
        title="Each county decides",
        payload={"min_population": MIN_POPULATION},
    )
    assert proposal.payload["states"] == ["OR"]
    page = _client().get(f"/plans/referendum/{proposal.pk}/").content.decode()
    assert "starts when the official results are uploaded" in page
    # the results come with the proposal, before the vote closes
    r = _upload(_client(founder), proposal, _csv(oregon))
    assert r.status_code == 302, r.content.decode()[:2000]
    repair = OptInRepair.objects.get(proposal=proposal)
    assert repair.units == 36 and repair.job is None  # the members have not decided yet
    for person in (founder, member):
        cast_vote(proposal, person=person, choice="yes")
    proposal.refresh_from_db()
    assert proposal.status == "closed" and proposal.passed
    repair.refresh_from_db()
    assert repair.job is not None and repair.job.shared
    Dispatcher(dask).run_until_idle(timeout=300)
    job = repair.job
    job.refresh_from_db()
    assert job.status == "done", job.message

    # the same results file and constraints on the command line
    results = tmp_path / "official.csv"
    results.write_bytes(_csv(oregon))
    doc = same_as_the_command_line(cli, job, results, data_dir, tmp_path / "cli")
    assert doc["plan"]["proven_optimal"]
    joined = sorted(doc["leaving_after_repair"])
    assert 0 < len(joined) < 36 and doc["moves"], "the data should give a repair to explain"

    # the territory became the repaired border, audited
    community.refresh_from_db()
    repair.refresh_from_db()
    assert community.territory_unit_ids == joined and repair.applied_at is not None
    entry = AuditEntry.objects.get(action="plan.optin_territory_set")
    assert entry.community_id == community.pk
    data = json.loads(entry.data)
    assert data["units_joined"] == len(joined) and data["voters_moved"] == doc["voters_moved"]
    assert AuditEntry.objects.filter(action="plan.optin_repair_queued").count() == 1
    changed = json.loads(AuditEntry.objects.get(action="community.territory_changed").data)
    assert changed["unit_ids"] == joined and changed["proposal"] == proposal.pk
    assert sorted(changed["before"]["unit_ids"]) == sorted(units)

    # the page: which counties joined and stayed, each move with its reason
    page = _client().get(f"/plans/referendum/{proposal.pk}/").content.decode()
    assert f"After the repair: {len(joined)} joined, {36 - len(joined)} stayed out." in page
    assert "proven the fewest possible" in page
    for move in doc["moves"]:
        assert move["unit_id"] in page and move["reason"] in page
    assert "map.svg" in page
    assert _client().get(f"/plans/{job.pk}/files/map.svg").status_code in (200, 404)
    # the results are final now; the repair plan is not edited by hand
    r = _upload(_client(founder), proposal, _csv(oregon))
    assert r.status_code == 409 and "final" in r.content.decode()
    assert "Edit by hand" not in _client(founder).get(f"/plans/{job.pk}/").content.decode()


@pytest.fixture
def small(oregon):
    """A community over three Oregon counties and its open opt-in proposal."""
    founder, member = UserFactory(username="founder"), UserFactory(username="member")
    rows = oregon[:3]
    community = _community(founder, [r["unit"] for r in rows])
    add_member(community, member)
    proposal = make_proposal(
        community, person=founder, kind="optin_territory", title="Opt in", payload={}
    )
    return proposal, founder, member, rows


def test_bad_results_are_refused_at_the_field_naming_file_row_and_unit(small, settings):
    proposal, founder, _, rows = small
    client = _client(founder)
    cases = [
        (_csv([*rows, {"unit": "41999", "yes": "1", "no": "2"}]), "row 4 (line 5): unit '41999'"),
        (_csv([{**rows[0], "yes": "many"}, *rows[1:]]), "row 1 (line 2): column 'yes'"),
        (_csv(rows[:2]), f"1 unit of the territory has no result: {rows[2]['unit']}"),
        (b"unit,yes\n41001,3\n", "no column 'no'"),
    ]
    for content, words in cases:
        r = _upload(client, proposal, content, name="county-results.csv")
        text = html.unescape(r.content.decode())
        assert r.status_code == 400, words
        assert "county-results.csv" in text and words in text, (words, text[-3000:])
        assert 'aria-invalid="true"' in text
    assert _upload(client, proposal, b"x", name="results.xlsx").status_code == 400
    settings.PLANNER_OPTIN_MAX_BYTES = 10
    r = _upload(client, proposal, _csv(rows))
    assert r.status_code == 400 and "larger than this site's limit" in html.unescape(
        r.content.decode()
    )
    assert not OptInRepair.objects.filter(proposal=proposal, uploaded_at__isnull=False).exists()


def test_who_may_see_and_upload(small):
    proposal, founder, member, rows = small
    outsider = UserFactory(username="outsider")
    page = f"/plans/referendum/{proposal.pk}/"
    for who in (None, outsider, member, founder):
        assert _client(who).get(page).status_code == 200
    assert "Log in" in _client().get(page).content.decode()
    assert "Only the proposal" in _client(outsider).get(page).content.decode()
    anonymous = _upload(_client(), proposal, _csv(rows))
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert _upload(_client(outsider), proposal, _csv(rows)).status_code == 403
    # every member of an assembly acts for it
    assert _upload(_client(member), proposal, _csv(rows)).status_code == 302
    assert _client().get(f"/plans/referendum/{proposal.pk}/results").status_code == 405
    assert _client().get("/plans/referendum/999999/").status_code == 404


def test_a_failed_vote_repairs_nothing(small):
    proposal, founder, member, rows = small
    assert _upload(_client(founder), proposal, _csv(rows)).status_code == 302
    for person in (founder, member):
        cast_vote(proposal, person=person, choice="no")
    proposal = close_proposal(proposal, force=True)
    assert proposal.passed is False
    assert OptInRepair.objects.get(proposal=proposal).job is None
    page = _client().get(f"/plans/referendum/{proposal.pk}/").content.decode()
    assert "not run: the members" in page


def test_a_territory_of_no_units_cannot_hold_one(db):
    from django.core.exceptions import ValidationError

    founder = UserFactory(username="founder")
    community = found_community(person=founder, name="Drawn")
    with pytest.raises(ValidationError, match="not a set of US counties"):
        make_proposal(community, person=founder, kind="optin_territory", title="x", payload={})


def same_as_the_command_line(cli, job, results, data_dir, out) -> dict:
    """Run ``secession referendum --rule opt-in`` on ``results`` (Oregon, the minimum
    population) into ``out`` and check the platform's repair ``job`` wrote the same units,
    moves, assignment and outcome; the platform's ``opt_in`` outcome."""
    done = cli(
        "referendum", "--rule", "opt-in", "--results", results, "--state", "OR",
        "--min-population", str(MIN_POPULATION), "--no-maps", "--data-dir", data_dir,
        "--out", out,
    )  # fmt: skip
    assert done.exit_code == 0, done.stdout + done.stderr
    web = storage.results_root() / job.result_dir
    ours = pd.read_csv(web / "units.csv", dtype={"unit": str})
    theirs = pd.read_csv(out / "units.csv", dtype={"unit": str})
    cols = ["unit", "yes", "no", "chose", "placed", "moved", "move_reason"]
    pd.testing.assert_frame_equal(ours[cols], theirs[cols])
    assert (web / "moves.csv").read_text() == (out / "moves.csv").read_text()
    assert (web / "assignment.csv").read_text() == (out / "assignment.csv").read_text()
    doc = json.loads((web / "outcome.json").read_text())["opt_in"]
    cli_doc = json.loads((out / "outcome.json").read_text())["opt_in"]
    assert doc["leaving_after_repair"] == cli_doc["leaving_after_repair"]
    assert doc["voters_moved"] == cli_doc["voters_moved"]
    return doc
