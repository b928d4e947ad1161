"""Audit events described for people: "Ada cast a vote on “Plant trees”".

The audit app is the bottom layer and does not know the events of the apps above it: each
app registers the sentences for its own events (``register_descriptions``, from its
``wiring.connect``), as :mod:`~secession.web.apps.audit.naming` does for names. A
description is a ``str.format`` template over the fields of :class:`Event`, or a function
of an :class:`Event` returning the sentence. The event code stays on the page as data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


@dataclass(frozen=True)
class Event:
    """What a description may name: every field is already readable text."""

    actor: str  # a display name, or "the community (by its vote)"
    community: str  # the community's (or alliance's) name, or "a community"
    target: str  # what the entry concerns: “Title”, a name, or "a proposal"
    data: dict[str, Any] = field(default_factory=dict)


Description = str | Callable[[Event], str]

_DESCRIPTIONS: dict[str, Description] = {}


def register_descriptions(descriptions: Mapping[str, Description]) -> None:
    """``{event name: template or function}`` for one app's events."""
    _DESCRIPTIONS.update(descriptions)


def registered() -> dict[str, Description]:
    return dict(_DESCRIPTIONS)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe(action: str, event: Event) -> str:
    """The sentence for one entry (a plain fallback for an event no app describes)."""
    description = _DESCRIPTIONS.get(action)
    if description is None:
        return _capitalise(
            _("{actor} did something this site no longer describes.").format(actor=event.actor)
        )
    if callable(description) and not isinstance(description, Promise):
        text = description(event)
    else:
        text = str(description).format(
            actor=event.actor, community=event.community, target=event.target
        )
    return _capitalise(text)


# ------------------------------------------------------------------ the details, for people
#: data keys that hold accounts (their ids are never shown; a count is)
PEOPLE_KEYS = frozenset(
    {"eligible", "electorate", "voters", "members", "holders", "people", "persons", "users"}
)
PERSON_KEYS = frozenset({"person", "user", "voter", "actor", "member", "holder", "user_id"})


def _count(n: int, *, people: bool) -> str:
    if people:
        return ngettext("{n} person", "{n} people", n).format(n=n)
    return ngettext("{n} entry", "{n} entries", n).format(n=n)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "" if value is None else str(value)


def public_details(data: Any, prefix: str = "") -> list[tuple[str, str]]:
    """The entry's details as ``(label, text)`` pairs for people, nested objects flattened
    (``rule threshold``), lists of accounts as counts: ``{"eligible": [1, 2]}`` ->
    ``[("eligible", "2 people")]``; a single account's id is left out."""
    if not isinstance(data, dict):
        return []
    shown: list[tuple[str, str]] = []
    for key, value in data.items():
        if key in PERSON_KEYS:
            continue
        label = f"{prefix}{str(key).replace('_', ' ')}"
        if isinstance(value, list | tuple):
            shown.append((label, _count(len(value), people=key in PEOPLE_KEYS)))
        elif isinstance(value, dict):
            shown.extend(public_details(value, prefix=f"{label} "))
        else:
            shown.append((label, _text(value)))
    return shown
