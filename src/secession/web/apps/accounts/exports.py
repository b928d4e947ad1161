"""The parts of a person's data export that apps above accounts contribute.

Each app registers ``section(user) -> JSON-ready data`` under a key of the export, so the
export lists everything the platform holds without the accounts app importing them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_EXPORTS: dict[str, Callable[[Any], Any]] = {}


def register_export(key: str, section: Callable[[Any], Any]) -> None:
    _EXPORTS[key] = section


def exported_sections(user) -> dict[str, Any]:
    return {key: section(user) for key, section in _EXPORTS.items()}
