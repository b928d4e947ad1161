"""Texts marked at import time that must read as plain ``str`` (API schemas, JSON)."""

from __future__ import annotations

from typing import Any


class Words:
    """A class attribute holding a lazy translation (``gettext_lazy``): read on a class or
    an instance, it is the ``str`` of the active language, so schemas and JSON accept it.

        class Resolution(AllianceKind):
            label = Words(_("Resolution"))
    """

    def __init__(self, text: Any) -> None:
        self.text = text

    def __get__(self, obj: object, owner: type | None = None) -> str:
        return str(self.text)
