"""Benchmark: the new-plan request's check that each locked county lies inside the drawn
region (``planner.regionlocks.outside_region``), against the named baseline **load the
place with the region** (``load_graph(region=...)``, what the job does, which the check
would cost per request without the cached points).

For Oregon and for the whole country (2020 county results), a seeded random choice of
locked counties (``--locks``, ``--seed``) and the Willamette Valley region of the tests:
the baseline's time, the first check (computes the place's points and writes them under
``PLANNER_RESULTS_DIR/.place-points``), then the median of ``--repeat`` checks that read
the file; the file's size. The check's answer is compared with the baseline's kept units.
Writes ``benchmarks/results/region_locks.json`` and ``region_locks.md`` with the load.

    python benchmarks/bench_region_locks.py
    python benchmarks/bench_region_locks.py --locks 200 --repeat 50
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from rich.progress import Progress

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
WILLAMETTE = {
    "type": "Polygon",
    "coordinates": [
        [
            [-124.2, 44.9],
            [-122.3, 45.5],
            [-121.9, 44.6],
            [-122.6, 43.6],
            [-124.1, 43.9],
            [-124.2, 44.9],
        ]
    ],
}
DATASET = {"kind": "us-counties", "year": 2020, "water_links": None}


def _setup(results_dir: str, data_dir: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secession.web.config.settings_test")
    import django
    from django.conf import settings

    django.setup()
    settings.PLANNER_RESULTS_DIR = results_dir
    settings.PLANNER_DATA_DIR = data_dir


def _timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def measure(place: list[str], locks: int, repeat: int, seed: int) -> dict:
    from secession.geo.load import load_graph
    from secession.web.apps.planner import regionlocks
    from secession.web.apps.planner.datasets import load_kwargs

    kwargs = load_kwargs(DATASET, place, "gop")
    everyone = load_graph(**kwargs).graph.ids.tolist()  # also warms the readers' caches
    rng = np.random.default_rng(seed)
    chosen = rng.choice(everyone, size=min(locks, len(everyone)), replace=False).tolist()
    baseline_s, kept = _timed(lambda: load_graph(**kwargs, region=WILLAMETTE).graph.ids.tolist())
    expected = sorted(set(chosen) - set(kept))
    first_s, found = _timed(
        lambda: regionlocks.outside_region(DATASET, place, "gop", WILLAMETTE, chosen)
    )
    assert sorted(u for u, _ in found.outside) == expected and not found.unknown
    warm = []
    for _ in range(repeat):
        seconds, again = _timed(
            lambda: regionlocks.outside_region(DATASET, place, "gop", WILLAMETTE, chosen)
        )
        assert again == found
        warm.append(seconds)
    path = regionlocks.cache_path(DATASET, place, "gop")
    return {
        "place": ", ".join(place) or "the whole country",
        "units": len(everyone),
        "locked": len(chosen),
        "outside": len(expected),
        "baseline_load_with_region_s": baseline_s,
        "first_check_s": first_s,
        "cached_check_median_s": statistics.median(warm),
        "cached_check_max_s": max(warm),
        "points_file_bytes": path.stat().st_size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--locks", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data-dir", default=os.environ.get("SECESSION_DATA"))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        _setup(tmp, args.data_dir)
        with Progress() as bar:
            task = bar.add_task("places", total=2)
            for place in (["OR"], []):
                rows.append(measure(place, args.locks, args.repeat, args.seed))
                bar.advance(task)
    doc = {
        "benchmark": "region_locks",
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "seed": args.seed,
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "rows": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "region_locks.json").write_text(json.dumps(doc, indent=2) + "\n")
    lines = [
        "# Locked counties inside a drawn region: the request's check",
        "",
        f"`python benchmarks/{doc['command']}`; load average "
        + ", ".join(f"{x:.2f}" for x in doc["load_average"])
        + f" on {doc['cpus']} cores.",
        "",
        "| place | units | locked | outside | baseline: load with region | first check | "
        "cached check (median / max) | points file |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['place']} | {r['units']} | {r['locked']} | {r['outside']} | "
            f"{r['baseline_load_with_region_s']:.2f} s | {r['first_check_s']:.2f} s | "
            f"{r['cached_check_median_s'] * 1000:.1f} / {r['cached_check_max_s'] * 1000:.1f} ms | "
            f"{r['points_file_bytes'] / 1024:.0f} KB |"
        )
    (RESULTS / "region_locks.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
