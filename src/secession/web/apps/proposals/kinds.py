"""Kinds of proposal: what each carries, who decides it, what it does when it passes.

A kind is a :class:`ProposalKind` registered by the app that owns its effect (the
proposals app registers resolutions, rule changes, governance and independence; the
constitutions app its two kinds; later apps theirs), so the voting machinery never imports
the apps above it. Proposals store the kind's ``name``; the registry gives it behaviour.

    class Resolution(ProposalKind):
        name, label = "resolution", "Resolution"
        ...
    register(Resolution())
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError

from secession.referendum import Rule

if TYPE_CHECKING:
    from django import forms

    from secession.web.apps.communities.models import Community
    from secession.web.apps.proposals.models import Proposal

DAY = 24 * 60


class ProposalKind:
    """One kind of proposal. Subclasses set the class attributes and override the hooks
    they need; the defaults describe a kind that carries nothing and changes nothing."""

    name: ClassVar[str]
    label: ClassVar[str]
    help: ClassVar[str] = ""
    order: ClassVar[int] = 100
    #: the rule a new community starts with, its window (minutes) and its secrecy
    default: ClassVar[Rule]
    default_window: ClassVar[int] = 14 * DAY
    default_secret: ClassVar[bool] = False
    #: under council or leader governance, the office holders decide (not all members)
    office_holders_decide: ClassVar[bool] = False
    #: members may make proposals of this kind (False: only the platform opens them, e.g.
    #: a community's vote on an alliance proposal); the chooser leaves it out
    offered: ClassVar[bool] = True
    #: when the platform sets each proposal's window (not the rule), what the rules
    #: section says instead of the rule's window
    window_note: ClassVar[str] = ""

    @property
    def default_rule(self) -> dict[str, Any]:
        """The default rule as stored (``Rule.to_dict()``)."""
        return self.default.to_dict()

    def decided_by_office_holders(self, community: Community) -> bool:
        """Whether the office holders (not all members) decide this kind in ``community``
        (when it has council or leader governance); a kind may ask the community."""
        return self.office_holders_decide

    def clean(self, community: Community, payload: dict[str, Any]) -> dict[str, Any]:
        """The normalised payload; raise ``ValidationError`` naming what is wrong."""
        return {}

    def apply(self, proposal: Proposal) -> str:
        """Carry out a passed proposal inside the closing transaction (the callee audits).

        Return a note when the effect no longer applies (then nothing changed)."""
        return ""

    def closed(self, proposal: Proposal) -> None:
        """Called inside the closing transaction for every close, passed or failed, after
        the result is stored and before :meth:`apply` (e.g. to pass the result on)."""

    def describe(self, proposal: Proposal) -> str:
        """What the proposal does if it passes, in words."""
        return "The members' decision is recorded; nothing else changes."

    def details(self, proposal: Proposal) -> dict[str, Any]:
        """Extra public data of this kind for the page and the API (e.g. a difference)."""
        return {}

    def page_map(self, proposal: Proposal) -> str:
        """A drawing for the proposal's page (safe inline SVG, e.g. a proposed
        territory), or ``""``; the page alone asks for it, never the API."""
        return ""

    # The page form: extra fields, their initial values, and cleaned data -> payload.
    def form_fields(self, community: Community) -> dict[str, forms.Field]:
        return {}

    def form_initial(self, community: Community) -> dict[str, Any]:
        return {}

    def form_payload(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {}

    # What a ballot carries besides its choice (e.g. the voter's own county, stated by
    # them): the vote form's extra fields, their check, and what a vote does with them.
    def vote_fields(self, proposal: Proposal) -> dict[str, forms.Field]:
        return {}

    def clean_vote(self, proposal: Proposal, extra: dict[str, Any]) -> dict[str, Any]:
        """The checked extra answers of a ballot; ``ValidationError`` keyed by the field
        (the API answers 400 with the reason). The default takes none."""
        if extra:
            raise ValidationError(
                {k: "this proposal's ballot asks only for yes, no or abstain" for k in extra}
            )
        return {}

    def voted(self, proposal: Proposal, choice: str, extra: dict[str, Any]) -> None:
        """Called inside the vote's transaction, under the proposal's row lock, after the
        voter is recorded (once per person): keep what ``extra`` is for (nothing that
        links a secret ballot to its voter or its time)."""


_KINDS: dict[str, ProposalKind] = {}


def register(kind: ProposalKind) -> ProposalKind:
    """Add ``kind`` to the registry (once per name; apps call this in ``ready()``)."""
    existing = _KINDS.get(kind.name)
    if existing is not None and type(existing) is not type(kind):
        raise RuntimeError(f"proposal kind {kind.name!r} is registered twice")
    _KINDS[kind.name] = kind
    return kind


def get(name: str) -> ProposalKind:
    """The kind called ``name``; ``ValidationError`` listing the known kinds if none."""
    try:
        return _KINDS[name]
    except (KeyError, TypeError):
        known = ", ".join(k.name for k in all_kinds())
        raise ValidationError(f"unknown proposal kind {name!r} (known: {known})") from None


def find(name: str) -> ProposalKind | None:
    """The kind called ``name``, or ``None`` when no app registers it (any more)."""
    return _KINDS.get(name)


def all_kinds() -> list[ProposalKind]:
    """Every registered kind, in the order the chooser shows them."""
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.name))


def label(name: str) -> str:
    """The kind's label, or its stored name when no app registers it any more."""
    kind = _KINDS.get(name)
    return kind.label if kind is not None else name
