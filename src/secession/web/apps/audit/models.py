"""The audit log: one row per action, the leaves of a Merkle tree (RFC 9162).

Rows keep the actor as a plain number (no foreign key), so deleting an account neither
deletes nor edits its entries: they stay, attributed to a removed account.

``AuditHead`` (one row, locked while appending) keeps the tree's size, root and frontier
(the roots of the perfect subtrees covering the leaves), so an append costs O(log n);
``AuditNode`` keeps the perfect subtrees whose level is a multiple of
:data:`NODE_STRIDE`, from which any proof is computed in O(log n) reads.
"""

from __future__ import annotations

from django.db import models

NODE_STRIDE = 4  # keep subtrees of 16, 256, 4096, ... leaves (about n/15 rows)


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an audit row."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("the audit log is append-only: rows cannot be updated")

    def delete(self):
        raise AppendOnlyError("the audit log is append-only: rows cannot be deleted")


class AppendOnly(models.Model):
    objects = AuditQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("the audit log is append-only: rows cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("the audit log is append-only: rows cannot be deleted")


class AuditEntry(AppendOnly):
    """One action: leaf ``seq - 1`` of the tree; ``leaf_hash`` = SHA-256(0x00 || leaf),
    the leaf being the entry's canonical JSON (:func:`audit.leaf.leaf_bytes`).

    ``salt`` (private entries only) is random text inside the leaf, so publishing the
    leaf hash of a private entry does not let anyone guess its content."""

    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=64)
    community_id = models.BigIntegerField(null=True, blank=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.TextField(default="{}")
    salt = models.CharField(max_length=32, blank=True, default="")
    leaf_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ("seq",)
        verbose_name_plural = "audit entries"
        indexes = (models.Index(fields=("community_id", "seq"), name="audit_community_seq"),)

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"


class AuditNode(AppendOnly):
    """The hash of the perfect subtree of ``2**level`` leaves starting at leaf
    ``index * 2**level`` (levels that are multiples of :data:`NODE_STRIDE` only)."""

    level = models.PositiveSmallIntegerField()
    index = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = (models.UniqueConstraint(fields=("level", "index"), name="audit_node_once"),)


class AuditHead(models.Model):
    """The single row holding the tree's size, root and frontier; locked while appending."""

    size = models.PositiveBigIntegerField(default=0)
    root = models.CharField(max_length=64, default="")
    frontier = models.TextField(blank=True, default="")
