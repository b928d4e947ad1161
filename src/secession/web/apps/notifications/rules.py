"""Notification permissions: each person sets only their own choices (views name this)."""

from __future__ import annotations

import rules

rules.add_perm("notifications.change_preferences", rules.is_authenticated)
