"""The licence each community chose for its public data, with its whole history."""

from __future__ import annotations

from django.db import models


class LicenceChoice(models.Model):
    """From ``chosen_at`` on, the community's data is under ``licence`` (an SPDX id).

    The latest row is in force; a community without one is under the default (CC0)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="licence_choices"
    )
    licence = models.CharField(max_length=20)
    chosen_at = models.DateTimeField()
    proposal = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("community", "chosen_at", "id")

    def __str__(self) -> str:
        return f"{self.community}: {self.licence}"
