"""An election (one per verifiable proposal) and its bulletin board, entry by entry.

The board's entries are exactly those of :mod:`secession.ballots.board` (``data`` is the
entry's JSON); ``position`` is its place on the board. A ballot's or audited ballot's
``tracker`` and ``ballot_id`` are each unique per election, so a ballot cannot be posted
twice, nor an audited ballot cast, nor two ballots share an id. Sealed shares between
trustees are kept beside the board: they are encrypted to their recipients and are not
part of the public record.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class Election(models.Model):
    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="election"
    )
    #: person ids of the trustees, in trustee order (trustee 1 first)
    trustees = models.JSONField()
    #: the next free board position (entries are posted under a lock of this row)
    length = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"election of proposal {self.proposal_id}"

    def get_absolute_url(self) -> str:
        return reverse("verifiable:election", args=[self.proposal_id])


class Entry(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="entries")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    tracker = models.CharField(max_length=64, null=True, blank=True)
    ballot_id = models.CharField(max_length=32, null=True, blank=True)
    data = models.JSONField()
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("position",)
        constraints = (
            models.UniqueConstraint(fields=["election", "position"], name="board_position_once"),
            models.UniqueConstraint(
                fields=["election", "tracker"],
                condition=models.Q(tracker__isnull=False),
                name="board_tracker_once",
            ),
            models.UniqueConstraint(
                fields=["election", "ballot_id"],
                condition=models.Q(ballot_id__isnull=False),
                name="board_ballot_id_once",
            ),
        )
        indexes = (models.Index(fields=("election", "kind", "position")),)


class SealedShares(models.Model):
    """One trustee's shares for the others, each sealed to its recipient's box key."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="shares")
    trustee = models.PositiveSmallIntegerField()
    data = models.JSONField()

    class Meta:
        ordering = ("trustee",)
        constraints = (models.UniqueConstraint(fields=["election", "trustee"], name="shares_once"),)
