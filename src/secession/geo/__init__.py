"""Electoral geography: load units, votes and boundaries; validate; build the unit graph."""

from secession.geo.graph import UnitGraph

__all__ = ["UnitGraph"]
