"""Audit event names of the audit app itself (stored in the log; never rename one)."""

MIGRATED = "audit.migrated"  # the hash chain became a Merkle tree (data migration 0003)
