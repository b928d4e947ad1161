"""Audit event names of the licences app (stored in the log: never rename one)."""

LICENCE_CHANGED = "licence.changed"
