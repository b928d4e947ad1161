"""Benchmark: deciding an alliance vote exactly (``decide_weighted``, Fractions) against the
single-electorate integer decision it generalises (``decide`` on the groups' counts).

For each number of member communities (``--groups``) a seeded alliance is drawn: each
community has 1 to 5,000 members and votes yes, no, abstains or does not vote; half of them
decided by an internal vote of their members (a ``split`` of yes and no), half by their
council. Timed, median of ``--repeat`` runs, in this process:

- ``decide (baseline)``: :func:`secession.referendum.decide` on ``Counts.single`` of the
  communities' votes (one community, one vote, integers);
- ``voters``, ``weight``, ``double``: :func:`secession.referendum.decide_weighted` by each
  method (exact fractions; ``weight`` splits the internally decided communities).

The ``voters`` result must equal the baseline's. Writes ``benchmarks/results/alliance.json``
and ``alliance.md`` with the load average beside the figures.

    python benchmarks/bench_alliance.py
    python benchmarks/bench_alliance.py --groups 10 100 1000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
sys.path.insert(0, str(HERE.parent / "src"))

from secession.referendum import Counts, GroupVote, Rule, decide, decide_weighted  # noqa: E402

CHOICES = ("yes", "no", "abstain", None)


def draw(n: int, seed: int) -> list[GroupVote]:
    rng = np.random.default_rng(seed)
    votes = []
    for i in range(n):
        members = int(rng.integers(1, 5001))
        choice = CHOICES[int(rng.choice(4, p=[0.45, 0.35, 0.1, 0.1]))]
        split = None
        if i % 2 and choice is not None:
            yes = int(rng.integers(0, members + 1))
            split = (yes, int(rng.integers(0, members - yes + 1)))
        votes.append(GroupVote(f"c{i}", members, choice, split))
    return votes


def timed(fn, repeat: int) -> tuple[float, object]:
    runs, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), out


def bench(n: int, repeat: int, seed: int, rule: Rule) -> dict:
    votes = draw(n, seed)
    choices = [v.choice for v in votes]
    counts = Counts.single(
        yes=choices.count("yes"),
        no=choices.count("no"),
        abstain=choices.count("abstain"),
        eligible=n,
    )
    row: dict = {"groups": n}
    t, base = timed(lambda: decide(rule, counts), repeat)
    row["decide (baseline)"] = t
    for method in ("voters", "weight", "double"):
        t, out = timed(lambda m=method: decide_weighted(rule, votes, method=m), repeat)
        row[method] = t
        if method == "voters":
            assert out.passed == base.passed, "one community one vote differs from decide()"
        if method == "weight":
            row["weight_yes_denominator_digits"] = len(str(out.totals["weight"]["yes"].denominator))
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, nargs="+", default=[10, 100, 1000, 10000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args(argv)
    if any(n < 1 for n in args.groups) or args.repeat < 1:
        parser.error("--groups and --repeat must be at least 1")
    rule = Rule.preset("simple-majority").with_(quorum="1/2")
    load_before = os.getloadavg()
    rows = [bench(n, args.repeat, args.seed, rule) for n in args.groups]
    result = {
        "benchmark": "alliance vote: decide_weighted (exact) vs decide (integer baseline)",
        "command": "python benchmarks/bench_alliance.py " + " ".join(argv or sys.argv[1:]),
        "seed": args.seed,
        "repeat": args.repeat,
        "rule": rule.to_dict(),
        "python": platform.python_version(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "rows": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "alliance.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Alliance vote tally",
        "",
        f"`{result['command'].strip()}` (seed {args.seed}, median of {args.repeat}); load "
        f"average {load_before[0]:.2f} before, {result['load_average_after'][0]:.2f} after "
        "(2 cores, other jobs running: compare the columns of one row, not absolute times).",
        "",
        "| communities | decide (baseline) | voters | weight (splits) | double | digits of the "
        "exact yes weight's denominator |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['groups']:,} | {r['decide (baseline)'] * 1e3:.3f} ms"
            f" | {r['voters'] * 1e3:.2f} ms | {r['weight'] * 1e3:.2f} ms"
            f" | {r['double'] * 1e3:.2f} ms"
            f" | {r['weight_yes_denominator_digits']} |"
        )
    (RESULTS / "alliance.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
