"""The kinds of text that may be translated: where each version lives, whose it is, and
whether a newer version has replaced it (its translations are then out of date)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model
from django.urls import reverse
from django.utils.translation import gettext as _

from secession.web.apps.alliances.models import CharterVersion
from secession.web.apps.alliances.rules import member_communities
from secession.web.apps.communities.rules import active_membership
from secession.web.apps.constitutions.models import ConstitutionVersion
from secession.web.apps.registry.models import Declaration


@dataclass(frozen=True)
class TextKind:
    name: str
    model: type[Model]
    #: "Constitution of Ash, version 2"
    title: Callable[[Model], str]
    url: Callable[[Model], str]
    #: the community the audit entry names (None for an alliance's charter)
    community: Callable[[Model], object | None]
    #: a newer version replaced this one
    superseded: Callable[[Model], bool]
    #: who may add a translation of this version
    may_translate: Callable[[object, Model], bool]

    def get(self, object_id: int) -> Model | None:
        return self.model.objects.filter(pk=object_id).first()


def _member_of_community(user, obj) -> bool:
    return active_membership(user, obj.community) is not None


def _member_through_alliance(user, v: CharterVersion) -> bool:
    return member_communities(user, v.alliance).exists()


def _declaration_superseded(d: Declaration) -> bool:
    return Declaration.objects.filter(supersedes=d).exists()


KINDS: dict[str, TextKind] = {
    k.name: k
    for k in (
        TextKind(
            name="constitution",
            model=ConstitutionVersion,
            title=lambda v: _("Constitution of {community}, version {n}").format(
                community=v.community.name, n=v.number
            ),
            url=lambda v: reverse("constitutions:version", args=[v.community.slug, v.number]),
            community=lambda v: v.community,
            superseded=lambda v: ConstitutionVersion.objects.filter(
                community_id=v.community_id, number__gt=v.number
            ).exists(),
            may_translate=_member_of_community,
        ),
        TextKind(
            name="charter",
            model=CharterVersion,
            title=lambda v: _("Charter of {alliance}, version {n}").format(
                alliance=v.alliance.name, n=v.number
            ),
            url=lambda v: reverse("alliances:charter_version", args=[v.alliance.slug, v.number]),
            community=lambda v: None,
            superseded=lambda v: CharterVersion.objects.filter(
                alliance_id=v.alliance_id, number__gt=v.number
            ).exists(),
            may_translate=_member_through_alliance,
        ),
        TextKind(
            name="declaration",
            model=Declaration,
            title=lambda d: d.title,
            url=lambda d: reverse("registry:declaration", args=[d.pk]),
            community=lambda d: d.community,
            superseded=_declaration_superseded,
            may_translate=_member_of_community,
        ),
    )
}


def kind_of(obj: Model) -> TextKind | None:
    """The kind of ``obj`` (a version of a translatable text), or None."""
    return next((k for k in KINDS.values() if isinstance(obj, k.model)), None)
