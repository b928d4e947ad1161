"""Template context for every page: how many votes the person can still cast (nav)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from secession.web.apps.accounts.todo import waiting_count


def todo(request) -> dict:
    """``votes_waiting``: counted only if a page shows it (lazy), one query per source."""
    return {"votes_waiting": SimpleLazyObject(lambda: waiting_count(request.user))}
