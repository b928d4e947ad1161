"""Votes that apps above proposals own and ``close_due_proposals`` also closes.

The command closes the communities' due proposals first, then calls every registered
closer (the alliances app registers its own in ``ready()``), so one scheduled command
closes every vote whose window has ended, in the order their windows end.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

#: ``closer(now) -> lines``: close what is due at ``now``, one line per closed vote
Closer = Callable[[datetime], list[str]]

_CLOSERS: dict[str, Closer] = {}


def register_closer(name: str, closer: Closer) -> None:
    _CLOSERS[name] = closer


def run_closers(now: datetime) -> list[str]:
    """Run every registered closer, in the order they were registered."""
    return [line for closer in _CLOSERS.values() for line in closer(now)]
