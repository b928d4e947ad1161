"""Audit event names of the translations app (stored in the log; never rename one)."""

from django.utils.translation import gettext_lazy as _

ADDED = "translation.added"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    ADDED: _("A translation was added"),
}
