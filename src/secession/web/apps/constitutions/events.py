"""Audit event names of the constitutions app (stored in the log; never rename one)."""

ADOPTED = "constitution.adopted"
