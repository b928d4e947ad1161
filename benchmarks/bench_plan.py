"""Planner benchmark: the fast solver beside its baselines on real and synthetic instances.

Run ``python benchmarks/bench_plan.py [--quick]`` (``SECESSION_DATA`` must point at the
shared data folder). Writes ``benchmarks/results/plan.json`` and ``plan.md``.

Instances: 2020 US counties (one new country; any number of new countries of at least
500,000 voters each), every state split separately, NH wards (PRES16 D/R), PA 9,059
voting districts (VoteA/VoteB), AR 2,525 units (ARV2016PRE = Clinton votes, ARV2016P_1 =
Trump votes: their sums are exactly 380,494 and 684,872, the two candidates' Arkansas
totals, so the pair is the two sides, not one side and a total) and seeded synthetic
planar graphs of 100,000 and 1,000,000 units. Leave = the Democratic side throughout.

Methods, each in the same run with the same time limit:
- ``fast``: :func:`secession.plan.solve.fast_plan` (the fast solver alone);
- ``pcst-fast``: Goemans-Williamson prize-collecting Steiner tree (the ``pcst-fast``
  package), prizes = positive ``w = leave - stay``, edge cost = half the negative weight of
  each endpoint; it shapes the new side only (its remaining country may be split);
- ``flow-mip``: the plain single-commodity flow MIP (both sides contiguous, one root per
  side and input component) solved by HiGHS through ``scipy.optimize.milp``: the model of
  ``baselines.py``, shared with ``bench_exact_states.py``;
- ``exact``: ``secession.plan.solve(..., solver="exact")``.

Every plan is judged by the independent checker (:func:`secession.plan.check.check_plan`);
``peak_mb`` is the peak resident memory above the level before the call (sampled; memory
freed by earlier calls and reused does not show); ``process_mb`` is the process's highest
resident memory so far (``ru_maxrss``), which includes the instance's graph and bounds
what the call needed from above.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console

from baselines import flow_mip
from loaders import ar_units, national, nh_wards, pa_vtd
from secession.geo.graph import UnitGraph
from secession.plan.check import check_plan, messages, satisfied, upper_bound
from secession.plan.model import PlanConstraints
from secession.plan.solve import fast_plan
from secession.plan.synthetic import synthetic_planar_graph

RESULTS = Path(__file__).resolve().parent / "results"
console = Console()


# ----------------------------------------------------------------------------- memory
class PeakRss:
    """Peak resident set size of this process during a block, in MB above its start."""

    def __init__(self, interval: float = 0.005) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _watch(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(self.interval)

    def __enter__(self) -> PeakRss:
        self.start = self.rss()
        self.peak = self.start
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())

    @property
    def mb(self) -> float:
        return (self.peak - self.start) / 1e6


# ----------------------------------------------------------------------------- instances
@dataclass
class Instance:
    name: str
    family: str
    graph: UnitGraph
    constraints: PlanConstraints


def instances(quick: bool) -> Iterator[Instance]:
    one = PlanConstraints()
    counties = national()
    yield Instance("US counties 2020, one new country", "national", counties, one)
    many = PlanConstraints(max_countries=None, min_population=500_000)
    yield Instance("US counties 2020, new countries >= 500,000 voters", "national", counties, many)
    states = sorted(set(counties.groups["state"].tolist()))
    if quick:
        states = ["OR", "VA", "MN", "OH", "NC", "TX"]
    for st in states:
        sub = counties.subgraph(counties.groups["state"] == st)
        yield Instance(f"state {st} ({sub.n_units} counties)", "state", sub, one)
    yield Instance("NH wards (320), PRES16", "real", nh_wards(), one)
    yield Instance("AR 2,525 units, PRES16", "real", ar_units(), one)
    yield Instance("PA 9,059 VTDs, VoteA/VoteB", "real", pa_vtd(), one)
    for n in (100_000,) if quick else (100_000, 1_000_000):
        t = time.perf_counter()
        g = synthetic_planar_graph(n, seed=1)
        g.meta["generation_seconds"] = time.perf_counter() - t
        yield Instance(f"synthetic {n:,} (seed 1)", "synthetic", g, one)


# ----------------------------------------------------------------------------- methods
def _result(inst: Instance, country: np.ndarray | None, bound: float, proven: bool) -> dict:
    g = inst.graph
    if country is None:
        return {"satisfied": None, "bound": bound, "proven": False, "valid": False}
    problems = messages(check_plan(g, inst.constraints, country))
    return {
        "satisfied": satisfied(g, country),
        "bound": bound,
        "proven": bool(proven),
        "valid": not problems,
        "violations": problems[:3],
    }


def run_fast(inst: Instance, time_limit: float) -> dict:
    plan = fast_plan(inst.graph, inst.constraints, seed=0, time_limit=time_limit)
    out = _result(inst, plan.country, plan.best_bound, plan.proven_optimal)
    out["path"] = plan.stats.get("path")
    return out


def run_exact(inst: Instance, time_limit: float) -> dict:
    from secession.plan import solve

    plan = solve(inst.graph, inst.constraints, solver="exact", time_limit=time_limit, seed=0)
    return _result(inst, plan.country, plan.best_bound, plan.proven_optimal)


def run_pcst(inst: Instance, time_limit: float) -> dict:
    from pcst_fast import pcst_fast

    g = inst.graph
    w = g.leave - g.stay
    neg = np.maximum(-w, 0.0)
    edges = g.edges()
    # a floor of half a vote per edge: with (near) zero costs pcst-fast does not finish on
    # PA 9,059 (measured: no answer within 60 s; 0.02 s with the floor)
    costs = (neg[edges[:, 0]] + neg[edges[:, 1]]) / 2 + 0.5
    vertices, _ = pcst_fast(edges, np.maximum(w, 0.0), costs, -1, 1, "strong", 0)
    country = np.zeros(g.n_units, dtype=np.int64)
    country[vertices] = 1
    return _result(inst, country, upper_bound(g), False)


def flow_mip_fits(inst: Instance) -> bool:
    c = inst.constraints
    plain = c.max_countries == 1 and c.min_population == 0 and c.contiguous_new
    return plain and c.contiguous_rest and inst.graph.n_units <= 10_000


def run_flow_mip(inst: Instance, time_limit: float) -> dict:
    """The shared flow-MIP baseline (``baselines.py``), both sides contiguous."""
    g = inst.graph
    res = flow_mip(g, time_limit)
    bound = upper_bound(g) if res["bound"] is None else min(res["bound"], upper_bound(g))
    return _result(inst, res.get("country"), bound, res["proven"])


METHODS: dict[str, Callable[[Instance, float], dict]] = {
    "fast": run_fast,
    "pcst-fast": run_pcst,
    "flow-mip": run_flow_mip,
    "exact": run_exact,
}


def applicable(method: str, inst: Instance) -> bool:
    if method == "pcst-fast":
        return inst.constraints.max_countries == 1 and inst.constraints.min_population == 0
    if method == "flow-mip":
        return flow_mip_fits(inst)
    if method == "exact":
        return inst.family != "synthetic" and inst.graph.n_units <= 10_000
    return True


def measure(method: str, inst: Instance, time_limit: float) -> dict:
    with PeakRss() as mem:
        t = time.perf_counter()
        try:
            out = METHODS[method](inst, time_limit)
        except Exception as exc:  # a failing baseline is a result, not a crash
            out = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        out["seconds"] = time.perf_counter() - t
    out["peak_mb"] = mem.mb
    out["process_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # KiB
    return out


# ----------------------------------------------------------------------------- report
def _mb(x: float | None) -> str:
    return "" if x is None else f"{x:,.0f}"


def _pct(x: float | None, total: float) -> str:
    return "" if x is None else f"{100 * x / total:.3f}%"


def write_markdown(report: dict, path: Path) -> None:
    lines = [
        "# Planner benchmark",
        "",
        f"Run {report['started']} on {report['machine']}; command `{report['command']}`.",
        f"Time limit per solver call: {report['time_limit']} s (states: "
        f"{report['state_time_limit']} s). Satisfied and bound as a share of the two-side "
        "votes; `valid` = the independent checker accepts the plan (both sides contiguous "
        "per input component, every constraint); gap = (bound - satisfied) / bound. "
        "`peak MB`: resident memory the call added (sampled; memory freed by earlier calls "
        "and reused does not show); `process MB`: the process's highest resident memory so "
        "far (graph included), an upper bound on what the call needed.",
        "",
    ]
    if "merged_from" in report:
        lines += [
            f"Re-measured in this run: the {', '.join(report['families'])} instances; every "
            f"other row is kept from an earlier run (`--merge`), the oldest of "
            f"{report['merged_from']}; each row's time is `measured` in plan.json.",
            "",
        ]
    lines += [
        "| instance | units | method | satisfied | bound | gap | proven | valid | s | peak MB "
        "| process MB |",
        "|---|---:|---|---:|---:|---:|---|---|---:|---:|---:|",
    ]
    for row in report["instances"]:
        if row["family"] == "state":
            continue
        total = row["two_side_votes"]
        for method, r in row["methods"].items():
            if "error" in r:
                lines.append(
                    f"| {row['name']} | {row['units']:,} | {method} | error: "
                    f"{r['error'][:80]} | | | | | {r['seconds']:.2f} | | |"
                )
                continue
            gap = (
                ""
                if r["satisfied"] is None
                else f"{100 * (r['bound'] - r['satisfied']) / r['bound']:.3f}%"
            )
            lines.append(
                f"| {row['name']} | {row['units']:,} | {method} | {_pct(r['satisfied'], total)} "
                f"| {_pct(r['bound'], total)} | {gap} | {r['proven']} | {r['valid']} "
                f"| {r['seconds']:.2f} | {r['peak_mb']:.0f} | {_mb(r.get('process_mb'))} |"
            )
    states = [r for r in report["instances"] if r["family"] == "state"]
    if states:
        lines += ["", "## State splits (2020 counties, one new country, both sides contiguous)", ""]
        lines += [
            "| method | states | valid | proven | total s | max s | fast vs exact: worst gap |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for method in METHODS:
            rs = [s["methods"][method] for s in states if method in s["methods"]]
            rs = [r for r in rs if "error" not in r]
            if not rs:
                continue
            worst = ""
            if method == "fast":
                gaps = [
                    (s["methods"]["exact"]["satisfied"] - s["methods"]["fast"]["satisfied"])
                    / s["methods"]["exact"]["satisfied"]
                    for s in states
                    if s["methods"].get("exact", {}).get("proven")
                ]
                if gaps:
                    worst = (
                        f"{100 * max(gaps):.4f}% over {len(gaps)} states exact proved "
                        f"({sum(g <= 1e-12 for g in gaps)} equal)"
                    )
            lines.append(
                f"| {method} | {len(rs)} | {sum(r['valid'] for r in rs)} "
                f"| {sum(r['proven'] for r in rs)} | {sum(r['seconds'] for r in rs):.1f} "
                f"| {max(r['seconds'] for r in rs):.2f} | {worst} |"
            )
        lines += ["", "Per state: `benchmarks/results/plan.json`."]
    for note in report["notes"]:
        lines += ["", note]
    path.write_text("\n".join(lines) + "\n")


def _write_json(report: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "plan.json").write_text(json.dumps(report, indent=1, default=str))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 states, no 1,000,000 graph")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--state-time-limit", type=float, default=20.0)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--families",
        default="national,state,real,synthetic",
        help="instance families to run; with --merge, rows of other families are kept",
    )
    parser.add_argument("--merge", action="store_true", help="update an existing plan.json")
    args = parser.parse_args(argv)
    methods = [m for m in args.methods.split(",") if m]
    try:
        import secession.plan as plan_pkg

        if not hasattr(plan_pkg, "solve"):
            methods = [m for m in methods if m != "exact"]
    except ImportError:  # pragma: no cover
        methods = [m for m in methods if m != "exact"]
    # compile the numba kernels once, outside the measurements
    fast_plan(synthetic_planar_graph(200, seed=0))
    report: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}",
        "command": "python benchmarks/bench_plan.py"
        + (" --quick" if args.quick else "")
        + (f" --families {args.families} --merge" if args.merge else ""),
        "time_limit": args.time_limit,
        "state_time_limit": args.state_time_limit,
        "instances": [],
        "notes": [
            "AR: ARV2016PRE sums to 380,494 and ARV2016P_1 to 684,872, exactly Clinton's and "
            "Trump's 2016 Arkansas totals: the columns are the two sides (Democratic, "
            "Republican), not one side and a total; leave = ARV2016PRE, stay = ARV2016P_1. "
            "(ARV2016SEN = Boozman, R, 661,984; ARV2016S_1 = Eldridge, D, 400,602.)",
            "pcst-fast shapes the new side only (nothing keeps the remaining country "
            "connected); its plans go through the same checker (valid column).",
            "flow-mip: x (leave), a root per side and input component, flows on both arc "
            "directions with capacity (component size - 1) times the side indicator; run "
            "on one-new-country instances up to 10,000 units.",
        ],
    }
    families = set(args.families.split(","))
    previous: dict[str, dict] = {}
    if args.merge and (args.out / "plan.json").exists():
        old = json.loads((args.out / "plan.json").read_text())
        previous = {r["name"]: r for r in old["instances"]}
        # rows keep the time they were measured; the oldest run is named in the report
        first = old.get("merged_from", old["started"])
        for r in old["instances"]:
            r.setdefault("measured", first)
        report["merged_from"] = min(r["measured"] for r in old["instances"])
        report["families"] = sorted(families)
    for inst in instances(args.quick):
        if inst.family not in families:
            if inst.name in previous:
                report["instances"].append(previous[inst.name])
            continue
        g = inst.graph
        limit = args.state_time_limit if inst.family == "state" else args.time_limit
        row: dict[str, Any] = {
            "name": inst.name,
            "family": inst.family,
            "units": g.n_units,
            "edges": g.n_edges,
            "components": g.n_components,
            "two_side_votes": float((g.leave + g.stay).sum()),
            "upper_bound": upper_bound(g),
            "constraints": inst.constraints.to_dict(),
            "methods": {},
            "measured": report["started"],
        }
        if "generation_seconds" in g.meta:
            row["generation_seconds"] = g.meta["generation_seconds"]
        for method in methods:
            if not applicable(method, inst):
                continue
            r = measure(method, inst, limit)
            row["methods"][method] = r
            sat = r.get("satisfied")
            console.print(
                f"{inst.name:55s} {method:9s} "
                + (
                    f"error {r['error'][:60]}"
                    if "error" in r
                    else f"{_pct(sat, row['two_side_votes']):>9s} valid={r['valid']!s:5s} "
                    f"proven={r['proven']!s:5s} {r['seconds']:7.2f}s {r['peak_mb']:7.0f}MB"
                )
            )
        report["instances"].append(row)
        _write_json(report, args.out)  # after every instance: a long run keeps its results
    _write_json(report, args.out)  # rows kept from an earlier run (--merge) come last
    write_markdown(report, args.out / "plan.md")
    console.print(f"wrote {args.out / 'plan.json'} and {args.out / 'plan.md'}")
    return 0


if __name__ == "__main__":
    from entry import run_script

    run_script(main)
