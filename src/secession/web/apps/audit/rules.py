"""Audit permissions: the log is public to read; nobody may change it."""

import rules

rules.add_perm("audit.view_log", rules.always_allow)
