"""Constitution pages: the text in force with its history, and each version's diff."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render

from secession.web.apps.communities.models import Community
from secession.web.apps.constitutions.diff import diff_lines
from secession.web.apps.constitutions.kinds import (
    ADOPT_CONSTITUTION,
    AMEND_CONSTITUTION,
    CONSTITUTION_KINDS,
)
from secession.web.apps.constitutions.models import ConstitutionVersion
from secession.web.pages import denied


def current(request, slug):
    community = get_object_or_404(Community, slug=slug)
    if (response := denied(request, "constitutions.view_constitution", community)) is not None:
        return response
    from secession.web.apps.proposals.actions import close_due_proposals
    from secession.web.apps.proposals.rule_words import stored_rule_sentence
    from secession.web.apps.proposals.voting import describe_window

    close_due_proposals(community=community)
    versions = list(community.constitution_versions.select_related("proposal"))
    kind = AMEND_CONSTITUTION if versions else ADOPT_CONSTITUTION
    rule = community.voting_rules.filter(kind=kind).first()
    votes = community.proposals.filter(kind__in=CONSTITUTION_KINDS).order_by("opened_at")
    return render(
        request,
        "constitutions/current.html",
        {
            "community": community,
            "current": versions[-1] if versions else None,
            "versions": list(reversed(versions)),
            "votes": votes,
            "can_propose": request.user.has_perm("proposals.add_proposal", community),
            "rule": rule,
            "rule_text": stored_rule_sentence(rule.rule) if rule else "",
            "rule_window": describe_window(rule.window_minutes) if rule else "",
        },
    )


def version(request, slug, number):
    community = get_object_or_404(Community, slug=slug)
    if (response := denied(request, "constitutions.view_constitution", community)) is not None:
        return response
    v = get_object_or_404(ConstitutionVersion, community=community, number=number)
    previous = ConstitutionVersion.objects.filter(community=community, number=number - 1).first()
    return render(
        request,
        "constitutions/version.html",
        {
            "community": community,
            "v": v,
            "previous": previous,
            "diff": diff_lines(previous.text if previous else "", v.text),
        },
    )
