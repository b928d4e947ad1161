"""How verifiable ballots plug into the apps below (connected in ``ready()``): an election
for each proposal opened under a verifiable rule, its tally when the proposal closes, and
a section on the proposal's page."""

from __future__ import annotations

from django.template.loader import render_to_string

from secession.web.apps.audit.checks import register_check
from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.proposals.models import Proposal
from secession.web.apps.proposals.sections import register_section
from secession.web.apps.proposals.signals import proposal_counting, proposal_opened
from secession.web.apps.verifiable.checks import BoardCheck
from secession.web.apps.verifiable.events import DESCRIPTIONS as EVENT_DESCRIPTIONS


def _opened(sender, *, proposal, rule, **kwargs) -> None:
    from secession.web.apps.verifiable.actions import create_election

    create_election(proposal, rule)


def _counting(sender, *, proposal, **kwargs) -> None:
    from secession.web.apps.verifiable.actions import post_tally

    post_tally(proposal)


def _section(request, proposal) -> str:
    from secession.web.apps.verifiable.present import election_summary

    if not proposal.verifiable:
        return ""
    election = getattr(proposal, "election", None)
    if election is None:
        return ""
    return render_to_string(
        "verifiable/sections/proposal.html",
        {"s": election_summary(election, request.user)},
        request=request,
    )


def connect() -> None:
    register_descriptions(EVENT_DESCRIPTIONS)
    register_check("verifiable", BoardCheck)
    proposal_opened.connect(_opened, sender=Proposal, dispatch_uid="verifiable-opened")
    proposal_counting.connect(_counting, sender=Proposal, dispatch_uid="verifiable-counting")
    register_section("verifiable", 10, _section)
