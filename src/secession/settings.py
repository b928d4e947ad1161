"""Where the package finds its data: an option, ``SECESSION_DATA``, or the download cache."""

from __future__ import annotations

import os
from pathlib import Path

from secession.exceptions import DataMissingError

DATA_ENV = "SECESSION_DATA"
CACHE_ENV = "SECESSION_CACHE"


def cache_dir() -> Path:
    """Folder where ``secession data download`` stores files (``SECESSION_CACHE`` overrides)."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "secession"


def data_dir(option: str | Path | None = None) -> Path:
    """Return the data folder: ``option``, else ``$SECESSION_DATA``, else the download cache.

    Raises :class:`DataMissingError` with instructions when none of them exists.
    """
    candidates: list[tuple[str, Path]] = []
    if option:
        candidates.append(("--data-dir", Path(option).expanduser()))
    elif os.environ.get(DATA_ENV):
        candidates.append((DATA_ENV, Path(os.environ[DATA_ENV]).expanduser()))
    else:
        candidates.append(("download cache", cache_dir() / "data"))
    source, path = candidates[0]
    if path.is_dir():
        return path
    raise DataMissingError(
        f"data folder not found: {path} (from {source}). "
        f"Point {DATA_ENV} (or --data-dir) at a folder laid out like shared/data "
        "(us-president-county/, nh-wards/, ia-counties/, graphs/), "
        "or run `secession data download` on a machine with a network to fill the cache."
    )


def data_file(relative: str | Path, option: str | Path | None = None) -> Path:
    """Return ``relative`` inside the data folder, or raise a clear :class:`DataMissingError`."""
    path = data_dir(option) / relative
    if not path.exists():
        raise DataMissingError(
            f"data file missing: {path}. Expected inside the data folder; "
            "run `secession data download` or point SECESSION_DATA at a complete copy."
        )
    return path
