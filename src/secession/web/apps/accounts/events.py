"""Audit event names of the accounts app (stored in the log; never rename one)."""

REGISTERED = "account.registered"
PASSWORD_CHANGED = "account.password_changed"
TOKEN_CREATED = "account.token_created"
TOKEN_REVOKED = "account.token_revoked"
DELETED = "account.deleted"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    REGISTERED: "{actor} joined the platform",
    PASSWORD_CHANGED: "{actor} changed their password",
    TOKEN_CREATED: "{actor} created an API token",
    TOKEN_REVOKED: "{actor} revoked an API token",
    DELETED: "{actor} deleted their account",
}
