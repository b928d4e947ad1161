"""The set-based paths that keep every vote and page independent of a community's size:
the electorate by count and digest (verifiable from the API), kept counts that agree with
the rows, papers found and re-issued in SQL, keyset pagination of members, ballots and
papers."""

from __future__ import annotations

import json

from django.test import Client

from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.communities.actions import leave_community
from secession.web.apps.proposals import bulk
from secession.web.apps.proposals.actions import cast_vote, close_proposal, make_proposal
from secession.web.apps.proposals.models import Ballot, SecretBallotPaper

from .factories import CommunityFactory, UserFactory, add_member


def _pages(url: str, key: str = "id", limit: int = 2) -> list:
    """Every row of a keyset-paginated list, ``limit`` at a time."""
    rows, after = [], ""
    while True:
        sep = "&" if "?" in url else "?"
        page = Client().get(f"{url}{sep}limit={limit}" + (f"&after={after}" if after else ""))
        assert page.status_code == 200, page.content
        got = page.json()
        if not got:
            return rows
        rows += got
        after = got[-1] if key is None else got[-1][key]


def test_the_electorate_is_a_count_and_a_digest_anyone_can_check(founder):
    town = CommunityFactory(name="Digest Town", founder=founder)
    people = [add_member(town, UserFactory(username=f"d{i}")) for i in range(4)]
    leave_community(town, person=people[0])  # not in the electorate
    p = make_proposal(town, person=founder, kind="resolution", title="Count us")
    entry = json.loads(AuditEntry.objects.get(action="proposal.opened", target_id=str(p.pk)).data)
    assert "eligible" not in entry  # no list of ids in the log
    assert entry["eligible_count"] == 4 == p.eligible_count
    listed = _pages(f"/api/proposals/{p.pk}/electorate", key=None)
    assert listed == sorted([founder.pk, *(x.pk for x in people[1:])])
    assert entry["electorate_digest"] == bulk.digest_of(listed) == p.electorate_digest
    assert Client().get(f"/api/proposals/{p.pk}").json()["electorate_digest"] == p.electorate_digest


def test_kept_counts_agree_with_the_rows(founder):
    town = CommunityFactory(name="Counting Town", founder=founder)
    people = [add_member(town, UserFactory(username=f"c{i}")) for i in range(5)]
    town.refresh_from_db()
    assert town.member_count == 6 == town.active_members().count()
    leave_community(town, person=people[0])
    town.refresh_from_db()
    assert town.member_count == 5
    p = make_proposal(town, person=founder, kind="resolution", title="Public")
    for person, choice in zip(people[1:], ["yes", "yes", "no", "abstain"], strict=True):
        cast_vote(p, person=person, choice=choice)
    p.refresh_from_db()
    assert (p.voted_count, p.yes_count, p.no_count, p.abstain_count) == (4, 2, 1, 1)
    assert p.voted_count == Ballot.objects.filter(proposal=p).count()
    closed = close_proposal(p, force=True)
    assert closed.result["counts"] == {"yes": 2, "no": 1, "abstain": 1}


def test_secret_papers_are_filled_at_random_and_reissued_in_sql(founder):
    town = CommunityFactory(name="Paper Town", founder=founder)
    people = [add_member(town, UserFactory(username=f"s{i}")) for i in range(6)]
    p = make_proposal(
        town,
        person=founder,
        kind="declare_independence",
        title="Go",
        payload={"from_name": "Old Country"},
    )
    assert p.secret and SecretBallotPaper.objects.filter(proposal=p, choice="").count() == 7
    for person in people[:5]:
        cast_vote(p, person=person, choice="yes")
    p.refresh_from_db()
    assert (p.yes_count, p.no_count) == (0, 0)  # no running counts of a secret vote
    assert SecretBallotPaper.objects.filter(proposal=p).exclude(choice="").count() == 5
    keys = set(SecretBallotPaper.objects.filter(proposal=p).values_list("id", flat=True))
    closed = close_proposal(p, force=True)
    papers = _pages(f"/api/proposals/{p.pk}/papers")
    assert [x["choice"] for x in papers] == ["yes"] * 5
    assert not keys & {x["id"] for x in papers}
    assert [x["id"] for x in papers] == sorted(x["id"] for x in papers)
    assert closed.result["counts"] == {"yes": 5, "no": 0, "abstain": 0}
    bad = Client().get(f"/api/proposals/{p.pk}/papers?after=not-a-key")
    assert bad.status_code == 422


def test_members_and_ballots_are_paged(founder):
    town = CommunityFactory(name="Paged Town", founder=founder)
    people = [add_member(town, UserFactory(username=f"p{i}")) for i in range(4)]
    members = _pages(f"/api/communities/{town.slug}/members")
    assert [m["person"] for m in members] == ["founder", "p0", "p1", "p2", "p3"]
    p = make_proposal(town, person=founder, kind="resolution", title="Paged")
    for person in people:
        cast_vote(p, person=person, choice="no")
    ballots = _pages(f"/api/proposals/{p.pk}/ballots")
    assert [b["voter"] for b in ballots] == ["p0", "p1", "p2", "p3"]
    assert {b["choice"] for b in ballots} == {"no"}
    page = Client().get(f"/communities/{town.slug}/members/?after=999999999").content.decode()
    assert "Next page" not in page and "removed account" not in page


def test_digest_sql_and_python_agree(founder):
    """PostgreSQL computes the digest in SQL, SQLite in Python: one definition."""
    town = CommunityFactory(name="Agree Town", founder=founder)
    for i in range(3):
        add_member(town, UserFactory(username=f"a{i}"))
    p = make_proposal(town, person=founder, kind="resolution", title="Agree")
    ids = sorted(p.eligible.values_list("person_id", flat=True))
    assert bulk.electorate_digest(p) == bulk.digest_of(ids)
