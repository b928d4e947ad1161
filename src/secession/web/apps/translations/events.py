"""Audit event names of the translations app (stored in the log; never rename one)."""

ADDED = "translation.added"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    ADDED: "A translation was added",
}
