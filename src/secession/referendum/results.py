"""Recorded referendum results per unit (CSV) read into :class:`Counts`, joined to a unit graph.

Columns are mapped by name (``unit``, ``yes``, ``no``, ``blank``, ``abstain``, ``eligible``
by default). ``blank``, ``abstain`` and ``eligible`` are optional when left at their default
names and absent from the file; a name given explicitly must exist. Counts may carry
thousands separators (``1,234``). A non-numeric, fractional or negative count, more ballots
than eligible voters, an empty or duplicate unit id, or (when joined) a unit missing from
the graph raises :class:`DataError` naming the file and the row (data row 1 is line 2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from secession.exceptions import DataError
from secession.geo.graph import UnitGraph
from secession.geo.results import read_csv_text
from secession.referendum.tally import Counts

_NUMBER = re.compile(r"^[+-]?\d+$")
MAX_DIGITS = 15
"""Longest count accepted: far above any electorate, and well inside ``int64``."""


@dataclass(frozen=True)
class ResultColumns:
    """Column names of a results CSV; ``None`` means the default name, optional if absent."""

    unit: str | None = None
    yes: str | None = None
    no: str | None = None
    blank: str | None = None
    abstain: str | None = None
    eligible: str | None = None

    def resolve(self, path: Path, header: list[str]) -> dict[str, str | None]:
        """Map each field to a column of ``header`` (or ``None`` for an absent optional one)."""
        out: dict[str, str | None] = {}
        for name in ("unit", "yes", "no", "blank", "abstain", "eligible"):
            given = getattr(self, name)
            col = given or name
            if col in header:
                out[name] = col
            elif given is not None or name in ("unit", "yes", "no"):
                raise DataError(
                    f"{path}: no column {col!r} for {name} "
                    f"(columns: {', '.join(header)}; map it with --{name}-col)"
                )
            else:
                out[name] = None
        return out


def parse_counts(path: Path, column: str, values: pd.Series) -> np.ndarray:
    """Whole, non-negative counts from text (thousands separators allowed), or a row error."""
    text = values.str.strip().str.replace(",", "", regex=False).str.replace("_", "", regex=False)
    ok = text.str.match(_NUMBER)
    if not ok.all():
        i = int(np.flatnonzero(~ok.to_numpy())[0])
        raise DataError(
            f"{path}: row {i + 1} (line {i + 2}): column {column!r} is not a whole number: "
            f"{values.iloc[i]!r}"
        )
    big = np.flatnonzero((text.str.lstrip("+-").str.lstrip("0").str.len() > MAX_DIGITS).to_numpy())
    if big.size:
        i = int(big[0])
        raise DataError(
            f"{path}: row {i + 1} (line {i + 2}): column {column!r} is too large a count "
            f"(more than {MAX_DIGITS} digits): {values.iloc[i]!r}"
        )
    arr = text.astype(np.int64).to_numpy()
    neg = np.flatnonzero(arr < 0)
    if neg.size:
        i = int(neg[0])
        raise DataError(
            f"{path}: row {i + 1} (line {i + 2}): column {column!r} is negative: {arr[i]}"
        )
    return arr


def _read_csv(path: Path, what: str) -> pd.DataFrame:
    """All-string CSV via the project's reader (encodings, empty and binary files), with a
    "<what> file not found" message naming which input is missing."""
    if not path.is_file():
        raise DataError(f"{path}: {what} file not found")
    return read_csv_text(path)


def read_results(path: str | Path, columns: ResultColumns | None = None) -> Counts:
    """Read a per-unit results CSV into :class:`Counts` (units in file order)."""
    path = Path(path)
    columns = columns or ResultColumns()
    frame = _read_csv(path, "results")
    cols = columns.resolve(path, [str(c) for c in frame.columns])
    units = _unit_ids(path, frame[cols["unit"]])
    data: dict[str, np.ndarray | None] = {}
    for name in ("yes", "no", "blank", "abstain", "eligible"):
        col = cols[name]
        data[name] = None if col is None else parse_counts(path, col, frame[col])
    if data["eligible"] is not None:
        cast = sum(data[c] for c in ("yes", "no", "blank", "abstain") if data[c] is not None)
        over = np.flatnonzero(cast > data["eligible"])
        if over.size:
            i = int(over[0])
            raise DataError(
                f"{path}: row {i + 1} (line {i + 2}): unit {units.iloc[i]!r} has {int(cast[i])} "
                f"ballots cast but only {int(data['eligible'][i])} eligible voters"
            )
    return Counts(
        yes=data["yes"],
        no=data["no"],
        blank=data["blank"],
        abstain=data["abstain"],
        eligible=data["eligible"],
        units=tuple(units.tolist()),
    )


def _unit_ids(path: Path, values: pd.Series) -> pd.Series:
    """Stripped unit ids; an empty or duplicate id is a row error."""
    units = values.str.strip()
    empty = np.flatnonzero((units == "").to_numpy())
    if empty.size:
        i = int(empty[0])
        raise DataError(f"{path}: row {i + 1} (line {i + 2}): empty unit id")
    dup = units.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataError(f"{path}: row {i + 1} (line {i + 2}): duplicate unit {units.iloc[i]!r}")
    return units


def read_eligible(
    path: str | Path, unit_col: str | None = None, eligible_col: str | None = None
) -> dict[str, int]:
    """Eligible voters per unit from a CSV (columns ``unit``, ``eligible`` by default)."""
    path = Path(path)
    frame = _read_csv(path, "eligible-voters")
    header = [str(c) for c in frame.columns]
    ucol, ecol = unit_col or "unit", eligible_col or "eligible"
    for col, name in ((ucol, "unit"), (ecol, "eligible")):
        if col not in header:
            raise DataError(
                f"{path}: no column {col!r} for {name} "
                f"(columns: {', '.join(header)}; map it with --{name}-col)"
            )
    units = _unit_ids(path, frame[ucol])
    values = parse_counts(path, ecol, frame[ecol])
    return dict(zip(units.tolist(), values.tolist(), strict=True))


def join_to_graph(
    counts: Counts,
    graph: UnitGraph,
    *,
    source: str = "results",
    on_mismatch: str = "error",
) -> tuple[Counts, UnitGraph, list[str]]:
    """Align ``counts`` with ``graph`` (graph order), with the graph's population as weights.

    A unit in the results but not in the graph is always an error (named with its row).
    Graph units without a result: ``on_mismatch="error"`` raises, ``"drop"`` removes them
    from the graph, ``"keep"`` keeps them with zero votes. Returns the aligned counts, the
    (possibly reduced) graph and notes describing every decision taken.
    """
    index = graph.index
    rows = np.array([index.get(u, -1) for u in counts.units], dtype=np.int64)
    unknown = np.flatnonzero(rows < 0)
    if unknown.size:
        i = int(unknown[0])
        more = f" ({unknown.size} unknown units in all)" if unknown.size > 1 else ""
        raise DataError(
            f"{source}: row {i + 1} (line {i + 2}): unknown unit {counts.units[i]!r}, not in "
            f"the unit graph{more}; ids are compared as text (check leading zeros)"
        )
    notes: list[str] = []
    have = np.zeros(graph.n_units, dtype=bool)
    have[rows] = True
    missing = np.flatnonzero(~have)
    if missing.size:
        shown = ", ".join(f"{graph.ids[i]} ({graph.names[i]})" for i in missing[:10])
        more = f", ... {missing.size - 10} more" if missing.size > 10 else ""
        if on_mismatch == "error":
            raise DataError(
                f"{source}: {missing.size} unit(s) of the graph have no result: {shown}{more}. "
                "Restrict the graph (e.g. `states`) or pass `on_mismatch` drop|keep"
            )
        if on_mismatch == "drop":
            graph = graph.subgraph(have)
            notes.append(f"dropped {missing.size} graph unit(s) with no result: {shown}{more}")
            index = graph.index
            rows = np.array([index[u] for u in counts.units], dtype=np.int64)
        elif on_mismatch == "keep":
            notes.append(
                f"kept {missing.size} graph unit(s) with no result as zero votes: {shown}{more}"
            )
        else:
            raise DataError(f"on_mismatch must be error, drop or keep, got {on_mismatch!r}")
    n = graph.n_units

    def aligned(arr: np.ndarray | None) -> np.ndarray | None:
        if arr is None:
            return None
        out = np.zeros(n, dtype=np.int64)
        out[rows] = arr
        return out

    joined = Counts(
        yes=aligned(counts.yes),
        no=aligned(counts.no),
        blank=aligned(counts.blank),
        abstain=aligned(counts.abstain),
        eligible=aligned(counts.eligible),
        units=tuple(graph.ids.tolist()),
        population=graph.population,
    )
    return joined, graph, notes
