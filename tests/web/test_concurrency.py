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
