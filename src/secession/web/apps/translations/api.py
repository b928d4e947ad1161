"""Translation endpoints: list the translations of one version, add one, read one."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from secession.web.apiauth import AUTH, Id, person, reader, require
from secession.web.apps.translations.actions import add_translation
from secession.web.apps.translations.kinds import KINDS
from secession.web.apps.translations.models import Translation
from secession.web.apps.translations.present import original_of, translation_data, translations_of

router = Router(tags=["translations"])


class TranslationIn(Schema):
    language: str
    text: str


class TranslationOut(Schema):
    id: int
    kind: str
    object_id: int
    language: str
    language_name: str
    out_of_date: bool
    text: str
    translator: str | None
    created_at: str
    url: str


def _original(kind: str, object_id: int):
    text_kind = KINDS.get(kind)
    obj = text_kind.get(object_id) if text_kind else None
    if obj is None:
        raise Http404(f"no {kind} with id {object_id} (kinds: {', '.join(KINDS)})")
    return text_kind, obj


@router.get("/{kind}/{object_id}", response=list[TranslationOut], auth=None)
def of_text(request, kind: str, object_id: Id):
    """Every translation of one version (``kind``: constitution, charter or declaration;
    ``object_id``: that version's id). ``out_of_date``: a newer version replaced it."""
    text_kind, obj = _original(kind, object_id)
    require(reader(request), "translations.view_translation", obj)
    stale = text_kind.superseded(obj)
    return [translation_data(t, out_of_date=stale) for t in translations_of(text_kind, obj)]


@router.post("/{kind}/{object_id}", response={201: TranslationOut}, auth=AUTH)
def add(request, kind: str, object_id: Id, data: TranslationIn):
    """Add a translation of one version (members of the community whose text it is)."""
    text_kind, obj = _original(kind, object_id)
    t = add_translation(obj, person=person(request), language=data.language, text=data.text)
    return Status(201, translation_data(t, out_of_date=text_kind.superseded(obj)))


@router.get("/{translation_id}", response=TranslationOut, auth=None)
def one(request, translation_id: Id):
    t = get_object_or_404(Translation.objects.select_related("translator"), pk=translation_id)
    text_kind, obj = original_of(t)
    if obj is None:
        raise Http404("the original is gone")
    require(reader(request), "translations.view_translation", obj)
    return translation_data(t, out_of_date=text_kind.superseded(obj))
