"""Probe: where PA's gap sits in the root LP (measurements behind ``docs/planner-lab-notes.md``).

PA's 9,059 VTDs (one new country, both sides contiguous) are not proven within 0.1%.
This script measures, in one run:

1. ``plan``: the plan search of the exact path (``secession.plan.improve.improve``) from
   the fast plan for ``--plan-seconds``; that plan is the incumbent below.
2. ``root``: SCIP's root node alone (node limit 1) on that incumbent, with the exact
   solver's model (its cut loop takes about 55 s on PA). From the root's final LP:

   - how many units reduced-cost fixing could fix (``|reduced cost|`` above the gap
     between the LP bound and the incumbent);
   - the *clusters*: connected groups of units whose LP value differs from the
     incumbent, with each cluster's share of the gap (``sum w_i (x_i - plan_i)``).
3. ``windows``: the incumbent's window (``secession.plan.improve.window.window_graph``) around
   the unit of each of the largest clusters that holds most of its share, solved
   exactly for ``--window-seconds`` at each size: whether the cluster's share of the
   gap is real with the rest of the plan held.

    SECESSION_DATA=/work/shared/data python benchmarks/probe_pa.py     # about 12 minutes

Writes ``benchmarks/results/probe_pa.json`` and ``probe_pa.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from pyscipopt import SCIP_EVENTTYPE, SCIP_LPSOLSTAT, Eventhdlr
from scipy.sparse.csgraph import connected_components

from bench_exact_states import instances
from secession.plan.fast.local_search import ball
from secession.plan.improve import improve
from secession.plan.improve.window import window_graph
from secession.plan.model import PlanConstraints
from secession.plan.options import ModelView, SolverOptions
from secession.plan.reductions import prepare
from secession.plan.solve import exact_plan, fast_plan

RESULTS = Path(__file__).resolve().parent / "results"
TOP_CLUSTERS = 3


class _RootLp(Eventhdlr):
    """Keeps the reduced costs and values of the root's LP (SCIP reports it solved once the
    cut loop ends)."""

    def __init__(self, view: ModelView) -> None:
        self.view = view
        self.last: dict | None = None
        self.tvars: list | None = None

    def eventinit(self) -> None:
        self.model.catchEvent(SCIP_EVENTTYPE.LPSOLVED, self)

    def eventexit(self) -> None:
        self.model.dropEvent(SCIP_EVENTTYPE.LPSOLVED, self)

    def eventexec(self, event) -> None:
        m = self.model
        if m.getDepth() != 0 or m.getLPSolstat() != SCIP_LPSOLSTAT.OPTIMAL:
            return
        if self.tvars is None:
            self.tvars = [m.getTransformedVar(var) for _, var in self.view.variables]
        tvars = self.tvars
        self.last = {
            "objective": abs(m.getLPObjVal()),
            "redcost": np.array([m.getVarRedcost(v) for v in tvars]),
            "value": np.array([m.getSolVal(None, v) for v in tvars]),
        }


class _RootProbe:
    """A ``SolverOptions.model_hook``: an LP probe in every exact model (one per input
    component); the largest component's is the one read."""

    def __init__(self) -> None:
        self.handlers: list[_RootLp] = []

    def __call__(self, view: ModelView) -> None:
        handler = _RootLp(view)
        view.model.includeEventhdlr(handler, f"rootlp{len(self.handlers)}", "root LP")
        self.handlers.append(handler)

    def largest(self) -> _RootLp | None:
        return max(self.handlers, key=lambda h: len(h.view.units), default=None)


def root_probe(graph, plan: np.ndarray, time_limit: float) -> tuple[dict, np.ndarray]:
    """The last root LP against the incumbent ``plan``; also the LP values per unit."""
    prep = prepare(graph, PlanConstraints())
    probe = _RootProbe()
    options = SolverOptions(scip_params={"limits/nodes": 1}, model_hook=probe)
    t0 = time.perf_counter()
    exact_plan(
        graph,
        PlanConstraints(),
        time_limit=time_limit,
        warm_start=(plan > 0).astype(np.int64),
        options=options,
    )
    seconds = time.perf_counter() - t0
    handler = probe.largest()
    last = None if handler is None else handler.last
    if last is None:
        raise SystemExit(
            f"the root node did not finish within {time_limit:g} s: raise --root-seconds"
        )
    view = handler.view
    keys = view.units[np.array([key for key, _ in view.variables])]  # one slot: key = unit
    x = np.zeros(graph.n_units)
    x[keys] = last["value"]
    rc = np.zeros(graph.n_units)
    rc[keys] = last["redcost"]
    w = prep.weight
    inside = view.units[plan[view.units] > 0]  # the incumbent within the probed model
    incumbent = float(w[inside].sum())
    gap = last["objective"] - incumbent
    integral = (x < 1e-6) | (x > 1 - 1e-6)
    fixable = integral & (np.abs(rc) > gap)
    inc = (plan > 0).astype(np.float64)
    differ = np.abs(x - inc) > 1e-3
    idx = np.flatnonzero(differ)
    k, label = connected_components(prep.adjacency[idx][:, idx], directed=False)
    share = np.bincount(label, weights=(w * (x - inc))[idx], minlength=k)
    order = np.argsort(-share)
    clusters = []
    for j in order[:10]:
        members = idx[label == j]
        top = members[np.argmax(w[members] * (x[members] - inc[members]))]
        clusters.append(
            {
                "units": len(members),
                "share_votes": round(float(share[j])),
                "lp_mean": round(float(x[members].mean()), 3),
                "plan_mean": round(float(inc[members].mean()), 3),
                "centre": int(top),
                "centre_id": str(graph.ids[top]),
            }
        )
    return {
        "seconds": round(seconds, 1),
        "lp_bound_votes": round(last["objective"]),
        "incumbent_votes": round(incumbent),
        "gap_votes": round(gap),
        "units": int(graph.n_units),
        "fractional": int((~integral).sum()),
        "fixable": int(fixable.sum()),
        "redcost_quantiles": {
            q: round(float(np.quantile(np.abs(rc), float(q))), 1) for q in ("0.5", "0.9", "0.99")
        },
        "clusters_total": int(k),
        "gap_in_top3": round(float(share[order[:TOP_CLUSTERS]].sum())),
        "clusters": clusters,
    }, x


def window_probe(graph, plan: np.ndarray, centre: int, size: int, seconds: float) -> dict:
    w = graph.leave - graph.stay
    units = ball(centre, size, graph.indptr, graph.indices)
    window = window_graph(graph, PlanConstraints(), plan, units)
    t0 = time.perf_counter()
    found = exact_plan(
        window.graph, window.constraints, time_limit=seconds, warm_start=window.start
    )
    gain = float(w[units] @ (found.country[: len(units)] > 0) - w[units] @ (plan[units] > 0))
    return {
        "centre": int(centre),
        "size": len(units),
        "gain_votes": round(gain),
        "proven": bool(found.proven_optimal),
        "window_gap_votes": round(found.best_bound - found.satisfied_voters),
        "seconds": round(time.perf_counter() - t0, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plan-seconds", type=float, default=120.0)
    ap.add_argument("--root-seconds", type=float, default=200.0)
    ap.add_argument("--window-seconds", type=float, default=90.0)
    ap.add_argument("--sizes", type=_sizes, default="800,2000", help="window sizes, e.g. 800,2000")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    graph = instances(None, "pa", [])[0][2]
    total = float((graph.leave + graph.stay).sum())
    fast = fast_plan(graph, seed=args.seed).country
    plan, _ = improve(graph, PlanConstraints(), fast, seconds=args.plan_seconds, seed=args.seed)
    w = graph.leave - graph.stay
    satisfied = float(graph.stay.sum() + w[plan > 0].sum())
    out: dict = {
        "run": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "machine": f"{platform.machine()}, {_cpus()} CPUs, Python {platform.python_version()}",
        "two_side_votes": round(total),
        "plan_share": satisfied / total,
    }
    out["root"], _ = root_probe(graph, plan, args.root_seconds)
    out["windows"] = [
        window_probe(graph, plan, c["centre"], size, args.window_seconds)
        for c in out["root"]["clusters"][:TOP_CLUSTERS]
        for size in args.sizes
    ]
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "probe_pa.json").write_text(json.dumps(out, indent=2) + "\n")
    (RESULTS / "probe_pa.md").write_text(report(out, args))
    print(report(out, args))


def report(out: dict, args) -> str:
    r = out["root"]
    total = out["two_side_votes"]
    # Plan.gap is (bound - plan) / bound: at most 0.1% means bound - plan <= plan / 999
    within = out["plan_share"] * total / 999
    sizes = ",".join(map(str, args.sizes))
    lines = [
        "# Where PA's gap sits in the root LP",
        "",
        f"Run {out['run']} on {out['machine']}; command `python benchmarks/probe_pa.py "
        f"--plan-seconds {args.plan_seconds:g} --root-seconds {args.root_seconds:g} "
        f"--window-seconds {args.window_seconds:g} --sizes {sizes} --seed {args.seed}`. "
        "PA 9,059 VTDs, one new country, both sides contiguous.",
        "",
        f"- Incumbent (plan search, {args.plan_seconds:g} s): {100 * out['plan_share']:.3f}% "
        f"of {total:,} two-side votes.",
        f"- Root node ({r['seconds']} s, with building the model and strong branching): "
        f"LP bound {r['lp_bound_votes']:,} against "
        f"{r['incumbent_votes']:,} (in `w(S)`), a gap of {r['gap_votes']:,} votes. Within "
        f"0.1% needs a gap of about {within:,.0f}.",
        f"- Units {r['units']:,}, fractional {r['fractional']:,}; reduced-cost fixing "
        f"would fix {r['fixable']:,} (|reduced cost| quantiles 50/90/99%: "
        + ", ".join(f"{v:g}" for v in r["redcost_quantiles"].values())
        + ").",
        f"- {r['clusters_total']} clusters where the LP and the incumbent differ; the "
        f"largest {TOP_CLUSTERS} hold {r['gap_in_top3']:,} of the {r['gap_votes']:,} votes.",
        "",
        "| cluster | units | share of gap (votes) | LP mean | plan mean | centre |",
        "|---:|---:|---:|---:|---:|---|",
    ]
    for i, c in enumerate(r["clusters"], 1):
        lines.append(
            f"| {i} | {c['units']} | {c['share_votes']:,} | {c['lp_mean']} | "
            f"{c['plan_mean']} | {c['centre_id']} |"
        )
    lines += [
        "",
        "## Windows of the incumbent around the largest clusters, solved exactly",
        "",
        "| cluster | window units | gain (votes) | proven | window gap (votes) | s |",
        "|---:|---:|---:|---|---:|---:|",
    ]
    for i, win in enumerate(out["windows"]):
        lines.append(
            f"| {i // len(args.sizes) + 1} | {win['size']:,} | {win['gain_votes']:,} | "
            f"{win['proven']} | {win['window_gap_votes']:,} | {win['seconds']} |"
        )
    return "\n".join(lines) + "\n"


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(s) for s in text.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list of unit counts like 800,2000")
    return sizes


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    from entry import run_script

    run_script(main)
