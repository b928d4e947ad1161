"""Sections that apps above proposals add to a proposal's page (a verifiable ballot's
election, ...), in order.

An app registers ``render(request, proposal) -> str`` (HTML, usually from its own
template, empty when it has nothing to show); the proposal page shows them without
importing those apps.
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
