"""What the accounts app announces to the apps above it (sent inside the transaction)."""

from django.dispatch import Signal

#: an account is about to be deleted: ``person``. Receivers end what the person holds
#: (memberships, ...) with their own actions, which write their own audit rows.
account_deleting = Signal()
