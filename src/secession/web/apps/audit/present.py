"""How audit entries are shown: actors' names, private entries hidden, leaves for checking."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.web.apps.audit.descriptions import Event, describe
from secession.web.apps.audit.leaf import leaf_text
from secession.web.apps.audit.naming import lookup
from secession.web.apps.audit.privacy import is_private, readable_by

COMMUNITY = gettext_lazy("the community (by its vote)")


def actor_names(entries, *, display: bool = False) -> dict[int | None, str]:
    """Usernames by id (snapshots replay by them); ``display``: display names for pages."""
    ids = {e.actor_id for e in entries if e.actor_id is not None}
    users = get_user_model().objects.filter(pk__in=ids)
    # the display name given at registration, else the username (audit cannot import
    # accounts, which records through it: the model's own field is read here)
    names: dict[int | None, str] = {
        u.pk: ((getattr(u, "display_name", "") or "").strip() if display else "") or u.username
        for u in users
    }
    for i in ids - set(names):
        names[i] = _("removed account #{id}").format(id=i)
    names[None] = str(COMMUNITY)
    return names


def community_links(entries) -> dict[int, object]:
    """The communities the entries concern, by id (for names and links on the page)."""
    return lookup("community", (e.community_id for e in entries))


#: how a target is named when its app names none (or it no longer exists)
TARGET_NOUNS = {
    "proposal": gettext_lazy("a proposal"),
    "allianceproposal": gettext_lazy("an alliance vote"),
    "user": gettext_lazy("an account"),
}


def _target_label(obj: object) -> str:
    title = getattr(obj, "title", "")
    if title:
        return f"“{title}”"
    name = getattr(obj, "name", "")
    return str(name) if name else str(obj)


def target_names(entries) -> dict[tuple[str, str], str]:
    """``{(target_type, target_id): readable name}``, one lookup per kind of target."""
    wanted: dict[str, set[int]] = {}
    for e in entries:
        if e.target_type and e.target_id.isdigit() and len(e.target_id) < 19:
            wanted.setdefault(e.target_type, set()).add(int(e.target_id))
    found: dict[tuple[str, str], str] = {}
    for kind, ids in wanted.items():
        for pk, obj in lookup(kind, ids).items():
            found[(kind, str(pk))] = _target_label(obj)
    return found


def describe_entry(entry, actor: str, community: object, targets: dict) -> str:
    """The sentence for one readable entry (see :mod:`audit.descriptions`)."""
    kind = entry.target_type
    target = targets.get((kind, entry.target_id)) or str(
        TARGET_NOUNS.get(kind, f"a {kind or 'thing'}")
    )
    data = entry_data(entry) or {}
    return describe(
        entry.action,
        Event(
            actor=str(actor or COMMUNITY),
            community=getattr(community, "name", "") or _("a community"),
            target=target,
            data=data,
        ),
    )


def entry_data(entry) -> dict | None:
    """The entry's details, or ``None`` when its stored text is not a JSON object (the row
    was edited outside the platform; ``audit verify`` names it)."""
    try:
        data = json.loads(entry.data)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def entry_leaf(entry) -> str | None:
    """The leaf text of ``entry`` (what its leaf hash is the hash of), or ``None`` when the
    row cannot be read back."""
    try:
        return leaf_text(entry)
    except ValueError:
        return None


def visible_entries(entries, user) -> list[tuple[object, bool]]:
    """``(entry, readable)`` pairs: private entries are readable by their own account only."""
    return [(e, readable_by(e, user)) for e in entries]


def entry_row(r, readable: bool, names: dict[int | None, str]) -> dict:
    """One row. A private entry not the reader's own: number and leaf hash only. A row
    whose details are not a JSON object (tampered): ``data`` null, ``raw_data`` as stored."""
    private = is_private(r.action)
    if not readable:
        return {
            "seq": r.seq,
            "private": private,
            "readable": False,
            "created_at": None,
            "actor_id": None,
            "actor": "",
            "action": "",
            "community_id": None,
            "target_type": "",
            "target_id": "",
            "data": None,
            "raw_data": None,
            "leaf": None,
            "leaf_hash": r.leaf_hash,
        }
    data = entry_data(r)
    return {
        "seq": r.seq,
        "private": private,
        "readable": data is not None,
        "created_at": r.created_at.isoformat() if r.created_at is not None else None,
        "actor_id": r.actor_id,
        "actor": names.get(r.actor_id, ""),
        "action": r.action,
        "community_id": r.community_id,
        "target_type": r.target_type,
        "target_id": r.target_id,
        "data": data,
        "raw_data": None if data is not None else r.data,
        "leaf": entry_leaf(r),
        "leaf_hash": r.leaf_hash,
    }


__all__ = [
    "COMMUNITY",
    "actor_names",
    "community_links",
    "describe_entry",
    "entry_data",
    "entry_leaf",
    "entry_row",
    "is_private",
    "target_names",
    "visible_entries",
]
