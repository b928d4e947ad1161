"""Static snapshots, checked on their own: no database, no Django, no network.

:func:`secession.snapshot.verify.verify_snapshot` checks a folder written by
``secession publish``; :mod:`secession.snapshot.replay` holds the replays of its facts.
"""
