"""Helpers shared by the page views: permission checks and turning refusals into messages."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from secession.exceptions import SecessionError
from secession.web.analysis import analysis_message
from secession.web.errors import Refused
from secession.web.refusals import refusal


def denied(request, perm: str, obj=None):
    """``None`` when allowed; a login redirect for anonymous people; else PermissionDenied
    with a sentence saying why (shown on the 403 page)."""
    if request.user.has_perm(perm, obj):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(refusal(perm))


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
        messages.error(request, analysis_message(exc) or gettext("You may not do this."))
        raise ActionFailed from exc


ONLY_FROM_A_FORM = gettext_lazy(
    "It changes something, so it only takes the form sent from its page."
)


def post_only(page: Callable[..., str], purpose: str = ""):
    """A view that changes state answers POST only. Any other method (a link followed, a
    reload, a bookmark) changes nothing and gets the 405 page: what the address is for, in
    plain words (``purpose``, e.g. "This address records your vote on a proposal."), and a
    link to ``page(**url_kwargs)``, the page holding the form; never an empty 405."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                context = {
                    "purpose": purpose or gettext("This address is for a button on another page."),
                    "why": ONLY_FROM_A_FORM,
                    "back": page(*args, **kwargs),
                }
                response = render(request, "405.html", context, status=405)
                response["Allow"] = "POST"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
