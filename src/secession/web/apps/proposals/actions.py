"""Proposal actions: open (with the electorate fixed), vote, close, and rule changes.

Every action runs in one transaction with its audit row. One member, one vote is enforced
by the database (unique constraint on ballots); a vote after the window is refused.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from secession.exceptions import RuleError
from secession.web.apps.audit.log import record
from secession.web.apps.proposals import bulk, events, kinds, signals
from secession.web.apps.proposals.models import (
    Ballot,
    Choice,
    Proposal,
    Status,
    VotingRule,
)
from secession.web.apps.proposals.voting import tally
from secession.web.errors import AlreadyVoted, VotingClosed

if TYPE_CHECKING:
    from datetime import datetime

    from secession.web.apps.accounts.models import User
    from secession.web.apps.communities.models import Community


def install_default_rules(community: Community, *, person: User | None) -> None:
    """Give a new community the default rule of every registered kind of proposal."""
    registered = kinds.all_kinds()
    VotingRule.objects.bulk_create(
        [
            VotingRule(
                community=community,
                kind=k.name,
                rule=k.default_rule,
                window_minutes=k.default_window,
                secret=k.default_secret,
            )
            for k in registered
        ]
    )
    record(
        events.RULES_INSTALLED,
        actor=person,
        community=community,
        data={k.name: k.default_rule["name"] for k in registered},
    )


def rule_for(community: Community, kind: str) -> VotingRule:
    """The rule in force for ``kind``; a kind registered after the community was founded
    starts with its default rule (installed and audited here, once)."""
    row = VotingRule.objects.filter(community=community, kind=kind).first()
    if row is not None:
        return row
    default = kinds.get(kind)
    with transaction.atomic():
        row, created = VotingRule.objects.get_or_create(
            community=community,
            kind=kind,
            defaults={
                "rule": default.default_rule,
                "window_minutes": default.default_window,
                "secret": default.default_secret,
            },
        )
        if created:
            record(
                events.RULES_INSTALLED,
                community=community,
                data={kind: default.default_rule["name"]},
            )
    return row


def set_rule(
    community,
    kind: str,
    *,
    rule: dict,
    window_minutes: int,
    secret: bool,
    proposal=None,
    verifiable: bool = False,
    trustees: list[int] | None = None,
    trustee_threshold: int = 0,
) -> VotingRule:
    """Apply a rule change decided by a passed proposal (open proposals keep their rule).

    A verifiable ballot is secret too, decrypted by ``trustee_threshold`` of ``trustees``."""
    with transaction.atomic():
        rule_for(community, kind)  # a kind registered after founding gets its row first
        row = VotingRule.objects.select_for_update().get(community=community, kind=kind)
        before = {"rule": row.rule, "window_minutes": row.window_minutes, "secret": row.secret}
        if row.verifiable:
            before["verifiable"] = {"trustees": row.trustees, "threshold": row.trustee_threshold}
        row.rule, row.window_minutes, row.secret = rule, window_minutes, secret or verifiable
        row.verifiable = verifiable
        row.trustees = list(trustees or []) if verifiable else []
        row.trustee_threshold = trustee_threshold if verifiable else 0
        row.save()
        after = {"rule": rule, "window_minutes": window_minutes, "secret": row.secret}
        if verifiable:
            after["verifiable"] = {"trustees": row.trustees, "threshold": row.trustee_threshold}
        record(
            events.RULE_CHANGED,
            actor=None,
            community=community,
            target=row,
            data={
                "kind": kind,
                "before": before,
                "after": after,
                "proposal": proposal.pk if proposal else None,
            },
        )
    return row


def _electorate(community: Community, kind: str):
    """Who decides, as (name, query of person ids): kinds marked ``office_holders_decide``
    (resolutions) go to the office holders under council or leader governance (if any
    hold office); all else to the members."""
    from secession.web.apps.communities.models import Governance, Role

    active = community.active_members().filter(person__isnull=False)
    decides = kinds.get(kind).decided_by_office_holders(community)
    if decides and community.governance in (Governance.COUNCIL, Governance.LEADER):
        role = Role.COUNCIL if community.governance == Governance.COUNCIL else Role.LEADER
        holders = active.filter(role=role)
        if holders.exists():
            return str(role), holders.values("person_id")
    return gettext_noop("members"), active.values("person_id")


def make_proposal(
    community: Community,
    *,
    person: User,
    kind: str,
    title: str,
    body: str = "",
    payload: dict | None = None,
) -> Proposal:
    """Open a proposal for voting now; the rule in force and the electorate are fixed."""
    if not person.has_perm("proposals.add_proposal", community):
        raise PermissionDenied("only members of the community can make proposals")
    if not kinds.get(kind).offered:
        raise ValidationError(f"proposals of kind {kind!r} are opened by the platform itself")
    title = title.strip()
    if not title:
        raise ValidationError("a proposal needs a title")
    if not isinstance(payload, dict | None):
        raise ValidationError("payload must be an object")
    payload = kinds.get(kind).clean(community, dict(payload or {}))
    return open_proposal(
        community, actor=person, author=person, kind=kind, title=title, body=body, payload=payload
    )


def open_proposal(
    community: Community,
    *,
    actor: User | None,
    kind: str,
    title: str,
    payload: dict,
    body: str = "",
    author: User | None = None,
    closes_at: datetime | None = None,
    context: dict | None = None,
) -> Proposal:
    """Open a proposal whose payload is already checked: members' proposals
    (:func:`make_proposal`) and those an app above opens on the community's behalf (no
    author; ``closes_at`` instead of the rule's window; ``context`` added to the audit row,
    e.g. the alliance proposal it answers). The rule in force and the electorate are fixed."""
    with transaction.atomic():
        rule = rule_for(community, kind)
        now = timezone.now()
        electorate, voters = _electorate(community, kind)
        proposal = Proposal(
            community=community,
            author=author,
            kind=kind,
            title=title,
            body=body,
            payload=payload,
            rule=rule.rule,
            secret=rule.secret or rule.verifiable,
            verifiable=rule.verifiable,
            electorate=electorate,
            opened_at=now,
            closes_at=closes_at or now + timedelta(minutes=rule.window_minutes),
        )
        proposal.full_clean(validate_unique=False)  # field lengths: the API has no form
        proposal.save()
        sql, params = voters.query.sql_with_params()
        proposal.eligible_count = bulk.insert_electorate(proposal, sql, list(params))
        if proposal.secret and not proposal.verifiable:
            bulk.insert_blank_papers(proposal)
        proposal.electorate_digest = bulk.electorate_digest(proposal)
        proposal.save(update_fields=["eligible_count", "electorate_digest"])
        record(
            events.PROPOSAL_OPENED,
            actor=actor,
            community=community,
            target=proposal,
            data={
                "kind": kind,
                "title": title,
                "payload": payload,
                "rule": rule.rule,
                "secret": proposal.secret,
                "verifiable": proposal.verifiable,
                "electorate": electorate,
                # the electorate by count and digest (GET /api/proposals/{id}/electorate
                # lists it; see proposals.bulk), not a million ids in one entry
                "eligible_count": proposal.eligible_count,
                "electorate_digest": proposal.electorate_digest,
                "closes_at": proposal.closes_at.isoformat(),
                **(context or {}),
            },
        )
        signals.proposal_opened.send(sender=Proposal, proposal=proposal, rule=rule)
    return proposal


def cast_vote(
    proposal: Proposal, *, person: User, choice: str, extra: dict | None = None
) -> Ballot:
    """Cast ``person``'s one vote; when the whole electorate has voted, close. ``extra``
    holds what the kind's ballot asks besides the choice (``ProposalKind.vote_fields``),
    checked by the kind and handed to it inside the vote's transaction.

    Refused: not eligible (PermissionDenied), already voted (AlreadyVoted, enforced by the
    unique constraint), voting closed (VotingClosed), a bad extra answer (ValidationError
    keyed by its field).
    """
    if choice not in Choice.values:
        raise ValidationError(f"choice must be one of {', '.join(Choice.values)}")
    if not person.is_authenticated:
        raise PermissionDenied("log in to vote")
    if proposal.verifiable:
        raise ValidationError(
            "this is a verifiable vote: your ballot is encrypted on its vote page"
        )
    kind = kinds.find(proposal.kind)
    if kind is not None:
        extra = kind.clean_vote(proposal, dict(extra or {}))
    with transaction.atomic():
        locked, now = lock_for_voting(proposal, person=person)
        ballot = register_voter(locked, person=person, now=now, choice=choice)
        if locked.secret:
            _fill_paper(locked, choice)
        else:  # running counts of public votes only (a secret one shows none while open)
            setattr(locked, f"{choice}_count", getattr(locked, f"{choice}_count") + 1)
            locked.save(update_fields=[f"{choice}_count"])
        if kind is not None:
            kind.voted(locked, choice, extra or {})
        record(
            events.VOTE_CAST,
            actor=person,
            community=locked.community,
            target=locked,
            data={} if locked.secret else {"choice": choice},
        )
        close_if_everyone_voted(locked)
    return ballot


def lock_for_voting(proposal: Proposal, *, person: User) -> tuple[Proposal, datetime]:
    """Lock the proposal for a vote (inside the caller's transaction) and check it may be
    cast now by ``person``: VotingClosed or PermissionDenied otherwise."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    now = timezone.now()
    if locked.status != Status.OPEN or now >= locked.closes_at:
        raise VotingClosed("voting on this proposal has closed")
    if not person.has_perm("proposals.vote", locked):
        raise PermissionDenied(
            "you are not in this proposal's electorate (fixed when voting opened)"
        )
    return locked, now


def register_voter(locked: Proposal, *, person: User, now: datetime, choice: str = "") -> Ballot:
    """Record that ``person`` voted (their choice only for a public vote); one each, by the
    database's unique constraint (AlreadyVoted)."""
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                proposal=locked,
                voter=person,
                voted_at=now,
                choice="" if locked.secret else choice,
            )
    except IntegrityError as exc:
        raise AlreadyVoted("you have already voted on this proposal") from exc
    locked.voted_count += 1  # kept under the proposal's row lock (lock_for_voting)
    locked.save(update_fields=["voted_count"])
    return ballot


def close_if_everyone_voted(locked: Proposal) -> None:
    """Everyone in the electorate has voted: the result cannot change, close now."""
    if locked.voted_count >= locked.eligible_count:  # kept counts: no row is counted
        close_proposal(locked, force=True, why=gettext_noop("every eligible member has voted"))


def _fill_paper(proposal: Proposal, choice: str) -> None:
    """Fill a random blank paper (an index seek from a random key; see ``bulk``)."""
    if not bulk.fill_random_paper(proposal, choice):
        raise RuntimeError(f"no blank ballot paper left for proposal {proposal.pk}")


def counts(proposal: Proposal) -> dict[str, int]:
    """Yes/no/abstain counts: the result stored at close (a verifiable vote's are those its
    trustees decrypted, none before), the kept running counts of an open public vote; an
    open secret vote has none to show (counted only at close)."""
    if proposal.verifiable or (proposal.status == Status.CLOSED and "totals" in proposal.result):
        stored = proposal.result.get("counts") or proposal.result.get("totals") or {}
        return {c: int(stored.get(c) or 0) for c in Choice.values}
    return {c: getattr(proposal, f"{c}_count") for c in Choice.values}


def close_proposal(
    proposal: Proposal, *, person=None, force: bool = False, why: str = ""
) -> Proposal:
    """Close a proposal whose window has ended (``force``: close now), tally it with the
    rule fixed at opening, store the final result with its reasons, carry it out if it
    passed. Idempotent: a closed proposal is returned unchanged."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status in (Status.CLOSED, Status.COUNTING):
            return locked
        now = timezone.now()
        if not force and now < locked.closes_at:
            raise ValidationError("voting is still open")
        if locked.verifiable:
            return _start_counting(locked, person=person, now=now, why=why)
        # counted in SQL from the rows themselves, not from the kept counts
        found = bulk.paper_counts(locked) if locked.secret else bulk.ballot_counts(locked)
        if locked.secret:
            bulk.reissue_papers(locked, found)
        _decide(locked, found, person=person, now=now, why=why)
    return locked


def _start_counting(locked: Proposal, *, person, now, why: str) -> Proposal:
    """Close a verifiable vote to ballots; the app holding its board posts the encrypted
    tally (``proposal_counting``) and, once enough trustees have decrypted it, calls
    :func:`finish_counting`."""
    locked.status = Status.COUNTING
    locked.closed_at = now
    locked.result = {
        "voters": locked.ballots.count(),
        "eligible": locked.eligible_count,
        "closed_because": why or gettext_noop("the voting window ended"),
    }
    locked.save(update_fields=["status", "closed_at", "result"])
    record(
        events.PROPOSAL_COUNTING,
        actor=person,
        community=locked.community,
        target=locked,
        data={"result": locked.result},
    )
    signals.proposal_counting.send(sender=Proposal, proposal=locked)
    locked.refresh_from_db()  # a receiver may have decided it already (no key was set up)
    return locked


def finish_counting(proposal: Proposal, *, found: dict[str, int], person=None) -> Proposal:
    """Decide a verifiable vote from the counts its trustees decrypted (checked by the
    caller), with the rule fixed at opening; carry it out if it passed."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.status != Status.COUNTING:
            raise ValidationError("this proposal is not waiting for its count")
        why = locked.result.get("closed_because", "")
        found = {c: int(found.get(c, 0)) for c in Choice.values}
        _decide(locked, found, person=person, now=locked.closed_at, why=why)
        locked.result = {**locked.result, "counts": found}
        locked.save(update_fields=["result"])
    return locked


def _decide(locked: Proposal, found: dict[str, int], *, person, now, why: str) -> None:
    """Tally ``found`` under the proposal's rule, store the result, carry it out."""
    eligible = locked.eligible_count
    try:
        outcome = tally(locked.rule, eligible=eligible, **found)
    except RuleError as exc:  # a stored rule that cannot be applied: fail, say why
        passed, reasons, totals = False, [f"rule cannot be applied: {exc}"], found
    else:
        passed, reasons, totals = outcome.passed, outcome.reasons, outcome.totals
    locked.status = Status.CLOSED
    locked.closed_at = now
    locked.passed = passed
    locked.yes_count, locked.no_count = found["yes"], found["no"]
    locked.abstain_count = found["abstain"]
    locked.voted_count = Ballot.objects.filter(proposal=locked).count()
    locked.result = {
        "totals": {k: (int(v) if v is not None else None) for k, v in totals.items()},
        "counts": found,
        "voters": locked.voted_count,
        "eligible": eligible,
        "reasons": list(reasons),
        "closed_because": why or gettext_noop("the voting window ended"),
    }
    locked.save(
        update_fields=[
            "status",
            "closed_at",
            "passed",
            "result",
            "yes_count",
            "no_count",
            "abstain_count",
            "voted_count",
        ]
    )
    record(
        events.PROPOSAL_CLOSED,
        actor=person,
        community=locked.community,
        target=locked,
        data={"passed": passed, "result": locked.result},
    )
    kind = kinds.find(locked.kind)
    if kind is not None:
        kind.closed(locked)
    if passed:
        note = kinds.get(locked.kind).apply(locked)
        if note:
            locked.result = {**locked.result, "effect": note}
            locked.save(update_fields=["result"])
            record(
                events.EFFECT_SKIPPED,
                actor=person,
                community=locked.community,
                target=locked,
                data={"reason": note},
            )
    signals.proposal_closed.send(sender=Proposal, proposal=locked)


def close_if_due(proposal: Proposal) -> Proposal:
    """Close on first read after the window (pages and API call this)."""
    if proposal.status == Status.OPEN and timezone.now() >= proposal.closes_at:
        return close_proposal(proposal)
    return proposal


def close_due_proposals(
    now: datetime | None = None, *, community: Community | None = None
) -> list[Proposal]:
    """Close every open proposal whose window has ended (scheduled task; pages and the API
    pass ``community`` to close only that community's proposals on first read)."""
    now = now or timezone.now()
    due = Proposal.objects.filter(status=Status.OPEN, closes_at__lte=now).order_by("closes_at")
    if community is not None:
        due = due.filter(community=community)
    return [close_proposal(p) for p in due]
