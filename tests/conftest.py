"""Shared fixtures: the real data folder and an in-process command-line runner."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests: no wall-clock deadline (a busy 2-core machine is not a bug). In CI the
# examples are derived from each test's name, so a run can be repeated exactly; locally they
# are random, which keeps exploring new inputs (failures are saved in .hypothesis/).
hypothesis_settings.register_profile("ci", deadline=None, derandomize=True, database=None)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parents[1]


def _find_data() -> Path | None:
    env = os.environ.get("SECESSION_DATA")
    if env:
        return Path(env)
    sibling = REPO.parent / "shared" / "data"
    return sibling if sibling.is_dir() else None


DATA = _find_data()


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real shared data folder (``$SECESSION_DATA`` or ``../shared/data``)."""
    if DATA is None or not DATA.is_dir():
        pytest.fail(
            "real data not found: set SECESSION_DATA to the shared/data folder "
            "(tests read the real files in place)"
        )
    return DATA


@pytest.fixture(autouse=True)
def _data_env(monkeypatch: pytest.MonkeyPatch) -> None:
    if DATA is not None and "SECESSION_DATA" not in os.environ:
        monkeypatch.setenv("SECESSION_DATA", str(DATA))
    monkeypatch.setenv("MPLBACKEND", "Agg")


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run ``secession ARGS...`` in-process; returns exit code, stdout and stderr."""
    from secession.cli.app import run

    def invoke(*args: str | os.PathLike[str]) -> CliResult:
        capsys.readouterr()
        code = run([str(a) for a in args])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return invoke
