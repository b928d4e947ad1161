"""Download the public US county results and boundaries from their origin into the cache.

Origin: the public repository ``tonmcg/US_County_Level_Election_Results_08-24`` (raw file
addresses under a base URL; ``SECESSION_DOWNLOAD_BASE`` or ``--base-url`` override it,
e.g. for a mirror). Files land in ``<cache>/data`` laid out like the shared data folder
(``us-president-county/<year>.csv``, ``2020-units-albers.topojson``,
``2020-states-albers.topojson``), which :func:`secession.settings.data_dir` falls back to.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from secession.exceptions import DataError, DataMissingError
from secession.settings import cache_dir

BASE_ENV = "SECESSION_DOWNLOAD_BASE"
DEFAULT_BASE = (
    "https://raw.githubusercontent.com/tonmcg/US_County_Level_Election_Results_08-24/master"
)
DEFAULT_YEARS = (2016, 2020)
# origin path -> path inside the data folder
BOUNDARY_FILES = {
    "cartography/2020/wards_districts_counties-albers-500k.topojson": (
        "us-president-county/2020-units-albers.topojson"
    ),
    "cartography/2020/states-albers-10m.topojson": (
        "us-president-county/2020-states-albers.topojson"
    ),
}
CHUNK = 1 << 16


def results_origin(year: int) -> str:
    """Origin path of one year's county results."""
    return f"{year}_US_County_Level_Presidential_Results.csv"


def plan_files(years: Iterable[int]) -> dict[str, str]:
    """Origin path -> local path for the given years plus the boundaries."""
    files = {results_origin(y): f"us-president-county/{y}.csv" for y in years}
    files.update(BOUNDARY_FILES)
    return files


URL_SCHEMES = ("http", "https", "ftp", "file")


def base_url(option: str | None = None) -> str:
    """The base address: ``option``, else ``$SECESSION_DOWNLOAD_BASE``, else the origin."""
    url = (option or os.environ.get(BASE_ENV) or DEFAULT_BASE).rstrip("/")
    if urllib.parse.urlsplit(url).scheme.lower() not in URL_SCHEMES:
        raise DataError(
            f"base URL {url!r} is not an address (expected http://, https:// or file://; "
            f"check `base_url` or {BASE_ENV})"
        )
    return url


def download(
    *,
    base: str | None = None,
    years: Iterable[int] = DEFAULT_YEARS,
    dest: str | Path | None = None,
    force: bool = False,
    progress: bool = True,
    timeout: float = 30.0,
) -> list[Path]:
    """Fetch the files into ``dest`` (default ``<cache>/data``); return the local paths.

    Files already present are kept unless ``force``. Each file is written to a temporary
    name and renamed once complete and checked, so an interrupted run leaves no half file.
    """
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TransferSpeedColumn,
    )

    root = Path(dest) if dest else cache_dir() / "data"
    url_base = base_url(base)
    years = [int(y) for y in years]
    out: list[Path] = []
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
    )
    with Progress(
        *columns, console=Console(stderr=True), disable=not progress, transient=False
    ) as bar:
        for origin, local in plan_files(years).items():
            target = root / local
            out.append(target)
            if target.exists() and not force:
                continue
            _fetch(f"{url_base}/{origin}", target, bar, timeout)
    return out


def _fetch(url: str, target: Path, bar, timeout: float) -> None:
    created = [d for d in (target.parent, *target.parent.parents) if not d.exists()]
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(
            f"cannot create the folder {target.parent}: {exc.strerror or exc} (check `dest`)"
        ) from None
    part = target.with_name(target.name + ".part")
    task = bar.add_task(target.name, total=None)
    try:
        fh = part.open("wb")
    except OSError as exc:
        _remove_if_empty(created)
        raise DataError(f"cannot write {part}: {exc.strerror or exc} (check `dest`)") from None
    try:
        with fh, urllib.request.urlopen(url, timeout=timeout) as response:
            total = response.headers.get("Content-Length")
            bar.update(task, total=int(total) if total and total.isdigit() else None)
            while chunk := response.read(CHUNK):
                _write(fh, chunk, part)
                bar.advance(task, len(chunk))
    except _WriteError as exc:
        part.unlink(missing_ok=True)
        _remove_if_empty(created)
        raise DataError(f"cannot write {part}: {exc} (check `dest` and free space)") from None
    except urllib.error.HTTPError as exc:
        part.unlink(missing_ok=True)
        _remove_if_empty(created)
        raise DataError(
            f"download failed: {url} answered {exc.code} {exc.reason}. Check the year and "
            f"the base URL (`base_url` or {BASE_ENV})."
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        part.unlink(missing_ok=True)
        _remove_if_empty(created)
        reason = getattr(exc, "reason", exc)
        raise DataMissingError(
            f"cannot download {url}: {reason}. This machine seems to be offline or the "
            f"server is unreachable; run `secession data download` on a machine with a "
            f"network, or point SECESSION_DATA at a copy of the data folder."
        ) from None
    _check(part, target, url)
    part.replace(target)


class _WriteError(Exception):
    """Writing the downloaded bytes failed (disk full, say): not a network problem."""


def _write(fh, chunk: bytes, part: Path) -> None:
    try:
        fh.write(chunk)
    except OSError as exc:
        raise _WriteError(exc.strerror or str(exc)) from None


def _check(part: Path, target: Path, url: str) -> None:
    """Refuse a file that is not what was asked for (an HTML error page, say)."""
    head = part.read_bytes()[:4096].decode("utf-8", "replace").lstrip("\ufeff")
    if target.suffix == ".topojson":
        ok = '"Topology"' in head
    else:
        from secession.geo.results import detect_layout

        first = head.splitlines()[0] if head else ""
        ok = detect_layout([c.strip() for c in first.split(",")]) is not None
    if not ok:
        part.unlink(missing_ok=True)
        raise DataError(f"download from {url} is not the expected file (got: {head[:80]!r})")


def _remove_if_empty(created: list[Path]) -> None:
    """Remove the folders a failed download created (deepest first), if still empty."""
    for path in created:
        try:
            path.rmdir()
        except OSError:
            return
