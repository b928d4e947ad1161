"""How the licences app plugs into the apps below it (connected in ``ready()``)."""

from __future__ import annotations

from django.template.loader import render_to_string

from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.communities.sections import register_section
from secession.web.apps.licences.actions import current_licence
from secession.web.apps.licences.events import DESCRIPTIONS as EVENT_DESCRIPTIONS
from secession.web.apps.licences.kinds import register_licence_kind
from secession.web.apps.licences.opendata import connect as connect_exports
from secession.web.apps.opendata.catalogue import catalogue


def _section(request, community) -> str:
    return render_to_string(
        "licences/sections/opendata.html",
        {
            "community": community,
            "licence": current_licence(community),
            "datasets": catalogue("community", community),
        },
        request=request,
    )


def connect() -> None:
    register_descriptions(EVENT_DESCRIPTIONS)
    register_licence_kind()
    connect_exports()
    register_section("opendata", 90, _section)
