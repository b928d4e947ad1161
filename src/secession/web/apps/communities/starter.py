"""The starter constitution offered when a community is founded."""

STARTER_CONSTITUTION = """\
Constitution of {name}

1. Membership. Anyone may join {name}. Any member may leave at any time, and nothing may
   prevent a member from leaving.
2. Equality. Every member has one vote. Votes are cast freely, and secret where the rule
   for a kind of decision says so.
3. Decisions. Members decide by proposals. Each kind of proposal follows a published rule
   (threshold, quorum, voting window) that the members may change by a proposal.
4. Government. {name} governs itself as {governance}. The members may change this by a
   proposal.
5. This constitution. This text may be amended or replaced by a proposal adopted by two
   thirds of the votes cast, unless a later version sets another rule.
"""
