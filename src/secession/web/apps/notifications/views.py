"""Notice pages: choose notices (from the account page), stop them all from an email."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from secession.web.apps.accounts.views import account, current_language
from secession.web.apps.notifications import actions
from secession.web.apps.notifications.tokens import person_id
from secession.web.apps.notifications.wiring import preferences_form
from secession.web.pages import denied, post_only


@post_only(
    lambda: reverse("accounts:account"), gettext_lazy("This address saves which emails you get.")
)
def preferences(request):
    if (response := denied(request, "notifications.change_preferences")) is not None:
        return response
    form = preferences_form(request.user, request.POST)
    if form.is_valid():
        try:
            actions.set_preferences(
                person=request.user, language=current_language(), **form.cleaned_data
            )
        except ValidationError as exc:  # no address for the notices chosen: at its field
            form.add_error("email", exc.messages)
        else:
            messages.success(request, gettext("Your choice of email notices is saved."))
            return redirect("accounts:account")
    # the account page again, the errors at their fields (the section reads the form)
    request.notice_form = form
    response = account(request)
    response.status_code = 400
    return response


def unsubscribe(request, token):
    """One link in every email: a page with one button (a GET changes nothing, so a mail
    scanner following links does not unsubscribe anyone); no login needed."""
    pk = person_id(token)
    person = get_user_model().objects.filter(pk=pk, is_active=True).first() if pk else None
    if person is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        actions.unsubscribe(person=person)
        done = True
    return render(request, "notifications/unsubscribe.html", {"done": done, "person": person})
