"""Many members voting at once from parallel threads against the real database (SQLite
file or PostgreSQL): every vote counted once, second votes refused, no vote after close."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from secession.web.apps.audit.log import verify
from secession.web.apps.proposals.actions import cast_vote, make_proposal
from secession.web.apps.proposals.models import Ballot, Proposal
from secession.web.errors import AlreadyVoted, VotingClosed

from .factories import CommunityFactory, UserFactory, add_member

N = 16


def run_parallel(jobs):
    """Run ``jobs`` (callables) in threads released together; return their outcomes."""
    barrier = threading.Barrier(len(jobs))
    outcomes: list[str] = [""] * len(jobs)

    def worker(i, job):
        try:
            barrier.wait(timeout=30)
            job()
            outcomes[i] = "ok"
        except (AlreadyVoted, VotingClosed) as exc:
            outcomes[i] = type(exc).__name__
        except Exception as exc:  # a database error would show up here
            outcomes[i] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    return outcomes


@pytest.fixture
def electorate(transactional_db):
    founder = UserFactory(username="founder")
    town = CommunityFactory(name="Busy Town", founder=founder)
    voters = [add_member(town, UserFactory(username=f"v{i:02d}")) for i in range(N)]
    return town, founder, voters


@pytest.mark.parametrize("secret", [False, True], ids=["public", "secret"])
def test_parallel_votes_counted_once(electorate, secret):
    town, founder, voters = electorate
    kind = "declare_independence" if secret else "resolution"
    payload = {"from_name": "Old Country"} if secret else {}
    p = make_proposal(town, person=founder, kind=kind, title="Busy", payload=payload)
    assert p.secret is secret and p.eligible.count() == N + 1
    choices = ["yes" if i % 3 else "no" for i in range(N)]
    jobs = [
        (lambda v=v, c=c: cast_vote(p, person=v, choice=c))
        for v, c in zip(voters, choices, strict=True)
    ]
    assert run_parallel(jobs) == ["ok"] * N
    assert Ballot.objects.filter(proposal=p).count() == N
    expected = Counter(choices)
    if secret:
        filled = Counter(p.papers.exclude(choice="").values_list("choice", flat=True))
        assert filled == expected and p.papers.filter(choice="").count() == 1
    else:
        assert Counter(p.ballots.values_list("choice", flat=True)) == expected

    # everyone tries again at once: all refused, nothing changes
    again = [(lambda v=v: cast_vote(p, person=v, choice="yes")) for v in voters]
    assert run_parallel(again) == ["AlreadyVoted"] * N
    assert Ballot.objects.filter(proposal=p).count() == N

    # after the window: every vote refused, including the one who had not voted
    Proposal.objects.filter(pk=p.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    late = [(lambda v=v: cast_vote(p, person=v, choice="yes")) for v in [founder, *voters[:3]]]
    assert run_parallel(late) == ["VotingClosed"] * 4
    assert Ballot.objects.filter(proposal=p).count() == N
    assert verify().ok


def test_same_member_from_many_threads_votes_once(electorate):
    town, founder, voters = electorate
    p = make_proposal(town, person=founder, kind="resolution", title="Race")
    outcomes = run_parallel([(lambda: cast_vote(p, person=voters[0], choice="yes"))] * 8)
    assert sorted(outcomes) == ["AlreadyVoted"] * 7 + ["ok"]
    assert Ballot.objects.filter(proposal=p, voter=voters[0]).count() == 1


def test_last_votes_close_exactly_once(electorate):
    town, founder, voters = electorate
    p = make_proposal(town, person=founder, kind="resolution", title="Finish")
    everyone = [founder, *voters]
    outcomes = run_parallel([(lambda v=v: cast_vote(p, person=v, choice="yes")) for v in everyone])
    assert outcomes == ["ok"] * (N + 1)
    p.refresh_from_db()
    assert p.status == "closed" and p.passed is True and p.result["voters"] == N + 1
    from secession.web.apps.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="proposal.closed", target_id=str(p.pk)).count() == 1
    assert verify().ok


def test_parallel_login_guesses_cannot_pass_the_limit(transactional_db):
    """Twelve wrong guesses at once for one account from one address: exactly the limit
    of them reach the password check; the rest are locked out."""
    from django.conf import settings
    from django.test import RequestFactory

    from secession.web.apps.accounts.throttle import LockedOut, check_login

    UserFactory(username="target")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.9")
    barrier = threading.Barrier(12)
    outcomes: list[str] = []
    lock = threading.Lock()

    def guess():
        try:
            barrier.wait(timeout=30)
            result = check_login(request, "target", "wrong guess")
            outcome = "wrong" if result is None else "let in"
        except LockedOut:
            outcome = "locked"
        except Exception as exc:  # a database error would show up here
            outcome = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    limit = settings.LOGIN_FAILURE_LIMIT
    assert Counter(outcomes) == {"wrong": limit, "locked": 12 - limit}


# ---------------------------------------------------------------- alliances
ALLIANCE_N = 12


@pytest.fixture
def alliance_of_many(transactional_db):
    """An open-admission, weighted alliance of ALLIANCE_N communities of two members each."""
    from .factories import found_alliance_by_vote, pass_by_vote

    heads, seconds, communities = [], [], []
    for i in range(ALLIANCE_N):
        head = UserFactory(username=f"h{i:02d}")
        c = CommunityFactory(name=f"Town {i:02d}", founder=head)
        seconds.append(add_member(c, UserFactory(username=f"s{i:02d}")))
        heads.append(head)
        communities.append(c)
    league = found_alliance_by_vote(
        communities[0], heads[0], method="weighted", admission="open", name="Many"
    )
    for c, head in zip(communities[1:], heads[1:], strict=True):
        pass_by_vote(c, head, "join_alliance", {"alliance": league.slug})
    return league, communities, heads, seconds


def _check_counted_once(proposal, expected_choices):
    from secession.web.apps.alliances.models import AllianceProposal, CommunityBallot
    from secession.web.apps.audit.models import AuditEntry

    proposal = AllianceProposal.objects.get(pk=proposal.pk)
    assert proposal.status == "closed"
    ballots = CommunityBallot.objects.filter(proposal=proposal)
    assert ballots.count() == ALLIANCE_N
    assert sorted(ballots.values_list("community__slug", flat=True)) == sorted(expected_choices)
    assert {b.community.slug: b.choice for b in ballots.select_related("community")} == (
        expected_choices
    )
    rows = proposal.result["communities"]
    assert sorted(r["community"] for r in rows) == sorted(expected_choices)  # each once
    closed = AuditEntry.objects.filter(
        action="alliance.proposal_closed", target_id=str(proposal.pk)
    )
    assert closed.count() == 1
    voted = AuditEntry.objects.filter(action="alliance.community_voted")
    assert voted.count() == ALLIANCE_N
    assert verify().ok
    return proposal


def test_many_communities_last_votes_close_at_once(alliance_of_many):
    """Every community's last member votes at the same moment: each vote closes that
    community's own vote, which casts its ballot; the alliance vote closes exactly once."""
    from secession.web.apps.alliances.decisions import make_alliance_proposal

    league, communities, heads, seconds = alliance_of_many
    p = make_alliance_proposal(
        league, person=heads[0], community=communities[0], kind="resolution", title="All at once"
    )
    own = {e.community_id: e.internal for e in p.eligible.all()}
    for c, head in zip(communities, heads, strict=True):
        cast_vote(own[c.pk], person=head, choice="yes")
    choices = ["yes" if i % 3 else "no" for i in range(ALLIANCE_N)]
    jobs = [
        (lambda c=c, s=s, ch=ch: cast_vote(own[c.pk], person=s, choice=ch))
        for c, s, ch in zip(communities, seconds, choices, strict=True)
    ]
    assert run_parallel(jobs) == ["ok"] * ALLIANCE_N
    # each community: 1 yes + its second's choice; a 1-1 tie fails a majority -> "no"
    expected = {c.slug: ch for c, ch in zip(communities, choices, strict=True)}
    p = _check_counted_once(p, expected)
    yes = sum(1 for ch in choices if ch == "yes")
    # by hand: a "yes" community casts 2 of 2; a "no" one splits 1 yes : 1 no
    assert p.result["totals"]["weight"]["yes"]["exact"] == str(2 * yes + (ALLIANCE_N - yes))
    assert p.passed is True


@pytest.mark.parametrize("closers", ["scheduler", "first reads"])
def test_many_due_community_votes_closed_at_once_each_counted_once(alliance_of_many, closers):
    """The windows have ended: several schedulers (or page reads of every community and of
    the alliance) close everything at the same moment; each community is counted once."""
    from django.test import Client

    from secession.web.apps.alliances.decisions import (
        close_due_alliance_proposals,
        make_alliance_proposal,
    )
    from secession.web.apps.alliances.models import AllianceProposal
    from secession.web.apps.proposals.actions import close_due_proposals

    league, communities, heads, _ = alliance_of_many
    p = make_alliance_proposal(
        league, person=heads[0], community=communities[0], kind="resolution", title="Due"
    )
    own = {e.community_id: e.internal for e in p.eligible.all()}
    for i, (c, head) in enumerate(zip(communities, heads, strict=True)):
        if i % 4:  # a quarter of the communities: nobody votes
            cast_vote(own[c.pk], person=head, choice="yes" if i % 2 else "no")
    past = timezone.now() - timedelta(seconds=1)
    Proposal.objects.filter(pk__in=[x.pk for x in own.values()]).update(closes_at=past)
    AllianceProposal.objects.filter(pk=p.pk).update(closes_at=past)
    if closers == "scheduler":

        def scheduler():
            close_due_proposals()
            close_due_alliance_proposals()

        jobs = [scheduler] * 4
    else:
        jobs = [
            (lambda slug=c.slug: Client().get(f"/communities/{slug}/")) for c in communities
        ] + [(lambda: Client().get(f"/alliances/{league.slug}/"))] * 2
    outcomes = run_parallel(jobs)
    assert outcomes == ["ok"] * len(jobs)
    close_due_alliance_proposals()  # a page read may have come before every close
    expected = {
        c.slug: ("none" if i % 4 == 0 else "yes" if i % 2 else "no")
        for i, c in enumerate(communities)
    }
    _check_counted_once(p, expected)
