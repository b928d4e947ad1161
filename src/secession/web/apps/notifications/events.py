"""Audit event names of the notifications app (stored in the log; never rename one)."""

PREFERENCES_CHANGED = "notices.preferences_changed"
UNSUBSCRIBED = "notices.unsubscribed"
