"""The ``secession`` web platform: self-governing communities, proposals, votes, audit log.

A Django project (``config/``) with one app per concept under ``apps/``. Needs the ``web``
extra; the analysis packages never import it.
"""
