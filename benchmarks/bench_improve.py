"""Benchmark: the plan search of the exact path, against ruin-and-recreate alone.

Each method starts from the fast solver's plan (``secession.plan.solve.fast_plan``, seed
0) and gets the same seconds, on the instances the exact solver does not prove: PA's 9,059
VTDs and the
national counties (one new country, both sides contiguous), and the national counties
split into any number of new countries of at least 500,000 voters (``US-500k``). Methods:

- ``intensify`` (the baseline; what ``solve`` ran until 2026-11-26): ruin-and-recreate
  with annealing polishes (``secession.plan.improve.intensify``);
- ``windows``: windows of the plan solved exactly (``secession.plan.improve.window.window_search``);
- ``improve``: two thirds of the time the first, then the second
  (``secession.plan.improve.improve``, what ``solve`` runs now).

All three are bound by the clock, so each runs with several seeds. Two runs go side by
side (``--jobs``, one per core: ``solve`` runs the search beside SCIP the same way). Every
plan is checked with ``check_plan``. Writes ``benchmarks/results/improve.json`` and
``improve.md``.

    SECESSION_DATA=/work/shared/data python benchmarks/bench_improve.py   # 60 s, 3 seeds
    python benchmarks/bench_improve.py --seconds 20 --seeds 0 --only pa
    python benchmarks/bench_improve.py --only pooled --merge    # one instance, keep the rest
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from loaders import national as load_national
from loaders import pa_vtd

RESULTS = Path(__file__).resolve().parent / "results"
METHODS = ("intensify", "windows", "improve")
_GRAPHS: dict = {}


def _graph(name: str):
    if name not in _GRAPHS:
        if name == "PA-VTD":
            _GRAPHS[name] = pa_vtd()
        else:
            _GRAPHS[name] = load_national()
    return _GRAPHS[name]


def _constraints(name: str):
    from secession.plan.model import PlanConstraints

    if name == "US-500k":
        return PlanConstraints(max_countries=None, min_population=500_000)
    return PlanConstraints()


def _run(job: tuple[str, str, float, int]) -> dict:
    from secession.plan.check import check_plan
    from secession.plan.improve import improve, intensify
    from secession.plan.improve.window import window_search
    from secession.plan.metrics import satisfied_voters as satisfied_by
    from secession.plan.solve import fast_plan

    name, method, seconds, seed = job
    g = _graph("US" if name.startswith("US") else name)
    cons = _constraints(name)
    start = fast_plan(g, cons, seed=0).country
    search = {"intensify": intensify, "windows": window_search, "improve": improve}[method]
    t0 = time.perf_counter()
    country, stats = search(g, cons, start, seconds=seconds, seed=seed)
    took = time.perf_counter() - t0
    two = float((g.leave + g.stay).sum())
    return {
        "instance": name,
        "method": method,
        "seed": seed,
        "seconds": took,
        "start": satisfied_by(g, start) / two,
        "satisfied": satisfied_by(g, country) / two,
        "violations": len(check_plan(g, cons, country)),
        "stats": stats,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--seeds", type=int, nargs="*", default=[0, 1, 2])
    ap.add_argument("--only", choices=("all", "pa", "national", "pooled"), default="all")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--merge", action="store_true", help="keep other instances' rows")
    args = ap.parse_args()
    names = {
        "all": ["PA-VTD", "US", "US-500k"],
        "pa": ["PA-VTD"],
        "national": ["US"],
        "pooled": ["US-500k"],
    }[args.only]
    jobs = [(n, m, args.seconds, s) for n in names for s in args.seeds for m in METHODS]
    rows = []
    with ProcessPoolExecutor(max_workers=args.jobs) as pool:
        for row in pool.map(_run, jobs):
            rows.append(row)
            print(
                f"{row['instance']:6s} {row['method']:9s} seed {row['seed']}: "
                f"{row['satisfied']:.4%} (from {row['start']:.4%}) "
                f"violations={row['violations']}",
                flush=True,
            )
    old = RESULTS / "improve.json"
    if args.merge and old.exists():  # keep the other instances' rows of an earlier run
        kept = json.loads(old.read_text())["rows"]
        rows = [r for r in kept if r["instance"] not in names] + rows
    write(rows, args)


def write(rows: list[dict], args) -> None:
    RESULTS.mkdir(exist_ok=True)
    meta = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "seconds": args.seconds,
        "seeds": args.seeds,
        "jobs": args.jobs,
    }
    (RESULTS / "improve.json").write_text(json.dumps({"meta": meta, "rows": rows}, indent=1))
    lines = [
        "# Plan search: ruin-and-recreate (baseline) against exact windows",
        "",
        f"{args.seconds:.0f} s per run from the fast plan, seeds {args.seeds}, "
        f"{args.jobs} runs side by side; {meta['date']}, {meta['machine']}.",
        "Share of two-side votes satisfied; every plan passed `check_plan` unless noted."
        + (
            " Rows of instances not in this run are kept from an earlier run (`--merge`)."
            if args.merge
            else ""
        ),
        "",
        "| instance | method | " + " | ".join(f"seed {s}" for s in args.seeds) + " | mean |",
        "|---|---|" + "---:|" * (len(args.seeds) + 1),
    ]
    for name in dict.fromkeys(r["instance"] for r in rows):
        for method in METHODS:
            got = {r["seed"]: r for r in rows if r["instance"] == name and r["method"] == method}
            if not got:
                continue
            cells = [
                "-"
                if s not in got
                else f"{got[s]['satisfied']:.4%}" + (" (invalid)" if got[s]["violations"] else "")
                for s in args.seeds
            ]
            mean = statistics.mean(r["satisfied"] for r in got.values())
            lines.append(f"| {name} | {method} | " + " | ".join(cells) + f" | {mean:.4%} |")
    (RESULTS / "improve.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    from entry import run_script

    run_script(main)
