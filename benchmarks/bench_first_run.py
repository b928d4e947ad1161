"""Benchmark: a user's first ``secession plan`` against a warm one.

Run from the repository root::

    SECESSION_DATA=/work/shared/data python benchmarks/bench_first_run.py
    SECESSION_DATA=/work/shared/data python benchmarks/bench_first_run.py --rounds 1

The command is the README's ``secession plan --state OR --leave gop --seed 0`` (``--out``
a temporary folder). The planner's numba kernels are cached on disk; each round gives the
command a fresh, empty ``NUMBA_CACHE_DIR`` and times, as separate processes:

- **no warm-up** (the first run before this change): the command on the empty cache, so
  every kernel it calls compiles first;
- **after setup** (the first run a user now sees): ``scripts/warm_numba.py`` fills another
  empty cache, as ``scripts/setup.sh`` does at install, then the command runs once;
- **warm** (the baseline): the same command again on that filled cache.

The target is *after setup* within 1.5x of *warm*. Python's own ``.pyc`` files are warm in
every case (``scripts/setup.sh`` compiles them too). Results go to
``benchmarks/results/first_run.json``/``.md`` with the load average before and after; the
script reports and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from entry import run_script

console = Console(stderr=True)
ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
COMMAND = ["plan", "--state", "OR", "--leave", "gop", "--seed", "0"]
TARGET = 1.5


def timed(cmd: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one process; a failure stops the benchmark with its message."""
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode != 0:
        tail = done.stderr[-2000:]
        raise SystemExit(f"error: `{' '.join(cmd)}` exited {done.returncode}:\n{tail}")
    return wall


def one_round(work: Path, k: int) -> dict[str, float]:
    exe = shutil.which("secession") or "secession"
    plan = [exe, *COMMAND, "--out"]
    cold_cache, warm_cache = work / f"cold-{k}", work / f"warm-{k}"
    cold_env = {**os.environ, "NUMBA_CACHE_DIR": str(cold_cache)}
    warm_env = {**os.environ, "NUMBA_CACHE_DIR": str(warm_cache)}
    row = {"no_warm_up": timed([*plan, str(work / f"a-{k}")], cold_env)}
    row["warm_up"] = timed(
        [sys.executable, str(ROOT / "scripts" / "warm_numba.py"), "--quiet"], warm_env
    )
    row["after_setup"] = timed([*plan, str(work / f"b-{k}")], warm_env)
    row["warm"] = timed([*plan, str(work / f"c-{k}")], warm_env)
    same = [(work / f"{x}-{k}" / "assignment.csv").read_text() for x in "abc"]
    row["same_plan"] = float(same[0] == same[1] == same[2])
    return {key: round(value, 2) for key, value in row.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description="first run against a warm run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (median reported)")
    args = parser.parse_args()
    data = os.environ.get("SECESSION_DATA")
    if data and not Path(data).is_dir():
        from secession.exceptions import DataError

        raise DataError(f"data folder not found: {data}")
    load_before = os.getloadavg()
    rounds = []
    with tempfile.TemporaryDirectory(prefix="bench-first-run-") as tmp:
        for k in range(args.rounds):
            with console.status(f"round {k + 1} of {args.rounds}"):
                rounds.append(one_round(Path(tmp), k))
            console.print(f"round {k + 1}: {rounds[-1]}")
    load_after = os.getloadavg()
    median = {
        key: round(statistics.median(r[key] for r in rounds), 2)
        for key in ("no_warm_up", "warm_up", "after_setup", "warm")
    }
    ratio = round(median["after_setup"] / median["warm"], 2)
    result: dict[str, Any] = {
        "command": "secession " + " ".join(COMMAND) + " --out TMP",
        "rounds": rounds,
        "median_seconds": median,
        "ratio_after_setup_to_warm": ratio,
        "ratio_no_warm_up_to_warm": round(median["no_warm_up"] / median["warm"], 2),
        "target_ratio": TARGET,
        "target_met": ratio <= TARGET,
        "same_plan_every_run": all(r["same_plan"] == 1.0 for r in rounds),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "first_run.json").write_text(json.dumps(result, indent=2) + "\n")
    (RESULTS / "first_run.md").write_text(markdown(result))
    console.print(markdown(result))
    return 0


def markdown(r: dict[str, Any]) -> str:
    m = r["median_seconds"]
    lines = [
        "# First run against a warm run",
        "",
        f"`{r['command']}`, each round on fresh empty numba caches; median of "
        f"{len(r['rounds'])} rounds, {r['cpus']} CPUs, load average "
        f"{r['load_before'][0]:.1f} before and {r['load_after'][0]:.1f} after "
        f"(`python benchmarks/bench_first_run.py`, {r['when']}).",
        "",
        "| run | seconds |",
        "|---|---:|",
        f"| no warm-up (empty cache: every kernel compiles) | {m['no_warm_up']:.2f} |",
        f"| `scripts/warm_numba.py` (once, in `scripts/setup.sh`) | {m['warm_up']:.2f} |",
        f"| first run after setup | {m['after_setup']:.2f} |",
        f"| warm (baseline: the same command again) | {m['warm']:.2f} |",
        "",
        "Each round (run in this order, as separate processes):",
        "",
        "| round | no warm-up | warm-up | after setup | warm | after setup / warm |",
        "|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {k + 1} | {x['no_warm_up']:.2f} | {x['warm_up']:.2f} | {x['after_setup']:.2f} "
            f"| {x['warm']:.2f} | {x['after_setup'] / x['warm']:.2f}x |"
            for k, x in enumerate(r["rounds"])
        ),
        "",
        f"First run after setup / warm (medians): **{r['ratio_after_setup_to_warm']:.2f}x** "
        f"(target {r['target_ratio']}x: {'met' if r['target_met'] else 'not met'}); "
        f"without the warm-up {r['ratio_no_warm_up_to_warm']:.2f}x. "
        f"Same plan in every run: {'yes' if r['same_plan_every_run'] else 'no'}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    run_script(main)
