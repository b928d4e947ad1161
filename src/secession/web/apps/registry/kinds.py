"""The registry's kinds of proposal: an indigenous nation's declaration of sovereignty, and
recognising (or no longer recognising) another registered people.

Each is decided by the proposing people's own members under its own rule; nobody else's
permission is needed.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.referendum import Rule
from secession.web.apps.communities.models import Community, Kind
from secession.web.apps.proposals.kinds import DAY, ProposalKind
from secession.web.apps.registry.actions import (
    is_registered,
    publish_declaration,
    recognise,
    withdraw_recognition,
)
from secession.web.apps.registry.models import Declaration, DeclarationKind, Recognition
from secession.web.apps.registry.recognisers import COMMUNITY

DECLARE_SOVEREIGNTY = "declare_sovereignty"
RECOGNISE = "recognise"
WITHDRAW_RECOGNITION = "withdraw_recognition"


def _people(payload: dict) -> str:
    slug = payload.get("people")
    if not isinstance(slug, str) or not slug.strip():
        raise ValidationError(_("name the people (its community's slug) in 'people'"))
    return slug.strip()


def _registered(slug: str):
    people = Community.objects.filter(slug=slug).first()
    if people is None:
        raise ValidationError(_("no community {slug}").format(slug=repr(slug)))
    if not is_registered(people):
        raise ValidationError(
            _("{name} is not a registered people (no declaration yet)").format(name=people.name)
        )
    return people


def _recognises(community, people) -> bool:
    return Recognition.objects.filter(
        recogniser_type=COMMUNITY,
        recogniser_id=community.pk,
        recognised=people,
        withdrawn_at__isnull=True,
    ).exists()


def _registered_choices(community) -> list[tuple[str, str]]:

    rows = (
        Declaration.objects.current()
        .exclude(community=community)
        .order_by("people_name")
        .values_list("community__slug", "community__name")
    )
    return list(rows)


class DeclareSovereignty(ProposalKind):
    name, order = DECLARE_SOVEREIGNTY, 62
    label = property(lambda self: _("Declare sovereignty (indigenous nation)"))
    help = property(
        lambda self: _(
            "An indigenous nation declares itself the sovereign people it is: it names its "
            "land and the state that claims it. No parent to leave, no one's permission needed."
        )
    )
    default = replace(
        Rule.preset("two-thirds"), name="two-thirds-quorum-half", quorum=Fraction(1, 2)
    )
    default_window = 30 * DAY
    default_secret = True

    def clean(self, community, payload):

        if community.kind != Kind.NATION or not community.indigenous:
            raise ValidationError(
                _(
                    "only a community of kind nation marked indigenous declares sovereignty "
                    "(others declare independence)"
                )
            )
        land = str(payload.get("land", "") or "").strip()
        claimed_by = str(payload.get("claimed_by", "") or "").strip()
        if not land:
            raise ValidationError(
                _("name the land (e.g. the treaty land or the nation's homeland)")
            )
        if not claimed_by:
            raise ValidationError(_("name the state that claims the land"))
        if max(len(land), len(claimed_by)) > 200:
            raise ValidationError(_("the land and the state are each at most 200 characters"))
        return {"land": land, "claimed_by": claimed_by}

    def apply(self, proposal) -> str:
        publish_declaration(
            proposal.community,
            proposal=proposal,
            kind=DeclarationKind.SOVEREIGNTY,
            land=proposal.payload["land"],
            claimed_by=proposal.payload["claimed_by"],
        )
        return ""

    def describe(self, proposal) -> str:
        p = proposal.payload
        return _(
            "{name} declares its sovereignty over {land}, the land {state} claims; the "
            "declaration is published in the registry."
        ).format(name=proposal.community.name, land=p["land"], state=p["claimed_by"])

    def form_fields(self, community):
        return {
            "land": forms.CharField(label=gettext_lazy("The land"), max_length=200),
            "claimed_by": forms.CharField(
                label=gettext_lazy("The state that claims it"),
                max_length=200,
                help_text=gettext_lazy(
                    "As the world map names it, e.g. United States of America, Canada."
                ),
            ),
        }

    def form_payload(self, cleaned):
        return {"land": cleaned["land"], "claimed_by": cleaned["claimed_by"]}


class Recognise(ProposalKind):
    name, order = RECOGNISE, 64
    label = property(lambda self: _("Recognise a people"))
    help = property(
        lambda self: _(
            "Recognise another registered people as independent (a registered people only)."
        )
    )
    default = Rule.preset("simple-majority")
    default_window = 14 * DAY

    def clean(self, community, payload):

        if not is_registered(community):
            raise ValidationError(
                _(
                    "{name} is not a registered people yet: only peoples that published a "
                    "declaration recognise others"
                ).format(name=community.name)
            )
        people = _registered(_people(payload))
        if people.pk == community.pk:
            raise ValidationError(_("a people does not recognise itself"))
        if _recognises(community, people):
            raise ValidationError(
                _("{name} already recognises {people}").format(
                    name=community.name, people=people.name
                )
            )
        return {"people": people.slug}

    def apply(self, proposal) -> str:
        people = Community.objects.get(slug=proposal.payload["people"])
        if _recognises(proposal.community, people):
            return _("nothing to do: {name} already recognises {people}").format(
                name=proposal.community.name, people=people.name
            )
        recognise(
            people,
            recogniser_id=proposal.community.pk,
            recogniser_name=proposal.community.name,
            proposal=proposal,
        )
        return ""

    def describe(self, proposal) -> str:
        return _(
            "{name} recognises {people} as an independent people; the registry publishes it."
        ).format(name=proposal.community.name, people=_name(proposal.payload["people"]))

    def form_fields(self, community):
        return {
            "people": forms.ChoiceField(
                label=gettext_lazy("The people to recognise"),
                choices=_registered_choices(community),
            )
        }

    def form_payload(self, cleaned):
        return {"people": cleaned["people"]}


class WithdrawRecognition(ProposalKind):
    name, order = WITHDRAW_RECOGNITION, 66
    label = property(lambda self: _("Withdraw a recognition"))
    help = property(
        lambda self: _("No longer recognise a people this one recognises (the history keeps it).")
    )
    default = Rule.preset("simple-majority")
    default_window = 14 * DAY

    def clean(self, community, payload):

        slug = _people(payload)
        people = Community.objects.filter(slug=slug).first()
        if people is None or not _recognises(community, people):
            raise ValidationError(
                _("{name} does not recognise {slug}").format(name=community.name, slug=repr(slug))
            )
        return {"people": people.slug}

    def apply(self, proposal) -> str:
        people = Community.objects.get(slug=proposal.payload["people"])
        if not _recognises(proposal.community, people):
            return _("nothing to do: {name} no longer recognises {people}").format(
                name=proposal.community.name, people=people.name
            )
        withdraw_recognition(people, recogniser_id=proposal.community.pk, proposal=proposal)
        return ""

    def describe(self, proposal) -> str:
        return _(
            "{name} withdraws its recognition of {people}; the registry keeps the history."
        ).format(name=proposal.community.name, people=_name(proposal.payload["people"]))

    def form_fields(self, community):

        rows = (
            Recognition.objects.filter(recogniser_community=community, withdrawn_at__isnull=True)
            .order_by("recognised__name")
            .values_list("recognised__slug", "recognised__name")
        )
        return {"people": forms.ChoiceField(label=gettext_lazy("The people"), choices=list(rows))}

    def form_payload(self, cleaned):
        return {"people": cleaned["people"]}


def _name(slug: str) -> str:

    found = Community.objects.filter(slug=slug).values_list("name", flat=True).first()
    return found or slug


KINDS = (DeclareSovereignty(), Recognise(), WithdrawRecognition())
