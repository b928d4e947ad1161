"""Where a plan's files live: one folder per job under ``settings.PLANNER_RESULTS_DIR``,
written once (into a hidden folder, then renamed into place)."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The files a plan page may serve, with their content types.
RESULT_FILES = {
    "assignment.csv": "text/csv; charset=utf-8",
    "summary.json": "application/json",
    "plan.geojson": "application/geo+json",
    "map.html": "text/html; charset=utf-8",
    "map.png": "image/png",
    "map.svg": "image/svg+xml",
    "report.html": "text/html; charset=utf-8",
    "units.json": "application/json",
    # an opt-in referendum's border repair (secession referendum --out)
    "outcome.json": "application/json",
    "units.csv": "text/csv; charset=utf-8",
    "moves.csv": "text/csv; charset=utf-8",
}


def results_root() -> Path:
    if not settings.PLANNER_RESULTS_DIR:
        raise ImproperlyConfigured("PLANNER_RESULTS_DIR is not set")
    root = Path(settings.PLANNER_RESULTS_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def partial_dir(job_id) -> Path:
    """A fresh hidden folder to write a job's files into (emptied first)."""
    path = results_root() / f".{job_id}.partial"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def publish(partial: Path, job_id) -> Path:
    """Move the finished files into place (one rename); an existing result is kept."""
    final = results_root() / str(job_id)
    if final.exists():
        shutil.rmtree(partial, ignore_errors=True)
        return final
    partial.rename(final)
    return final


def result_file(job, name: str) -> Path | None:
    """The path of ``name`` in ``job``'s results, or ``None`` (unknown name, no file)."""
    if name not in RESULT_FILES or not job.result_dir:
        return None
    path = results_root() / job.result_dir / name
    return path if path.is_file() else None


def map_in(job, lang: str) -> Path | None:
    """The interactive map drawn in ``lang`` (``map.<lang>.html``), or ``None`` (English,
    the stored ``map.html``, or a plan finished before maps were drawn per language)."""
    if not job.result_dir or not lang.isalpha():
        return None
    path = results_root() / job.result_dir / f"map.{lang}.html"
    return path if path.is_file() else None


def remove(job) -> None:
    if job.result_dir:
        shutil.rmtree(results_root() / job.result_dir, ignore_errors=True)
