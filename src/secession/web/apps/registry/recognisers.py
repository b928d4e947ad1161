"""Who can recognise a people: kinds of recogniser, each registered by the app that owns it.

The registry registers ``community`` (a registered people, by its own passed ``recognise``
proposal). **Hook for alliances (issue 16):** the alliances app, placed above the registry,
registers ``RecogniserKind(ALLIANCE, ...)`` in its ``ready()`` and, when an alliance's own
rule decides to recognise a people, calls
``registry.actions.recognise(people, recogniser_type=ALLIANCE, recogniser_id=alliance.pk,
recogniser_name=alliance.name, person=None)`` (and ``withdraw_recognition`` likewise). The
rule's ``min_alliances`` counts those; nothing else in the registry changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

COMMUNITY = "community"
ALLIANCE = "alliance"


@dataclass(frozen=True)
class RecogniserKind:
    """``lookup(ids) -> {id: object with .name and .get_absolute_url()}``;
    ``counts_as_people``: its recognitions count towards ``min_peoples`` and
    ``min_members`` (communities) or towards ``min_alliances`` (alliances)."""

    name: str
    label: str
    lookup: Callable[[set[int]], dict[int, Any]]
    counts_as_people: bool


_KINDS: dict[str, RecogniserKind] = {}


def register_recogniser_kind(kind: RecogniserKind) -> None:
    _KINDS[kind.name] = kind


def recogniser_kind(name: str) -> RecogniserKind | None:
    return _KINDS.get(name)


def lookup(name: str, ids: set[int]) -> dict[int, Any]:
    kind = _KINDS.get(name)
    return kind.lookup(ids) if kind is not None and ids else {}
