"""Audit event names of the constitutions app (stored in the log; never rename one)."""

ADOPTED = "constitution.adopted"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    ADOPTED: "A constitution of {community} was adopted",
}
