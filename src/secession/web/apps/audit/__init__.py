"""Append-only, hash-chained audit log of every action on the platform."""
