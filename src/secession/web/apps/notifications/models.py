"""Which email notices a person wants, and the reminders already sent (sent once)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Preference(models.Model):
    """A person's choice of notices; no row means all three (the default)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference"
    )
    on_open = models.BooleanField(_("When a vote opens to me"), default=True)
    on_reminder = models.BooleanField(_("A day before a vote I have not cast closes"), default=True)
    on_result = models.BooleanField(
        _("When the result of a vote I could cast is out"), default=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"notices for {self.person}"


class Reminder(models.Model):
    """That the day-before reminder of ``proposal`` went to ``person`` (never twice)."""

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="reminders"
    )
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["proposal", "person"], name="one_reminder_each"),
        )
