"""Electoral geography: load units, votes and boundaries; validate; build the unit graph.

>>> from secession.geo import load_graph  # doctest: +SKIP
>>> result = load_graph(year=2020, states=["OR"])  # doctest: +SKIP
>>> result.graph.n_units, result.report.ok  # doctest: +SKIP
"""

from secession.geo.graph import UnitGraph
from secession.geo.load import LoadResult, load_graph

__all__ = ["LoadResult", "UnitGraph", "load_graph"]
