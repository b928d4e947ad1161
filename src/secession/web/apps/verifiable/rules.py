"""Permissions of verifiable ballots, declared once; views and the API only name them.

The board is public. Only a proposal's trustees post key material and decryption shares;
only its electorate casts or audits ballots (the proposals app's own vote permission)."""

from __future__ import annotations

import rules


@rules.predicate
def is_trustee(user, election) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and election is not None
        and user.pk in election.trustees
    )


@rules.predicate
def may_vote(user, election) -> bool:
    return election is not None and user.has_perm("proposals.vote", election.proposal)


rules.add_perm("verifiable.view_election", rules.always_allow)
rules.add_perm("verifiable.act_as_trustee", rules.is_authenticated & is_trustee)
rules.add_perm("verifiable.vote", rules.is_authenticated & may_vote)
