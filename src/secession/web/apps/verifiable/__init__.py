"""Verifiable secret ballots on the platform: each proposal whose rule is verifiable gets
an election whose bulletin board (``secession.ballots``' format) is kept here, one row per
entry, each entry also recorded in the audit log. The server holds only public values."""
