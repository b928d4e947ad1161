"""Audit event names of the verifiable ballots app (stored in the log; never rename one)."""

ENTRY_POSTED = "board.entry_posted"
SHARES_POSTED = "board.shares_posted"
