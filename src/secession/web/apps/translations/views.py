"""Translation pages: the translations of one version with a form to add one, and one
translation beside its original."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from secession.web.apps.translations.actions import add_translation
from secession.web.apps.translations.forms import TranslationForm
from secession.web.apps.translations.kinds import KINDS, TextKind, kind_of
from secession.web.apps.translations.languages import language_name, site_languages
from secession.web.apps.translations.models import Translation
from secession.web.apps.translations.present import original_of, translations_of
from secession.web.pages import denied


def _rows(kind: TextKind, obj) -> list[dict]:
    out_of_date = kind.superseded(obj)
    return [
        {"t": t, "name": language_name(t.language), "out_of_date": out_of_date}
        for t in translations_of(kind, obj)
    ]


def panel(request, obj) -> str:
    """The list shown under an original on its own page."""
    kind = kind_of(obj)
    return render_to_string(
        "translations/panel.html",
        {
            "kind": kind,
            "obj": obj,
            "rows": _rows(kind, obj),
            "can_add": request.user.has_perm("translations.add_translation", obj),
        },
        request=request,
    )


def _original(kind_name: str, object_id: int):
    kind = KINDS.get(kind_name)
    obj = kind.get(object_id) if kind else None
    if obj is None:
        raise Http404("no such text")
    return kind, obj


def of_text(request, kind: str, object_id: int):
    """Every translation of one version, and the form to add one (GET shows, POST adds)."""
    text_kind, obj = _original(kind, object_id)
    if (response := denied(request, "translations.view_translation", obj)) is not None:
        return response
    can_add = request.user.has_perm("translations.add_translation", obj)
    form = TranslationForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if (response := denied(request, "translations.add_translation", obj)) is not None:
            return response
        if form.is_valid():
            try:
                t = add_translation(
                    obj,
                    person=request.user,
                    language=form.cleaned_data["language"],
                    text=form.cleaned_data["text"],
                )
            except ValidationError as exc:
                form.add_error("language" if "language" in str(exc) else "text", exc)
            else:
                messages.success(request, _("Translation added."))
                return redirect("translations:detail", t.pk)
    return render(
        request,
        "translations/of_text.html",
        {
            "kind": text_kind,
            "obj": obj,
            "title": text_kind.title(obj),
            "original_url": text_kind.url(obj),
            "rows": _rows(text_kind, obj),
            "form": form,
            "languages": site_languages(),
            "languages_text": ", ".join(f"{name} ({code})" for code, name in site_languages()),
        },
    )


def detail(request, pk: int):
    """One translation beside the original it translates (the original first)."""
    t = get_object_or_404(Translation.objects.select_related("translator"), pk=pk)
    kind, obj = original_of(t)
    if obj is None:
        raise Http404("the original is gone")
    if (response := denied(request, "translations.view_translation", obj)) is not None:
        return response
    return render(
        request,
        "translations/detail.html",
        {
            "t": t,
            "name": language_name(t.language),
            "kind": kind,
            "obj": obj,
            "title": kind.title(obj),
            "original_url": kind.url(obj),
            "out_of_date": kind.superseded(obj),
        },
    )
