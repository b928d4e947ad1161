"""Refusals that are not about permission: the state does not allow the action."""

from __future__ import annotations


class Refused(Exception):
    """The action is not possible now (already voted, voting closed, ...). HTTP 409."""

    status = 409


class AlreadyVoted(Refused):
    pass


class VotingClosed(Refused):
    pass
