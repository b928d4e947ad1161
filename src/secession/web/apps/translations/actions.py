"""Adding a translation (the one state change of this app)."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from secession.web.apps.audit.log import record
from secession.web.apps.translations import events
from secession.web.apps.translations.kinds import kind_of
from secession.web.apps.translations.languages import normalize_language
from secession.web.apps.translations.models import Translation

if TYPE_CHECKING:
    from secession.web.apps.accounts.models import User

MAX_TEXT = 200_000


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_text(text: str) -> str:
    """One newline style, no trailing blank lines, a final newline (as the originals)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip() + "\n"


def add_translation(original: Model, *, person: User, language: str, text: str) -> Translation:
    """Add ``person``'s translation of ``original`` (one exact version) into ``language``."""
    kind = kind_of(original)
    if kind is None:
        raise ValidationError(_("this text cannot be translated"))
    if not person.has_perm("translations.add_translation", original):
        raise PermissionDenied(
            _(
                "only members of the community whose text it is can add a translation "
                "(for an alliance's charter, members of its member communities)"
            )
        )
    language = normalize_language(language)
    if not (text or "").strip():
        raise ValidationError(_("the translation is empty"))
    if len(text) > MAX_TEXT:
        raise ValidationError(
            _("the translation is longer than {n} characters").format(n=f"{MAX_TEXT:,}")
        )
    text = normalize_text(text)
    with transaction.atomic():
        t = Translation.objects.create(
            kind=kind.name,
            object_id=original.pk,
            language=language,
            text=text,
            translator=person,
            created_at=timezone.now(),
        )
        record(
            events.ADDED,
            actor=person,
            community=kind.community(original),
            target=t,
            data={
                "kind": kind.name,
                "object_id": original.pk,
                "language": language,
                "text_sha256": text_sha256(text),
            },
        )
    return t
