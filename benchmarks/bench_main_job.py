"""Benchmark: the main job (`secession scenario`) as a whole, against the fast solver's run.

Run from the repository root (also as ``python benchmarks/bench_scenario.py --main-job``)::

    SECESSION_DATA=/work/shared/data python benchmarks/bench_main_job.py
    SECESSION_DATA=/work/shared/data python benchmarks/bench_main_job.py -- states counties

Arguments after ``--`` go to ``secession scenario`` unchanged (a smaller configuration:
fewer scenarios, a shorter ``--time-limit``). Each round runs, as separate processes in
alternating order so that a change in the machine's load hits both:

- the main job: ``secession scenario ARGS`` (headline plans from the exact path);
- baseline: ``secession scenario ARGS --solver fast`` (the fast solver's headline plans).

For each it records wall seconds, the peak memory of the whole process tree (the command
and its Dask worker processes, sampled every 0.2 s with psutil; and the largest single
process), and from every scenario's ``summary.json`` the satisfied share, proven bound, gap
and whether it was proven optimal. Results go to ``benchmarks/results/scenario.json``/``.md``
with the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
from rich.console import Console

console = Console(stderr=True)
ROOT = Path(__file__).resolve().parents[1]
SAMPLE_SECONDS = 0.2


def run_job(args: list[str], out: Path) -> dict[str, Any]:
    """Run ``secession scenario ARGS --out OUT``; wall time and peak memory of its tree."""
    exe = shutil.which("secession") or "secession"
    cmd = [exe, "scenario", *args, "--out", str(out)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(proc.pid)
    peak_tree = peak_one = 0
    while proc.poll() is None:
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            break
        rss = []
        for p in procs:
            try:
                rss.append(p.memory_info().rss)
            except psutil.Error:
                continue
        peak_tree, peak_one = max(peak_tree, sum(rss)), max(peak_one, max(rss, default=0))
        time.sleep(SAMPLE_SECONDS)
    stderr = proc.stderr.read() if proc.stderr else ""
    wall = time.perf_counter() - t0
    if proc.wait() != 0:
        raise SystemExit(f"error: `{' '.join(cmd)}` exited {proc.returncode}:\n{stderr[-2000:]}")
    return {
        "seconds": round(wall, 1),
        "peak_tree_mb": round(peak_tree / 2**20),
        "peak_process_mb": round(peak_one / 2**20),
        "scenarios": scenario_rows(out),
    }


def scenario_rows(out: Path) -> dict[str, dict[str, Any]]:
    """Headline figures of every scenario folder under ``out`` (its ``summary.json``)."""
    rows = {}
    for path in sorted(out.glob("*/summary.json")):
        s = json.loads(path.read_text())
        rows[path.parent.name] = {
            "satisfied_share": round(s["satisfied_share"], 5),
            "best_bound_share": round(s["best_bound"] / s["two_side_votes"], 5),
            "gap": round(s["gap"], 5),
            "proven_optimal": s["proven_optimal"],
            "solver": s["solver"],
            "plan_seconds": s["seconds"],
        }
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("scenario_args", nargs="*", help="arguments for secession scenario")
    args = parser.parse_args(argv)
    data = os.environ.get("SECESSION_DATA")
    if not data or not Path(data).is_dir():
        raise SystemExit(f"error: data folder not found: {data}")
    load_before = os.getloadavg()
    routes = {"main job": list(args.scenario_args)}
    routes["baseline (--solver fast)"] = [*args.scenario_args, "--solver", "fast"]
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in routes}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(args.rounds):
            order = list(routes) if r % 2 == 0 else list(reversed(routes))
            for name in order:
                res = run_job(routes[name], Path(tmp) / f"{r}-{len(runs[name])}-{name[:4]}")
                res["load_average_after"] = round(os.getloadavg()[0], 2)
                runs[name].append(res)
                console.print(
                    f"round {r + 1}: {name}: {res['seconds']:.0f} s, peak "
                    f"{res['peak_tree_mb']} MB (tree), load {res['load_average_after']:.1f}"
                )
    result = {
        "benchmark": "scenario_main_job",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "command": "secession scenario " + " ".join(args.scenario_args),
        "rounds": args.rounds,
        "runs": runs,
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scenario.json").write_text(json.dumps(result, indent=2) + "\n")
    (out / "scenario.md").write_text(markdown(result, args))
    console.print(f"-> {out / 'scenario.md'}")
    return 0


def markdown(result: dict[str, Any], args: argparse.Namespace) -> str:
    m = result["machine"]
    lines = [
        "# The main job as a whole: exact headline plans vs the fast solver's",
        "",
        f"`{result['command'].strip()}` on the real 2020 county results, {result['date']}, "
        f"{m['cpus']} CPUs, load average {m['load_average_before'][0]:.1f} before and "
        f"{m['load_average_after'][0]:.1f} after (a shared, loaded machine: re-measure on a "
        "quiet one). Seconds are wall time of the whole command (data, plans, sweeps, maps, "
        "reports); memory is the peak resident memory of the command and its Dask workers "
        "together, and of the largest single process.",
        "",
        "| route | round | seconds | peak MB (all) | peak MB (largest) |",
        "|---|---|---:|---:|---:|",
    ]
    for name, runs in result["runs"].items():
        for i, r in enumerate(runs):
            lines.append(
                f"| {name} | {i + 1} | {r['seconds']:.0f} | {r['peak_tree_mb']} | "
                f"{r['peak_process_mb']} |"
            )
    lines += [
        "",
        "Each scenario's headline plan (last round): satisfied share, proven bound, gap.",
        "",
        "| scenario | route | satisfied | proven bound | gap | proven optimal | plan s |",
        "|---|---|---:|---:|---:|---|---:|",
    ]
    names = sorted({s for runs in result["runs"].values() for s in runs[-1]["scenarios"]})
    for s in names:
        for route, runs in result["runs"].items():
            row = runs[-1]["scenarios"].get(s)
            if row is None:
                continue
            lines.append(
                f"| {s} | {route} | {row['satisfied_share']:.2%} | "
                f"{row['best_bound_share']:.2%} | {row['gap']:.2%} | "
                f"{'yes' if row['proven_optimal'] else 'no'} | {row['plan_seconds']:.0f} |"
            )
    extra = " ".join(args.scenario_args)
    lines += [
        "",
        "Reproduce: `SECESSION_DATA=/work/shared/data python benchmarks/bench_main_job.py "
        f"--rounds {args.rounds}" + (f" -- {extra}" if extra else "") + "`",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    from entry import run_script

    run_script(main)
