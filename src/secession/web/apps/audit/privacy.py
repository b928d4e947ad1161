"""Private events: entries only their own account may read.

The app that owns an event declares it private here (the accounts app does, from its
``wiring.py``, for its account events). A private entry gets a random ``salt`` inside its
leaf when it is recorded; other readers see only its number and leaf hash, so the tree
still verifies for everyone while the content stays with the account.
"""

from __future__ import annotations

from collections.abc import Iterable

_PRIVATE: set[str] = set()


def register_private_actions(actions: Iterable[str]) -> None:
    _PRIVATE.update(actions)


def is_private(action: str) -> bool:
    return action in _PRIVATE


def readable_by(entry, user) -> bool:
    """May ``user`` read the content of ``entry``? Private entries: their actor only."""
    if not is_private(entry.action):
        return True
    return bool(getattr(user, "is_authenticated", False)) and user.pk == entry.actor_id
