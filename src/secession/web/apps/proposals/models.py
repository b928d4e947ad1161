"""Proposals and votes.

Who voted (:class:`Ballot`, one per member and proposal, enforced by a unique constraint)
is kept apart from what secret voters chose (:class:`SecretBallotPaper`): papers are
created, shuffled, with random UUID keys when voting opens, carry no person and no time,
and a voter fills a random blank one, so nothing links a paper to a person or to a moment.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secession.web.apps.proposals import kinds


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")


class VotingRule(models.Model):
    """The rule a community applies to one kind of proposal (changeable by a proposal).

    ``rule`` holds :meth:`secession.referendum.rules.Rule.to_dict`; the window and secrecy
    are the platform's own parts of the rule.
    """

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="voting_rules"
    )
    kind = models.CharField(max_length=40)  # a registered kind (proposals.kinds)
    rule = models.JSONField()
    window_minutes = models.PositiveIntegerField(default=7 * 24 * 60)
    secret = models.BooleanField(default=False)
    #: verifiable secret ballot (encrypted in the browser; ``trustee_threshold`` of the
    #: ``trustees``, a list of person ids chosen by the community, decrypt the total)
    verifiable = models.BooleanField(default=False)
    trustees = models.JSONField(default=list, blank=True)
    trustee_threshold = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("kind",)
        constraints = (
            models.UniqueConstraint(fields=["community", "kind"], name="one_rule_per_kind"),
        )

    def __str__(self) -> str:
        return f"{self.community}: {self.kind}"

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)


class Status(models.TextChoices):
    OPEN = "open", "Voting open"
    COUNTING = "counting", "Counting: waiting for the trustees"
    CLOSED = "closed", "Closed"


class Proposal(models.Model):
    """A proposal; its rule, secrecy and electorate are fixed when voting opens.

    The counts are kept in the row by the actions that change them (under its lock):
    ``eligible_count`` and ``electorate_digest`` at opening, ``voted_count`` and, for public
    ballots only, the running yes/no/abstain counts with every vote. Closing recounts in
    SQL and stores the result. No page or vote counts a million rows.
    """

    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=40)  # a registered kind (proposals.kinds)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    rule = models.JSONField()
    secret = models.BooleanField(default=False)
    verifiable = models.BooleanField(default=False)
    electorate = models.CharField(max_length=20, default="members")
    eligible_count = models.PositiveIntegerField(default=0)
    electorate_digest = models.CharField(max_length=64, blank=True)
    voted_count = models.PositiveIntegerField(default=0)
    yes_count = models.PositiveIntegerField(default=0)
    no_count = models.PositiveIntegerField(default=0)
    abstain_count = models.PositiveIntegerField(default=0)
    opened_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = (
            "-opened_at",
            "-id",
        )
        indexes = (models.Index(fields=("status", "closes_at")),)

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("proposals:detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)


class Eligibility(models.Model):
    """The electorate of a proposal, fixed when voting opens.

    Written only by one ``INSERT ... SELECT`` from the community's memberships (whose
    keys the database checks), so these rows carry no database-level foreign keys: a
    check per row doubled the cost of opening a vote of a million members (measured in
    ``benchmarks/bench_platform.py``). Deleting a proposal or a person still cascades or
    clears them through Django; the unique pair is the proposal's index."""

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="eligible",
        db_constraint=False,
        db_index=False,  # the unique (proposal, person) index serves it
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["proposal", "person"], name="eligible_once"),
        )


class Ballot(models.Model):
    """That a person voted (and, for public votes only, their choice). One per person."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ballots",
    )
    voted_at = models.DateTimeField()
    choice = models.CharField(max_length=10, choices=Choice.choices, blank=True)

    class Meta:
        ordering = (
            "voted_at",
            "id",
        )
        constraints = (
            models.UniqueConstraint(fields=["proposal", "voter"], name="one_member_one_vote"),
        )


class SecretBallotPaper(models.Model):
    """An anonymous paper of a secret vote: no person, no time, a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # made in bulk by SQL (proposals.bulk): no per-row database check, the index below
    # (proposal, choice, id) serves the proposal's lookups
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="papers",
        db_constraint=False,
        db_index=False,
    )
    choice = models.CharField(max_length=10, choices=Choice.choices, blank=True)

    class Meta:
        ordering = ("id",)
        # a random blank paper is found by key in the index, not by scanning the papers
        indexes = (models.Index(fields=["proposal", "choice", "id"], name="paper_by_choice"),)
