"""Constitutions: versioned texts written by members, amended by whole new texts."""
