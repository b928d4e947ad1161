"""Planner permissions (views and API name these; tests/web/test_rules.py checks them).

A plan is its owner's: only the owner starts, stops, shares or deletes it. Anyone may see a
shared plan; a private one is seen by its owner alone. Whoever sees a finished plan may
check hand moves on it; only the owner has the solver repair it. An uploaded dataset is seen and
used by its owner alone.
"""

from __future__ import annotations

import rules

from secession.web.apps.communities.rules import holds_office
from secession.web.apps.planner.optin import OPT_IN_TERRITORY
from secession.web.apps.planner.optin_counts import UPLOAD, source_of


@rules.predicate
def is_owner(user, job) -> bool:
    return job is not None and user.is_authenticated and job.owner_id == user.pk


@rules.predicate
def is_shared(user, job) -> bool:
    return job is not None and job.shared


@rules.predicate
def is_active(user, job) -> bool:
    return job is not None and job.active


@rules.predicate
def is_done(user, job) -> bool:
    return job is not None and job.status == job.Status.DONE


@rules.predicate
def is_drawn(user, job) -> bool:
    """A plan drawn from election results (not the border repair of a referendum, whose
    votes are the referendum's: edited by hand it would be checked against the wrong ones)."""
    return job is not None and "opt_in" not in (job.edits or {})


@rules.predicate
def owns_upload(user, upload) -> bool:
    return upload is not None and user.is_authenticated and upload.owner_id == user.pk


@rules.predicate
def optin_results_open(user, proposal) -> bool:
    """An opt-in referendum on a territory, with uploaded results, whose border repair has
    not started (one counted from its own ballots takes no file)."""
    if proposal is None or proposal.kind != OPT_IN_TERRITORY:
        return False
    if source_of(proposal.payload) != UPLOAD:
        return False
    from secession.web.apps.planner.models import OptInRepair

    return not OptInRepair.objects.filter(proposal=proposal, job__isnull=False).exists()


@rules.predicate
def acts_for_proposal(user, proposal) -> bool:
    """The proposal's author, or those who act for its community (its office holders;
    every member of an assembly)."""
    if proposal is None or not user.is_authenticated:
        return False
    return proposal.author_id == user.pk or holds_office(user, proposal.community)


rules.add_perm("planner.start_plan", rules.is_authenticated)
# the map of a place before a plan (to lock units by clicking): whoever may start a plan
rules.add_perm("planner.map_place", rules.is_authenticated)
# which units of a place a drawn region keeps (greyed on that map): whoever may start a plan
rules.add_perm("planner.map_region", rules.is_authenticated)
rules.add_perm("planner.view_plan", is_owner | is_shared)
rules.add_perm("planner.stop_plan", is_owner & is_active)
rules.add_perm("planner.share_plan", is_owner)
rules.add_perm("planner.delete_plan", is_owner & ~is_active)
# edit by hand: whoever sees a finished plan may try moves on it; only its owner has the
# solver repair the edited plan (a new plan of theirs)
rules.add_perm("planner.check_plan", (is_owner | is_shared) & is_done & is_drawn)
rules.add_perm("planner.repair_plan", is_owner & is_done & is_drawn)
# uploaded datasets are their owner's alone: uploaded, seen, used in a plan, deleted
rules.add_perm("planner.upload_dataset", rules.is_authenticated)
rules.add_perm("planner.use_upload", owns_upload)
rules.add_perm("planner.delete_upload", owns_upload)
# the official unit results of an opt-in referendum on a territory: its author or those
# who act for the community upload them, until the border repair starts
rules.add_perm(
    "planner.upload_optin_results",
    rules.is_authenticated & acts_for_proposal & optin_results_open,
)
