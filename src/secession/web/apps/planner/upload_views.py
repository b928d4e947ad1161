"""Pages for uploaded datasets: upload the files, choose their columns, delete."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from secession.web.apps.planner import upload_actions
from secession.web.apps.planner.forms import ColumnsForm, UploadForm
from secession.web.apps.planner.models import DataUpload
from secession.web.pages import post_only


def _mine(request, pk) -> DataUpload:
    """The upload, if it is the reader's (else 404: another's upload is not named)."""
    upload = get_object_or_404(DataUpload, pk=pk)
    if not request.user.has_perm("planner.use_upload", upload):
        raise Http404(_("no such dataset"))
    return upload


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(None if field == "__all__" else field, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def upload_list(request):
    """The reader's datasets, and the form that uploads one (step 1)."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = upload_actions.create_upload(
                person=request.user, title=form.cleaned_data["title"], files=form.files_by_role()
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect("planner:upload", pk=upload.pk)
    mine = Paginator(DataUpload.objects.filter(owner=request.user), 25)
    return render(
        request,
        "planner/uploads.html",
        {
            "form": form,
            "uploads": mine.get_page(request.GET.get("page")),
            "max_mb": f"{settings.PLANNER_UPLOAD_MAX_BYTES / 2**20:g} MB",
        },
        status=400 if form.errors else 200,
    )


@login_required
def upload_detail(request, pk):
    """Step 2: choose the columns; the loaders read the files and say what is wrong."""
    upload = _mine(request, pk)
    initial = upload.columns or None
    form = ColumnsForm(request.POST or None, header=upload.header, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            upload_actions.choose_columns(upload, person=request.user, columns=form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "{title}: {n} unit read. You can plan with it now.",
                    "{title}: {n} units read. You can plan with it now.",
                    upload.n_units,
                ).format(title=upload.title, n=upload.n_units),
            )
            return redirect("planner:upload", pk=upload.pk)
    return render(
        request,
        "planner/upload.html",
        {"upload": upload, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@post_only(
    lambda pk: reverse("planner:upload", args=[pk]),
    gettext_lazy("This address deletes an uploaded dataset."),
)
def upload_delete(request, pk):
    upload = _mine(request, pk)
    upload_actions.delete_upload(upload, person=request.user)
    messages.success(request, _("Dataset deleted."))
    return redirect("planner:uploads")
