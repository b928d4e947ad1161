"""Exports as bytes: JSON, CSV and GeoJSON, each carrying the notice and the licence.

Pure and reproducible: the same database gives the same bytes (keys sorted, rows in the
dataset's own stable order, no time of export written). :func:`chunks` streams a large
export; :func:`export` joins it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from secession.web.apps.opendata.licences import notice
from secession.web.apps.opendata.registry import CSV, GEOJSON, JSON, dataset, licence_of, scope

MEDIA_TYPES = {
    JSON: "application/json",
    CSV: "text/csv; charset=utf-8",
    GEOJSON: "application/geo+json",
}
LICENCE_COLUMN = "data_licence"


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def envelope(scope_name: str, subj: Any, name: str) -> dict[str, Any]:
    """What every export says about itself: which data, whose, under which licence."""
    sc = scope(scope_name)
    lic = licence_of(scope_name, subj)

    return {
        "dataset": name,
        "scope": scope_name,
        "subject": sc.key(subj),
        "licence": lic.as_dict(),
        "notice": notice(lic, sc.source(subj)),
    }


def cell(value: Any) -> str:
    """A CSV cell: empty for null, true/false, JSON for lists and objects."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return _dump(value)
    return str(value)


def chunks(scope_name: str, subj: Any, name: str, fmt: str) -> Iterator[bytes]:
    """The export in pieces (UTF-8)."""
    ds = dataset(scope_name, name, fmt)
    head = envelope(scope_name, subj, name)
    if fmt == CSV:
        yield from _csv(ds, subj, head["licence"]["url"])
    elif fmt == GEOJSON:
        yield from _stream({"type": "FeatureCollection", **head}, "features", ds.features(subj))
    elif ds.rows is not None:
        yield from _stream({**head, "title": ds.title}, "rows", ds.rows(subj))
    else:
        yield (_dump({**ds.document(subj), **head}) + "\n").encode()


def export(scope_name: str, subj: Any, name: str, fmt: str) -> bytes:
    return b"".join(chunks(scope_name, subj, name, fmt))


def _stream(head: dict[str, Any], key: str, items) -> Iterator[bytes]:
    text = _dump(head)
    yield (text[:-1] + f',"{key}":[').encode()
    first = True
    for item in items:
        yield (("\n" if first else ",\n") + _dump(item)).encode()
        first = False
    yield b"\n]}\n"


def _csv(ds, subj: Any, licence_url: str) -> Iterator[bytes]:
    """RFC 4180 CSV: a header, then one line per row; every row names its licence."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([*ds.columns, LICENCE_COLUMN])
    for n, row in enumerate(ds.rows(subj), 1):
        writer.writerow([*(cell(row.get(c)) for c in ds.columns), licence_url])
        if n % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
