"""Proposals, voting rules per kind, eligibility snapshots, public and secret ballots."""
