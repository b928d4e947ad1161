"""Benchmark: the platform under load and faults, on PostgreSQL behind the production server.

Loopback only, bounded, seeded. In a private PostgreSQL cluster (started here, killed
here: ``pgcluster.py``), for each community size (default 10,000 and 200,000 members;
``--full``: 10,000 and 1,000,000):

1. setup: the members are made with bulk SQL (``INSERT ... SELECT generate_series``), one
   community founded through the real action, memberships and API tokens in bulk;
2. a public and a secret proposal are opened through the real action (timed: the
   electorate is fixed with ``INSERT ... SELECT``, papers made in SQL, the audit entry
   holds a count and a digest); the size of the ``proposal.opened`` entry is recorded;
3. votes over HTTP to ``secession serve --production`` (gunicorn): ``--early`` votes one at
   a time, then the burst with ``--concurrency`` voters at once, then ``--late`` votes one at
   a time; p50/p95/p99 latency and votes per second for each phase. On the largest size,
   during the burst, one gunicorn worker and then one PostgreSQL backend serving it are
   killed with SIGKILL; voters retry what got no answer;
4. checks: every acknowledged vote is stored, none twice; ballots, kept counts, papers and
   ``vote.cast`` audit entries agree;
5. the community, proposal, members and audit pages (and two API reads) are timed;
6. both proposals are closed and tallied through the real action (timed).

Baseline in the same run: the code path of main before this change (electorate and papers
built in Python, every id in the audit entry, each vote counting all ballots and all
eligibility rows and sorting the blank papers, closing by reloading every paper), copied
below, measured in-process at ``--baseline-size`` members beside the new code at that size.

Results: ``benchmarks/results/platform.json`` and ``platform.md``, with the load average
(the machine is shared: latencies and rates are to be re-measured on a quiet machine).

    python benchmarks/bench_platform.py              # ~10 minutes
    python benchmarks/bench_platform.py --full       # 1,000,000 members, 10,000 votes
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import queue
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

from entry import run_script  # noqa: E402
from pgcluster import PrivateCluster  # noqa: E402
from secession.exceptions import SecessionError  # noqa: E402

CLI = [sys.executable, "-c", "from secession.cli import main; main()"]


# ---------------------------------------------------------------- figures


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def stats(ms: list[float], seconds: float | None = None) -> dict:
    out = {
        "n": len(ms),
        "p50_ms": percentile(ms, 0.5),
        "p95_ms": percentile(ms, 0.95),
        "p99_ms": percentile(ms, 0.99),
        "max_ms": max(ms) if ms else None,
    }
    if seconds:
        out["per_second"] = len(ms) / seconds
        out["seconds"] = seconds
    return out


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---------------------------------------------------------------- Django side


def setup_django(url: str, web_dir: Path) -> None:
    os.environ["SECESSION_DATABASE_URL"] = url
    os.environ["SECESSION_WEB_DIR"] = str(web_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "secession.web.config.settings_dev"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def bulk_people(n: int) -> None:
    """``n`` accounts b1..bn in one statement (no password: they log in by token)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO accounts_user (password, is_superuser, username, first_name, "
            "last_name, email, is_staff, is_active, date_joined, display_name) "
            "SELECT '!', false, 'b' || i, '', '', '', false, true, now(), '' "
            "FROM generate_series(1, %s) AS i",
            [n],
        )


def person_ids(n: int) -> list[int]:
    from secession.web.apps.accounts.models import User

    return list(
        User.objects.filter(username__startswith="b")
        .order_by("id")
        .values_list("id", flat=True)[:n]
    )


def bulk_community(name: str, founder, first_id: int, n: int):
    """Found ``name`` through the action, then add people ``first_id``.. as ``n - 1``
    members in one statement; the kept count set from SQL."""
    from django.db import connection

    from secession.web.apps.communities.actions import found_community
    from secession.web.apps.communities.models import Community

    community = found_community(person=founder, name=name, constitution_text="Bench.\n")
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO communities_membership (community_id, person_id, role, joined_at) "
            "SELECT %s, id, 'member', now() FROM accounts_user "
            "WHERE id >= %s AND username LIKE 'b%%' ORDER BY id LIMIT %s",
            [community.pk, first_id, n - 1],
        )
        cur.execute(
            "UPDATE communities_community SET member_count = (SELECT count(*) FROM "
            "communities_membership WHERE community_id = %s AND left_at IS NULL) "
            "WHERE id = %s",
            [community.pk, community.pk],
        )
    community.refresh_from_db()
    return Community.objects.get(pk=community.pk)


def bulk_tokens(ids: list[int], seed: int) -> dict[int, str]:
    """A bearer token per person (seeded secrets; only their digests are stored)."""
    from secession.web.apps.accounts.models import ApiToken
    from secession.web.apps.accounts.tokens import digest

    rng = random.Random(seed)
    tokens = {pid: f"sec_bench_{rng.getrandbits(128):032x}" for pid in ids}
    ApiToken.objects.bulk_create(
        [ApiToken(user_id=pid, name="bench", digest=digest(t)) for pid, t in tokens.items()],
        batch_size=5000,
    )
    return tokens


def open_proposals(community, founder) -> tuple[dict, dict]:
    """Open a public resolution and a secret independence vote; time each."""
    from secession.web.apps.audit.models import AuditEntry
    from secession.web.apps.proposals.actions import make_proposal

    out = {}
    made = {}
    for label, kind, payload in (
        ("public", "resolution", {}),
        ("secret", "declare_independence", {"from_name": "Bench Country"}),
    ):
        t0 = time.perf_counter()
        p = make_proposal(
            community, person=founder, kind=kind, title=f"Bench {label}", payload=payload
        )
        seconds = time.perf_counter() - t0
        entry = AuditEntry.objects.filter(action="proposal.opened", target_id=str(p.pk)).get()
        out[label] = {
            "seconds": seconds,
            "eligible": p.eligible_count,
            "audit_entry_bytes": len(entry.data.encode()),
            "digest": p.electorate_digest,
        }
        made[label] = p
    return out, made


def close_all(made: dict) -> dict:
    from secession.web.apps.proposals.actions import close_proposal

    out = {}
    for label, p in made.items():
        t0 = time.perf_counter()
        closed = close_proposal(p, force=True, why="benchmark")
        out[label] = {
            "seconds": time.perf_counter() - t0,
            "counts": closed.result.get("counts"),
            "voters": closed.result.get("voters"),
        }
    return out


def check_votes(p, acknowledged: set[int]) -> dict:
    """Stored ballots against the acknowledged votes and every kept count."""
    from django.db import connection

    from secession.web.apps.audit.models import AuditEntry
    from secession.web.apps.proposals.models import Ballot, Proposal

    connection.close()  # the cluster may have restarted: a fresh connection
    p = Proposal.objects.get(pk=p.pk)
    stored = set(Ballot.objects.filter(proposal=p).values_list("voter_id", flat=True))
    doubled = Ballot.objects.filter(proposal=p).count() - len(stored)
    audit = AuditEntry.objects.filter(action="vote.cast", target_id=str(p.pk)).count()
    out = {
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "lost": len(acknowledged - stored),
        "doubled": doubled,
        "stored_unacknowledged": len(stored - acknowledged),
        "voted_count_matches": p.voted_count == len(stored),
        "audit_entries_match": audit == len(stored),
    }
    if p.secret:
        filled = p.papers.exclude(choice="").count()
        out["papers_match"] = filled == len(stored)
    else:
        out["running_counts_match"] = p.yes_count + p.no_count + p.abstain_count == len(stored)
    return out


# ---------------------------------------------------------------- the old code path


def legacy_open(community, person, kind: str, secret: bool):
    """main before this change: ids in Python, rows from Python, every id audited."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from secession.web.apps.audit.log import record
    from secession.web.apps.proposals.actions import rule_for
    from secession.web.apps.proposals.models import Eligibility, Proposal, SecretBallotPaper

    shuffle = random.SystemRandom()
    with transaction.atomic():
        rule = rule_for(community, kind)
        now = timezone.now()
        voters = list(community.active_members().values_list("person_id", flat=True))
        proposal = Proposal.objects.create(
            community=community, author=person, kind=kind, title="legacy", payload={},
            rule=rule.rule, secret=secret, electorate="members", opened_at=now,
            closes_at=now + timedelta(days=1),
        )
        Eligibility.objects.bulk_create(
            [Eligibility(proposal=proposal, person_id=pid) for pid in voters]
        )
        if secret:
            papers = [SecretBallotPaper(proposal=proposal) for _ in voters]
            shuffle.shuffle(papers)
            SecretBallotPaper.objects.bulk_create(papers)
        record("proposal.opened", actor=person, community=community, target=proposal,
               data={"kind": kind, "eligible": sorted(voters)})
    proposal.eligible_count = len(voters)
    proposal.save(update_fields=["eligible_count"])
    return proposal


def legacy_vote(proposal, person, choice: str) -> None:
    """main's cast_vote: counts every ballot and eligibility row, sorts the blank papers."""
    from django.db import transaction
    from django.utils import timezone

    from secession.web.apps.audit.log import record
    from secession.web.apps.proposals.models import Ballot, Proposal, SecretBallotPaper

    shuffle = random.SystemRandom()
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        locked.eligible.filter(person=person).exists()
        Ballot.objects.create(proposal=locked, voter=person, voted_at=timezone.now(),
                              choice="" if locked.secret else choice)
        if locked.secret:
            blank = list(SecretBallotPaper.objects.filter(proposal=locked, choice="")
                         .values_list("id", flat=True)[:64])
            SecretBallotPaper.objects.filter(pk=shuffle.choice(blank)).update(choice=choice)
        record("vote.cast", actor=person, community=locked.community, target=locked,
               data={} if locked.secret else {"choice": choice})
        locked.ballots.count() >= locked.eligible.count()  # noqa: B015 - the cost measured


def legacy_close(proposal) -> None:
    """main's closing of a secret vote: every paper reloaded, shuffled, rewritten."""
    from django.db import transaction

    from secession.web.apps.proposals.models import Proposal, SecretBallotPaper

    shuffle = random.SystemRandom()
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        choices = list(SecretBallotPaper.objects.filter(proposal=locked)
                       .values_list("choice", flat=True))
        shuffle.shuffle(choices)
        SecretBallotPaper.objects.filter(proposal=locked).delete()
        SecretBallotPaper.objects.bulk_create(
            [SecretBallotPaper(proposal=locked, choice=c) for c in choices]
        )
        found = {"yes": 0, "no": 0, "abstain": 0, "": 0}
        for c in SecretBallotPaper.objects.filter(proposal=locked).values_list("choice",
                                                                                flat=True):
            found[c] += 1


def baseline(founder, size: int, votes: int, seed: int) -> dict:
    """The old path against the new one, in-process, on one community of ``size``."""
    from secession.web.apps.accounts.models import User
    from secession.web.apps.proposals.actions import cast_vote, close_proposal, make_proposal

    ids = person_ids(size)
    community = bulk_community(f"Baseline {size}", founder, ids[0], size)
    voters = list(User.objects.filter(pk__in=ids[:votes]))
    rng = random.Random(seed)
    out: dict = {"members": community.member_count}
    for label, secret in (("public", False), ("secret", True)):
        t0 = time.perf_counter()
        old = legacy_open(community, founder, "declare_independence", secret)
        t_old_open = time.perf_counter() - t0
        t0 = time.perf_counter()
        kind, payload = (
            ("declare_independence", {"from_name": "X"}) if secret else ("resolution", {})
        )
        new = make_proposal(community, person=founder, kind=kind, title="new", payload=payload)
        t_new_open = time.perf_counter() - t0
        old_ms, new_ms = [], []
        for person in voters:
            choice = rng.choice(["yes", "no", "abstain"])
            t0 = time.perf_counter()
            legacy_vote(old, person, choice)
            old_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            cast_vote(new, person=person, choice=choice)
            new_ms.append((time.perf_counter() - t0) * 1000)
        row = {
            "open_seconds": {"old": t_old_open, "new": t_new_open},
            "vote_ms_p50": {"old": percentile(old_ms, 0.5), "new": percentile(new_ms, 0.5)},
        }
        if secret:
            t0 = time.perf_counter()
            legacy_close(old)
            t_old_close = time.perf_counter() - t0
            t0 = time.perf_counter()
            close_proposal(new, force=True)
            row["close_seconds"] = {"old": t_old_close, "new": time.perf_counter() - t0}
        out[label] = row
    return out


# ---------------------------------------------------------------- the server and clients


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    log: Path

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(c) for c in path.read_text().split()]


def start_server(url: str, web_dir: Path, workers: int, threads: int) -> Server:
    from pgcluster import _free_port
    from secession.web.apps.audit.keys import write_key_file

    port = _free_port()
    key = web_dir / "audit-signing-key.pem"
    if not key.exists():
        write_key_file(key)
    env = {
        "SECESSION_AUDIT_SIGNING_KEY_FILE": str(key),
        **os.environ,
        "SECESSION_DATABASE_URL": url,
        "SECESSION_WEB_DIR": str(web_dir),
        "SECESSION_SECRET_KEY": secrets.token_urlsafe(50),
        "SECESSION_ALLOWED_HOSTS": "127.0.0.1",
        "SECESSION_ACCESS_LOG": "",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = web_dir / "server.log"
    proc = subprocess.Popen(
        [*CLI, "serve", "--production", "--port", str(port), "--workers", str(workers),
         "--threads", str(threads)],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    server = Server(proc, port, log)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SecessionError(f"the server exited: {log.read_text()[-800:]}")
        try:  # the audit head: a cheap read every site answers (no login, no data)
            if get(server, "/api/audit/head")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    raise SecessionError("the production server did not start in 180 s")


HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def get(server: Server, path: str, conn: http.client.HTTPConnection | None = None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        conn.request("GET", path, headers=HEADERS)
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        if own:
            conn.close()


@dataclass
class Voter:
    """One client connection (keep-alive) casting votes and retrying what got no answer."""

    server: Server
    conn: http.client.HTTPConnection | None = None
    retries: int = 0
    errors: dict = field(default_factory=dict)
    error_times: list = field(default_factory=list)

    def _connection(self) -> http.client.HTTPConnection:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        return self.conn

    def vote(self, proposal_id: int, token: str, choice: str) -> tuple[float, str]:
        """(milliseconds until acknowledged, outcome): 'cast' (201), 'recast' (409 after a
        retry: the first attempt was stored), or 'failed'."""
        body = json.dumps({"choice": choice})
        headers = {**HEADERS, "Authorization": f"Bearer {token}",
                   "Content-Type": "application/json"}
        t0 = time.perf_counter()
        for attempt in range(40):
            try:
                conn = self._connection()
                conn.request("POST", f"/api/proposals/{proposal_id}/vote", body, headers)
                reply = conn.getresponse()
                reply.read()
                status = reply.status
            except (OSError, http.client.HTTPException) as exc:
                self.errors[type(exc).__name__] = self.errors.get(type(exc).__name__, 0) + 1
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                status = None
            ms = (time.perf_counter() - t0) * 1000
            if status == 201:
                return ms, "cast"
            if status == 409 and attempt > 0:
                return ms, "recast"
            self.error_times.append(time.monotonic())
            if status is not None:
                self.errors[str(status)] = self.errors.get(str(status), 0) + 1
                if status < 500 and status != 429:
                    return ms, "failed"
            self.retries += 1
            time.sleep(min(0.05 * 2**attempt, 2.0))
        return (time.perf_counter() - t0) * 1000, "failed"


def run_votes(server: Server, tasks: list[tuple[int, int, str, str]], concurrency: int,
              faults=None) -> dict:
    """Cast ``tasks`` (proposal, person, token, choice) with ``concurrency`` clients."""
    todo: queue.Queue = queue.Queue()
    for i, task in enumerate(tasks):
        todo.put((i, task))
    latencies: list[tuple[int, float]] = []
    acknowledged: dict[int, set[int]] = {}
    failed = []
    lock = threading.Lock()
    voters = [Voter(server) for _ in range(concurrency)]
    done_count = [0]

    def work(voter: Voter) -> None:
        while True:
            try:
                i, (pid, person, token, choice) = todo.get_nowait()
            except queue.Empty:
                return
            ms, outcome = voter.vote(pid, token, choice)
            with lock:
                done_count[0] += 1
                if outcome == "failed":
                    failed.append((pid, person))
                else:
                    latencies.append((i, ms))
                    acknowledged.setdefault(pid, set()).add(person)

    threads = [threading.Thread(target=work, args=(v,), daemon=True) for v in voters]
    t0 = time.perf_counter()
    start = time.monotonic()
    for t in threads:
        t.start()
    fault_log = faults(lambda: done_count[0] / len(tasks)) if faults else []
    for t in threads:
        t.join(timeout=1800)
    seconds = time.perf_counter() - t0
    for v in voters:
        if v.conn is not None:
            v.conn.close()
    latencies.sort()
    ms = [m for _, m in latencies]
    tenth = max(1, len(ms) // 10)
    errors: dict = {}
    for v in voters:
        for k, n in v.errors.items():
            errors[k] = errors.get(k, 0) + n
    times = sorted(t - start for v in voters for t in v.error_times)
    for fault in fault_log:
        fault["seconds_into_burst"] = round(fault.pop("t") - start, 2)
    return {
        "latency": stats(ms, seconds),
        "first_tenth_p50_ms": percentile(ms[:tenth], 0.5),
        "last_tenth_p50_ms": percentile(ms[-tenth:], 0.5),
        "retries": sum(v.retries for v in voters),
        "errors_seen": errors,
        "errors_between_seconds": [round(times[0], 2), round(times[-1], 2)] if times else None,
        "failed": len(failed),
        "faults": fault_log,
        "acknowledged": acknowledged,
        "load": load(),
    }


def fault_injector(server: Server, cluster: PrivateCluster):
    """During the burst: SIGKILL a gunicorn worker at 30%, a PostgreSQL backend at 60%."""

    def inject(progress) -> list[dict]:
        import psycopg

        log = []

        def wait_for(share: float) -> None:
            while progress() < share:  # the tasks' progress reaches 1 even when some fail
                time.sleep(0.05)

        wait_for(0.3)
        worker = server.workers()[0]
        os.kill(worker, signal.SIGKILL)
        log.append({"at": round(progress(), 3), "killed": "gunicorn worker", "pid": worker,
                    "t": time.monotonic()})
        wait_for(0.6)
        with psycopg.connect(cluster.url.replace("postgres://", "postgresql://"),
                             autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid, state FROM pg_stat_activity WHERE datname = 'bench' "
                "AND backend_type = 'client backend' AND pid <> pg_backend_pid() "
                "ORDER BY (state = 'active') DESC, (state LIKE 'idle in%%') DESC"
            ).fetchall()
        if rows:
            pid, state = rows[0]
            os.kill(pid, signal.SIGKILL)  # the postmaster then restarts every backend
            log.append({"at": round(progress(), 3), "killed": "postgres backend",
                        "pid": pid, "state": state, "t": time.monotonic()})
        return log

    return inject


def time_pages(server: Server, paths: dict[str, str], repeat: int) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    out = {}
    for name, path in paths.items():
        get(server, path, conn)  # warm
        ms, size, status = [], 0, None
        # the audit page verifies the whole chain on every view (issue 19, part A): fewer
        for _ in range(min(repeat, 10) if path.startswith("/audit") else repeat):
            t0 = time.perf_counter()
            status, body = get(server, path, conn)
            ms.append((time.perf_counter() - t0) * 1000)
            size = len(body)
        out[name] = {**stats(ms), "status": status, "bytes": size, "path": path}
    conn.close()
    return out


# ---------------------------------------------------------------- one size


def bench_size(size: int, args, founder, server, cluster, tokens, ids, last: bool) -> dict:
    from django.db import connection

    rng = random.Random(args.seed + size)
    print(f"[{size:,} members] community ...", flush=True)
    t0 = time.perf_counter()
    community = bulk_community(f"Bench {size}", founder, ids[0], size)
    setup_seconds = time.perf_counter() - t0
    opened, made = open_proposals(community, founder)
    print(f"[{size:,}] opened: " + ", ".join(f"{k} {v['seconds']:.2f} s" for k, v in
                                              opened.items()), flush=True)
    per = args.votes // 2
    voters = ids[:per]
    tasks = []
    for label in ("public", "secret"):
        pid = made[label].pk
        tasks += [(pid, v, tokens[v], rng.choice(["yes", "no", "abstain"])) for v in voters]
    rng.shuffle(tasks)
    early, burst, late = (
        tasks[: args.early],
        tasks[args.early : len(tasks) - args.late],
        tasks[len(tasks) - args.late :],
    )
    # a checkpoint after the bulk setup (as a running server's regular ones would have
    # made): crash recovery then replays the votes' WAL, not the million rows of setup
    with connection.cursor() as cur:
        cur.execute("CHECKPOINT")
    connection.close()
    phases = {}
    print(f"[{size:,}] {len(early)} early votes one at a time ...", flush=True)
    phases["early_serial"] = run_votes(server, early, 1)
    print(f"[{size:,}] burst of {len(burst)} votes, {args.concurrency} voters"
          + (" (with SIGKILL faults)" if last and args.faults else "") + " ...", flush=True)
    faults = fault_injector(server, cluster) if last and args.faults else None
    phases["burst"] = run_votes(server, burst, args.concurrency, faults)
    if faults:
        cluster.wait_ready()
    print(f"[{size:,}] {len(late)} late votes one at a time ...", flush=True)
    phases["late_serial"] = run_votes(server, late, 1)
    acknowledged: dict[int, set[int]] = {}
    for ph in phases.values():
        for pid, people in ph.pop("acknowledged").items():
            acknowledged.setdefault(pid, set()).update(people)
    checks = {label: check_votes(p, acknowledged.get(p.pk, set())) for label, p in made.items()}
    print(f"[{size:,}] checks: " + json.dumps({k: {"lost": v["lost"], "doubled": v["doubled"]}
                                                for k, v in checks.items()}), flush=True)
    pages = time_pages(
        server,
        {
            "community page": f"/communities/{community.slug}/",
            "members page": f"/communities/{community.slug}/members/",
            "public proposal page": f"/proposals/{made['public'].pk}/",
            "secret proposal page": f"/proposals/{made['secret'].pk}/",
            "audit page (community)": f"/audit/?community={community.pk}",
            "API community": f"/api/communities/{community.slug}",
            "API proposal": f"/api/proposals/{made['public'].pk}",
        },
        args.page_repeat,
    )
    connection.close()
    closed = close_all(made)
    print(f"[{size:,}] closed: " + ", ".join(f"{k} {v['seconds']:.2f} s" for k, v in
                                              closed.items()), flush=True)
    closed_pages = time_pages(
        server, {"secret proposal page (closed)": f"/proposals/{made['secret'].pk}/"},
        args.page_repeat,
    )
    return {
        "members": community.member_count,
        "setup_seconds": setup_seconds,
        "open": opened,
        "votes": phases,
        "checks": checks,
        "pages": {**pages, **closed_pages},
        "close": closed,
        "load": load(),
    }


# ---------------------------------------------------------------- report


def markdown(result: dict) -> str:
    lines = [
        "# Platform under load (`benchmarks/bench_platform.py`)",
        "",
        f"Command: `{result['command']}`. Machine: {result['machine']}; load average "
        f"before {result['load_before']}, after {result['load_after']} (a shared 2-core "
        "machine: latencies and rates are to be re-measured on a quiet one; the "
        "side-by-side ratios and the lost/doubled checks are the figures that carry).",
        "",
        "PostgreSQL 15 in a private cluster started by the benchmark, behind "
        f"`secession serve --production` ({result['workers']} gunicorn workers x "
        f"{result['threads']} threads), loopback only.",
        "",
        "## Votes",
        "",
        "| members | phase | votes | p50 ms | p95 ms | p99 ms | votes/s | first 10% p50 | "
        "last 10% p50 | retries | lost | doubled |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def f(x, d=1):
        return "–" if x is None else f"{x:,.{d}f}"

    for size in result["sizes"]:
        r = result["by_size"][str(size)]
        lost = sum(c["lost"] for c in r["checks"].values())
        doubled = sum(c["doubled"] for c in r["checks"].values())
        for phase, ph in r["votes"].items():
            lat = ph["latency"]
            lines.append(
                f"| {r['members']:,} | {phase} | {lat['n']:,} | {f(lat['p50_ms'])} | "
                f"{f(lat['p95_ms'])} | {f(lat['p99_ms'])} | {f(lat.get('per_second'))} | "
                f"{f(ph['first_tenth_p50_ms'])} | {f(ph['last_tenth_p50_ms'])} | "
                f"{ph['retries']} | {lost} | {doubled} |"
            )
    lines += ["", "Faults injected during the last burst (SIGKILL):", ""]
    last = result["by_size"][str(result["sizes"][-1])]
    for fault in last["votes"]["burst"]["faults"]:
        lines.append(
            f"- at {fault['at']:.0%} of the burst ({fault['seconds_into_burst']} s): "
            f"{fault['killed']} (pid {fault['pid']})"
        )
    burst = last["votes"]["burst"]
    lines.append(
        f"- failed attempts meanwhile (each retried): {burst['errors_seen']}, between "
        f"{burst['errors_between_seconds']} s into the burst"
    )
    lines += ["", "Checks after the votes (every acknowledged vote stored, none twice, the "
              "kept counts, papers and audit entries agree):", ""]
    for size in result["sizes"]:
        for label, c in result["by_size"][str(size)]["checks"].items():
            lines.append(f"- {size:,} members, {label}: {json.dumps(c)}")
    lines += [
        "",
        "## Opening and closing (through the actions, in SQL)",
        "",
        "| members | proposal | open s | `proposal.opened` entry bytes | close + tally s |",
        "|---|---|---|---|---|",
    ]
    for size in result["sizes"]:
        r = result["by_size"][str(size)]
        for label in ("public", "secret"):
            lines.append(
                f"| {r['members']:,} | {label} | {r['open'][label]['seconds']:.2f} | "
                f"{r['open'][label]['audit_entry_bytes']:,} | {r['close'][label]['seconds']:.2f} |"
            )
    lines += ["", "## Pages (sequential, warm; ms)", "",
              "| members | page | p50 | p95 | bytes | status |", "|---|---|---|---|---|---|"]
    for size in result["sizes"]:
        r = result["by_size"][str(size)]
        for name, p in r["pages"].items():
            lines.append(f"| {r['members']:,} | {name} | {f(p['p50_ms'])} | {f(p['p95_ms'])} | "
                         f"{p['bytes']:,} | {p['status']} |")
    b = result["baseline"]
    lines += [
        "",
        f"## Baseline: main's code path against this one, in-process, {b['members']:,} members",
        "",
        "| ballot | open s old | open s new | vote p50 ms old | vote p50 ms new | "
        "close s old | close s new |",
        "|---|---|---|---|---|---|---|",
    ]
    for label in ("public", "secret"):
        row = b[label]
        close = row.get("close_seconds", {})
        lines.append(
            f"| {label} | {row['open_seconds']['old']:.2f} | {row['open_seconds']['new']:.2f} | "
            f"{f(row['vote_ms_p50']['old'])} | {f(row['vote_ms_p50']['new'])} | "
            f"{f(close.get('old'), 2)} | {f(close.get('new'), 2)} |"
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main


def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,200000",
                    type=lambda s: [int(x) for x in s.split(",")],
                    help="community sizes, comma-separated (default 10000,200000)")
    ap.add_argument("--votes", type=int, default=4000, help="votes per size (two proposals)")
    ap.add_argument("--concurrency", type=int, default=200, help="voters at once in the burst")
    ap.add_argument("--early", type=int, default=150, help="serial votes before the burst")
    ap.add_argument("--late", type=int, default=150, help="serial votes after the burst")
    ap.add_argument("--baseline-size", type=int, default=50_000)
    ap.add_argument("--baseline-votes", type=int, default=100)
    ap.add_argument("--page-repeat", type=int, default=40)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--no-faults", dest="faults", action="store_false")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--full", action="store_true",
                    help="the issue's sizes: 10,000 and 1,000,000 members, 10,000 votes")
    ap.add_argument("--out", default=str(RESULTS / "platform"))
    args = ap.parse_args(argv)
    if args.full:
        args.sizes, args.votes = [10_000, 1_000_000], 10_000
    if args.votes // 2 > min(args.sizes) or args.early + args.late >= args.votes:
        ap.error("--votes must be at most twice the smallest size and exceed --early + --late")
    return args


def main(argv=None) -> int:
    args = parse(argv)
    command = "python benchmarks/bench_platform.py " + " ".join(argv or sys.argv[1:])
    load_before = load()
    started = time.perf_counter()
    with PrivateCluster(max_connections=300) as cluster, \
            tempfile.TemporaryDirectory(prefix="secession-bench-") as tmp:
        web_dir = Path(tmp)
        setup_django(cluster.url, web_dir)
        from secession.web.apps.accounts.models import User

        print(f"bulk accounts: {max(args.sizes):,} ...", flush=True)
        t0 = time.perf_counter()
        bulk_people(max(args.sizes, default=0) + 1)
        people_seconds = time.perf_counter() - t0
        founder = User.objects.create(username="bench-founder", password="!")
        ids = person_ids(max(args.sizes))
        tokens = bulk_tokens(ids[: args.votes // 2], args.seed)
        print(f"baseline at {args.baseline_size:,} members ...", flush=True)
        base = baseline(founder, min(args.baseline_size, max(args.sizes)),
                        args.baseline_votes, args.seed)
        from django.db import connection

        connection.close()
        server = start_server(cluster.url, web_dir, args.workers, args.threads)
        try:
            by_size = {}
            for n, size in enumerate(args.sizes):
                by_size[str(size)] = bench_size(size, args, founder, server, cluster, tokens,
                                                ids, last=n == len(args.sizes) - 1)
        finally:
            server.proc.send_signal(signal.SIGTERM)
            try:
                server.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.proc.kill()
        server_log = server.log.read_text()
    result = {
        "command": command.strip(),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "load_before": load_before,
        "load_after": load(),
        "seconds": time.perf_counter() - started,
        "sizes": args.sizes,
        "workers": args.workers,
        "threads": args.threads,
        "concurrency": args.concurrency,
        "bulk_accounts_seconds": people_seconds,
        "baseline": base,
        "by_size": by_size,
        "server_errors_logged": server_log.count("unexpected error"),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str))
    out.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))
    lost = sum(c["lost"] + c["doubled"] for r in by_size.values() for c in r["checks"].values())
    return 1 if lost else 0


if __name__ == "__main__":
    run_script(main)
