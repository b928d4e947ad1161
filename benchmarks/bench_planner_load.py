"""Benchmark: 20 plan jobs queued at once on the real platform; the pages while they run.

Loopback only, seeded. In a private PostgreSQL cluster (``pgcluster.py``), behind
``secession serve --production`` (gunicorn) and the ``plan_worker`` (a local Dask cluster of
``--running`` processes), both started here as separate processes, as a site runs them:

1. setup: ``--people`` accounts with passwords and a community (through the real actions);
   the planner's limits set (``SECESSION_PLAN_MAX_RUNNING`` = ``--running``,
   ``..._MAX_PER_PERSON`` = jobs per person, ``..._MAX_QUEUED`` = ``--jobs``) so every job
   is accepted and ``--running`` run at a time;
2. every person signs in over HTTP (the login form, its CSRF token, the session cookie);
   one warm-up plan is run to the end (its page is the "done plan" page below);
3. **baseline**: the page set (home, community list, a community page, the plan list, a
   plan's status endpoint, the done plan's page) timed ``--rounds`` times, no job running;
4. **load**: the ``--jobs`` jobs (real US county results: several states and directions,
   seeded) are posted at once, one thread per person; one more by a person at their limit
   must be refused (429). While any runs, the page set is timed again in a loop, and each
   job's status is polled once a second as its page's progress script does;
5. checks: every job done; at most ``--running`` ran at once (from their start and end
   times); each job's ``assignment.csv`` and ``summary.json``, downloaded from its page,
   equal those of ``secession plan`` run with the same data, constraints and seed (in
   this process, after the load; timings left out of the comparison).

Results: ``benchmarks/results/planner_load.json`` and ``.md`` with the load average (the
machine is shared: latencies are to be re-measured on a quiet one; the loaded/baseline
ratios and the checks are the figures that carry). Exit status 1 when a check fails.

    SECESSION_DATA=/work/shared/data python benchmarks/bench_planner_load.py
    SECESSION_DATA=/work/shared/data python benchmarks/bench_planner_load.py --quick
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE))

from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from bench_platform import HEADERS, load, setup_django, start_server, stats  # noqa: E402
from entry import run_script  # noqa: E402
from pgcluster import PrivateCluster  # noqa: E402
from secession.exceptions import SecessionError  # noqa: E402
from secession.settings import data_file  # noqa: E402

console = Console(stderr=True)
PASSWORD = "a long bench passphrase 21"

# Places and constraints the jobs are drawn from (seeded): small and mid-sized states and
# pairs of states, each side leaving, with and without a minimum size; the exact solver
# proves these optimal in seconds, so a plan does not depend on how loaded the machine is.
PLACES = [["OR"], ["NH", "VT"], ["CO"], ["ID"], ["NV"], ["ME"], ["MA"], ["CT", "RI"],
          ["DE", "MD"], ["NM"], ["UT"], ["WY", "MT"], ["WA"], ["AZ"], ["NE"]]
QUICK_PLACES = [["DE"], ["RI"], ["NH", "VT"], ["CT"]]
MIN_POPULATION = [0.0, 50_000.0, 100_000.0]


# ---------------------------------------------------------------- the jobs


def job_specs(n: int, seed: int, places: list[list[str]], time_limit: float) -> list[dict]:
    """``n`` plan requests (``POST /api/plans`` bodies), seeded."""
    rng = random.Random(seed)
    specs = []
    for i in range(n):
        place = places[i % len(places)]
        specs.append({
            "title": f"Load {i + 1}: {'+'.join(place)}",
            "year": 2020,
            "place": place,
            "direction": rng.choice(["dem", "gop"]),
            "constraints": {"min_population": rng.choice(MIN_POPULATION)},
            "solver": "exact",
            "seed": rng.randrange(1000),
            "time_limit": time_limit,
        })
    return specs


def cli_args(spec: dict, data_dir: str, out: Path) -> list[str]:
    """The ``secession plan`` command line that makes the same plan as ``spec``."""
    args = ["plan"]
    for state in spec["place"]:
        args += ["--state", state]
    return [
        *args,
        "--year", str(spec["year"]), "--leave", spec["direction"],
        "--min-population", str(spec["constraints"]["min_population"]),
        "--solver", spec["solver"], "--seed", str(spec["seed"]),
        "--time-limit", str(spec["time_limit"]), "--no-maps",
        "--data-dir", data_dir, "--out", str(out),
    ]  # fmt: skip


def untimed(value):
    """``value`` without timings (keys naming seconds or time, node counts)."""
    if isinstance(value, dict):
        return {k: untimed(v) for k, v in value.items()
                if "second" not in k and "time" not in k and k != "nodes"}
    if isinstance(value, list):
        return [untimed(v) for v in value]
    return value


# ---------------------------------------------------------------- a signed-in browser


class Visitor:
    """One person's keep-alive connection with its cookies (the session, the CSRF token)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None) -> tuple[int, bytes, float]:
        """(status, body, milliseconds); a dropped connection is opened again once."""
        head = {**HEADERS, "Origin": "https://127.0.0.1", "Referer": "https://127.0.0.1/",
                **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            t0 = time.perf_counter()
            try:
                self.conn.request(method, path, body, head)
                reply = self.conn.getresponse()
                data = reply.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
                continue
            ms = (time.perf_counter() - t0) * 1000
            for line in reply.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(line).items():
                    self.cookies[name] = morsel.value
            return reply.status, data, ms
        raise AssertionError("unreachable")

    def get(self, path: str) -> tuple[int, bytes, float]:
        return self.request("GET", path)

    def sign_in(self, username: str, password: str) -> None:
        status, page, _ = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise SecessionError(f"the login page answered {status} without a form")
        body = urlencode({"csrfmiddlewaretoken": token.group(1).decode(),
                          "username": username, "password": password}).encode()
        status, page, _ = self.request(
            "POST", "/accounts/login/", body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SecessionError(f"{username} could not sign in: {status} {page[:300]!r}")

    def post_form(self, path: str, data: dict) -> int:
        status, _, _ = self.request(
            "POST", path, urlencode(data).encode(),
            {"Content-Type": "application/x-www-form-urlencoded",
             "X-CSRFToken": self.cookies.get("csrftoken", "")},
        )
        return status

    def post_json(self, path: str, data: dict) -> tuple[int, dict]:
        status, body, _ = self.request(
            "POST", path, json.dumps(data).encode(),
            {"Content-Type": "application/json", "X-CSRFToken": self.cookies.get("csrftoken", "")},
        )
        return status, json.loads(body or b"{}")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


# ---------------------------------------------------------------- the platform


def make_people(n: int) -> tuple[list[str], str]:
    """``n`` accounts (with passwords) and a community founded by the first; its slug."""
    from secession.web.apps.accounts.models import User
    from secession.web.apps.communities.actions import found_community, join_community

    names = [f"planner{i + 1}" for i in range(n)]
    people = [User.objects.create_user(username=u, password=PASSWORD) for u in names]
    community = found_community(person=people[0], name="Load Valley",
                                constitution_text="We plan together.\n")
    for p in people[1:]:
        join_community(community, person=p)
    return names, community.slug


def start_worker(web_dir: Path) -> subprocess.Popen:
    """``plan_worker`` with the server's settings and environment."""
    log = (web_dir / "worker.log").open("w")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "secession.web.config.settings_dev"}
    return subprocess.Popen([sys.executable, "-m", "django", "plan_worker"], env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT if "plan_worker" in proc.args else signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wait_done(visitor: Visitor, job_id: str, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, body, _ = visitor.get(f"/api/plans/{job_id}")
        row = json.loads(body)
        if status == 200 and row["status"] not in ("queued", "running"):
            return row
        time.sleep(0.5)
    raise SecessionError(f"plan {job_id} did not finish in {timeout:.0f} s")


# ---------------------------------------------------------------- the pages


def page_set(slug: str, status_of: str, done: str) -> dict[str, str]:
    return {
        "home": "/",
        "community list": "/communities/",
        "community page": f"/communities/{slug}/",
        "plan list": "/plans/",
        "plan status": f"/plans/{status_of}/status.json",
        "done plan page": f"/plans/{done}/",
    }


def time_round(visitor: Visitor, paths: dict[str, str], into: dict[str, list[float]],
               bad: list) -> None:
    for name, path in paths.items():
        status, _, ms = visitor.get(path)
        if status != 200:
            bad.append({"page": name, "path": path, "status": status})
        into.setdefault(name, []).append(ms)


# ---------------------------------------------------------------- the load


def run_load(port: int, people: list[Visitor], specs: list[dict], slug: str, done_id: str,
             timeout: float) -> dict:
    """Post every job at once, time the pages while any runs, poll each job's status."""
    per = -(-len(specs) // len(people))
    accepted: list[tuple[int, dict]] = []
    refused: list[dict] = []
    lock = threading.Lock()
    gate = threading.Barrier(len(people))

    def post_all(k: int) -> None:
        gate.wait()
        for i in range(k * per, min((k + 1) * per, len(specs))):
            status, row = people[k].post_json("/api/plans", specs[i])
            with lock:
                (accepted.append((i, row)) if status == 201
                 else refused.append({"job": i, "status": status, "detail": row}))

    t0 = time.perf_counter()
    posters = [threading.Thread(target=post_all, args=(k,)) for k in range(len(people))]
    for t in posters:
        t.start()
    for t in posters:
        t.join()
    post_seconds = time.perf_counter() - t0
    # one more by the person whose first job was queued last (their jobs are all waiting)
    first = {}
    for i, row in accepted:
        first[i // per] = min(first.get(i // per, row["created_at"]), row["created_at"])
    last = max(first, key=first.get) if first else 0
    over, detail = people[last].post_json("/api/plans", specs[last * per])
    ids = {i: row["id"] for i, row in accepted}
    final: dict[int, dict] = {}
    samples: dict[str, list[float]] = {}
    bad: list = []
    polls = [0]
    pagers: dict[int, Visitor] = {}  # a job's status is its owner's alone: time it as them
    stop_polling = threading.Event()

    def poll() -> None:  # each job's page polls its status, as progress.js does
        while not stop_polling.is_set():
            for i, job_id in ids.items():
                if i in final:
                    continue
                status, body, _ = people[i // per].get(f"/plans/{job_id}/status.json")
                row = json.loads(body) if status == 200 else {}
                polls[0] += 1
                if row.get("status") not in (None, "queued", "running"):
                    final[i] = row
            stop_polling.wait(1.0)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    rounds = 0
    deadline = time.monotonic() + timeout
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}"
                  "/{task.total} jobs"), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("jobs running, pages timed", total=len(ids))
        while len(final) < len(ids) and time.monotonic() < deadline:
            i, running = next(((i, j) for i, j in ids.items() if i not in final), (0, done_id))
            if i // per not in pagers:
                pagers[i // per] = Visitor(port)
                pagers[i // per].cookies = dict(people[i // per].cookies)
            pager = pagers[i // per]
            time_round(pager, page_set(slug, running, done_id), samples, bad)
            rounds += 1
            bar.update(task, completed=len(final))
        bar.update(task, completed=len(final))
    stop_polling.set()
    poller.join(timeout=30)
    for pager in pagers.values():
        pager.close()
    return {
        "post_seconds": post_seconds, "accepted": len(accepted), "refused": refused,
        "over_limit_status": over, "over_limit_detail": detail.get("detail"),
        "ids": ids, "final": final, "rounds": rounds, "samples": samples, "bad_pages": bad,
        "status_polls": polls[0], "seconds": time.perf_counter() - t0, "load": load(),
    }


def most_at_once(rows: list[dict]) -> int:
    """The largest number of jobs running at one moment (from their start and end times)."""
    from datetime import datetime

    events = []
    for row in rows:
        if row.get("started_at") and row.get("finished_at"):
            events += [(datetime.fromisoformat(row["started_at"]), 1),
                       (datetime.fromisoformat(row["finished_at"]), -1)]
    now = best = 0
    for _, step in sorted(events, key=lambda e: (e[0], e[1])):
        now += step
        best = max(best, now)
    return best


# ---------------------------------------------------------------- checks against the CLI


def compare(visitor: Visitor, job_id: str, spec: dict, data_dir: str, tmp: Path) -> dict:
    """The job's files (over HTTP) against ``secession plan`` with the same inputs."""
    from secession.cli.app import run

    out = tmp / f"cli-{job_id}"
    with contextlib.redirect_stdout(io.StringIO()):
        code = run(cli_args(spec, data_dir, out))
    if code != 0:
        return {"equal": False, "why": f"secession plan exited {code}"}
    _, assignment, _ = visitor.get(f"/plans/{job_id}/files/assignment.csv")
    _, summary, _ = visitor.get(f"/plans/{job_id}/files/summary.json")
    ours, theirs = json.loads(summary), json.loads((out / "summary.json").read_text())
    same_units = assignment.decode() == (out / "assignment.csv").read_text()
    same_summary = untimed(ours) == untimed(theirs)
    return {
        "equal": same_units and same_summary,
        "units_equal": same_units,
        "summary_equal": same_summary,
        "units": ours.get("units"),
        "satisfied_voters": ours.get("satisfied_voters"),
        "proven_optimal": ours.get("proven_optimal"),
    }


# ---------------------------------------------------------------- report


def table(baseline: dict, loaded: dict) -> list[dict]:
    rows = []
    for name in baseline:
        b, lo = stats(baseline[name]), stats(loaded.get(name, []))
        rows.append({"page": name, "baseline": b, "loaded": lo,
                     "ratio_p50": lo["p50_ms"] / b["p50_ms"] if lo["n"] else None})
    return rows


def markdown(r: dict) -> str:
    def f(x, d=1):
        return "–" if x is None else f"{x:,.{d}f}"

    lines = [
        "# Plan jobs under load (`benchmarks/bench_planner_load.py`)",
        "",
        f"Command: `{r['command']}`. Machine: {r['machine']}; load average before "
        f"{r['load_before']}, during the jobs {r['load_during']}, after {r['load_after']} "
        "(a shared 2-core machine: latencies are to be re-measured on a quiet one; the "
        "loaded/baseline ratios and the checks carry).",
        "",
        f"PostgreSQL in a private cluster, `secession serve --production` ({r['workers']} "
        f"gunicorn workers x {r['threads']} threads) and `plan_worker` (a local Dask cluster "
        f"of {r['running']} processes, CPU priority lowered by {r['worker_nice']}) as "
        f"separate processes; {r['people']} people signed in "
        f"over HTTP; limits: {r['running']} running in all, {r['per_person']} per person, "
        f"{r['jobs']} waiting. Seed {r['seed']}.",
        "",
        "## Jobs",
        "",
        f"- posted at once: {r['jobs']} in {r['post_seconds']:.2f} s; accepted "
        f"{r['accepted']}, refused {len(r['refused'])}; one more by a person at their limit: "
        f"HTTP {r['over_limit_status']} ({r['over_limit_detail']})",
        f"- done: {r['done']} of {r['jobs']} in {r['load_seconds']:.1f} s (first queued to last "
        f"done); most running at once: {r['most_at_once']} (limit {r['running']})",
        f"- equal to `secession plan` (assignment.csv unit for unit and summary.json, timings "
        f"aside): {r['equal']} of {r['jobs']}",
        f"- status polls answered meanwhile: {r['status_polls']}; pages that did not answer 200: "
        f"{len(r['bad_pages'])}",
        "",
        "| job | place | leaves | min population | seed | units | satisfied voters | proven "
        "| waited s | ran s | equal |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for j in r["per_job"]:
        lines.append(
            f"| {j['job']} | {'+'.join(j['place'])} | {j['direction']} | "
            f"{j['min_population']:,.0f} | {j['seed']} | {j.get('units') or '–'} | "
            f"{f(j.get('satisfied_voters'), 0)} | {j.get('proven_optimal')} | "
            f"{f(j.get('waited_seconds'))} | {f(j.get('ran_seconds'))} | {j['equal']} |"
        )
    lines += [
        "",
        f"## Pages (ms): baseline, no job running ({r['baseline_rounds']} rounds), against "
        f"while the jobs run ({r['load_rounds']} rounds)",
        "",
        "| page | baseline p50 | p95 | max | loaded p50 | p95 | max | loaded/baseline p50 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in r["pages"]:
        b, lo = row["baseline"], row["loaded"]
        lines.append(
            f"| {row['page']} | {f(b['p50_ms'])} | {f(b['p95_ms'])} | {f(b['max_ms'])} | "
            f"{f(lo['p50_ms'])} | {f(lo['p95_ms'])} | {f(lo['max_ms'])} | "
            f"{f(row['ratio_p50'], 2)}x |"
        )
    lines += ["", "The status page timed is that of a job still waiting or running (the "
              "baseline: the warm-up plan's, done); the done plan is the warm-up plan."]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main


def parse(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, default=20, help="plan jobs posted at once")
    ap.add_argument("--people", type=int, default=10, help="people posting them")
    ap.add_argument("--running", type=int, default=2, help="jobs run at a time (in all)")
    ap.add_argument("--rounds", type=int, default=30, help="baseline rounds of the page set")
    ap.add_argument("--time-limit", type=float, default=120.0, help="each job's seconds")
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds for all the jobs")
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--worker-nice", type=int, default=10,
                    help="the plan worker's CPU priority drop (SECESSION_PLAN_WORKER_NICE)")
    ap.add_argument("--quick", action="store_true",
                    help="a smoke test: 4 jobs of small states, 2 people, 5 baseline rounds")
    ap.add_argument("--out", default=str(RESULTS / "planner_load"))
    args = ap.parse_args(argv)
    if args.quick:
        args.jobs, args.people, args.rounds, args.workers = 4, 2, 5, 2
    if not 1 <= args.people <= args.jobs:
        ap.error("--people must be between 1 and --jobs")
    if args.jobs < 1 or args.running < 1 or args.rounds < 1:
        ap.error("--jobs, --running and --rounds must be at least 1")
    return args


def main(argv=None) -> int:
    args = parse(argv)
    command = "python benchmarks/bench_planner_load.py " + " ".join(argv or sys.argv[1:])
    data_dir = os.environ.get("SECESSION_DATA") or ""
    data_file("us-president-county/2020.csv", data_dir or None)  # names a missing folder
    specs = job_specs(args.jobs, args.seed, QUICK_PLACES if args.quick else PLACES,
                      args.time_limit)
    per_person = -(-args.jobs // args.people)
    load_before = load()
    with PrivateCluster(max_connections=200) as cluster, \
            tempfile.TemporaryDirectory(prefix="secession-plan-load-") as tmp_name:
        tmp = Path(tmp_name)
        web_dir = tmp / "web"
        web_dir.mkdir()
        os.environ.update({
            "SECESSION_PLAN_MAX_RUNNING": str(args.running),
            # the warm-up plan is done before the jobs; per person: their share of the jobs
            "SECESSION_PLAN_MAX_PER_PERSON": str(per_person),
            "SECESSION_PLAN_MAX_QUEUED": str(args.jobs),
            "SECESSION_PLAN_WORKER_NICE": str(args.worker_nice),
            "SECESSION_PLAN_RESULTS": str(web_dir / "plans"),
            "SECESSION_DATA": data_dir,
        })
        console.print("database, accounts, community ...")
        setup_django(cluster.url, web_dir)
        from django.db import connection

        names, slug = make_people(args.people)
        connection.close()
        console.print("production server and plan worker ...")
        server = start_server(cluster.url, web_dir, args.workers, args.threads)
        worker = start_worker(web_dir)
        people = []
        try:
            for name in names:
                v = Visitor(server.port)
                v.sign_in(name, PASSWORD)
                people.append(v)
            console.print("warm-up plan (its page is the done plan's) ...")
            warm = dict(specs[0], title="Warm-up")
            status, row = people[0].post_json("/api/plans", warm)
            if status != 201:
                raise SecessionError(f"the warm-up plan was refused: {status} {row}")
            warm_row = wait_done(people[0], row["id"], args.timeout)
            if warm_row["status"] != "done":
                raise SecessionError(f"the warm-up plan {warm_row['status']}: "
                                     f"{warm_row['message']}")
            done_id = row["id"]
            # shared through its page's form, so every person's pages may show it
            if people[0].post_form(f"/plans/{done_id}/share", {"shared": "1"}) != 302:
                raise SecessionError("the warm-up plan could not be shared")
            console.print(f"baseline: {args.rounds} rounds of the pages, no job running ...")
            baseline: dict[str, list[float]] = {}
            bad: list = []
            pager = Visitor(server.port)
            pager.cookies = dict(people[0].cookies)
            time_round(pager, page_set(slug, done_id, done_id), {}, bad)  # warm
            for _ in range(args.rounds):
                time_round(pager, page_set(slug, done_id, done_id), baseline, bad)
            pager.close()
            console.print(f"load: {args.jobs} jobs at once, {args.running} at a time ...")
            loaded = run_load(server.port, people, specs, slug, done_id, args.timeout)
            console.print("checks against secession plan ...")
            per_job = []
            rows = []
            for i, spec in enumerate(specs):
                job_id = loaded["ids"].get(i)
                entry = {"job": i + 1, "place": spec["place"], "direction": spec["direction"],
                         "min_population": spec["constraints"]["min_population"],
                         "seed": spec["seed"], "equal": False}
                if job_id is not None:
                    row = wait_done(people[i // per_person], job_id, 60)
                    rows.append(row)
                    entry["status"] = row["status"]
                    entry.update(_times(row))
                    if row["status"] == "done":
                        entry.update(compare(people[i // per_person], job_id, spec, data_dir,
                                             tmp))
                    else:
                        entry["why"] = row["message"]
                per_job.append(entry)
        finally:
            for v in people:
                v.close()
            stop(worker)
            stop(server.proc)
    result = {
        "command": command.strip(),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "load_before": load_before,
        "load_during": loaded["load"],
        "load_after": load(),
        "seed": args.seed,
        "jobs": args.jobs,
        "people": args.people,
        "running": args.running,
        "per_person": per_person,
        "workers": args.workers,
        "worker_nice": args.worker_nice,
        "threads": args.threads,
        "post_seconds": loaded["post_seconds"],
        "accepted": loaded["accepted"],
        "refused": loaded["refused"],
        "over_limit_status": loaded["over_limit_status"],
        "over_limit_detail": loaded["over_limit_detail"],
        "done": sum(j.get("status") == "done" for j in per_job),
        "equal": sum(bool(j["equal"]) for j in per_job),
        "most_at_once": most_at_once(rows),
        "load_seconds": _span(rows),
        "status_polls": loaded["status_polls"],
        "bad_pages": bad + loaded["bad_pages"],
        "baseline_rounds": args.rounds,
        "load_rounds": loaded["rounds"],
        "pages": table(baseline, loaded["samples"]),
        "per_job": per_job,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str))
    out.with_suffix(".md").write_text(markdown(result))
    console.print(markdown(result))
    ok = (result["done"] == result["equal"] == args.jobs and not result["bad_pages"]
          and result["most_at_once"] <= args.running and result["over_limit_status"] == 429)
    return 0 if ok else 1


def _times(row: dict) -> dict:
    from datetime import datetime

    created, started, finished = (
        datetime.fromisoformat(row[k]) if row.get(k) else None
        for k in ("created_at", "started_at", "finished_at")
    )
    out = {}
    if created and started:
        out["waited_seconds"] = (started - created).total_seconds()
    if started and finished:
        out["ran_seconds"] = (finished - started).total_seconds()
    return out


def _span(rows: list[dict]) -> float:
    from datetime import datetime

    created = [datetime.fromisoformat(r["created_at"]) for r in rows if r.get("created_at")]
    finished = [datetime.fromisoformat(r["finished_at"]) for r in rows if r.get("finished_at")]
    if not created or not finished:
        return 0.0
    return (max(finished) - min(created)).total_seconds()


if __name__ == "__main__":
    run_script(main)
