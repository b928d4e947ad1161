"""Registry actions. Each runs in one transaction and writes its audit row in it.

Declarations are published by the passed proposal behind them (an independence
declaration through the communities app's ``independence_declared`` signal, an indigenous
nation's sovereignty by the registry's own kind); recognitions likewise by the
recognising people's passed ``recognise`` / ``withdraw_recognition`` proposals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secession.exceptions import RuleError
from secession.web.apps.audit.log import record
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.registry import events
from secession.web.apps.registry.models import (
    Declaration,
    DeclarationKind,
    Recognition,
    RuleSetting,
)
from secession.web.apps.registry.recognisers import COMMUNITY, recogniser_kind
from secession.web.apps.registry.recognition import DEFAULT_RULE, RecognitionRule
from secession.web.errors import Refused

if TYPE_CHECKING:
    from secession.web.apps.accounts.models import User
    from secession.web.apps.communities.models import Community
    from secession.web.apps.proposals.models import Proposal

PROPOSAL_CLOSED = "proposal.closed"  # the proposals app's event recording a vote's result


def current_declaration(community: Community) -> Declaration | None:
    """The people's declaration in force (none supersedes it), or ``None``."""
    return Declaration.objects.current().filter(community=community).first()


def is_registered(community: Community) -> bool:
    return Declaration.objects.filter(community=community).exists()


def _vote_of(proposal: Proposal) -> tuple[dict, AuditEntry]:
    """The vote behind a declaration (as the proposal stored it) and its audit entry."""
    from secession.web.apps.proposals.voting import describe

    entry = (
        AuditEntry.objects.filter(
            action=PROPOSAL_CLOSED, target_type="proposal", target_id=str(proposal.pk)
        )
        .order_by("-seq")
        .first()
    )
    if entry is None or not proposal.passed:
        raise ValidationError(_("a declaration is published only by a passed, recorded vote"))
    result = proposal.result or {}
    vote = {
        "proposal": proposal.pk,
        "title": proposal.title,
        "totals": result.get("totals", {}),
        "voters": result.get("voters"),
        "eligible": result.get("eligible"),
        "electorate": proposal.electorate,
        "secret": proposal.secret,
        "rule": proposal.rule,
        "rule_text": describe(proposal.rule),
        "reasons": result.get("reasons", []),
        "opened_at": proposal.opened_at.isoformat(),
        "closed_at": proposal.closed_at.isoformat() if proposal.closed_at else None,
    }
    return vote, entry


def publish_declaration(
    community: Community,
    *,
    proposal: Proposal,
    kind: str,
    person: User | None = None,
    separates_from: str = "",
    land: str = "",
    claimed_by: str = "",
) -> Declaration:
    """Publish the declaration a passed proposal made (a snapshot of the community's name
    and territory, the text, the vote and its audit entry). A people's earlier declaration
    is superseded, never changed."""
    if kind not in DeclarationKind.values:
        raise ValidationError(_("unknown declaration kind {kind}").format(kind=repr(kind)))
    with transaction.atomic():
        vote, entry = _vote_of(proposal)
        previous = (
            Declaration.objects.select_for_update(of=("self",))
            .current()
            .filter(community=community)
            .first()
        )
        name = community.name
        title = (
            f"Declaration of independence of {name}"
            if kind == DeclarationKind.INDEPENDENCE
            else f"Declaration of sovereignty of {name}"
        )
        declaration = Declaration(
            community=community,
            kind=kind,
            people_name=name,
            indigenous=community.indigenous,
            title=title,
            text=(proposal.body or proposal.title).strip(),
            published_at=timezone.now(),
            separates_from=separates_from,
            land=land,
            claimed_by=claimed_by,
            territory_geojson=community.territory_geojson,
            territory_crs=community.territory_crs,
            territory_dataset=community.territory_dataset,
            territory_unit_ids=list(community.territory_unit_ids or []),
            proposal=proposal,
            vote=vote,
            audit_seq=entry.seq,
            audit_leaf_hash=entry.leaf_hash,
            supersedes=previous,
        )
        declaration.full_clean(validate_unique=False)
        declaration.save()
        record(
            events.DECLARATION_PUBLISHED,
            actor=person,
            community=community,
            target=declaration,
            data={
                "kind": kind,
                "title": title,
                "proposal": proposal.pk,
                "vote_entry": entry.seq,
                "supersedes": previous.pk if previous else None,
                "separates_from": separates_from,
                "land": land,
                "claimed_by": claimed_by,
            },
        )
    return declaration


def _recogniser_name(recogniser_type: str, recogniser_id: int, given: str) -> str:
    kind = recogniser_kind(recogniser_type)
    if kind is None:
        raise ValidationError(
            _("unknown kind of recogniser {kind}").format(kind=repr(recogniser_type))
        )
    if given:
        return given
    found = kind.lookup({recogniser_id}).get(recogniser_id)
    if found is None:
        raise ValidationError(_("no {kind} #{id}").format(kind=kind.label, id=recogniser_id))
    return str(found.name)


def recognise(
    recognised: Community,
    *,
    recogniser_type: str = COMMUNITY,
    recogniser_id: int,
    recogniser_name: str = "",
    proposal: Proposal | None = None,
    decision: int | None = None,
    person: User | None = None,
) -> Recognition:
    """Record that a recogniser recognises ``recognised`` (a registered people), as its own
    vote decided (a people's ``proposal``; another recogniser's ``decision`` id, e.g. an
    alliance proposal). Refused if it already does (one active recognition per pair)."""
    if not is_registered(recognised):
        raise ValidationError(
            _("{name} has published no declaration: not registered").format(name=recognised.name)
        )
    name = _recogniser_name(recogniser_type, recogniser_id, recogniser_name)
    if recogniser_type == COMMUNITY and recogniser_id == recognised.pk:
        raise ValidationError(_("a people does not recognise itself"))
    with transaction.atomic():
        now = timezone.now()
        entry = record(
            events.RECOGNISED,
            actor=person,
            community=recognised,
            target=recognised,
            data={
                "recogniser_type": recogniser_type,
                "recogniser_id": recogniser_id,
                "recogniser": name,
                "proposal": proposal.pk if proposal else None,
                "decision": decision,
            },
        )
        try:
            with transaction.atomic():
                return Recognition.objects.create(
                    recogniser_type=recogniser_type,
                    recogniser_id=recogniser_id,
                    recogniser_community_id=recogniser_id if recogniser_type == COMMUNITY else None,
                    recogniser_name=name,
                    recognised=recognised,
                    recognised_at=now,
                    proposal=proposal,
                    decision=decision,
                    audit_seq=entry.seq,
                )
        except IntegrityError as exc:
            raise Refused(
                _("{name} already recognises {people}").format(name=name, people=recognised.name)
            ) from exc


def withdraw_recognition(
    recognised: Community,
    *,
    recogniser_type: str = COMMUNITY,
    recogniser_id: int,
    proposal: Proposal | None = None,
    decision: int | None = None,
    person: User | None = None,
) -> Recognition:
    """Close the recogniser's active recognition of ``recognised`` (kept in the history)."""
    with transaction.atomic():
        row = (
            Recognition.objects.select_for_update()
            .filter(
                recogniser_type=recogniser_type,
                recogniser_id=recogniser_id,
                recognised=recognised,
                withdrawn_at__isnull=True,
            )
            .first()
        )
        if row is None:
            raise Refused(
                _("there is no recognition of {people} to withdraw").format(people=recognised.name)
            )
        entry = record(
            events.RECOGNITION_WITHDRAWN,
            actor=person,
            community=recognised,
            target=recognised,
            data={
                "recogniser_type": recogniser_type,
                "recogniser_id": recogniser_id,
                "recogniser": row.recogniser_name,
                "recognition": row.pk,
                "proposal": proposal.pk if proposal else None,
                "decision": decision,
            },
        )
        row.withdrawn_at = timezone.now()
        row.withdrawal_proposal = proposal
        row.withdrawal_decision = decision
        row.withdrawal_audit_seq = entry.seq
        row.save(
            update_fields=[
                "withdrawn_at",
                "withdrawal_proposal",
                "withdrawal_decision",
                "withdrawal_audit_seq",
            ]
        )
    return row


def recognition_rule() -> RecognitionRule:
    """The rule in force (the default, 3 registered peoples, until one is set)."""
    row = RuleSetting.objects.first()
    return RecognitionRule.from_dict(row.rule) if row is not None else DEFAULT_RULE


def set_recognition_rule(rule: dict, *, person: User) -> RuleSetting:
    """Set the rule the published map applies (site administrators only; audited)."""
    if not person.has_perm("registry.set_recognition_rule"):
        raise PermissionDenied(_("only the site's administrators set the recognition rule"))
    try:
        parsed = RecognitionRule.from_dict(rule)
    except RuleError as exc:
        raise ValidationError(str(exc)) from exc
    with transaction.atomic():
        before = recognition_rule().to_dict()
        row = RuleSetting.objects.create(
            rule=parsed.to_dict(), set_at=timezone.now(), set_by=person
        )
        record(
            events.RULE_SET, actor=person, target=row, data={"before": before, "after": row.rule}
        )
    return row
