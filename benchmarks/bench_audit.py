"""Benchmark: the audit log at 3,000,000 entries against the same log at 1,000 (baseline).

Builds a seeded log in a fresh database (SQLite in a temporary folder, or
``--database-url``): first ``--baseline`` entries, measured, then extended to ``--entries``
and measured again. Entries are written in bulk with their real leaves, stored subtrees
and head (as ``record`` would leave them), then, at each size:

- append: ``audit.log.record`` in its own transaction, ``--appends`` times;
- the audit page (newest, a page in the middle, one community's entries) and the API
  (entries after the middle, the signed head, an inclusion and a consistency proof),
  ``--requests`` times each, through Django's test client (in-process, no network);
- ``audit.log.verify`` of the whole log (the tree only: the synthetic entries have no
  tables behind them), once.

Writes ``benchmarks/results/audit.json`` and ``audit.md`` with the load average.

    python benchmarks/bench_audit.py                          # 3,000,000 entries
    python benchmarks/bench_audit.py --entries 100000 --requests 10
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE.parent / "src"))

ACTIONS = ["vote.cast", "membership.joined", "proposal.opened", "membership.left"]


def _setup(database_url: str | None, folder: Path) -> None:
    os.environ["SECESSION_WEB_DIR"] = str(folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "secession.web.config.settings_dev"
    if database_url:
        os.environ["SECESSION_DATABASE_URL"] = database_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def extend(to: int, rng: random.Random, start: datetime) -> float:
    """Append entries in bulk up to ``to``, continuing the stored tree; seconds taken."""
    from django.db import transaction

    from secession.transparency.merkle import Frontier
    from secession.web.apps.audit.leaf import entry_leaf_hash
    from secession.web.apps.audit.models import AuditEntry, AuditHead, AuditNode
    from secession.web.apps.audit.tree import stored_node_rows

    began = time.perf_counter()
    head = AuditHead.objects.filter(pk=1).first()
    frontier = Frontier.from_text(head.size, head.frontier) if head else Frontier()
    batch, nodes = [], []
    while frontier.size < to:
        seq = frontier.size + 1
        entry = AuditEntry(
            seq=seq,
            created_at=start + timedelta(milliseconds=seq),
            actor_id=rng.randrange(1, 1_000_000),
            action=rng.choice(ACTIONS),
            community_id=rng.randrange(1, 101),
            target_type="proposal",
            target_id=str(rng.randrange(1, 50_000)),
            data=json.dumps({"choice": rng.choice(["yes", "no", "abstain"])}),
        )
        entry.leaf_hash = entry_leaf_hash(entry)
        batch.append(entry)
        frontier.append(bytes.fromhex(entry.leaf_hash))
        nodes += stored_node_rows(frontier)
        if len(batch) == 5000 or frontier.size == to:
            with transaction.atomic():
                AuditEntry.objects.bulk_create(batch)
                AuditNode.objects.bulk_create(nodes)
                AuditHead.objects.update_or_create(
                    pk=1,
                    defaults={
                        "size": frontier.size,
                        "root": frontier.root().hex(),
                        "frontier": frontier.to_text(),
                    },
                )
            batch, nodes = [], []
    return time.perf_counter() - began


def _ms(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2)}


def measure(size: int, appends: int, requests: int) -> dict:
    from django.db import transaction
    from django.test import Client

    from secession.web.apps.audit.log import record

    times = []
    for i in range(appends):
        began = time.perf_counter()
        with transaction.atomic():
            record("bench.append", data={"i": i})
        times.append(time.perf_counter() - began)
    result = {"size": size, "append": _ms(times)}
    client = Client(SERVER_NAME="localhost")  # a host the dev settings allow
    mid = size // 2
    urls = {
        "page, newest": "/audit/",
        "page, middle": f"/audit/?before={mid}",
        "page, one community": "/audit/?community=7",
        "api, 500 entries from the middle": f"/api/audit?after={mid}&limit=500",
        "api, signed head": "/api/audit/head",
        "api, inclusion proof": f"/api/audit/proof/inclusion?seq={size // 3}",
        "api, consistency proof": f"/api/audit/proof/consistency?first={mid}",
    }
    for name, url in urls.items():
        samples = []
        for _ in range(requests):
            began = time.perf_counter()
            response = client.get(url)
            samples.append(time.perf_counter() - began)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code}")
        result[name] = _ms(samples)
    from secession.web.apps.audit.log import verify

    began = time.perf_counter()
    check = verify(tables=False)
    seconds = time.perf_counter() - began
    if not check.ok:
        raise SystemExit(f"the benchmark's log does not verify: {check.first}")
    result["verify"] = {
        "seconds": round(seconds, 2),
        "entries_per_second": round(check.checked / seconds),
        "entries": check.checked,
    }
    return result


def write(report: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "audit.json").write_text(json.dumps(report, indent=2) + "\n")
    base, big = report["baseline"], report["large"]
    lines = [
        f"# Audit log benchmark: {big['size']:,} entries against {base['size']:,} (seed "
        f"{report['seed']})",
        "",
        f"Command: `{report['command']}`. Database: {report['database']}. Requests through "
        "Django's test client in the benchmark's process (no network, no server). Machine: "
        f"{report['cpus']} CPUs, Python {report['python']}, load average "
        f"{report['load_before']} before and {report['load_after']} after (a shared machine: "
        "compare the two sizes within this run). Building the large log in bulk took "
        f"{report['build_seconds']:.0f} s.",
        "",
        f"| measure | {base['size']:,} entries p50 / p95 ms | {big['size']:,} entries p50 / "
        "p95 ms |",
        "|---|---:|---:|",
    ]
    for key in base:
        if key in ("size", "verify"):
            continue
        lines.append(
            f"| {key} | {base[key]['p50_ms']} / {base[key]['p95_ms']} | "
            f"{big[key]['p50_ms']} / {big[key]['p95_ms']} |"
        )
    lines += [
        "",
        f"`audit verify` (the tree: every leaf recomputed, subtrees and head checked): "
        f"{base['verify']['seconds']} s at {base['size']:,} entries, "
        f"{big['verify']['seconds']} s at {big['size']:,} "
        f"({big['verify']['entries_per_second']:,} entries/s). It is O(n) and runs off the "
        "request path.",
        "",
    ]
    (RESULTS / "audit.md").write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=3_000_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--appends", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--database-url",
        default=None,
        help="an empty database (default: SQLite in a temporary folder)",
    )
    args = parser.parse_args()
    if not 0 < args.baseline < args.entries:
        parser.error("--baseline must be between 0 and --entries")
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as folder:
        _setup(args.database_url, Path(folder))
        from django.db import connection

        rng = random.Random(args.seed)
        start = datetime(2026, 1, 1, tzinfo=UTC)
        load_before = [round(x, 2) for x in os.getloadavg()]
        extend(args.baseline, rng, start)
        baseline = measure(args.baseline + args.appends, args.appends, args.requests)
        build = extend(args.entries, rng, start)
        large = measure(args.entries + 2 * args.appends, args.appends, args.requests)
        report = {
            "command": "python benchmarks/bench_audit.py " + " ".join(sys.argv[1:]),
            "seed": args.seed,
            "database": connection.vendor + ("" if args.database_url else " (temporary file)"),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": load_before,
            "load_after": [round(x, 2) for x in os.getloadavg()],
            "build_seconds": round(build, 1),
            "baseline": baseline,
            "large": large,
        }
        write(report)
    print((RESULTS / "audit.md").read_text())
    return 0


if __name__ == "__main__":
    from entry import run_script

    run_script(main)
