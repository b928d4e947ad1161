"""Helpers shared by the page views: permission checks and turning refusals into messages."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from secession.exceptions import SecessionError
from secession.web.errors import Refused

# What a refused person reads (the 403 page), per permission.
REFUSALS = {
    "communities.edit_community": "Only the community's office holders can edit its "
    "description (every member, in an assembly).",
    "proposals.add_proposal": "Only members of the community can make proposals: join it "
    "first (anyone can).",
    "proposals.vote": "You are not in this proposal's electorate (fixed when voting "
    "opened), or voting has closed.",
    "translations.add_translation": "Only members of the community whose text it is can "
    "add a translation (for an alliance's charter, members of its member communities).",
    "verifiable.act_as_trustee": "Only this vote's trustees, chosen by the community, post "
    "key material and decryption shares.",
}


def denied(request, perm: str, obj=None):
    """``None`` when allowed; a login redirect for anonymous people; else PermissionDenied
    with a sentence saying why (shown on the 403 page)."""
    if request.user.has_perm(perm, obj):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(REFUSALS.get(perm, f"not allowed: {perm}"))


class ActionFailed(Exception):
    """Raised inside :func:`reported` after the message has been queued."""


@contextmanager
def reported(request):
    """Run an action; its refusal (permission, validation, state) becomes a message."""
    try:
        yield
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        raise ActionFailed from exc
    except (Refused, PermissionDenied, SecessionError) as exc:
        messages.error(request, str(exc) or "not allowed")
        raise ActionFailed from exc


def post_only(page: Callable[..., str]):
    """A view that changes state answers POST only; any other method (a link followed, a
    reload) is sent to ``page(**url_kwargs)``, the page holding the form, never an empty
    405."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return redirect(page(*args, **kwargs))
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
