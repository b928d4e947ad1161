"""Sections of the account page that apps above accounts contribute (e.g. email
notices), each ``render(request) -> HTML``, shown in ``order``."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString, mark_safe

_SECTIONS: dict[str, tuple[int, Callable]] = {}


def register_section(name: str, order: int, render: Callable) -> None:
    _SECTIONS[name] = (order, render)


def sections(request) -> list[SafeString]:
    ordered = sorted(_SECTIONS.values(), key=lambda entry: entry[0])
    return [mark_safe(render(request)) for _, render in ordered]
