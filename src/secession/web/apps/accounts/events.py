"""Audit event names of the accounts app (stored in the log; never rename one)."""

from django.utils.translation import gettext_lazy as _

REGISTERED = "account.registered"
PASSWORD_CHANGED = "account.password_changed"
TOKEN_CREATED = "account.token_created"
TOKEN_REVOKED = "account.token_revoked"
DELETED = "account.deleted"
LANGUAGE_CHOSEN = "account.language_chosen"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    REGISTERED: _("{actor} joined the platform"),
    PASSWORD_CHANGED: _("{actor} changed their password"),
    TOKEN_CREATED: _("{actor} created an API token"),
    TOKEN_REVOKED: _("{actor} revoked an API token"),
    DELETED: _("{actor} deleted their account"),
    LANGUAGE_CHOSEN: _("{actor} chose the language of their pages and emails"),
}
