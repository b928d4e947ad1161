"""A person's to-do: votes they can still cast and results of votes they took part in.

Apps above accounts register a :class:`TodoSource` (the proposals app its community votes;
alliances and verifiable ballots theirs), so the home page, the navigation count and the
to-do page list everything waiting without the accounts app importing them. Every source
counts and lists in SQL: ``count`` is one query, ``waiting``/``results`` return at most
``limit`` items in order, so a page costs the same whatever the size of a community.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any


@dataclass(frozen=True)
class TodoItem:
    """One vote, as a person's to-do shows it."""

    title: str
    url: str
    where: str  # the community (or alliance) holding the vote
    kind: str  # what is decided, in words ("Resolution")
    closes_at: datetime
    closed_at: datetime | None = None
    passed: bool | None = None


@dataclass(frozen=True)
class TodoSource:
    """Where votes come from. ``waiting(user, limit)`` soonest-closing first;
    ``results(user, limit)`` most recently closed first; ``count`` and ``results_count``
    count them in SQL."""

    name: str
    count: Callable[[Any], int]
    waiting: Callable[[Any, int], list[TodoItem]]
    results_count: Callable[[Any], int]
    results: Callable[[Any, int], list[TodoItem]]


_SOURCES: dict[str, TodoSource] = {}


def register_source(source: TodoSource) -> None:
    _SOURCES[source.name] = source


def waiting_count(user) -> int:
    """How many votes ``user`` can still cast (one count query per source)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return sum(source.count(user) for source in _SOURCES.values())


class Merged:
    """All sources' items as one sequence for :class:`django.core.paginator.Paginator`:
    ``count()`` sums the sources' SQL counts; a slice asks each source for items up to its
    end and merges them (``results``: newest first; else soonest-closing first)."""

    def __init__(self, user, *, results: bool = False) -> None:
        self.user, self.is_results = user, results

    def count(self) -> int:
        if not getattr(self.user, "is_authenticated", False):
            return 0
        if self.is_results:
            return sum(source.results_count(self.user) for source in _SOURCES.values())
        return waiting_count(self.user)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[TodoItem]:
        if not isinstance(index, slice):
            raise TypeError("a to-do list is read in slices")
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        if not getattr(self.user, "is_authenticated", False) or stop <= start:
            return []
        if self.is_results:
            lists = [s.results(self.user, stop) for s in _SOURCES.values()]
            merged = heapq.merge(*lists, key=_closed_key, reverse=True)
        else:
            lists = [s.waiting(self.user, stop) for s in _SOURCES.values()]
            merged = heapq.merge(*lists, key=lambda item: item.closes_at)
        return list(islice(merged, start, stop))


def _closed_key(item: TodoItem) -> datetime:
    return item.closed_at or item.closes_at


def waiting(user, *, limit: int) -> list[TodoItem]:
    """The first ``limit`` votes ``user`` can still cast, soonest-closing first."""
    return Merged(user)[:limit]


def results(user, *, limit: int) -> list[TodoItem]:
    """The last ``limit`` results of votes ``user`` took part in, newest first."""
    return Merged(user, results=True)[:limit]
