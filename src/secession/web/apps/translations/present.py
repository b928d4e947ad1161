"""What pages and the API say about translations: the list for one version, and one."""

from __future__ import annotations

from django.db.models import Model
from django.urls import reverse

from secession.web.apps.translations.kinds import KINDS, TextKind
from secession.web.apps.translations.languages import language_name
from secession.web.apps.translations.models import Translation

#: a page lists at most this many translations of one version (a version has few)
LIST_LIMIT = 200


def translations_of(kind: TextKind, obj: Model):
    return Translation.objects.filter(kind=kind.name, object_id=obj.pk).select_related(
        "translator"
    )[:LIST_LIMIT]


def translation_data(t: Translation, *, out_of_date: bool) -> dict:
    return {
        "id": t.pk,
        "kind": t.kind,
        "object_id": t.object_id,
        "language": t.language,
        "language_name": language_name(t.language),
        "out_of_date": out_of_date,
        "text": t.text,
        "translator": t.translator.username if t.translator else None,
        "created_at": t.created_at.isoformat(),
        "url": reverse("translations:detail", args=[t.pk]),
    }


def original_of(t: Translation) -> tuple[TextKind, Model | None]:
    kind = KINDS[t.kind]
    return kind, kind.get(t.object_id)
