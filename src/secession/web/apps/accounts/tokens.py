"""API tokens: random secrets shown once; the database keeps only their SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from secession.web.apps.accounts.models import ApiToken


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user, name: str = "api") -> str:
    """Create a token for ``user`` and return its secret (not stored)."""
    secret = "sec_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name[:80] or "api", digest=digest(secret))
    return secret


def user_for_token(token: str):
    """The active user owning ``token``, or ``None``."""
    row = ApiToken.objects.select_related("user").filter(digest=digest(token)).first()
    if row is None or not row.user.is_active:
        return None
    ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user
