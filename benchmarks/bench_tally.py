"""Benchmark: tally 10 million raw ballots, streamed, against a plain pandas baseline.

Generates (seeded) ``--ballots`` ballots over ``--units`` units to CSV and Parquet in a cache
folder (``$SECESSION_CACHE/bench`` or ``~/.cache/secession/bench``), then tallies each file
with the streaming tallier (:func:`secession.referendum.ballots.tally_ballots`) and with the
baseline ``pandas.read_csv``/``read_parquet`` + ``groupby(["unit", "choice"]).size()``. Every
run is a fresh subprocess, so its peak resident memory (``ru_maxrss``) is its own; the
tallies of all methods must agree exactly. "RSS after imports" is measured once every
module the method uses is imported, so peak minus it is the memory the tally itself needs.
Flat memory is shown by streaming files of several sizes (``--flat-sizes``, default a tenth,
one and three times ``--ballots``): the peak must not grow with the file. Writes
``benchmarks/results/tally.json`` and ``tally.md``.

    python benchmarks/bench_tally.py                 # 10,000,000 ballots
    python benchmarks/bench_tally.py --ballots 1000000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
CHOICES = np.array(["yes", "no", "blank"])
METHODS = ("stream-csv", "stream-parquet", "pandas-csv", "pandas-parquet")


def cache_folder() -> Path:
    base = os.environ.get("SECESSION_CACHE") or str(Path.home() / ".cache" / "secession")
    path = Path(base) / "bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def unit_ids(n_units: int) -> np.ndarray:
    return np.array([f"U{i:05d}" for i in range(n_units)])


def generate(n: int, n_units: int, seed: int) -> tuple[Path, Path]:
    """Write the seeded ballots (in 1M-row chunks) to CSV and Parquet, once per parameters."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    folder = cache_folder()
    stem = f"ballots-{n}-{n_units}-{seed}"
    csv_path, pq_path = folder / f"{stem}.csv", folder / f"{stem}.parquet"
    if csv_path.exists() and pq_path.exists():
        return csv_path, pq_path
    rng = np.random.default_rng(seed)
    ids = unit_ids(n_units)
    # Each unit gets its own lean, so per-unit results differ.
    lean = rng.uniform(0.25, 0.75, n_units)
    schema = pa.schema([("unit", pa.string()), ("choice", pa.string())])
    tmp_csv, tmp_pq = csv_path.with_suffix(".csv.tmp"), pq_path.with_suffix(".parquet.tmp")
    with (
        pacsv.CSVWriter(tmp_csv, schema) as cw,
        pq.ParquetWriter(tmp_pq, schema) as pw,
    ):
        done = 0
        while done < n:
            k = min(1_000_000, n - done)
            u = rng.integers(0, n_units, k)
            r = rng.random(k)
            c = np.where(r < 0.04, 2, np.where(r < 0.04 + 0.96 * lean[u], 0, 1))
            table = pa.table({"unit": ids[u], "choice": CHOICES[c]}, schema=schema)
            cw.write_table(table)
            pw.write_table(table)
            done += k
    tmp_csv.rename(csv_path)
    tmp_pq.rename(pq_path)
    return csv_path, pq_path


def worker(method: str, path: str) -> None:
    """Run one method in this (fresh) process; print seconds, peak RSS and the tally."""
    if method.startswith("stream"):
        # Import here what tally_ballots imports lazily, so the base RSS includes it.
        import pyarrow.csv
        import pyarrow.dataset
        import pyarrow.parquet
        import rich.progress  # noqa: F401

        from secession.referendum.ballots import tally_ballots
    else:
        import pandas as pd
        import pyarrow.parquet  # noqa: F401

    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    if method.startswith("stream"):
        counts = tally_ballots(path)
        table = {
            u: [int(counts.yes[i]), int(counts.no[i]), int(counts.blank[i])]
            for i, u in enumerate(counts.units)
        }
    else:
        frame = pd.read_csv(path) if method == "pandas-csv" else pd.read_parquet(path)
        sizes = frame.groupby(["unit", "choice"]).size().unstack(fill_value=0)
        table = {
            str(u): [int(row.get("yes", 0)), int(row.get("no", 0)), int(row.get("blank", 0))]
            for u, row in sizes.iterrows()
        }
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "method": method,
                "seconds": seconds,
                "peak_rss_mb": peak / 1024,
                "rss_after_imports_mb": base_rss / 1024,
                "tally": table,
            }
        )
    )


def run_one(method: str, path: Path) -> dict:
    cmd = [sys.executable, __file__, "--worker", method, str(path)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{method} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ballots", type=int, default=10_000_000)
    ap.add_argument("--units", type=int, default=3_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=2, help="runs per method; the fastest kept")
    ap.add_argument(
        "--flat-sizes",
        default=None,
        help="comma-separated ballot counts streamed to show flat memory "
        "(default: a tenth, one and three times --ballots)",
    )
    ap.add_argument("--worker", nargs=2, metavar=("METHOD", "FILE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(*args.worker)
        return
    load_before = list(os.getloadavg())
    t0 = time.perf_counter()
    csv_path, pq_path = generate(args.ballots, args.units, args.seed)
    gen_seconds = time.perf_counter() - t0
    files = {"csv": csv_path, "parquet": pq_path}
    runs: dict[str, dict] = {}
    reference = None
    for method in METHODS:
        path = files[method.split("-")[1]]
        best = None
        highest_rss = 0.0
        for _ in range(args.repeat):
            res = run_one(method, path)
            tally = res.pop("tally")
            if reference is None:
                reference = tally
            if tally != reference:
                raise SystemExit(f"{method}: tally differs from {METHODS[0]}")
            highest_rss = max(highest_rss, res["peak_rss_mb"])
            if best is None or res["seconds"] < best["seconds"]:
                best = res  # seconds and peak RSS of the same (fastest) run
        best["highest_peak_rss_mb_over_repeats"] = highest_rss
        runs[method] = best
        print(f"{method:16s} {best['seconds']:7.2f} s  peak RSS {best['peak_rss_mb']:7.0f} MB")
    # Flat memory: the streaming tallier's peak RSS on files of several sizes.
    if args.flat_sizes:
        sizes = sorted({int(float(x)) for x in args.flat_sizes.split(",")})
    else:
        sizes = sorted({max(args.ballots // 10, 1), args.ballots, 3 * args.ballots})
    flat: dict[str, dict[str, dict[str, float]]] = {m: {} for m in METHODS[:2]}
    for size in sizes:
        size_files = dict(
            zip(("csv", "parquet"), generate(size, args.units, args.seed), strict=True)
        )
        for method in METHODS[:2]:
            res = run_one(method, size_files[method.split("-")[1]])
            res.pop("tally")
            flat[method][str(size)] = {
                "seconds": res["seconds"],
                "peak_rss_mb": res["peak_rss_mb"],
                "rss_after_imports_mb": res["rss_after_imports_mb"],
                "tally_mb": res["peak_rss_mb"] - res["rss_after_imports_mb"],
            }
            print(
                f"{method:16s} {size:>12,} ballots {res['seconds']:6.2f} s  "
                f"peak RSS {res['peak_rss_mb']:5.0f} MB "
                f"({res['peak_rss_mb'] - res['rss_after_imports_mb']:.0f} MB over imports)"
            )
    totals = np.array(list(reference.values())).sum(axis=0).tolist()
    doc = {
        "benchmark": "tally",
        "ballots": args.ballots,
        "units": args.units,
        "seed": args.seed,
        "repeat": args.repeat,
        "files": {
            "csv_mb": csv_path.stat().st_size / 2**20,
            "parquet_mb": pq_path.stat().st_size / 2**20,
        },
        "generate_seconds_or_cached": gen_seconds,
        "totals": dict(zip(["yes", "no", "blank"], totals, strict=True)),
        "tallies_identical": True,
        "runs": runs,
        "memory_vs_input_size": flat,
        "speedup_vs_pandas": {
            "csv": runs["pandas-csv"]["seconds"] / runs["stream-csv"]["seconds"],
            "parquet": runs["pandas-parquet"]["seconds"] / runs["stream-parquet"]["seconds"],
        },
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_average_before_after": [load_before, list(os.getloadavg())],
        },
        "command": "python benchmarks/bench_tally.py "
        f"--ballots {args.ballots} --units {args.units} --seed {args.seed} --repeat {args.repeat}"
        + (f" --flat-sizes {args.flat_sizes}" if args.flat_sizes else ""),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "tally.json").write_text(json.dumps(doc, indent=2) + "\n")
    lines = [
        f"# Tally benchmark: {args.ballots:,} ballots, {args.units:,} units (seed {args.seed})",
        "",
        f"Command: `{doc['command']}`; each method runs in a fresh subprocess, fastest of "
        f"{args.repeat} kept, with that run's own peak RSS (the highest over the repeats is "
        "in tally.json); peak RSS is the process's `ru_maxrss` (interpreter and imports "
        "included). All methods produced the identical tally "
        f"(yes {totals[0]:,}, no {totals[1]:,}, blank {totals[2]:,}).",
        "",
        f"Files: CSV {doc['files']['csv_mb']:.0f} MB, Parquet {doc['files']['parquet_mb']:.0f} MB. "
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, load average "
        f"{load_before[0]:.1f} before and {os.getloadavg()[0]:.1f} after (a shared machine: "
        "times vary with load; compare methods within one run).",
        "",
        "| method | seconds | peak RSS (MB) | RSS after imports (MB) |",
        "|---|---:|---:|---:|",
    ]
    for m, r in runs.items():
        lines.append(
            f"| {m} | {r['seconds']:.2f} | {r['peak_rss_mb']:.0f} | "
            f"{r['rss_after_imports_mb']:.0f} |"
        )
    sp = doc["speedup_vs_pandas"]
    lines += [
        "",
        f"pandas time / streaming time: {sp['csv']:.1f} on CSV, {sp['parquet']:.1f} on Parquet "
        "(above 1: streaming is faster).",
        "",
        "Flat memory: the streaming tallier on files of several sizes (one run each; peak "
        "RSS, and in brackets the part above the RSS after imports). A file of a few batches "
        "has not reached the steady state yet, and a CSV above "
        "16 MB per CPU is read in one part per CPU at once, so the first size may sit lower; "
        "from then on the peak must not grow with the file.",
        "",
        "| ballots | " + " | ".join(f"{m} s | {m} peak MB" for m in flat) + " |",
        "|---:|" + "---:|---:|" * len(flat),
    ]
    for size in sizes:
        cells = []
        for m in flat:
            v = flat[m][str(size)]
            cells.append(f"{v['seconds']:.2f} | {v['peak_rss_mb']:.0f} ({v['tally_mb']:.0f})")
        lines.append(f"| {size:,} | " + " | ".join(cells) + " |")
    lines.append("")
    (RESULTS / "tally.md").write_text("\n".join(lines))
    print(f"wrote {RESULTS / 'tally.json'} and {RESULTS / 'tally.md'}")


if __name__ == "__main__":
    from entry import run_script

    run_script(main)
