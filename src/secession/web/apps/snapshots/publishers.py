"""Publishers are a registry: each kind of static snapshot (a ``community``, the ``site``'s
index of communities, later the ``registry`` of recognitions) is a function that writes
its pages and maps into a :class:`~secession.web.apps.snapshots.build.Snapshot`.

An app registers its publisher from its ``wiring.py`` with :func:`register_publisher`;
``secession publish TARGET`` looks ``TARGET`` up here first (``site``, ``registry``) and
otherwise publishes the community of that slug.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Publisher:
    #: the export scope (``opendata.registry``) whose datasets the snapshot carries
    scope: str
    #: writes the pages and pictures of ``subject`` into the snapshot
    pages: Callable[[Any, Any], None]
    #: which audit entries back the snapshot's facts: a queryset of ``AuditEntry``
    entries: Callable[[Any], Any]
    #: the name the command takes for it (``None``: subjects are named by their key)
    target: str | None = None


_PUBLISHERS: dict[str, Publisher] = {}


def register_publisher(publisher: Publisher) -> None:
    _PUBLISHERS[publisher.scope] = publisher


def publisher(scope: str) -> Publisher | None:
    return _PUBLISHERS.get(scope)


def named_targets() -> dict[str, Publisher]:
    """Publishers chosen by a fixed name on the command line (``site``, ``registry``)."""
    return {p.target: p for p in _PUBLISHERS.values() if p.target}
