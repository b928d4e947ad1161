"""How the audit pages name what entries concern, supplied by the apps that own it.

The audit app is the bottom layer: it cannot import the communities it records. The
communities app registers a lookup (ids -> objects with a name and a URL) here instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

_LOOKUPS: dict[str, Callable[[set[int]], dict[int, Any]]] = {}


def register_lookup(subject: str, lookup: Callable[[set[int]], dict[int, Any]]) -> None:
    """``subject`` (e.g. ``"community"``): ``lookup(ids) -> {id: object}``."""
    _LOOKUPS[subject] = lookup


def lookup(subject: str, ids: Iterable[int | None]) -> dict[int, Any]:
    wanted = {i for i in ids if i is not None}
    finder = _LOOKUPS.get(subject)
    return finder(wanted) if finder and wanted else {}
