"""Panels that apps higher up add to pages of apps below them, keyed by the page's object.

An app registers ``render(request, obj) -> str`` (HTML from its own template) for a model;
a view asks :func:`panels` for its object and shows them, without importing those apps.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

Render = Callable[[HttpRequest, Model], str]

_PANELS: dict[str, list[tuple[str, Render]]] = {}


def register_panel(model: type[Model], name: str, render: Render) -> None:
    """Show ``render(request, obj)`` on the pages of every ``model`` object (once per name)."""
    entries = _PANELS.setdefault(model._meta.label_lower, [])
    entries[:] = [e for e in entries if e[0] != name] + [(name, render)]


def panels(request: HttpRequest, obj: Model) -> list[SafeString]:
    """The registered panels' HTML for ``obj``, in the order they were registered."""
    return [mark_safe(r(request, obj)) for _, r in _PANELS.get(obj._meta.label_lower, [])]
