"""Declarations, recognitions and the recognition rule.

A :class:`Declaration` is published once and never edited or deleted (the model and its
queryset refuse both): a later declaration of the same people *supersedes* it by pointing
at it, and the older one stays as it was. A :class:`Recognition` is dated and linked to the
vote behind it; withdrawing one closes it (``withdrawn_at``, with its own vote) and the row
stays in the history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secession.web.apps.registry.recognisers import COMMUNITY


class Immutable(Exception):
    """A published declaration is never changed."""


class DeclarationQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise Immutable("a declaration is never edited: a later declaration supersedes it")

    def delete(self):
        raise Immutable("a declaration is never deleted")

    def current(self):
        """Declarations no later one supersedes: one per declared people."""
        return self.filter(superseded_by__isnull=True)


class DeclarationKind(models.TextChoices):
    INDEPENDENCE = "independence", _("Declaration of independence")
    SOVEREIGNTY = "sovereignty", _("Declaration of sovereignty")


class Declaration(models.Model):
    """A people's declaration, as it was published (a snapshot: later changes to the
    community do not touch it)."""

    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="declarations"
    )
    kind = models.CharField(max_length=20, choices=DeclarationKind.choices)
    people_name = models.CharField(max_length=120)
    indigenous = models.BooleanField(default=False)
    title = models.CharField(max_length=200)
    text = models.TextField()
    published_at = models.DateTimeField()
    #: independence: the community or country it leaves
    separates_from = models.CharField(max_length=200, blank=True)
    #: sovereignty: the land it names, and the state that claims that land
    land = models.CharField(max_length=200, blank=True)
    claimed_by = models.CharField(max_length=200, blank=True)
    territory_geojson = models.TextField(blank=True)
    territory_crs = models.CharField(max_length=40, blank=True)
    territory_dataset = models.CharField(max_length=80, blank=True)
    territory_unit_ids = models.JSONField(default=list, blank=True)
    proposal = models.ForeignKey("proposals.Proposal", on_delete=models.PROTECT, related_name="+")
    #: the vote: counts, voters, electorate, the rule and its reasons, when it closed
    vote = models.JSONField()
    #: the audit entry that records the vote's result, and its leaf hash in the log's tree
    audit_seq = models.PositiveBigIntegerField()
    audit_leaf_hash = models.CharField(max_length=64)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        ordering = ("-published_at", "-id")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise Immutable("a declaration is never edited: a later declaration supersedes it")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Immutable("a declaration is never deleted")

    def get_absolute_url(self) -> str:
        return reverse("registry:declaration", args=[self.pk])


class Recognition(models.Model):
    """That a recogniser (a registered people, or an alliance) recognises a people. A
    people's vote is ``proposal``; another recogniser's own vote (an alliance proposal) is
    ``decision``, an id its kind links (:attr:`RecogniserKind.decision_url`)."""

    recogniser_type = models.CharField(max_length=20, default=COMMUNITY)
    recogniser_id = models.PositiveBigIntegerField()
    #: the recognising people, when the recogniser is a community (for joins and counts)
    recogniser_community = models.ForeignKey(
        "communities.Community",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognitions_given",
    )
    recogniser_name = models.CharField(max_length=200)
    recognised = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="recognitions_received"
    )
    recognised_at = models.DateTimeField()
    proposal = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.PositiveBigIntegerField(null=True, blank=True)
    audit_seq = models.PositiveBigIntegerField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_proposal = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_decision = models.PositiveBigIntegerField(null=True, blank=True)
    withdrawal_audit_seq = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ("-recognised_at", "-id")
        constraints = (
            models.UniqueConstraint(
                fields=["recogniser_type", "recogniser_id", "recognised"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_recognition",
            ),
        )
        indexes = (
            models.Index(fields=("recognised", "withdrawn_at")),
            models.Index(fields=("recogniser_type", "recogniser_id", "withdrawn_at")),
        )

    def __str__(self) -> str:
        return f"{self.recogniser_name} recognises {self.recognised}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


class RuleSetting(models.Model):
    """The recognition rule in force from ``set_at`` (the latest row applies)."""

    rule = models.JSONField()
    set_at = models.DateTimeField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-set_at", "-id")
