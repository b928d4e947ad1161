"""Alliance actions: founding, the charter, membership, rules, how a community casts its
alliance votes, and the board of mutual aid. Each runs in one transaction with its audit
row. Founding, joining and leaving are decided by the community's own vote (the kinds in
:mod:`.community_kinds` call these when that vote passes: ``person`` None, the community);
alliance proposals and their tally are in :mod:`.decisions`."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from secession.web.apps.alliances import events, kinds
from secession.web.apps.alliances.models import (
    Admission,
    Alliance,
    AllianceMembership,
    AllianceProposal,
    AllianceRule,
    Casting,
    CastingRule,
    CharterVersion,
    Pledge,
    PledgeKind,
    PledgeStatus,
    Status,
)
from secession.web.apps.alliances.rules import speaks_for
from secession.web.apps.audit.log import record
from secession.web.apps.constitutions.actions import normalize_text
from secession.web.errors import Refused

if TYPE_CHECKING:
    from secession.web.apps.accounts.models import User
    from secession.web.apps.communities.models import Community
    from secession.web.apps.proposals.models import Proposal

#: slugs the alliance pages and API use for themselves
RESERVED_SLUGS = frozenset({"new", "proposals", "pledges"})
MAX_PLEDGE_DETAILS = 10_000


def _unique_slug(name: str) -> str:
    base = slugify(name)[:120] or "alliance"
    slug, n = base, 1
    while slug in RESERVED_SLUGS or Alliance.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def found_alliance(
    community: Community,
    *,
    person: User | None = None,
    proposal: Proposal | None = None,
    name: str,
    purpose: str,
    charter: str,
    method: str,
    rule: dict[str, Any],
    window_minutes: int,
    admission: str = Admission.VOTE,
    leavers_keep_vote: bool = False,
    partners: list[int] | None = None,
) -> Alliance:
    """Found an alliance with ``community`` as its first member: charter version 1, the
    founders' decision rule for every kind of alliance proposal; ``partners`` (community
    ids) are invited to join as founding members by their own vote."""
    with transaction.atomic():
        alliance = Alliance(
            name=name,
            slug=_unique_slug(name),
            purpose=purpose,
            founded_at=timezone.now(),
            founded_by=community,
            founding_proposal=proposal,
            founding_rule={"method": method, "rule": rule, "window_minutes": window_minutes},
            invited=sorted(set(partners or []) - {community.pk}),
        )
        alliance.full_clean(validate_unique=False)
        alliance.save()
        record(
            events.FOUNDED,
            actor=person,
            community=community,
            target=alliance,
            data={
                "alliance": alliance.pk,
                "name": name,
                "slug": alliance.slug,
                "founding_rule": alliance.founding_rule,
                "invited": alliance.invited,
                "proposal": proposal.pk if proposal else None,
            },
        )
        adopt_charter(
            alliance,
            text=charter,
            admission=admission,
            leavers_keep_vote=leavers_keep_vote,
            person=person,
        )
        install_rules(alliance, person=person)
        join(alliance, community, person=person, joined_by=proposal, founder=True)
    return alliance


# ---------------------------------------------------------------- the charter
def current_charter(alliance: Alliance) -> CharterVersion:
    version = alliance.charter.order_by("-number").first()
    if version is None:  # every alliance is founded with version 1
        raise ValidationError(f"{alliance.name} has no charter")
    return version


def adopt_charter(
    alliance: Alliance,
    *,
    text: str,
    admission: str,
    leavers_keep_vote: bool,
    person: User | None = None,
    proposal: AllianceProposal | None = None,
) -> CharterVersion:
    """Record a new charter version in force (whole text and terms)."""
    text = normalize_text(text)
    with transaction.atomic():
        previous = alliance.charter.select_for_update().order_by("-number").first()
        version = CharterVersion.objects.create(
            alliance=alliance,
            number=(previous.number + 1) if previous else 1,
            text=text,
            admission=admission,
            leavers_keep_vote=leavers_keep_vote,
            adopted_at=timezone.now(),
            proposal=proposal,
        )
        record(
            events.CHARTER_ADOPTED,
            actor=person,
            target=version,
            data={
                "alliance": alliance.pk,
                "number": version.number,
                "admission": admission,
                "leavers_keep_vote": leavers_keep_vote,
                "proposal": proposal.pk if proposal else None,
                "text_sha256": _sha(text),
            },
        )
    return version


# ---------------------------------------------------------------- rules
def install_rules(alliance: Alliance, *, person: User | None = None) -> None:
    """Every registered kind starts with the founders' decision rule."""
    base = alliance.founding_rule
    registered = kinds.all_kinds()
    AllianceRule.objects.bulk_create(
        [
            AllianceRule(
                alliance=alliance,
                kind=k.name,
                method=base["method"],
                rule=base["rule"],
                window_minutes=base["window_minutes"],
            )
            for k in registered
        ]
    )
    record(
        events.RULES_INSTALLED,
        actor=person,
        target=alliance,
        data={"alliance": alliance.pk, "kinds": [k.name for k in registered], **base},
    )


def rule_for(alliance: Alliance, kind: str) -> AllianceRule:
    """The rule in force for ``kind``; a kind registered after founding starts with the
    founders' decision rule (installed and audited here, once)."""
    row = AllianceRule.objects.filter(alliance=alliance, kind=kind).first()
    if row is not None:
        return row
    kinds.get(kind)  # ValidationError for an unknown kind
    base = alliance.founding_rule
    with transaction.atomic():
        row, created = AllianceRule.objects.get_or_create(
            alliance=alliance,
            kind=kind,
            defaults={
                "method": base["method"],
                "rule": base["rule"],
                "window_minutes": base["window_minutes"],
            },
        )
        if created:
            record(
                events.RULES_INSTALLED,
                target=alliance,
                data={"alliance": alliance.pk, "kinds": [kind], **base},
            )
    return row


def set_rule(
    alliance: Alliance,
    kind: str,
    *,
    method: str,
    rule: dict[str, Any],
    window_minutes: int,
    proposal: AllianceProposal | None = None,
) -> AllianceRule:
    """Apply a rule change the alliance decided (open proposals keep their rule)."""
    with transaction.atomic():
        rule_for(alliance, kind)
        row = AllianceRule.objects.select_for_update().get(alliance=alliance, kind=kind)
        before = {"method": row.method, "rule": row.rule, "window_minutes": row.window_minutes}
        row.method, row.rule, row.window_minutes = method, rule, window_minutes
        row.save()
        record(
            events.RULE_CHANGED,
            target=row,
            data={
                "alliance": alliance.pk,
                "kind": kind,
                "before": before,
                "after": {"method": method, "rule": rule, "window_minutes": window_minutes},
                "proposal": proposal.pk if proposal else None,
            },
        )
    return row


# ---------------------------------------------------------------- membership
def active_membership(alliance: Alliance, community: Community) -> AllianceMembership | None:
    return alliance.memberships.filter(community=community, left_at__isnull=True).first()


def join(
    alliance: Alliance,
    community: Community,
    *,
    person: User | None = None,
    joined_by: Proposal | None = None,
    admitted_by: AllianceProposal | None = None,
    founder: bool = False,
    how: str = "",
) -> AllianceMembership:
    """Make ``community`` a member (its own vote passed and, unless admission is open,
    the alliance's). Refused when it already is one (a unique constraint)."""
    with transaction.atomic():
        revived = not founder and not alliance.active_members().exists()
        try:
            with transaction.atomic():
                membership = AllianceMembership.objects.create(
                    alliance=alliance,
                    community=community,
                    founder=founder,
                    joined_at=timezone.now(),
                    joined_by=joined_by,
                    admitted_by=admitted_by,
                )
        except IntegrityError as exc:
            raise Refused(f"{community.name} is already a member of {alliance.name}") from exc
        record(
            events.MEMBER_JOINED,
            actor=person,
            community=community,
            target=membership,
            data={
                "alliance": alliance.pk,
                "founder": founder,
                "joined_by": joined_by.pk if joined_by else None,
                "admitted_by": admitted_by.pk if admitted_by else None,
                "how": how or ("founded it" if founder else ""),
            },
        )
        if revived:
            record(events.REVIVED, community=community, target=alliance)
    return membership


def leave(
    alliance: Alliance,
    community: Community,
    *,
    person: User | None = None,
    left_by: Proposal | None = None,
) -> str:
    """``community`` leaves: its own vote passed, and nothing else is asked. Not an open
    alliance vote, not being the founder, not being the last member (the alliance then
    rests, dormant, and its record stays). Returns a note when it is not a member."""
    with transaction.atomic():
        membership = (
            alliance.memberships.select_for_update()
            .filter(community=community, left_at__isnull=True)
            .first()
        )
        if membership is None:
            return f"nothing to do: {community.name} is not a member of {alliance.name}"
        membership.left_at = timezone.now()
        membership.left_by = left_by
        membership.save(update_fields=["left_at", "left_by"])
        open_votes = list(
            AllianceProposal.objects.filter(
                alliance=alliance, status=Status.OPEN, eligible__community=community
            ).values_list("pk", flat=True)
        )
        record(
            events.MEMBER_LEFT,
            actor=person,
            community=community,
            target=membership,
            data={
                "alliance": alliance.pk,
                "founder": membership.founder or alliance.founded_by_id == community.pk,
                "open_votes": open_votes,
                "proposal": left_by.pk if left_by else None,
            },
        )
        if not alliance.active_members().exists():
            record(events.DORMANT, community=community, target=alliance)
    return ""


# ---------------------------------------------------------------- casting
def casting_for(community: Community) -> str:
    """How ``community`` casts its alliance votes (its own rule; the default when unset)."""
    row = CastingRule.objects.filter(community=community).first()
    return row.by if row is not None else Casting.OFFICE_HOLDERS


def set_casting(
    community: Community, *, by: str, person: User | None = None, proposal: Proposal | None = None
) -> CastingRule:
    """Apply the community's decision on how it casts alliance votes (later votes only)."""
    if by not in Casting.values:
        raise ValidationError(f"by must be one of {', '.join(Casting.values)}")
    with transaction.atomic():
        before = casting_for(community)
        row, _ = CastingRule.objects.update_or_create(
            community=community,
            defaults={"by": by, "changed_at": timezone.now(), "proposal": proposal},
        )
        record(
            events.CASTING_CHANGED,
            actor=person,
            community=community,
            target=row,
            data={"before": before, "after": by, "proposal": proposal.pk if proposal else None},
        )
    return row


# ---------------------------------------------------------------- mutual aid
def post_pledge(
    alliance: Alliance,
    *,
    person: User,
    community: Community,
    kind: str,
    title: str,
    details: str = "",
    answers: Pledge | None = None,
) -> Pledge:
    """Post an offer or a request of ``community`` on the alliance's board (its office
    holders, every member under an assembly). An offer may answer an open request."""
    if not person.has_perm("alliances.post_pledge", alliance):
        raise PermissionDenied(
            "only the office holders of a member community (any member of an assembly) "
            "post on the board"
        )
    if not speaks_for(person, alliance, community):
        raise PermissionDenied(f"you do not act for {community.name} in {alliance.name}")
    if kind not in PledgeKind.values:
        raise ValidationError(f"kind must be one of {', '.join(PledgeKind.values)}")
    title = (title or "").strip()
    if not title:
        raise ValidationError("a pledge needs a title")
    if len(title) > 200:
        raise ValidationError("the title is longer than 200 characters")
    if len(details or "") > MAX_PLEDGE_DETAILS:
        raise ValidationError(f"the details are longer than {MAX_PLEDGE_DETAILS:,} characters")
    if answers is not None:
        if kind != PledgeKind.OFFER or answers.kind != PledgeKind.REQUEST:
            raise ValidationError("only an offer can answer, and only a request")
        still_open = Pledge.objects.filter(
            pk=answers.pk, alliance=alliance, status=PledgeStatus.OPEN
        ).exists()
        if not still_open:
            raise ValidationError("the request answered must be open, on this alliance's board")
    with transaction.atomic():
        pledge = Pledge.objects.create(
            alliance=alliance,
            community=community,
            kind=kind,
            title=title,
            details=details or "",
            answers=answers,
            posted_by=person,
            posted_at=timezone.now(),
        )
        record(
            events.PLEDGE_POSTED,
            actor=person,
            community=community,
            target=pledge,
            data={
                "alliance": alliance.pk,
                "kind": kind,
                "title": title,
                "answers": answers.pk if answers else None,
            },
        )
    return pledge


def close_pledge(pledge: Pledge, *, person: User, status: str, note: str = "") -> Pledge:
    """Mark a pledge fulfilled or not (the posting community's office holders)."""
    if status not in (PledgeStatus.FULFILLED, PledgeStatus.NOT_FULFILLED):
        raise ValidationError("status must be fulfilled or not_fulfilled")
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError("the note is longer than 500 characters")
    with transaction.atomic():
        locked = Pledge.objects.select_for_update().get(pk=pledge.pk)
        if not person.has_perm("alliances.close_pledge", locked):
            raise PermissionDenied(
                f"only those who act for {locked.community.name} can close its pledges"
            )
        if locked.status != PledgeStatus.OPEN:
            raise Refused(f"this pledge is already closed ({locked.get_status_display()})")
        locked.status, locked.note = status, note
        locked.closed_at, locked.closed_by = timezone.now(), person
        locked.save(update_fields=["status", "note", "closed_at", "closed_by"])
        record(
            events.PLEDGE_CLOSED,
            actor=person,
            community=locked.community,
            target=locked,
            data={"alliance": locked.alliance_id, "status": status, "note": note},
        )
    return locked
