"""How a person is named on pages: the display name given at registration, else the
username (the API and open data keep usernames, which identify an account)."""

from __future__ import annotations

from typing import Any

REMOVED = "removed account"


def person_name(user: Any) -> str:
    """``user``'s display name, else username; ``"removed account"`` for ``None``."""
    if user is None:
        return REMOVED
    return (getattr(user, "display_name", "") or "").strip() or user.username
