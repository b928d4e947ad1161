"""A translation of one exact version of a text people wrote; the original stays the voted
text, and the translation stays linked to the version it translates."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Translation(models.Model):
    #: what is translated: a kind of text (``translations.kinds``) and its version's id
    kind = models.CharField(max_length=20)
    object_id = models.PositiveBigIntegerField()
    #: a BCP 47 language tag, e.g. ``es`` or ``pt-BR``
    language = models.CharField(max_length=35)
    text = models.TextField()
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("kind", "object_id", "language", "id")
        indexes = (models.Index(fields=["kind", "object_id"], name="translation_of"),)

    def __str__(self) -> str:
        return f"{self.language} translation of {self.kind} {self.object_id}"
