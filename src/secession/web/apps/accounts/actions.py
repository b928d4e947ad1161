"""Account actions: register, change password, export own data, delete account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from secession.web.apps.accounts import events
from secession.web.apps.accounts.exports import exported_sections
from secession.web.apps.accounts.passwords import MAX_PASSWORD, TOO_LONG
from secession.web.apps.accounts.signals import account_deleting
from secession.web.apps.audit.keys import SigningKeyError
from secession.web.apps.audit.leaf import leaf_text
from secession.web.apps.audit.log import record, signed_head
from secession.web.apps.audit.models import AuditEntry

if TYPE_CHECKING:
    from secession.web.apps.accounts.models import User


def check_length(password: str) -> None:
    """Refuse an over-long password before any hashing work is spent on it."""
    if len(password) > MAX_PASSWORD:
        raise ValidationError(TOO_LONG, code="password_too_long")


def register_person(*, username: str, password: str, display_name: str = "") -> User:
    """Create an account (the new person is the actor of their own registration).

    The password is hashed (Argon2, tens of milliseconds) before the transaction opens,
    so no database lock is held meanwhile and other members' actions do not wait."""
    User = get_user_model()
    username = username.strip()
    if not username:
        raise ValidationError(gettext("a username is required"))
    check_length(password)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(gettext("the username {name} is taken").format(name=repr(username)))
    candidate = User(username=username, display_name=display_name.strip())
    # the model's own checks (length, allowed characters): the API has no form to do them
    candidate.full_clean(exclude=["password"], validate_unique=False)
    password_validation.validate_password(password, candidate)
    candidate.password = make_password(password)  # outside the transaction: see above
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():  # taken meanwhile
            raise ValidationError(
                gettext("the username {name} is taken").format(name=repr(username))
            )
        candidate.save()
        record(events.REGISTERED, actor=candidate, target=candidate)
    return candidate


def change_password(user: User, *, person: User, old_password: str, new_password: str) -> None:
    """Change ``user``'s password; only the person themself, knowing the old one."""
    if not person.has_perm("accounts.change_password", user):
        raise PermissionDenied(gettext("you can only change your own password"))
    check_length(new_password)
    if len(old_password) > MAX_PASSWORD or not user.check_password(old_password):
        raise ValidationError(gettext("the current password is not correct"))
    password_validation.validate_password(new_password, user)
    hashed = make_password(new_password)  # before the transaction: no lock while hashing
    with transaction.atomic():
        user.password = hashed
        user.save(update_fields=["password"])
        record(events.PASSWORD_CHANGED, actor=person, target=user)


def choose_language(*, person: User, language: str) -> None:
    """Store the interface language ``person`` chose (one of ``LANGUAGES``): their
    emails are written in it. Choosing the same language again changes nothing."""
    if not getattr(person, "is_authenticated", False):
        raise PermissionDenied(gettext("log in to keep your choice of language"))
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            gettext("{code} is not one of this site's languages").format(code=repr(language))
        )
    if person.language == language:
        return
    with transaction.atomic():
        person.language = language
        person.save(update_fields=["language"])
        record(events.LANGUAGE_CHOSEN, actor=person, target=person, data={"language": language})


def issue_token(user: User, *, person: User, name: str = "api") -> str:
    """Create an API token for ``user`` (themself only); return its secret, shown once."""
    from secession.web.apps.accounts.tokens import create_token

    if not person.has_perm("accounts.manage_tokens", user):
        raise PermissionDenied(gettext("you can only create tokens for your own account"))
    with transaction.atomic():
        secret = create_token(user, name)
        record(events.TOKEN_CREATED, actor=person, target=user, data={"name": name[:80]})
    return secret


def revoke_token(user: User, *, person: User, token: str) -> None:
    """Revoke one of ``user``'s API tokens (the API's log out)."""
    from secession.web.apps.accounts.models import ApiToken
    from secession.web.apps.accounts.tokens import digest

    if not person.has_perm("accounts.manage_tokens", user):
        raise PermissionDenied(gettext("you can only revoke your own tokens"))
    with transaction.atomic():
        row = ApiToken.objects.filter(user=user, digest=digest(token)).first()
        if row is None:
            raise ValidationError(gettext("there is no such token on this account"))
        name = row.name
        row.delete()
        record(events.TOKEN_REVOKED, actor=person, target=user, data={"name": name})


def export_data(user: User, *, person: User) -> dict[str, Any]:
    """Everything the platform holds about ``user``, as JSON-ready data.

    Secret votes appear only as participation (the platform does not know the choice).
    """
    if not person.has_perm("accounts.view_own_data", user):
        raise PermissionDenied(gettext("you can only download your own data"))
    try:
        head: dict[str, Any] | None = signed_head()
    except SigningKeyError:
        head = None
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "username": user.username,
            "display_name": user.display_name,
            "date_joined": user.date_joined.isoformat(),
        },
        **exported_sections(user),
        "api_tokens": [
            {
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            }
            for t in user.apitoken_set.order_by("created_at")
        ],
        # each entry with its leaf (check it with /api/audit/proof/inclusion?seq=N against
        # the signed head below, which is kept with the export)
        "audit_entries": [
            {
                "seq": e.seq,
                "action": e.action,
                "created_at": e.created_at.isoformat(),
                "leaf": leaf_text(e),
                "leaf_hash": e.leaf_hash,
            }
            for e in AuditEntry.objects.filter(actor_id=user.pk).order_by("seq")
        ],
        "audit_head": head,
    }


def delete_account(user: User, *, person: User) -> None:
    """Delete the account: leave every community, then remove the person.

    Audit entries stay (they hold only the account number and show as a removed account);
    memberships, proposals and public votes stay attributed to nobody.
    """
    if not person.has_perm("accounts.delete_account", user):
        raise PermissionDenied(gettext("you can only delete your own account"))
    with transaction.atomic():
        account_deleting.send(sender=type(user), person=user)
        record(events.DELETED, actor=user, target=user)
        user.delete()
