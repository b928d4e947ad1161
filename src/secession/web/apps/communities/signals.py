"""What the communities app announces to the apps above it (sent inside the action's
transaction, so a receiver's writes commit or roll back with the action)."""

from django.dispatch import Signal

#: a community was founded: ``community``, ``person`` (the founder), ``constitution_text``
community_founded = Signal()
#: a community's independence declaration took effect: ``community``, ``proposal`` (the
#: passed proposal, or None), ``parent`` (the community it left, or None), ``from_name``
independence_declared = Signal()
