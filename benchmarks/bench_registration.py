"""Benchmark: other members' actions during a burst of registrations, before and after
moving the password hash (Argon2) out of the database transaction.

SQLite (the default database, where a transaction takes the write lock at BEGIN), real
Argon2 (Django's parameters), in-process threads: one member edits a description again
and again (an action with its audit row) while ``--parallel`` threads register
``--registrations`` accounts. Three runs in the same process, seeded: no registrations
(the member's actions alone), the old code path (``register_person`` of main before this
change, copied below: the hash computed inside the transaction) and the new one. Writes
``benchmarks/results/registration.json`` and ``.md`` with the load average.

    python benchmarks/bench_registration.py
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_platform import load, percentile  # noqa: E402
from entry import run_script  # noqa: E402

PASSWORD = "a long enough passphrase 19"


def old_register(username: str, password: str):
    """main's register_person: ``set_password`` (the Argon2 hash) inside the transaction."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from secession.web.apps.accounts import events
    from secession.web.apps.audit.log import record

    user = get_user_model()(username=username)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        record(events.REGISTERED, actor=user, target=user)
    return user


def new_register(username: str, password: str):
    from secession.web.apps.accounts.actions import register_person

    return register_person(username=username, password=password)


def measure(register, label: str, community, member, n: int, parallel: int) -> dict:
    """The member's action latencies while ``n`` registrations run on ``parallel`` threads."""
    from django.db import connection

    from secession.web.apps.communities.actions import edit_community

    stop = threading.Event()
    latencies: list[float] = []

    def act() -> None:
        i = 0
        while not stop.is_set():
            t0 = time.perf_counter()
            edit_community(community, person=member, description=f"{label} {i}")
            latencies.append((time.perf_counter() - t0) * 1000)
            i += 1
            time.sleep(0.01)
        connection.close()

    names = iter(range(n))
    lock = threading.Lock()

    def registrar() -> None:
        while True:
            with lock:
                k = next(names, None)
            if k is None:
                break
            register(f"{label}-{k}", PASSWORD)
        connection.close()

    actor = threading.Thread(target=act)
    actor.start()
    time.sleep(1.0)  # the member acting alone first
    t0 = time.perf_counter()
    workers = [threading.Thread(target=registrar) for _ in range(parallel if n else 0)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    seconds = time.perf_counter() - t0
    if not n:
        time.sleep(5)
    stop.set()
    actor.join()
    return {
        "registrations": n,
        "registration_seconds": seconds if n else None,
        "member_actions": len(latencies),
        "p50_ms": percentile(latencies, 0.5),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies) if latencies else None,
        "load": load(),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--registrations", type=int, default=120)
    ap.add_argument("--parallel", type=int, default=24, help="threads (Argon2 takes 100 MiB each)")
    ap.add_argument("--out", default=str(HERE / "results" / "registration"))
    args = ap.parse_args(argv)
    before = load()
    with tempfile.TemporaryDirectory(prefix="secession-bench-") as tmp:
        os.environ.pop("SECESSION_DATABASE_URL", None)
        os.environ["SECESSION_WEB_DIR"] = tmp
        os.environ["DJANGO_SETTINGS_MODULE"] = "secession.web.config.settings_dev"
        import django
        from django.conf import settings
        from django.core.management import call_command

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        from secession.web.apps.accounts.models import User
        from secession.web.apps.communities.actions import found_community

        member = User.objects.create(username="member", password="!")
        community = found_community(person=member, name="Busy Town")
        runs = {
            "no registrations": measure(new_register, "idle", community, member, 0, 0),
            "old: hash inside the transaction": measure(
                old_register, "old", community, member, args.registrations, args.parallel
            ),
            "new: hash before the transaction": measure(
                new_register, "new", community, member, args.registrations, args.parallel
            ),
        }
    result = {
        "command": "python benchmarks/bench_registration.py " + " ".join(argv or sys.argv[1:]),
        "database": "SQLite (IMMEDIATE transactions, WAL)",
        "hasher": "Argon2 (Django's parameters)",
        "parallel": args.parallel,
        "load_before": before,
        "load_after": load(),
        "runs": runs,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2))
    lines = [
        "# A member's actions during a burst of registrations (`bench_registration.py`)",
        "",
        f"Command: `{result['command'].strip()}`; {result['database']}; {result['hasher']}; "
        f"{args.registrations} registrations on {args.parallel} threads. Load average before "
        f"{before}, after {result['load_after']} (shared 2-core machine: re-measure the "
        "milliseconds on a quiet one; the comparison of the runs is the result).",
        "",
        "| run | registrations/s | member actions | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in runs.items():
        rate = (
            f"{r['registrations'] / r['registration_seconds']:.1f}"
            if r["registration_seconds"]
            else "–"
        )
        lines.append(
            f"| {name} | {rate} | {r['member_actions']} | {r['p50_ms']:.1f} | "
            f"{r['p95_ms']:.1f} | {r['max_ms']:.1f} |"
        )
    out.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    run_script(main)
