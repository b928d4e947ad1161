"""Benchmark: sensitivity re-plans on Dask (local cluster of processes) against a plain loop.

Run from the repository root::

    python benchmarks/bench_scenario.py                  # 11 western states, 16 re-plans
    python benchmarks/bench_scenario.py --national --swings 9 --draws 8

The same seeded variants (uniform swings and Monte Carlo draws of the ``counties-multi``
scenario, fast solver) are solved twice: one after another in this process (the baseline),
and as tasks on a ``LocalCluster`` with one single-threaded worker process per core (what
``secession scenario`` does). Both must give the same satisfied voters for every variant;
the script fails otherwise. Times include starting the cluster. Results go to
``benchmarks/results/scenario_sweep.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from secession.geo.load import load_graph
from secession.scenario.kinds import ScenarioOptions, spec_for
from secession.scenario.parallel import dask_client, map_tasks
from secession.scenario.run import SolverSettings
from secession.scenario.sensitivity import (
    MonteCarloSettings,
    Variant,
    solve_variant,
    strip_geometry,
)

console = Console(stderr=True)
ROOT = Path(__file__).resolve().parents[1]
WEST = ["WA", "OR", "CA", "NV", "ID", "MT", "WY", "UT", "AZ", "CO", "NM"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--national", action="store_true", help="all states (default: the West)")
    ap.add_argument("--swings", type=int, default=8, help="number of swings from -5 to +5")
    ap.add_argument("--draws", type=int, default=8, help="Monte Carlo draws")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    load_before = os.getloadavg()[0]

    graph = strip_geometry(load_graph(states=[] if args.national else WEST).graph)
    spec = spec_for("counties-multi", ScenarioOptions())
    step = 10.0 / max(args.swings - 1, 1)
    variants = [Variant(spec, "swing", round(-5 + i * step, 3)) for i in range(args.swings)]
    variants += [Variant(spec, "draw", d) for d in range(args.draws)]
    settings = SolverSettings(solver="fast", time_limit=10, seed=args.seed)
    mc = MonteCarloSettings(draws=args.draws, seed=args.seed)

    # warm-up: compiled code (numba caches) loaded once in this process
    solve_variant(graph, variants[0], settings, mc)

    t0 = time.perf_counter()
    serial = [solve_variant(graph, v, settings, mc) for v in variants]
    t_serial = time.perf_counter() - t0
    console.print(f"serial loop: {t_serial:.1f} s")

    t0 = time.perf_counter()
    with dask_client(workers=args.workers) as client:
        t_start = time.perf_counter() - t0
        parallel = map_tasks(client, solve_variant, graph, variants, settings, mc)
    t_dask = time.perf_counter() - t0
    console.print(f"dask ({args.workers} processes): {t_dask:.1f} s (start {t_start:.1f} s)")

    for a, b, v in zip(serial, parallel, variants, strict=True):
        if a["row"]["satisfied_voters"] != b["row"]["satisfied_voters"]:
            console.print(f"[red]mismatch[/] on {v.kind} {v.value}")
            return 1

    result = {
        "benchmark": "scenario_sweep",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
        },
        "instance": {
            "units": graph.n_units,
            "states": "all" if args.national else WEST,
            "scenario": "counties-multi",
            "variants": len(variants),
            "swings": args.swings,
            "draws": args.draws,
            "seed": args.seed,
        },
        "baseline_serial_seconds": round(t_serial, 2),
        "dask_seconds": round(t_dask, 2),
        "dask_start_seconds": round(t_start, 2),
        "workers": args.workers,
        "speedup": round(t_serial / t_dask, 2),
        "identical_results": True,
        "load_average_before": round(load_before, 2),
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scenario_sweep.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "scenario_sweep.md").write_text(
        "# Sensitivity re-plans: Dask local cluster vs a plain loop\n\n"
        f"{len(variants)} seeded re-plans ({args.swings} swings, {args.draws} Monte Carlo "
        f"draws) of `counties-multi` on {graph.n_units} counties, fast solver, "
        f"{result['date']}, {os.cpu_count()} CPUs, load average {load_before:.1f} before the "
        "run (other work on the machine takes cores from both routes).\n\n"
        "| route | seconds |\n|---|---|\n"
        f"| baseline: serial loop in one process | {t_serial:.1f} |\n"
        f"| Dask LocalCluster, {args.workers} processes (incl. {t_start:.1f} s start) "
        f"| {t_dask:.1f} |\n\n"
        f"Speed-up {result['speedup']}x; every variant gave the same satisfied voters.\n\n"
        "Reproduce: `python benchmarks/bench_scenario.py"
        + (" --national" if args.national else "")
        + f" --swings {args.swings} --draws {args.draws}`\n"
    )
    console.print(f"speed-up {result['speedup']}x -> {out / 'scenario_sweep.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
