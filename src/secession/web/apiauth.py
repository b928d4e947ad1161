"""API authentication: bearer tokens or the session (CSRF-checked), and the optional
reader used by public endpoints."""

from __future__ import annotations

from typing import Annotated

from django.contrib.auth.models import AnonymousUser
from ninja import Field, Schema
from ninja.security import HttpBearer, django_auth

from secession.web.apps.accounts.tokens import user_for_token
from secession.web.refusals import refusal

#: the largest number the database stores (signed 64 bits)
DB_MAX = 2**63 - 1
#: a row id or count in a path or query: a positive number the database can hold
Id = Annotated[int, Field(ge=1, le=DB_MAX)]
#: a position in a list (``after``): zero or a row id
After = Annotated[int, Field(ge=0, le=DB_MAX)]


class Error(Schema):
    """Every error answer: a sentence saying what went wrong (see ``config.apierrors``)."""

    detail: str


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]


def reader(request):
    """The person reading a public endpoint: token, session, or anonymous."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
        if user is not None:
            return user
    user = getattr(request, "user", None)
    return user if user is not None else AnonymousUser()


def person(request):
    """The authenticated person of a protected endpoint."""
    return request.auth if hasattr(request.auth, "pk") else request.user


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied (HTTP 403), saying why in words, unless ``user`` has
    ``perm`` on ``obj``."""
    from django.core.exceptions import PermissionDenied

    if not user.has_perm(perm, obj):
        raise PermissionDenied(refusal(perm))
