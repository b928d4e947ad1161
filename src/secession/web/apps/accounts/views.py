"""Account pages: register, log in/out, account, password, export, delete, API token."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import i18n

from secession.web.apps.accounts import actions, todo
from secession.web.apps.accounts.forms import DeleteForm, LoginForm, PasswordForm, RegisterForm
from secession.web.apps.accounts.sections import sections
from secession.web.apps.accounts.throttle import (
    LockedOut,
    TooManyRegistrations,
    check_login,
    release_registration,
    reserve_registration,
)
from secession.web.pages import ActionFailed, denied, post_only, reported


def register(request):
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            reserved = reserve_registration(request)
        except TooManyRegistrations as exc:
            form.add_error(None, f"{str(exc)[0].upper()}{str(exc)[1:]}.")
            status = 429
        else:
            try:
                user = actions.register_person(
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password"],
                    display_name=form.cleaned_data["display_name"],
                )
            except ValidationError as exc:
                release_registration(reserved)
                field = "password" if _about_password(exc) else None
                form.add_error(field, exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                actions.choose_language(person=user, language=current_language())
                messages.success(request, _("Welcome, {name}.").format(name=user.username))
                return redirect("home")
    return render(
        request,
        "form.html",
        {"form": form, "heading": _("Register"), "submit": _("Register")},
        status=status,
    )


def current_language() -> str:
    """The language this request is shown in, as one of ``LANGUAGES``."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _in_own_language(response, user):
    """After logging in: the pages in the language the person chose before, if any."""
    if user.language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def set_language(request):
    """The header's switcher: Django's ``set_language`` (cookie, then back to the page),
    and for a person logged in, their choice kept for their emails."""
    response = i18n.set_language(request)
    code = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and code in dict(settings.LANGUAGES)
    ):
        actions.choose_language(person=request.user, language=code)
    return response


def _about_password(exc: ValidationError) -> bool:
    """Whether a refusal concerns the password (shown at that field)."""
    if hasattr(exc, "error_dict"):  # the model's field checks: add_error places them
        return False
    return any(str(e.code or "").startswith("password") for e in exc.error_list)


def login_view(request):
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = check_login(
                request, form.cleaned_data["username"], form.cleaned_data["password"]
            )
        except LockedOut as exc:
            form.add_error(None, str(exc))
            status = 429
        else:
            if user is None:
                form.add_error(None, _("Wrong username or password."))
            else:
                login(request, user)
                target = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                    target = "/"
                return _in_own_language(redirect(target), user)
    return render(
        request,
        "form.html",
        {"form": form, "heading": _("Log in"), "submit": _("Log in")},
        status=status,
    )


@post_only(
    lambda: reverse("home"),
    gettext_lazy("This address logs you out (the Log out button at the top)."),
)
def logout_view(request):
    logout(request)
    return redirect("home")


@login_required
def account(request):
    token = None
    if request.method == "POST" and "new_token" in request.POST:
        token = actions.issue_token(request.user, person=request.user, name="web")
    return render(
        request,
        "accounts/account.html",
        {
            "token": token,
            "delete_form": DeleteForm(),
            "memberships": request.user.memberships.select_related("community"),
            "sections": sections(request),
        },
    )


@login_required
def password(request):
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with reported(request):
                actions.change_password(
                    request.user,
                    person=request.user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password"],
                )
        except ActionFailed:
            pass
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Password changed."))
            return redirect("accounts:account")
    return render(
        request, "form.html", {"form": form, "heading": _("Change password"), "submit": _("Change")}
    )


@login_required
def export(request):
    if (response := denied(request, "accounts.view_own_data", request.user)) is not None:
        return response
    data = actions.export_data(request.user, person=request.user)
    body = json.dumps(data, indent=2, ensure_ascii=False)
    reply = HttpResponse(body, content_type="application/json")
    reply["Content-Disposition"] = f'attachment; filename="secession-{request.user.username}.json"'
    return reply


@login_required
@post_only(lambda: reverse("accounts:account"), gettext_lazy("This address deletes your account."))
def delete(request):
    form = DeleteForm(request.POST)
    if not form.is_valid() or not request.user.check_password(form.cleaned_data["password"]):
        messages.error(request, _("The password is not correct; the account was not deleted."))
        return redirect("accounts:account")
    user = request.user
    actions.delete_account(user, person=user)
    logout(request)
    messages.success(request, _("Your account was deleted. Your audit entries remain, anonymised."))
    return redirect("home")


TODO_PAGE_SIZE = 25


@login_required
def votes(request):
    """Every vote the person can still cast, and the results of those they took part in
    (each list paginated; counted and sliced in SQL by the registered sources)."""
    waiting = Paginator(todo.Merged(request.user), TODO_PAGE_SIZE).get_page(request.GET.get("page"))
    results = Paginator(todo.Merged(request.user, results=True), TODO_PAGE_SIZE).get_page(
        request.GET.get("results")
    )
    return render(request, "accounts/votes.html", {"waiting": waiting, "results": results})
