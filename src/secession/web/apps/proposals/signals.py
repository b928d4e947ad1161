"""What the proposals app announces to the apps above it (connected in their ``ready()``),
sent inside the action's transaction: a receiver that sends anything outside (email)
should use ``transaction.on_commit``.

- ``proposal_opened(proposal, rule)``: voting opened; its electorate is fixed and stored
  (a verifiable vote's election is set up then).
- ``proposal_counting(proposal)``: a verifiable vote closed to ballots; it is decided later
  by :func:`secession.web.apps.proposals.actions.finish_counting` once the trustees have
  decrypted the total.
- ``proposal_closed(proposal)``: the proposal is decided and its result stored.
"""

from __future__ import annotations

from django.dispatch import Signal

proposal_opened = Signal()
proposal_counting = Signal()
proposal_closed = Signal()
