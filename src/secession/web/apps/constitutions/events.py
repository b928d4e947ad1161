"""Audit event names of the constitutions app (stored in the log; never rename one)."""

from django.utils.translation import gettext_lazy as _

ADOPTED = "constitution.adopted"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    ADOPTED: _("A constitution of {community} was adopted"),
}
