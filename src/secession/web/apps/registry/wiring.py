"""How the registry plugs into the apps below it (connected in ``ready()``): its kinds of
proposal, the declaration an independence vote publishes, a section of the community page,
and the community as the first kind of recogniser."""

from __future__ import annotations

from django.template.loader import render_to_string

from secession.web.apps.audit.checks import register_check
from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.audit.naming import register_lookup
from secession.web.apps.communities.models import Community
from secession.web.apps.communities.sections import register_section
from secession.web.apps.communities.signals import independence_declared
from secession.web.apps.proposals import kinds
from secession.web.apps.registry import opendata
from secession.web.apps.registry.actions import current_declaration, publish_declaration
from secession.web.apps.registry.checks import RegistryCheck
from secession.web.apps.registry.events import DESCRIPTIONS as EVENT_DESCRIPTIONS
from secession.web.apps.registry.kinds import KINDS
from secession.web.apps.registry.models import Declaration, DeclarationKind
from secession.web.apps.registry.present import recognised_by, recognises, standings
from secession.web.apps.registry.recognisers import (
    COMMUNITY,
    RecogniserKind,
    register_recogniser_kind,
)


def _declared(sender, *, community, proposal, from_name="", **kwargs) -> None:
    """A passed independence vote took effect: publish its declaration (a declaration is
    always the record of a vote, so one made without a proposal publishes nothing)."""
    if proposal is None:
        return
    publish_declaration(
        community,
        proposal=proposal,
        kind=DeclarationKind.INDEPENDENCE,
        separates_from=from_name,
    )


def _section(request, community) -> str:
    declaration = current_declaration(community)
    if declaration is None:
        return ""
    (standing,) = standings([declaration])
    return render_to_string(
        "registry/sections/community.html",
        {
            "community": community,
            "d": declaration,
            "s": standing,
            "recognised_by": recognised_by(community).count(),
            "recognises": recognises(community).count(),
        },
        request=request,
    )


def _communities(ids: set[int]) -> dict[int, Community]:
    return Community.objects.in_bulk(list(ids))


def _declarations_by_id(ids: set[int]) -> dict:
    return {d.pk: d for d in Declaration.objects.filter(pk__in=ids).only("pk", "title")}


def connect() -> None:
    register_descriptions(EVENT_DESCRIPTIONS)
    register_lookup("declaration", _declarations_by_id)
    for kind in KINDS:
        kinds.register(kind)
    independence_declared.connect(_declared, dispatch_uid="registry.declared")
    register_section("registry", 15, _section)
    register_recogniser_kind(RecogniserKind(COMMUNITY, "registered people", _communities, True))
    register_check("registry", RegistryCheck)
    opendata.connect()
