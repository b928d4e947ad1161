"""Audit event names of the verifiable ballots app (stored in the log; never rename one)."""

ENTRY_POSTED = "board.entry_posted"
SHARES_POSTED = "board.shares_posted"

#: how the audit page describes each event (see audit.descriptions)
DESCRIPTIONS = {
    ENTRY_POSTED: "An entry was posted on the bulletin board of {target}",
    SHARES_POSTED: "A trustee posted their decryption share for {target}",
}
