"""How audit actors are shown: their name, a removed account, or the community itself."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model

from secession.web.apps.audit.naming import lookup

COMMUNITY = "the community (by its vote)"


def actor_names(entries) -> dict[int | None, str]:
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    users = get_user_model().objects.filter(pk__in=ids)
    names: dict[int | None, str] = {u.pk: u.username for u in users}
    for i in ids - set(names):
        names[i] = f"removed account #{i}"
    names[None] = COMMUNITY
    return names


def community_links(entries) -> dict[int, object]:
    """The communities the entries concern, by id (for names and links on the page)."""
    return lookup("community", (e.community_id for e in entries))


def entry_data(entry) -> dict | None:
    """The entry's details, or ``None`` when its stored text is not a JSON object (the row
    was edited outside the platform; ``audit verify`` names it)."""
    try:
        data = json.loads(entry.data)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
