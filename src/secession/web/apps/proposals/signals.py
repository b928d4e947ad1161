"""What the proposals app announces to the apps above it (sent inside the action's
transaction: a receiver that sends anything outside should use ``transaction.on_commit``)."""

from django.dispatch import Signal

#: voting opened on ``proposal`` (its electorate is fixed and stored)
proposal_opened = Signal()
#: ``proposal`` was closed and its result stored
proposal_closed = Signal()
