"""An opt-in referendum whose county results come from its own ballots (issue 21): each
voter states their county, only per-county counts are kept (nothing links a secret ballot
to its voter, its county or its moment), and the border repair on those counts equals
``secession referendum --rule opt-in`` on a results CSV of the same counts, on real Oregon
data.
"""

from __future__ import annotations

import csv
import html
import json

import pandas as pd
import pytest
from django.apps import apps
from django.core import serializers
from django.test import Client

from secession.web.apps.accounts.tokens import create_token
from secession.web.apps.communities.actions import found_community
from secession.web.apps.communities.forms import territory_fields
from secession.web.apps.planner import optin_counts
from secession.web.apps.planner.models import OptInCount, OptInRepair
from secession.web.apps.proposals.actions import cast_vote, close_proposal, make_proposal, set_rule
from secession.web.apps.proposals.models import Ballot, Proposal
from secession.web.errors import AlreadyVoted

from .factories import UserFactory, add_member
from .test_optin_referendum import MIN_POPULATION, same_as_the_command_line

SCALE = 8000  # one ballot per this many 2020 votes: about 290 voters, small counties none
MAJORITY = {"name": "simple-majority", "threshold": "1/2", "strict": True}
TRIO = ["41001", "41005", "41051"]  # Baker, Clackamas, Multnomah


@pytest.fixture(autouse=True)
def _planner_settings(planner_dirs) -> None:
    """Every test here runs with the planner's folders (conftest.planner_dirs)."""


def _community(founder, units: list[str], *, secret: bool = False, name: str = "Oregon Towns"):
    community = found_community(
        person=founder, name=name, **territory_fields("", "us-counties-2020", units)
    )
    if secret:
        set_rule(community, "optin_territory", rule=MAJORITY, window_minutes=60, secret=True)
    return community


def _counted(community, author, **payload):
    return make_proposal(
        community,
        person=author,
        kind="optin_territory",
        title="Each county decides by this vote",
        payload={"results_source": "platform", **payload},
    )


def _rows(proposal) -> list[tuple]:
    return list(
        OptInCount.objects.filter(proposal=proposal)
        .order_by("unit")
        .values_list("unit", "yes", "no", "abstain")
    )


def _ballots(data_dir) -> tuple[list[tuple[str, str]], dict[str, dict[str, int]]]:
    """Oregon's 2020 votes scaled down to ballots (unit, choice): yes = the Democratic
    votes, no = the Republican ones, one abstention in Lane; and the expected counts."""
    frame = pd.read_csv(data_dir / "us-president-county/2020.csv", dtype={"county_fips": str})
    frame = frame[frame["state_name"] == "Oregon"]
    ballots, expected = [], {}
    for unit, dem, gop in zip(frame.county_fips, frame.votes_dem, frame.votes_gop, strict=True):
        yes, no = round(dem / SCALE), round(gop / SCALE)
        abstain = 1 if unit == "41039" else 0
        expected[unit] = {"yes": yes, "no": no, "abstain": abstain}
        ballots += [(unit, "yes")] * yes + [(unit, "no")] * no + [(unit, "abstain")] * abstain
    return ballots, expected


@pytest.mark.django_db(transaction=True)
def test_ballot_counts_repair_equals_the_command_line(cli, tmp_path, data_dir):
    from secession.scenario.parallel import dask_client
    from secession.web.apps.planner.dispatch import Dispatcher

    ballots, expected = _ballots(data_dir)
    units = sorted(expected)
    founder = UserFactory(username="founder")
    community = _community(founder, units, secret=True)
    voters = [founder] + [add_member(community) for _ in ballots[1:]]
    proposal = _counted(community, founder, min_population=MIN_POPULATION)
    assert proposal.secret and proposal.payload["results_source"] == "platform"
    for person, (unit, choice) in zip(voters, ballots, strict=True):
        cast_vote(proposal, person=person, choice=choice, extra={"unit": unit})
    proposal.refresh_from_db()
    assert proposal.status == "closed" and proposal.passed  # everyone voted
    # the table holds exactly the ballots' counts, and sums to the proposal's own count
    assert _rows(proposal) == [(u, *expected[u].values()) for u in units]
    for choice in ("yes", "no", "abstain"):
        assert sum(c[choice] for c in expected.values()) == getattr(proposal, f"{choice}_count")
    silent = sorted(u for u, c in expected.items() if c["yes"] == c["no"] == 0)
    assert silent  # the small counties cast no ballot at this scale: they count as no yes
    repair = OptInRepair.objects.get(proposal=proposal)
    assert repair.job is not None and repair.results_name == ""
    with dask_client(workers=1, processes=False) as client:
        Dispatcher(client).run_until_idle(timeout=300)
    job = repair.job
    job.refresh_from_db()
    assert job.status == "done", job.message

    # the same per-county counts as a results CSV, on the command line
    results = tmp_path / "counts.csv"
    with results.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["unit", "yes", "no", "abstain"])
        writer.writerows([u, *expected[u].values()] for u in units)
    doc = same_as_the_command_line(cli, job, results, data_dir, tmp_path / "cli")
    assert not set(silent) & set(doc["leaving_after_repair"]) - {m["unit_id"] for m in doc["moves"]}

    page = html.unescape(Client().get(f"/plans/referendum/{proposal.pk}/").content.decode())
    assert "counted from this vote's ballots in 36 counties" in page
    assert "The vote by county" in page and "The repaired border" in page
    assert "had no yes or no vote: they count as no yes and stay out." in page
    assert "Wheeler County, OR (41069)" in page.split('id="without-votes"')[1].split("</p>")[0]
    assert "Lane County, OR (41039)" in page.split('id="county-counts"')[1]


def _dump() -> dict[tuple[str, str], str]:
    """Every row of every table, serialised: (model, key) -> its fields as JSON."""
    rows = {}
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for obj in json.loads(serializers.serialize("json", model.objects.all())):
            rows[(obj["model"], str(obj["pk"]))] = json.dumps(obj["fields"], sort_keys=True)
    return rows


@pytest.mark.django_db
def test_nothing_links_a_secret_ballot_to_its_voter_county_or_moment():
    founder = UserFactory(username="founder")
    community = _community(founder, TRIO, secret=True)
    people = [founder] + [add_member(community) for _ in range(4)]
    votes = [("41001", "yes"), ("41005", "no"), ("41051", "yes"), ("41051", "abstain")]
    first, second = _counted(community, founder), _counted(community, founder)
    # the count table holds no person, no time, nothing but the counts
    fields = {f.name for f in OptInCount._meta.get_fields()}
    assert fields == {"id", "proposal", "unit", "yes", "no", "abstain"}
    keys_before = dict(OptInCount.objects.filter(proposal=first).values_list("unit", "id"))
    assert sorted(keys_before, key=keys_before.get) == TRIO  # made at opening, in unit order
    before = _dump()
    for person, (unit, choice) in zip(people, votes, strict=False):
        cast_vote(first, person=person, choice=choice, extra={"unit": unit})
    changed = {k: v for k, v in _dump().items() if before.get(k) != v}
    # no row the votes wrote, other than the counts, names a county or a choice
    for (model, key), fields_json in changed.items():
        if model == "planner.optincount":
            continue
        fields = json.loads(fields_json)
        if model == "proposals.proposal":  # only its counters moved (secret: no choice)
            was = json.loads(before[(model, key)])
            assert {k for k in fields if fields[k] != was[k]} == {"voted_count"}
            continue
        for unit in TRIO:
            assert unit not in fields_json, (model, fields)
        if model == "proposals.secretballotpaper":  # a choice, and nothing else
            assert set(fields) == {"proposal", "choice"}
        else:
            assert fields.get("choice", "") == "", (model, fields)
            assert "yes" not in fields_json and "abstain" not in fields_json, (model, fields)
    assert {m for m, _ in changed} == {
        "planner.optincount",
        "proposals.proposal",
        "proposals.ballot",  # who voted, and when: no choice, no county
        "proposals.secretballotpaper",  # a choice: no person, no time, no county
        "audit.auditentry",  # that a person voted: no choice, no county
        "audit.audithead",  # the audit chain's head
    }
    # the count rows kept their keys: nothing in them says which vote came when
    assert dict(OptInCount.objects.filter(proposal=first).values_list("unit", "id")) == keys_before
    # the same ballots in the reverse order leave the same counts
    for person, (unit, choice) in zip(reversed(people[:4]), reversed(votes), strict=True):
        cast_vote(second, person=person, choice=choice, extra={"unit": unit})
    assert (
        _rows(first)
        == _rows(second)
        == [
            ("41001", 1, 0, 0),
            ("41005", 0, 1, 0),
            ("41051", 1, 0, 1),
        ]
    )
    # one vote each: a second is refused and moves no count
    with pytest.raises(AlreadyVoted):
        cast_vote(first, person=people[0], choice="no", extra={"unit": "41005"})
    assert _rows(first)[1] == ("41005", 0, 1, 0)
    assert not Ballot.objects.filter(proposal=first).exclude(choice="").exists()
    # closing rewrites the rows (fresh keys and storage) with the same counts
    close_proposal(first, force=True)
    assert _rows(first) == _rows(second)
    keys_after = set(OptInCount.objects.filter(proposal=first).values_list("id", flat=True))
    assert not keys_after & set(keys_before.values())


@pytest.mark.django_db
def test_the_ballot_asks_the_county_and_refuses_one_outside_the_territory():
    founder, member = UserFactory(username="founder"), UserFactory(username="member")
    community = _community(founder, TRIO)
    add_member(community, member)
    add_member(community, UserFactory(username="third"))
    proposal = _counted(community, founder)
    client = Client()
    client.force_login(member)
    page = html.unescape(client.get(f"/proposals/{proposal.pk}/").content.decode())
    assert '<select name="unit"' in page and '<optgroup label="Oregon">' in page
    assert "Baker County, OR (41001)" in page and "the platform does not check it" in page
    # the form: no county, and a county that is not the territory's, each at the field
    r = client.post(f"/proposals/{proposal.pk}/vote/", {"choice": "yes"})
    assert r.status_code == 400
    assert "Choose the county you live in." in html.unescape(r.content.decode())
    assert 'id="id_unit_error"' in r.content.decode()
    r = client.post(f"/proposals/{proposal.pk}/vote/", {"choice": "yes", "unit": "06037"})
    assert r.status_code == 400 and 'id="id_unit_error"' in r.content.decode()
    assert "The county you live in" in html.unescape(r.content.decode())
    assert _rows(proposal) == [(u, 0, 0, 0) for u in TRIO]
    r = client.post(f"/proposals/{proposal.pk}/vote/", {"choice": "no", "unit": "41005"})
    assert r.status_code == 302
    assert _rows(proposal)[1] == ("41005", 0, 1, 0)
    # the API: a 400 with the reason, never a 500
    api = Client(HTTP_AUTHORIZATION="Bearer " + create_token(founder))
    url = f"/api/proposals/{proposal.pk}/vote"
    for body, reason in (
        ({"choice": "yes"}, "Choose the county you live in."),
        ({"choice": "yes", "unit": "06037"}, "'06037' is not a county of Oregon Towns"),
    ):
        r = api.post(url, body, content_type="application/json")
        assert r.status_code == 400 and reason in r.content.decode(), r.content
    r = api.post(url, {"choice": "yes", "unit": "41051"}, content_type="application/json")
    assert r.status_code == 201, r.content
    assert _rows(proposal) == [("41001", 0, 0, 0), ("41005", 0, 1, 0), ("41051", 1, 0, 0)]
    # the counts are not shown while the vote is open (they would tell who voted where)
    assert "county-counts" not in Client().get(f"/plans/referendum/{proposal.pk}/").content.decode()
    # a referendum with uploaded results takes no county, and no file is taken for this one
    uploaded = make_proposal(
        community, person=founder, kind="optin_territory", title="Uploaded", payload={}
    )
    r = api.post(
        f"/api/proposals/{uploaded.pk}/vote",
        {"choice": "yes", "unit": "41001"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "asks only for yes, no or abstain" in r.content.decode()
    assert not founder.has_perm("planner.upload_optin_results", proposal)
    assert founder.has_perm("planner.upload_optin_results", uploaded)


@pytest.mark.django_db
def test_a_verifiable_vote_cannot_carry_a_county_refused_at_the_field():
    founder, member = UserFactory(username="founder"), UserFactory(username="member")
    community = _community(founder, TRIO)
    add_member(community, member)
    set_rule(
        community,
        "optin_territory",
        rule=MAJORITY,
        window_minutes=60,
        secret=True,
        verifiable=True,
        trustees=[founder.pk, member.pk],
        trustee_threshold=2,
    )
    client = Client()
    client.force_login(founder)
    url = f"/proposals/new/{community.slug}/?kind=optin_territory"
    page = client.get(url).content.decode()
    assert "Where the county results come from" in html.unescape(page)
    r = client.post(
        url,
        {
            "title": "By this vote",
            "results_source": "platform",
            "unit_threshold": "1/2",
            "strict": "more",
            "consent": "on",
        },
    )
    text = html.unescape(r.content.decode())
    assert r.status_code == 200 and 'id="id_results_source_error"' in text
    assert "verifiable votes, whose encrypted ballots cannot carry a county" in text
    assert not Proposal.objects.filter(kind="optin_territory").exists()
    # uploaded results stay possible under the same rule
    r = client.post(
        url,
        {
            "title": "Uploaded",
            "results_source": "upload",
            "unit_threshold": "1/2",
            "strict": "more",
        },
    )
    assert r.status_code == 302
    assert Proposal.objects.get(kind="optin_territory").payload["results_source"] == "upload"
    assert optin_counts.source_of({}) == "upload"  # proposals made before the choice existed
