"""Audit event names of the audit app itself (stored in the log; never rename one)."""

from django.utils.translation import gettext_lazy as _

MIGRATED = "audit.migrated"  # the hash chain became a Merkle tree (data migration 0003)

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    MIGRATED: _("The log became a Merkle tree (the entries before it were carried over)"),
}
