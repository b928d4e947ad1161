"""Who can recognise a people: kinds of recogniser, each registered by the app that owns it.

The registry registers ``community`` (a registered people, by its own passed ``recognise``
proposal). **Hook for alliances (issue 16):** the alliances app, placed above the registry,
registers ``RecogniserKind(ALLIANCE, ...)`` in its ``ready()`` and, when an alliance's own
rule decides to recognise a people, calls
``registry.actions.recognise(people, recogniser_type=ALLIANCE, recogniser_id=alliance.pk,
recogniser_name=alliance.name, decision=alliance_proposal.pk)`` (and
``withdraw_recognition`` likewise). The rule's ``min_alliances`` counts those. A kind's
``decision_url`` links a recognition to the recogniser's own vote when that vote is not a
community proposal (an alliance proposal): the ``decision`` id the action stored.
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
    ``min_members`` (communities) or towards ``min_alliances`` (alliances);
    ``decision_url(id)``: the page of the recogniser's own vote (its ``decision``)."""

    name: str
    label: str
    lookup: Callable[[set[int]], dict[int, Any]]
    counts_as_people: bool
    decision_url: Callable[[int], str] | None = None


_KINDS: dict[str, RecogniserKind] = {}


def register_recogniser_kind(kind: RecogniserKind) -> None:
    _KINDS[kind.name] = kind


def recogniser_kind(name: str) -> RecogniserKind | None:
    return _KINDS.get(name)


def all_kinds() -> list[RecogniserKind]:
    return list(_KINDS.values())


def lookup(name: str, ids: set[int]) -> dict[int, Any]:
    kind = _KINDS.get(name)
    return kind.lookup(ids) if kind is not None and ids else {}
