"""Audit event names of the accounts app (stored in the log; never rename one)."""

REGISTERED = "account.registered"
PASSWORD_CHANGED = "account.password_changed"
TOKEN_CREATED = "account.token_created"
TOKEN_REVOKED = "account.token_revoked"
DELETED = "account.deleted"
