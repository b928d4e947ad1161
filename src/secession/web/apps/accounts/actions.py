"""Account actions: register, change password, export own data, delete account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from secession.web.apps.audit.log import record


def register_person(*, username: str, password: str, display_name: str = ""):
    """Create an account (the new person is the actor of their own registration)."""
    User = get_user_model()
    username = username.strip()
    if not username:
        raise ValidationError("a username is required")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"the username {username!r} is taken")
    candidate = User(username=username, display_name=display_name.strip())
    # the model's own checks (length, allowed characters): the API has no form to do them
    candidate.full_clean(exclude=["password"], validate_unique=False)
    password_validation.validate_password(password, candidate)
    with transaction.atomic():
        candidate.set_password(password)
        candidate.save()
        record("account.registered", actor=candidate, target=candidate)
    return candidate


def change_password(user, *, person, old_password: str, new_password: str) -> None:
    """Change ``user``'s password; only the person themself, knowing the old one."""
    if not person.has_perm("accounts.change_password", user):
        raise PermissionDenied("you can only change your own password")
    if not user.check_password(old_password):
        raise ValidationError("the current password is not correct")
    password_validation.validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record("account.password_changed", actor=person, target=user)


def issue_token(user, *, person, name: str = "api") -> str:
    """Create an API token for ``user`` (themself only); return its secret, shown once."""
    from secession.web.apps.accounts.tokens import create_token

    if not person.has_perm("accounts.manage_tokens", user):
        raise PermissionDenied("you can only create tokens for your own account")
    with transaction.atomic():
        secret = create_token(user, name)
        record("account.token_created", actor=person, target=user, data={"name": name[:80]})
    return secret


def revoke_token(user, *, person, token: str) -> None:
    """Revoke one of ``user``'s API tokens (the API's log out)."""
    from secession.web.apps.accounts.models import ApiToken
    from secession.web.apps.accounts.tokens import digest

    if not person.has_perm("accounts.manage_tokens", user):
        raise PermissionDenied("you can only revoke your own tokens")
    with transaction.atomic():
        row = ApiToken.objects.filter(user=user, digest=digest(token)).first()
        if row is None:
            raise ValidationError("no such token on this account")
        name = row.name
        row.delete()
        record("account.token_revoked", actor=person, target=user, data={"name": name})


def export_data(user, *, person) -> dict[str, Any]:
    """Everything the platform holds about ``user``, as JSON-ready data.

    Secret votes appear only as participation (the platform does not know the choice).
    """
    if not person.has_perm("accounts.view_own_data", user):
        raise PermissionDenied("you can only download your own data")
    from secession.web.apps.audit.models import AuditEntry
    from secession.web.apps.communities.models import Community, Membership
    from secession.web.apps.proposals.models import Ballot, Proposal

    memberships = Membership.objects.filter(person=user).select_related("community")
    ballots = Ballot.objects.filter(voter=user).select_related("proposal")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
        },
        "memberships": [
            {
                "community": m.community.slug,
                "role": m.role,
                "joined_at": m.joined_at.isoformat(),
                "left_at": m.left_at.isoformat() if m.left_at else None,
            }
            for m in memberships
        ],
        "proposals": [
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
        ],
        "communities_founded": [
            c.slug for c in Community.objects.filter(founded_by=user).order_by("created_at")
        ],
        "votes": [
            {
                "proposal": b.proposal_id,
                "voted_at": b.voted_at.isoformat(),
                "choice": b.choice or None,
                "secret": b.proposal.secret,
            }
            for b in ballots
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            }
            for t in user.apitoken_set.order_by("created_at")
        ],
        "audit_entries": [
            {"seq": e.seq, "action": e.action, "created_at": e.created_at.isoformat()}
            for e in AuditEntry.objects.filter(actor_id=user.pk)
        ],
    }


def delete_account(user, *, person) -> None:
    """Delete the account: leave every community, then remove the person.

    Audit entries stay (they hold only the account number and show as a removed account);
    memberships, proposals and public votes stay attributed to nobody.
    """
    if not person.has_perm("accounts.delete_account", user):
        raise PermissionDenied("you can only delete your own account")
    from secession.web.apps.communities.actions import leave_community
    from secession.web.apps.communities.models import Membership

    with transaction.atomic():
        for membership in Membership.objects.filter(person=user, left_at__isnull=True):
            leave_community(membership.community, person=user)
        record("account.deleted", actor=user, target=user)
        user.delete()
