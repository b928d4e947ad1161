"""An alliance recognises a people, and withdraws that recognition, by its own rule.

Two alliance proposal kinds, ``recognise`` and ``withdraw_recognition`` (payload: the
people's slug as ``"people"``), and the alliance as a kind of recogniser in the registry
(:mod:`secession.web.apps.registry.recognisers`). When the member communities' vote
passes, the registry's action records (or closes) the recognition inside the closing
transaction, with its own audit row and the alliance proposal as its ``decision``.

An alliance may recognise one of its own member communities (alliances exist for mutual
aid and independence): that member votes on it like any other.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.web.apps.alliances import kinds
from secession.web.apps.alliances.kinds import AllianceKind
from secession.web.apps.alliances.models import Alliance, AllianceProposal, Status
from secession.web.apps.communities.models import Community
from secession.web.apps.registry.actions import (
    is_registered,
    recognise,
    withdraw_recognition,
)
from secession.web.apps.registry.models import Declaration, Recognition
from secession.web.apps.registry.recognisers import (
    ALLIANCE,
    RecogniserKind,
    register_recogniser_kind,
)
from secession.web.words import Words

RECOGNISE = "recognise"
WITHDRAW_RECOGNITION = "withdraw_recognition"
MAX_CHOICES = 500


def _slug(payload: dict) -> str:
    slug = payload.get("people")
    if not isinstance(slug, str) or not slug.strip():
        raise ValidationError(_("name the people (its community's slug) in 'people'"))
    return slug.strip()


def _recognition(alliance: Alliance, people: Community) -> Recognition | None:
    return Recognition.objects.filter(
        recogniser_type=ALLIANCE,
        recogniser_id=alliance.pk,
        recognised=people,
        withdrawn_at__isnull=True,
    ).first()


def _open_same(alliance: Alliance, kind: str, people: Community) -> bool:
    return AllianceProposal.objects.filter(
        alliance=alliance, kind=kind, subject=people, status=Status.OPEN
    ).exists()


class AllianceRecognise(AllianceKind):
    name, order = RECOGNISE, 50
    label = Words(gettext_lazy("Recognise a people"))
    help = Words(
        gettext_lazy(
            "Recognise a registered people (one that published a declaration) as independent."
        )
    )

    def clean(self, alliance, payload):
        slug = _slug(payload)
        people = Community.objects.filter(slug=slug).first()
        if people is None:
            raise ValidationError(_("there is no community {slug}").format(slug=repr(slug)))
        if not is_registered(people):
            raise ValidationError(
                _("{people} is not a registered people: it has published no declaration").format(
                    people=people.name
                )
            )
        if _recognition(alliance, people) is not None:
            raise ValidationError(
                _("{alliance} already recognises {people}").format(
                    alliance=alliance.name, people=people.name
                )
            )
        if _open_same(alliance, RECOGNISE, people):
            raise ValidationError(
                _("a vote to recognise {people} is already open").format(people=people.name)
            )
        return {"people": people.slug, "subject": people.pk}

    def apply(self, proposal) -> str:
        people = proposal.subject
        if people is None:
            return "nothing to do: the people is gone"
        alliance = proposal.alliance
        if _recognition(alliance, people) is not None:
            return f"nothing to do: {alliance.name} already recognises {people.name}"
        recognise(
            people,
            recogniser_type=ALLIANCE,
            recogniser_id=alliance.pk,
            recogniser_name=alliance.name,
            decision=proposal.pk,
        )
        return ""

    def describe(self, proposal) -> str:
        return _(
            "{alliance} recognises {people} as an independent people; the registry publishes "
            "it, and counts it towards the alliances its rule asks for."
        ).format(alliance=proposal.alliance.name, people=_name(proposal))

    def form_fields(self, alliance):
        done = Recognition.objects.filter(
            recogniser_type=ALLIANCE, recogniser_id=alliance.pk, withdrawn_at__isnull=True
        ).values("recognised")
        rows = (
            Declaration.objects.current()
            .exclude(community__in=done)
            .order_by("people_name")
            .values_list("community__slug", "community__name")[:MAX_CHOICES]
        )
        choices = list(rows)
        help_text = (
            "" if choices else _("There is no registered people this alliance does not recognise.")
        )
        return {
            "people": forms.ChoiceField(
                label=_("The people to recognise"), choices=choices, help_text=help_text
            )
        }

    def form_payload(self, cleaned):
        return {"people": cleaned["people"]}


class AllianceWithdrawRecognition(AllianceKind):
    name, order = WITHDRAW_RECOGNITION, 51
    label = Words(gettext_lazy("Withdraw a recognition"))
    help = Words(
        gettext_lazy("No longer recognise a people the alliance recognises (the history keeps it).")
    )

    def clean(self, alliance, payload):
        slug = _slug(payload)
        people = Community.objects.filter(slug=slug).first()
        if people is None:
            raise ValidationError(_("there is no community {slug}").format(slug=repr(slug)))
        if _recognition(alliance, people) is None:
            raise ValidationError(
                _("{alliance} does not recognise {people}").format(
                    alliance=alliance.name, people=people.name
                )
            )
        if _open_same(alliance, WITHDRAW_RECOGNITION, people):
            raise ValidationError(
                _("a vote to withdraw the recognition of {people} is open").format(
                    people=people.name
                )
            )
        return {"people": people.slug, "subject": people.pk}

    def apply(self, proposal) -> str:
        people = proposal.subject
        alliance = proposal.alliance
        if people is None or _recognition(alliance, people) is None:
            return f"nothing to do: {alliance.name} no longer recognises {_name(proposal)}"
        withdraw_recognition(
            people, recogniser_type=ALLIANCE, recogniser_id=alliance.pk, decision=proposal.pk
        )
        return ""

    def describe(self, proposal) -> str:
        return _(
            "{alliance} withdraws its recognition of {people}; the registry keeps the history."
        ).format(alliance=proposal.alliance.name, people=_name(proposal))

    def form_fields(self, alliance):
        rows = (
            Recognition.objects.filter(
                recogniser_type=ALLIANCE, recogniser_id=alliance.pk, withdrawn_at__isnull=True
            )
            .order_by("recognised__name")
            .values_list("recognised__slug", "recognised__name")[:MAX_CHOICES]
        )
        choices = list(rows)
        help_text = "" if choices else _("The alliance recognises no people yet.")
        return {
            "people": forms.ChoiceField(label=_("The people"), choices=choices, help_text=help_text)
        }

    def form_payload(self, cleaned):
        return {"people": cleaned["people"]}


def _name(proposal) -> str:
    return proposal.subject.name if proposal.subject else proposal.payload.get("people", "")


def _alliances(ids: set[int]) -> dict[int, Alliance]:
    return Alliance.objects.in_bulk(list(ids))


def _decision_url(pk: int) -> str:
    return reverse("alliances:proposal", args=[pk])


def register_recognition() -> None:
    kinds.register(AllianceRecognise())
    kinds.register(AllianceWithdrawRecognition())
    register_recogniser_kind(RecogniserKind(ALLIANCE, "alliance", _alliances, False, _decision_url))
