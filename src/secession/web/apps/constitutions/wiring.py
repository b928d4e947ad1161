"""How the constitutions app plugs into the apps below it (connected in ``ready()``)."""

from __future__ import annotations

from django.template.loader import render_to_string

from secession.web.apps.audit.checks import register_check
from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.communities.sections import register_section
from secession.web.apps.communities.signals import community_founded
from secession.web.apps.constitutions.actions import adopt_version, current_version
from secession.web.apps.constitutions.checks import ConstitutionCheck
from secession.web.apps.constitutions.events import DESCRIPTIONS as EVENT_DESCRIPTIONS
from secession.web.apps.constitutions.kinds import register_constitution_kinds
from secession.web.apps.constitutions.opendata import connect as connect_exports


def _first_constitution(sender, *, community, person, constitution_text="", **kwargs) -> None:
    if constitution_text.strip():
        adopt_version(community, constitution_text, person=person)


def _section(request, community) -> str:
    return render_to_string(
        "constitutions/sections/constitution.html",
        {"community": community, "constitution": current_version(community)},
        request=request,
    )


def connect() -> None:
    register_descriptions(EVENT_DESCRIPTIONS)
    register_check("constitutions", ConstitutionCheck)
    connect_exports()
    register_constitution_kinds()
    community_founded.connect(_first_constitution, dispatch_uid="constitutions.first")
    register_section("constitution", 30, _section)
