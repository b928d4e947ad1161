"""Sections that apps above communities add to a community's page, in order.

An app registers ``render(request, community) -> str`` (HTML, usually from its own
template); the community page shows them without importing those apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    render: Callable[[HttpRequest, object], str]


_SECTIONS: dict[str, Section] = {}


def register_section(name: str, order: int, render: Callable[[HttpRequest, object], str]) -> None:
    _SECTIONS[name] = Section(name, order, render)


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name))
