"""Audit event names of the notifications app (stored in the log; never rename one)."""

PREFERENCES_CHANGED = "notices.preferences_changed"
UNSUBSCRIBED = "notices.unsubscribed"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    PREFERENCES_CHANGED: "{actor} changed which emails they receive",
    UNSUBSCRIBED: "{actor} stopped all emails from the platform",
}
