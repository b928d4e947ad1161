"""The benchmark script runs end to end on a small election and writes its results."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_ballots.py"


def test_the_benchmark_runs_a_small_election(tmp_path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            "--ballots",
            "30",
            "--browser-ballots",
            "0",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "ballots.json").read_text())
    assert sum(result["result"].values()) == 30
    assert result["figures"]["verify_serial_seconds"] > 0
    assert "full verification, 2 processes" in (tmp_path / "ballots.md").read_text()


def test_a_bad_argument_is_refused_without_a_traceback(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--ballots", "0", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--ballots must be at least 1" in done.stderr and "Traceback" not in done.stderr
