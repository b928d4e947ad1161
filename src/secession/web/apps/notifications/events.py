"""Audit event names of the notifications app (stored in the log; never rename one)."""

from django.utils.translation import gettext_lazy as _

PREFERENCES_CHANGED = "notices.preferences_changed"
UNSUBSCRIBED = "notices.unsubscribed"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    PREFERENCES_CHANGED: _("{actor} changed which emails they receive"),
    UNSUBSCRIBED: _("{actor} stopped all emails from the platform"),
}
