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

RECOGNISE = "recognise"
WITHDRAW_RECOGNITION = "withdraw_recognition"
MAX_CHOICES = 500


def _slug(payload: dict) -> str:
    slug = payload.get("people")
    if not isinstance(slug, str) or not slug.strip():
        raise ValidationError("name the people (its community's slug) in 'people'")
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
    name, label, order = RECOGNISE, "Recognise a people", 50
    help = "Recognise a registered people (one that published a declaration) as independent."

    def clean(self, alliance, payload):
        slug = _slug(payload)
        people = Community.objects.filter(slug=slug).first()
        if people is None:
            raise ValidationError(f"no community {slug!r}")
        if not is_registered(people):
            raise ValidationError(
                f"{people.name} is not a registered people: it has published no declaration"
            )
        if _recognition(alliance, people) is not None:
            raise ValidationError(f"{alliance.name} already recognises {people.name}")
        if _open_same(alliance, RECOGNISE, people):
            raise ValidationError(f"a vote to recognise {people.name} is already open")
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
        return (
            f"{proposal.alliance.name} recognises {_name(proposal)} as an independent people; "
            "the registry publishes it, and counts it towards the alliances its rule asks for."
        )

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
            "" if choices else "There is no registered people this alliance does not recognise."
        )
        return {
            "people": forms.ChoiceField(
                label="The people to recognise", choices=choices, help_text=help_text
            )
        }

    def form_payload(self, cleaned):
        return {"people": cleaned["people"]}


class AllianceWithdrawRecognition(AllianceKind):
    name, label, order = WITHDRAW_RECOGNITION, "Withdraw a recognition", 51
    help = "No longer recognise a people the alliance recognises (the history keeps it)."

    def clean(self, alliance, payload):
        slug = _slug(payload)
        people = Community.objects.filter(slug=slug).first()
        if people is None:
            raise ValidationError(f"no community {slug!r}")
        if _recognition(alliance, people) is None:
            raise ValidationError(f"{alliance.name} does not recognise {people.name}")
        if _open_same(alliance, WITHDRAW_RECOGNITION, people):
            raise ValidationError(f"a vote to withdraw the recognition of {people.name} is open")
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
        return (
            f"{proposal.alliance.name} withdraws its recognition of {_name(proposal)}; the "
            "registry keeps the history."
        )

    def form_fields(self, alliance):
        rows = (
            Recognition.objects.filter(
                recogniser_type=ALLIANCE, recogniser_id=alliance.pk, withdrawn_at__isnull=True
            )
            .order_by("recognised__name")
            .values_list("recognised__slug", "recognised__name")[:MAX_CHOICES]
        )
        choices = list(rows)
        help_text = "" if choices else "The alliance recognises no people yet."
        return {
            "people": forms.ChoiceField(label="The people", choices=choices, help_text=help_text)
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
