"""Audit event names of the licences app (stored in the log: never rename one)."""

from django.utils.translation import gettext_lazy as _

LICENCE_CHANGED = "licence.changed"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    LICENCE_CHANGED: _("The licence of what {community} publishes was changed"),
}
