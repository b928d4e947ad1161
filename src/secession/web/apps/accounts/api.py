"""Account endpoints: register, get a token, read/export/delete one's own account."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from ninja import Router, Schema, Status

from secession.web.apiauth import AUTH, TokenAuth, person, require
from secession.web.apps.accounts import actions
from secession.web.apps.accounts.passwords import MAX_PASSWORD
from secession.web.apps.accounts.throttle import (
    LockedOut,
    TooManyRegistrations,
    check_login,
    release_registration,
    reserve_registration,
)

router = Router(tags=["accounts"])


class RegisterIn(Schema):
    username: str
    password: str
    display_name: str = ""


class UserOut(Schema):
    id: int
    username: str
    display_name: str


class TokenIn(Schema):
    username: str
    password: str
    name: str = "api"


class TokenOut(Schema):
    token: str


class PasswordIn(Schema):
    old_password: str
    new_password: str


class DeleteIn(Schema):
    password: str


class Detail(Schema):
    detail: str


@router.post("/register", response={201: UserOut, 429: Detail}, auth=None)
def register(request, data: RegisterIn):
    """Create an account (at most ``REGISTRATION_LIMIT`` per address and hour: 429)."""
    try:
        reserved = reserve_registration(request)
    except TooManyRegistrations as exc:
        return Status(429, {"detail": str(exc)})
    try:
        user = actions.register_person(
            username=data.username, password=data.password, display_name=data.display_name
        )
    except Exception:
        release_registration(reserved)
        raise
    return Status(201, user)


@router.post("/token", response={201: TokenOut, 401: Detail, 429: Detail}, auth=None)
def token(request, data: TokenIn):
    """Exchange a username and password for a bearer token (brute-force limited)."""
    if len(data.password) > MAX_PASSWORD:  # refused unhashed: it cannot be right
        return Status(401, {"detail": gettext("wrong username or password")})
    try:
        user = check_login(request, data.username, data.password)
    except LockedOut as exc:
        return Status(429, {"detail": str(exc)})
    if user is None:
        return Status(401, {"detail": gettext("wrong username or password")})
    return Status(201, {"token": actions.issue_token(user, person=user, name=data.name)})


@router.delete("/token", response={204: None}, auth=[TokenAuth()])
def revoke(request):
    """Revoke the bearer token of this request (log out of the API)."""
    who = person(request)
    secret = request.headers.get("Authorization", "")[7:].strip()
    actions.revoke_token(who, person=who, token=secret)
    return Status(204, None)


@router.get("/me", response=UserOut, auth=AUTH)
def me(request):
    who = person(request)
    require(who, "accounts.view_own_data", who)
    return who


@router.post("/me/password", response={204: None}, auth=AUTH)
def change_password(request, data: PasswordIn):
    who = person(request)
    actions.change_password(
        who, person=who, old_password=data.old_password, new_password=data.new_password
    )
    return Status(204, None)


@router.get("/me/export", auth=AUTH)
def export(request):
    """All data the platform holds about the caller."""
    who = person(request)
    return actions.export_data(who, person=who)


@router.post("/me/delete", response={204: None}, auth=AUTH)
def delete(request, data: DeleteIn):
    """Delete the caller's account (confirm with the password)."""
    who = person(request)
    if not who.check_password(data.password):
        raise PermissionDenied(gettext("the password is not correct"))
    actions.delete_account(who, person=who)
    return Status(204, None)
