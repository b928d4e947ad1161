"""How the proposals app plugs into the apps below it (connected in ``ready()``): its
kinds, the default rules of a new community, its sections of the community page, and its
parts of a person's data export."""

from __future__ import annotations

from django.template.loader import render_to_string

from secession.web.apps.accounts.exports import register_export
from secession.web.apps.accounts.todo import register_source
from secession.web.apps.audit.checks import register_check
from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.audit.naming import register_lookup
from secession.web.apps.communities.sections import register_section
from secession.web.apps.communities.signals import community_founded
from secession.web.apps.proposals import kinds
from secession.web.apps.proposals.builtin import register_builtin_kinds
from secession.web.apps.proposals.checks import ProposalCheck
from secession.web.apps.proposals.events import DESCRIPTIONS as EVENT_DESCRIPTIONS
from secession.web.apps.proposals.models import Ballot, Proposal
from secession.web.apps.proposals.opendata import connect as connect_exports
from secession.web.apps.proposals.todo import SOURCE as TODO_SOURCE


def _install_rules(sender, *, community, person, **kwargs) -> None:
    from secession.web.apps.proposals.actions import install_default_rules

    install_default_rules(community, person=person)


def _proposals_section(request, community) -> str:
    from secession.web.apps.proposals.actions import close_due_proposals

    close_due_proposals(community=community)
    return render_to_string(
        "proposals/sections/proposals.html",
        {
            "community": community,
            "proposals": community.proposals.all()[:50],
            "can_propose": request.user.has_perm("proposals.add_proposal", community),
        },
        request=request,
    )


def _rules_section(request, community) -> str:
    from secession.web.apps.proposals.rule_words import stored_rule_sentence
    from secession.web.apps.proposals.voting import describe_window

    rules = []
    for r in community.voting_rules.all():
        kind = kinds.find(r.kind)
        note = kind.window_note if kind is not None else ""
        rules.append(
            (
                r,
                stored_rule_sentence(r.rule),
                note or f"Voting lasts {describe_window(r.window_minutes)}",
            )
        )
    return render_to_string("proposals/sections/rules.html", {"rules": rules}, request=request)


def _proposals_made(user) -> list[dict]:
    return [
        {
            "id": p.pk,
            "community": p.community.slug,
            "kind": p.kind,
            "title": p.title,
            "body": p.body,
            "payload": p.payload,
            "opened_at": p.opened_at.isoformat(),
            "status": p.status,
            "passed": p.passed,
        }
        for p in Proposal.objects.filter(author=user).select_related("community")
    ]


def _votes(user) -> list[dict]:
    return [
        {
            "proposal": b.proposal_id,
            "voted_at": b.voted_at.isoformat(),
            "choice": b.choice or None,
            "secret": b.proposal.secret,
        }
        for b in Ballot.objects.filter(voter=user).select_related("proposal")
    ]


def _proposals_by_id(ids: set[int]) -> dict[int, Proposal]:
    return {p.pk: p for p in Proposal.objects.filter(pk__in=ids).only("pk", "title")}


def connect() -> None:
    register_descriptions(EVENT_DESCRIPTIONS)
    register_lookup("proposal", _proposals_by_id)
    register_check("proposals", ProposalCheck)
    connect_exports()
    register_builtin_kinds()
    community_founded.connect(_install_rules, dispatch_uid="proposals.install_rules")
    register_section("proposals", 20, _proposals_section)
    register_section("rules", 60, _rules_section)
    register_export("proposals", _proposals_made)
    register_export("votes", _votes)
    register_source(TODO_SOURCE)
