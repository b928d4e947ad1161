"""Every adopted version of a community's constitution (the last one is in force)."""

from __future__ import annotations

from django.db import models


class ConstitutionVersion(models.Model):
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="constitution_versions"
    )
    number = models.PositiveIntegerField()
    text = models.TextField()
    adopted_at = models.DateTimeField()
    proposal = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = (
            "community",
            "number",
        )
        constraints = (
            models.UniqueConstraint(fields=["community", "number"], name="one_version_number"),
        )

    def __str__(self) -> str:
        return f"{self.community} constitution v{self.number}"
