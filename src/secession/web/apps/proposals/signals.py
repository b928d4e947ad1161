"""Signals the proposals app sends for the apps above it (connected in their ``ready()``).

- ``proposal_opened(proposal, rule)``: sent inside the opening transaction (a verifiable
  vote's election is set up then).
- ``proposal_counting(proposal)``: sent inside the closing transaction of a verifiable
  vote, which is decided later by :func:`secession.web.apps.proposals.actions.finish_counting`
  once the trustees have decrypted the total.
"""

from __future__ import annotations

from django.dispatch import Signal

proposal_opened = Signal()
proposal_counting = Signal()
