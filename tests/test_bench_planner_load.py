"""``benchmarks/bench_planner_load.py --quick`` runs end to end (a private PostgreSQL
cluster, the production server, the plan worker, people signed in over HTTP), so the
benchmark cannot rot: every job is done, equals ``secession plan``, the person over the
limit is refused, and both page sets were timed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_planner_load.py"


@pytest.mark.slow
def test_quick_run_every_job_done_and_equal_to_the_command_line(tmp_path, data_dir) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--out", str(tmp_path / "planner_load")],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, "SECESSION_DATA": str(data_dir)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads((tmp_path / "planner_load.json").read_text())
    assert result["accepted"] == result["done"] == result["equal"] == 4
    assert all(job["units_equal"] and job["summary_equal"] for job in result["per_job"])
    assert result["over_limit_status"] == 429
    assert 1 <= result["most_at_once"] <= result["running"] == 2
    assert not result["bad_pages"]
    for row in result["pages"]:
        assert row["baseline"]["n"] == 5 and row["loaded"]["n"] >= 1, row
    assert "equal to `secession plan`" in (tmp_path / "planner_load.md").read_text()


def test_a_bad_argument_is_refused_without_a_traceback(tmp_path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--people", "0", "--out", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "--people must be between 1 and --jobs" in done.stderr
