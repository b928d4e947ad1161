"""Alliance proposals: open (electorate, weights and each community's internal vote fixed),
record each community's one ballot, close and tally, close what is due.

Every member community's vote is a proposal of its own (kind ``alliance_vote``), opened
with the alliance proposal and closing before it; who votes in it is the community's own
rule (:func:`.actions.casting_for`). When it closes its result becomes the community's
ballot (:func:`record_community_ballot`), and the alliance proposal closes as soon as every
community whose vote counts has one, or when its window ends.

Locks: closing takes the audit log's lock before the alliance proposal's row (as a
community vote closing does: it records first), so many communities' votes closing at once
wait for one another instead of deadlocking; each ballot is unique per community.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from secession.web.apps.alliances import events, kinds
from secession.web.apps.alliances.actions import active_membership, current_charter, join, rule_for
from secession.web.apps.alliances.models import (
    Admission,
    Alliance,
    AllianceEligibility,
    AllianceProposal,
    CommunityBallot,
    CommunityChoice,
    Status,
)
from secession.web.apps.alliances.rules import belongs_for
from secession.web.apps.alliances.tally import counting_communities, tally
from secession.web.apps.audit.log import hold, record
from secession.web.apps.communities.models import Membership
from secession.web.apps.proposals.actions import close_proposal, open_proposal
from secession.web.apps.proposals.models import Proposal
from secession.web.apps.proposals.models import Status as VoteStatus
from secession.web.errors import Refused

if TYPE_CHECKING:
    from secession.web.apps.accounts.models import User
    from secession.web.apps.communities.models import Community

#: the community proposal kind of a community's vote on an alliance proposal
ALLIANCE_VOTE = "alliance_vote"
ADMIT_MEMBER = "admit_member"
MIN_WINDOW = 10  # minutes: room for the communities' own votes to close first


def internal_closes_at(opened: datetime, closes: datetime) -> datetime:
    """When the communities' own votes close: a tenth of the window before the alliance
    vote (at least a minute, at most a day)."""
    lead = min(max((closes - opened) / 10, timedelta(minutes=1)), timedelta(days=1))
    return closes - lead


def make_alliance_proposal(
    alliance: Alliance,
    *,
    person: User,
    community: Community,
    kind: str,
    title: str,
    body: str = "",
    payload: dict | None = None,
) -> AllianceProposal:
    """A person of a member community proposes; voting opens at once in every member."""
    if not person.has_perm("alliances.add_proposal", alliance):
        raise PermissionDenied("only members of the alliance's member communities can propose")
    if not belongs_for(person, alliance, community):
        raise PermissionDenied("propose for a member community that you are a member of")
    if not kinds.get(kind).offered:
        raise ValidationError(f"alliance proposals of kind {kind!r} are opened by the platform")
    title = (title or "").strip()
    if not title:
        raise ValidationError("a proposal needs a title")
    if not isinstance(payload, dict | None):
        raise ValidationError("payload must be an object")
    payload = kinds.get(kind).clean(alliance, dict(payload or {}))
    return open_alliance_proposal(
        alliance,
        kind=kind,
        title=title,
        body=body,
        payload=payload,
        actor=person,
        author=person,
        author_community=community,
    )


def open_alliance_proposal(
    alliance: Alliance,
    *,
    kind: str,
    title: str,
    payload: dict,
    body: str = "",
    actor: User | None = None,
    author: User | None = None,
    author_community: Community | None = None,
) -> AllianceProposal:
    """Open a proposal whose payload is checked: the rule, the charter's rule on leavers,
    the member communities and their weights are fixed now, and each member community's
    own vote opens, closing before the alliance's."""
    with transaction.atomic():
        rule = rule_for(alliance, kind)
        charter = current_charter(alliance)
        now = timezone.now()
        closes = now + timedelta(minutes=rule.window_minutes)
        proposal = AllianceProposal(
            alliance=alliance,
            author=author,
            author_community=author_community,
            subject_id=payload.get("subject"),
            kind=kind,
            title=title,
            body=body,
            payload=payload,
            method=rule.method,
            rule=rule.rule,
            leavers_keep_vote=charter.leavers_keep_vote,
            opened_at=now,
            internal_closes_at=internal_closes_at(now, closes),
            closes_at=closes,
        )
        proposal.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                proposal.save()
        except IntegrityError as exc:
            raise Refused("an admission vote for this community is already open") from exc
        members = list(
            alliance.active_members().select_related("community").order_by("community__name")
        )
        weights = dict(
            Membership.objects.filter(
                community__in=[m.community for m in members], left_at__isnull=True
            )
            .values_list("community")
            .annotate(n=Count("id"))
        )
        record(
            events.PROPOSAL_OPENED,
            actor=actor,
            community=author_community,
            target=proposal,
            data={
                "alliance": alliance.pk,
                "kind": kind,
                "title": title,
                "payload": payload,
                "method": rule.method,
                "rule": rule.rule,
                "leavers_keep_vote": charter.leavers_keep_vote,
                "eligible": [
                    {
                        "community": m.community_id,
                        "slug": m.community.slug,
                        "weight": weights.get(m.community_id, 0),
                    }
                    for m in members
                ],
                "internal_closes_at": proposal.internal_closes_at.isoformat(),
                "closes_at": closes.isoformat(),
            },
        )
        empty = []
        for m in members:
            internal = open_proposal(
                m.community,
                actor=actor,
                kind=ALLIANCE_VOTE,
                title=f"{alliance.name}: {title}"[:200],
                body=body,
                payload={"alliance": alliance.slug, "alliance_proposal": proposal.pk},
                closes_at=proposal.internal_closes_at,
                context={"alliance_proposal": proposal.pk},
            )
            AllianceEligibility.objects.create(
                proposal=proposal,
                community=m.community,
                weight=weights.get(m.community_id, 0),
                internal=internal,
            )
            if not internal.eligible.exists():
                empty.append(internal)
        for internal in empty:  # a member community with nobody to vote: it did not vote
            close_proposal(internal, force=True, why="the community has no member to vote")
        if not members:
            _close(proposal, why="no member community to vote")
    return proposal


def apply_to_join(alliance: Alliance, community: Community, *, proposal: Proposal) -> str:
    """The community voted to join: a member at once if the founders invited it, if the
    charter's admission is open, or if no member community is left to consent; else an
    admission vote of the member communities opens."""
    with transaction.atomic():
        if active_membership(alliance, community) is not None:
            return f"nothing to do: {community.name} is already a member of {alliance.name}"
        locked = Alliance.objects.select_for_update().get(pk=alliance.pk)
        if community.pk in locked.invited:  # the founders asked it to: no admission vote
            locked.invited = [i for i in locked.invited if i != community.pk]
            locked.save(update_fields=["invited"])
            join(
                locked,
                community,
                joined_by=proposal,
                founder=True,
                how="a founding member, invited by the founding vote",
            )
            return ""
        charter = current_charter(alliance)
        if charter.admission == Admission.OPEN or not alliance.active_members().exists():
            how = (
                "open admission (the charter)"
                if charter.admission == Admission.OPEN
                else "no member community was left to consent"
            )
            join(alliance, community, joined_by=proposal, how=how)
            return ""
        try:
            with transaction.atomic():
                admission = open_alliance_proposal(
                    alliance,
                    kind=ADMIT_MEMBER,
                    title=f"Admit {community.name}"[:200],
                    body=proposal.body,
                    payload={"subject": community.pk, "application": proposal.pk},
                    author_community=community,
                )
        except Refused:
            return f"nothing to do: an admission vote for {community.name} is already open"
        record(
            events.APPLICATION_RECEIVED,
            community=community,
            target=admission,
            data={"alliance": alliance.pk, "application": proposal.pk},
        )
    return ""


# ---------------------------------------------------------------- ballots and closing
def record_community_ballot(internal: Proposal) -> CommunityBallot | None:
    """A community's own vote closed: its result is its one ballot on the alliance
    proposal (inside that close's transaction). Nothing when the alliance vote has already
    closed (its record is final) or the ballot exists."""
    entry = AllianceEligibility.objects.filter(internal=internal).select_related("proposal").first()
    if entry is None or entry.proposal.status != Status.OPEN:
        return None
    totals = internal.result.get("totals") or {}
    yes, no, abstain = (int(totals.get(k) or 0) for k in ("yes", "no", "abstain"))
    if internal.passed:
        choice = CommunityChoice.YES
    elif yes + no:
        choice = CommunityChoice.NO
    elif abstain:
        choice = CommunityChoice.ABSTAIN
    else:
        choice = CommunityChoice.NONE
    try:
        with transaction.atomic():
            ballot = CommunityBallot.objects.create(
                proposal=entry.proposal,
                community=internal.community,
                choice=choice,
                decided_by=internal.electorate,
                yes=yes,
                no=no,
                abstain=abstain,
                eligible=internal.result.get("eligible", 0),
                internal=internal,
                cast_at=timezone.now(),
            )
    except IntegrityError:
        return None  # one community, one ballot
    record(
        events.COMMUNITY_VOTED,
        community=internal.community,
        target=ballot,
        data={
            "alliance_proposal": entry.proposal_id,
            "choice": choice,
            "decided_by": internal.electorate,
            "yes": yes,
            "no": no,
            "abstain": abstain,
            "internal": internal.pk,
        },
    )
    close_if_complete(entry.proposal)
    return ballot


def close_if_complete(proposal: AllianceProposal) -> AllianceProposal:
    """Close now if every community whose vote counts has cast its ballot."""
    with transaction.atomic():
        hold()
        locked = AllianceProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != Status.OPEN:
            return locked
        counting = counting_communities(locked)
        have = locked.ballots.filter(community_id__in=counting).count()
        if have >= len(counting):
            if timezone.now() >= locked.closes_at:
                return _close(locked, why="the voting window ended")
            return _close(
                locked, why="every member community whose vote counts has decided its vote"
            )
    return locked


def close_complete_proposals(alliance: Alliance) -> None:
    """After a community leaves: close the open votes it was the last one missing from."""
    for proposal in alliance.proposals.filter(status=Status.OPEN).order_by("pk"):
        close_if_complete(proposal)


def close_alliance_proposal(
    proposal: AllianceProposal, *, force: bool = False, why: str = ""
) -> AllianceProposal:
    """Close a proposal whose window has ended (``force``: now): first the communities'
    own votes still open (each in its own transaction), then the tally. A community's vote
    still being counted by its trustees (a verifiable ballot) is waited for: its ballot
    closes the alliance vote when it comes. Idempotent."""
    if not force and timezone.now() < proposal.closes_at:
        raise ValidationError("voting is still open")
    internals = Proposal.objects.filter(
        pk__in=proposal.eligible.values("internal"), status=VoteStatus.OPEN
    ).order_by("pk")
    for internal in internals:
        close_proposal(internal, force=True, why="the alliance vote closes")
    if counting_internal_votes(proposal).exists():
        # a community's verifiable ballot: its trustees are decrypting the total; its
        # ballot, when it comes, closes the alliance vote (close_if_complete)
        return AllianceProposal.objects.get(pk=proposal.pk)
    with transaction.atomic():
        hold()
        locked = AllianceProposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != Status.OPEN:
            return locked
        return _close(locked, why=why or "the voting window ended")


def counting_internal_votes(proposal: AllianceProposal):
    """The communities' own votes still being counted (verifiable ballots whose trustees
    have not decrypted the total yet), of the communities whose vote counts."""
    return Proposal.objects.filter(
        pk__in=proposal.eligible.filter(community_id__in=counting_communities(proposal)).values(
            "internal"
        ),
        status=VoteStatus.COUNTING,
    )


def _close(proposal: AllianceProposal, *, why: str) -> AllianceProposal:
    """Tally (inside the caller's transaction, the row locked), store, carry out."""
    passed, result = tally(proposal)
    proposal.status = Status.CLOSED
    proposal.closed_at = timezone.now()
    proposal.passed = passed
    proposal.result = {**result, "closed_because": why}
    proposal.save(update_fields=["status", "closed_at", "passed", "result"])
    record(
        events.PROPOSAL_CLOSED,
        community=proposal.author_community,
        target=proposal,
        data={"alliance": proposal.alliance_id, "passed": passed, "result": proposal.result},
    )
    if passed:
        kind = kinds.find(proposal.kind)
        note = kind.apply(proposal) if kind else f"no app offers kind {proposal.kind} any more"
        if note:
            proposal.result = {**proposal.result, "effect": note}
            proposal.save(update_fields=["result"])
            record(
                events.EFFECT_SKIPPED,
                community=proposal.author_community,
                target=proposal,
                data={"alliance": proposal.alliance_id, "reason": note},
            )
    return proposal


def close_if_due(proposal: AllianceProposal) -> AllianceProposal:
    if proposal.status == Status.OPEN and timezone.now() >= proposal.closes_at:
        return close_alliance_proposal(proposal)
    return proposal


def close_due_alliance_proposals(
    now: datetime | None = None, *, alliance: Alliance | None = None
) -> list[AllianceProposal]:
    """Close every communities' vote and alliance proposal whose window has ended (the
    scheduled command; pages and the API pass ``alliance`` on first read)."""
    now = now or timezone.now()
    internals = Proposal.objects.filter(
        kind=ALLIANCE_VOTE, status=VoteStatus.OPEN, closes_at__lte=now
    )
    due = AllianceProposal.objects.filter(status=Status.OPEN, closes_at__lte=now)
    if alliance is not None:
        internals = internals.filter(
            pk__in=AllianceEligibility.objects.filter(
                proposal__alliance=alliance, proposal__status=Status.OPEN
            ).values("internal")
        )
        due = due.filter(alliance=alliance)
    for internal in internals.order_by("closes_at", "pk"):
        close_proposal(internal)
    return [close_alliance_proposal(p) for p in due.order_by("closes_at", "pk")]
