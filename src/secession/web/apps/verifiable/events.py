"""Audit event names of the verifiable ballots app (stored in the log; never rename one)."""

from django.utils.translation import gettext_lazy as _

ENTRY_POSTED = "board.entry_posted"
SHARES_POSTED = "board.shares_posted"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    ENTRY_POSTED: _("An entry was posted on the bulletin board of {target}"),
    SHARES_POSTED: _("A trustee posted their decryption share for {target}"),
}
