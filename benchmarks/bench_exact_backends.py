"""Benchmark: which MIP/CP back end for the exact planner? The same plain flow model in
HiGHS and in OR-Tools CP-SAT, beside the SCIP branch-and-cut of ``secession.plan.exact``.

Instances: a few 2020 state splits (``leave = dem``), one new country, both sides
contiguous. CP-SAT gets the flow model with integer flows (single-commodity flows with
integer supplies have integral optima) and 2 workers. Writes
``benchmarks/results/exact_backends.json`` and ``.md``.

    python benchmarks/bench_exact_backends.py --states OR MO GA TX --time-limit 60
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from baselines import flow_mip, flow_model  # noqa: E402
from bench_exact_states import RESULTS, run_exact, warm_up  # noqa: E402
from loaders import national as load_national  # noqa: E402


def cp_sat(graph, time_limit: float, workers: int = 2) -> dict:
    from ortools.sat.python import cp_model

    t0 = time.perf_counter()
    a_mat, lo, hi, cost, integrality, _ub, n = flow_model(graph)
    big = int(graph.n_units) + 1
    model = cp_model.CpModel()
    v = [model.new_int_var(0, 1 if integrality[j] else big, f"v{j}") for j in range(len(cost))]
    a_mat = a_mat.tocsr()
    for r in range(a_mat.shape[0]):
        cols = a_mat.indices[a_mat.indptr[r] : a_mat.indptr[r + 1]]
        vals = a_mat.data[a_mat.indptr[r] : a_mat.indptr[r + 1]]
        expr = sum(round(c) * v[j] for j, c in zip(cols.tolist(), vals.tolist(), strict=True))
        if np.isfinite(lo[r]) and np.isfinite(hi[r]) and lo[r] == hi[r]:
            model.add(expr == round(lo[r]))
        else:
            if np.isfinite(lo[r]):
                model.add(expr >= int(np.ceil(lo[r])))
            if np.isfinite(hi[r]):
                model.add(expr <= int(np.floor(hi[r])))
    model.minimize(sum(round(cost[j]) * v[j] for j in range(n) if cost[j] != 0))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    stay = float(graph.stay.sum())
    out = {"seconds": time.perf_counter() - t0, "status": solver.status_name(status)}
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        out["satisfied"] = stay - solver.objective_value
    else:
        out["satisfied"] = None
    out["bound"] = stay - solver.best_objective_bound
    out["proven"] = status == cp_model.OPTIMAL
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--states", nargs="*", default=["OR", "MO", "GA", "TX"])
    ap.add_argument("--time-limit", type=float, default=60.0)
    args = ap.parse_args()
    graph = load_national()
    warm_up(graph)
    rows = []
    for code in args.states:
        g = graph.subgraph(graph.groups["state"] == code)
        row = {"state": code, "units": g.n_units}
        for name, fn in (
            ("scip-exact", run_exact),
            ("flow-highs", flow_mip),
            ("flow-cpsat", cp_sat),
        ):
            res = fn(g, args.time_limit, 0) if name == "scip-exact" else fn(g, args.time_limit)
            res.pop("country", None)
            row[name] = res
            print(
                code,
                name,
                f"{res['seconds']:.2f}s",
                res["proven"],
                res.get("satisfied"),
                flush=True,
            )
        rows.append(row)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "exact_backends.json").write_text(
        json.dumps({"time_limit": args.time_limit, "rows": rows}, indent=2, default=float)
    )
    lines = [
        f"# Back ends for the exact planner ({args.time_limit:g} s limit)",
        "",
        "| state | units | method | satisfied | bound | proven | seconds |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for name in ("scip-exact", "flow-highs", "flow-cpsat"):
            r = row[name]
            sat = "-" if r.get("satisfied") is None else f"{r['satisfied']:,.0f}"
            bound = "-" if r.get("bound") is None else f"{r['bound']:,.0f}"
            lines.append(
                f"| {row['state']} | {row['units']} | {name} | {sat} | {bound} | "
                f"{r['proven']} | {r['seconds']:.2f} |"
            )
    (RESULTS / "exact_backends.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    from entry import run_script

    run_script(main)
