"""Kinds of alliance proposal: what each carries, what it does when it passes.

The registry is the hook for apps above alliances (the registry of recognition adds an
alliance-level ``recognise`` kind): subclass :class:`AllianceKind` and call
:func:`register` from the app's ``ready()``. The alliances app registers resolutions,
charter amendments, admissions and rule changes (:mod:`.builtin`). Proposals store the
kind's ``name``; a kind registered after an alliance was founded starts there with the
decision rule its founders chose (audited as ``alliance.rules_installed``).

    class Recognise(AllianceKind):
        name, label = "recognise", "Recognise a community"
        def clean(self, alliance, payload): ...      # -> payload; may set "subject"
        def apply(self, proposal): ...               # inside the closing transaction
    kinds.register(Recognise())

A payload may name the community it concerns as ``"subject"`` (a community id): the
proposal then records it (:attr:`AllianceProposal.subject`) and its page links to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django import forms

    from secession.web.apps.alliances.models import Alliance, AllianceProposal


class AllianceKind:
    """One kind of alliance proposal; the defaults carry nothing and change nothing."""

    name: ClassVar[str]
    label: ClassVar[str]
    help: ClassVar[str] = ""
    order: ClassVar[int] = 100
    #: a person of a member community may propose it (False: opened by the platform, as
    #: an admission vote is opened by a community's application)
    offered: ClassVar[bool] = True

    def clean(self, alliance: Alliance, payload: dict[str, Any]) -> dict[str, Any]:
        """The normalised payload; raise ``ValidationError`` naming what is wrong."""
        return {}

    def apply(self, proposal: AllianceProposal) -> str:
        """Carry out a passed proposal inside the closing transaction (the callee audits).
        Return a note when the effect no longer applies (then nothing changed)."""
        return ""

    def describe(self, proposal: AllianceProposal) -> str:
        """What the proposal does if it passes, in words."""
        return gettext("The member communities' decision is recorded; nothing else changes.")

    def details(self, proposal: AllianceProposal) -> dict[str, Any]:
        """Extra public data for the page and the API (e.g. a difference)."""
        return {}

    def form_fields(self, alliance: Alliance) -> dict[str, forms.Field]:
        return {}

    def form_initial(self, alliance: Alliance) -> dict[str, Any]:
        return {}

    def form_payload(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {}


_KINDS: dict[str, AllianceKind] = {}


def register(kind: AllianceKind) -> AllianceKind:
    """Add ``kind`` to the registry (once per name; apps call this in ``ready()``)."""
    existing = _KINDS.get(kind.name)
    if existing is not None and type(existing) is not type(kind):
        raise RuntimeError(f"alliance proposal kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> AllianceKind:
    """The kind called ``name``; ``ValidationError`` listing the known kinds if none."""
    try:
        return _KINDS[name]
    except (KeyError, TypeError):
        known = ", ".join(k.name for k in all_kinds())
        raise ValidationError(
            gettext("unknown alliance proposal kind {name} (known: {known})").format(
                name=repr(name), known=known
            )
        ) from None


def find(name: str) -> AllianceKind | None:
    return _KINDS.get(name)


def all_kinds() -> list[AllianceKind]:
    """Every registered kind, in the order the chooser shows them."""
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.name))


def label(name: str) -> str:
    kind = _KINDS.get(name)
    return str(kind.label) if kind is not None else name
