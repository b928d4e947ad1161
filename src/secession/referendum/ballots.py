"""Stream raw ballots (one row per ballot: unit, choice) from CSV or Parquet into :class:`Counts`.

Memory stays flat whatever the file size: the file is read in record batches with the unit
and choice columns dictionary-encoded (``pyarrow.csv.open_csv`` / ``ParquetFile.iter_batches``);
each batch's small dictionaries are mapped to global codes and counted with one
``np.bincount``. A large CSV file is cut at line breaks into one byte range per CPU, streamed
side by side and the tallies merged (integer sums, so the result does not depend on it).
A choice not on the ballot, an unknown unit (when the units are given) or an empty value
raises :class:`DataError` naming the file and the row.

Example
-------
>>> t = BallotTally()
>>> t.add(["a", "b", "a"], ["yes", "no", "Yes"])
>>> c = t.counts()
>>> c.units, c.yes.tolist(), c.no.tolist()
(('a', 'b'), [2, 0], [0, 1])
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from secession.exceptions import DataError
from secession.referendum.tally import CATEGORIES, Counts

DEFAULT_CHOICES: dict[str, str] = {"yes": "yes", "no": "no", "blank": "blank"}
BATCH_BYTES = 1 << 20
BATCH_ROWS = 1 << 20
SPLIT_MIN_BYTES = 16 << 20
_NCAT = len(CATEGORIES)


def parse_choices(spec: str | Sequence[str] | Mapping[str, str] | None) -> dict[str, str]:
    """The ballot's allowed answers as ``{label: category}`` (labels compared lower-case).

    ``"yes,no,blank"`` allows exactly those (each must be a category: yes, no, blank,
    abstain); ``"oui=yes,non=no,blanc=blank"`` maps ballot labels to categories.
    """
    if spec is None:
        return dict(DEFAULT_CHOICES)
    if isinstance(spec, Mapping):
        items = list(spec.items())
    else:
        parts = spec.split(",") if isinstance(spec, str) else list(spec)
        items = []
        for part in parts:
            label, _, cat = str(part).partition("=")
            items.append((label, cat or label))
    out: dict[str, str] = {}
    for label, cat in items:
        label_n, cat_n = str(label).strip().lower(), str(cat).strip().lower()
        if cat_n not in CATEGORIES:
            raise DataError(
                f"choices: {cat_n!r} is not a ballot category ({', '.join(CATEGORIES)}); "
                "map labels with label=category, e.g. oui=yes"
            )
        out[label_n] = cat_n
    if not out:
        raise DataError("choices: the ballot needs at least one allowed answer")
    return out


class BallotTally:
    """Accumulates ballots batch by batch; :meth:`counts` gives the integer tally.

    ``units``: the known unit ids (a ballot for any other unit is an error); when ``None``
    units are discovered and the result lists them sorted. ``source`` names the input in
    error messages; ``header_lines`` converts a data row to a file line number.
    """

    def __init__(
        self,
        units: Sequence[str] | None = None,
        choices: str | Sequence[str] | Mapping[str, str] | None = None,
        *,
        source: str = "ballots",
        header_lines: int = 0,
        row_offset: int | Callable[[], int] = 0,
    ) -> None:
        self.choices = parse_choices(choices)
        self._cat_code = {c: i for i, c in enumerate(CATEGORIES)}
        self.fixed = units is not None
        self._unit_index: dict[str, int] = {}
        if units is not None:
            for u in units:
                self._unit_index.setdefault(str(u), len(self._unit_index))
        self._counts = np.zeros(len(self._unit_index) * _NCAT, dtype=np.int64)
        self.rows = 0
        self.source = source
        self.header_lines = header_lines
        self.row_offset = row_offset

    # ------------------------------------------------------------------ internals
    def _where(self, i: int) -> str:
        offset = self.row_offset() if callable(self.row_offset) else self.row_offset
        row = offset + self.rows + i + 1
        line = f" (line {row + self.header_lines})" if self.header_lines else ""
        return f"{self.source}: row {row}{line}"

    def _unit_lut(self, values: list[Any]) -> np.ndarray:
        lut = np.empty(len(values), dtype=np.int64)
        for j, v in enumerate(values):
            key = "" if v is None else str(v).strip()
            idx = self._unit_index.get(key)
            if idx is None:
                if self.fixed or key == "":
                    idx = -1
                else:
                    idx = len(self._unit_index)
                    self._unit_index[key] = idx
            lut[j] = idx
        return lut

    def _choice_lut(self, values: list[Any]) -> np.ndarray:
        lut = np.empty(len(values), dtype=np.int64)
        for j, v in enumerate(values):
            key = "" if v is None else str(v).strip().lower()
            cat = self.choices.get(key)
            lut[j] = -1 if cat is None else self._cat_code[cat]
        return lut

    @staticmethod
    def _codes(arr: pa.Array | pa.ChunkedArray) -> tuple[list[Any], np.ndarray]:
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if not pa.types.is_dictionary(arr.type):
            arr = arr.cast(pa.string()) if not pa.types.is_string(arr.type) else arr
            arr = arr.dictionary_encode()
        dictionary = arr.dictionary.to_pylist()
        indices = arr.indices
        if indices.null_count:
            dictionary = [*dictionary, None]
            indices = indices.fill_null(len(dictionary) - 1)
        return dictionary, indices.to_numpy(zero_copy_only=False)

    def _grow(self) -> None:
        """Make room for every known unit in the flat ``units x categories`` table."""
        n = len(self._unit_index) * _NCAT
        if self._counts.shape[0] < n:
            grown = np.zeros(n, dtype=np.int64)
            grown[: self._counts.shape[0]] = self._counts
            self._counts = grown

    # ------------------------------------------------------------------ public
    def add(self, units: Any, choices: Any) -> None:
        """Count one batch (pyarrow arrays, dictionary-encoded or not, or Python lists)."""
        if not isinstance(units, (pa.Array, pa.ChunkedArray)):
            units = pa.array([None if u is None else str(u) for u in units], pa.string())
        if not isinstance(choices, (pa.Array, pa.ChunkedArray)):
            choices = pa.array([None if c is None else str(c) for c in choices], pa.string())
        if len(units) != len(choices):
            raise DataError(f"{self.source}: unit and choice columns differ in length")
        udict, ucodes = self._codes(units)
        cdict, ccodes = self._codes(choices)
        ulut = self._unit_lut(udict)
        clut = self._choice_lut(cdict)
        bad_u = np.flatnonzero(ulut < 0)
        if bad_u.size:
            first = int(np.flatnonzero(np.isin(ucodes, bad_u))[0])
            value = udict[ucodes[first]]
            what = "empty unit" if value in (None, "") else f"unknown unit {str(value)!r}"
            raise DataError(f"{self._where(first)}: {what}")
        bad_c = np.flatnonzero(clut < 0)
        if bad_c.size:
            first = int(np.flatnonzero(np.isin(ccodes, bad_c))[0])
            value = cdict[ccodes[first]]
            allowed = ", ".join(sorted(self.choices))
            raise DataError(
                f"{self._where(first)}: choice {value!r} is not on the ballot (allowed: {allowed})"
            )
        n_units = len(self._unit_index)
        self._grow()
        keys = (ulut * _NCAT)[ucodes]
        keys += clut[ccodes]
        self._counts += np.bincount(keys, minlength=n_units * _NCAT)
        self.rows += len(ucodes)

    def merge(self, other: BallotTally) -> None:
        """Add another tally (e.g. of another part of the same file) into this one."""
        n_other = len(other._unit_index)
        table = other._counts[: n_other * _NCAT].reshape(n_other, _NCAT)
        idx = np.empty(n_other, dtype=np.int64)
        for uid, j in other._unit_index.items():
            if uid not in self._unit_index:
                if self.fixed:
                    raise DataError(f"{self.source}: unknown unit {uid!r}")
                self._unit_index[uid] = len(self._unit_index)
            idx[j] = self._unit_index[uid]
        self._grow()
        self._counts.reshape(-1, _NCAT)[idx] += table
        self.rows += other.rows

    def counts(self, eligible: Mapping[str, int] | None = None) -> Counts:
        """The tally so far; units in the given order, or sorted when discovered.

        ``eligible`` maps unit id to registered voters. Every unit needs one; a unit listed
        there with no ballot is a unit where nobody voted (zero ballots, its eligible voters
        still count for a quorum), or an error when the units were given and it is not one.
        """
        if eligible is not None:
            extra = [str(u) for u in eligible if str(u) not in self._unit_index]
            if extra and self.fixed:
                raise DataError(
                    f"{self.source}: eligible voters given for unknown unit(s) "
                    f"{', '.join(map(repr, extra[:10]))}"
                    + (f" ... {len(extra) - 10} more" if len(extra) > 10 else "")
                )
            for u in extra:
                self._unit_index[u] = len(self._unit_index)
            self._grow()
        n = len(self._unit_index)
        table = self._counts[: n * _NCAT].reshape(n, _NCAT)
        ids = list(self._unit_index)
        order = np.arange(n) if self.fixed else np.argsort(np.asarray(ids, dtype=object))
        table = table[order]
        ids = [ids[i] for i in order]
        elig = None
        if eligible is not None:
            missing = [u for u in ids if u not in eligible]
            if missing:
                raise DataError(
                    f"{self.source}: no eligible count for unit(s) {', '.join(missing[:10])}"
                )
            elig = np.array([eligible[u] for u in ids], dtype=np.int64)
            over = np.flatnonzero(table.sum(axis=1) > elig)
            if over.size:
                i = int(over[0])
                raise DataError(
                    f"{self.source}: unit {ids[i]!r} has {int(table[i].sum()):,} ballots cast but "
                    f"only {int(elig[i]):,} eligible voters (in the eligible counts)"
                )
        kw = {c: table[:, i].copy() for i, c in enumerate(CATEGORIES)}
        return Counts(**kw, eligible=elig, units=tuple(ids))


def _format_of(path: Path, fmt: str | None) -> str:
    if fmt:
        fmt = fmt.lower()
        if fmt not in ("csv", "parquet"):
            raise DataError(f"{path}: unknown ballot format {fmt!r} (csv or parquet)")
        return fmt
    if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
        return "parquet"
    return "csv"


def _csv_header(path: Path) -> tuple[list[str], int]:
    """Column names of a CSV file and the byte offset where its data starts."""
    import csv as pycsv

    with open(path, "rb") as f:
        line = f.readline()
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{path}: the header is not UTF-8 text") from None
    names = next(pycsv.reader([text.rstrip("\r\n")]), [])
    if not names:
        raise DataError(f"{path}: empty ballots CSV (no header)")
    return [n.strip() for n in names], len(line)


def _csv_parts(path: Path, start: int, parts: int) -> list[tuple[int, int]]:
    """Split the data bytes into ``parts`` ranges that start and end on line breaks.

    Like Arrow's own parallel CSV reader, this assumes no line break inside a quoted value.
    """
    size = path.stat().st_size
    if parts <= 1 or size - start < SPLIT_MIN_BYTES * parts:
        return [(start, size)]
    bounds = [start]
    with open(path, "rb") as f:
        for k in range(1, parts):
            f.seek(start + (size - start) * k // parts)
            f.readline()
            pos = f.tell()
            if bounds[-1] < pos < size:
                bounds.append(pos)
    bounds.append(size)
    return list(pairwise(bounds))


def _csv_range_batches(
    path: Path, start: int, end: int, names: list[str], cols: list[str]
) -> Iterator[tuple[pa.Array, pa.Array]]:
    from pyarrow import csv

    dict_type = pa.dictionary(pa.int32(), pa.string())
    source = pa.PythonFile(_RangeFile(path, start, end), mode="r")
    try:
        reader = csv.open_csv(
            source,
            read_options=csv.ReadOptions(block_size=BATCH_BYTES, column_names=names),
            convert_options=csv.ConvertOptions(
                include_columns=cols,
                column_types=dict.fromkeys(cols, dict_type),
                strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid as exc:
        if start == end:
            return
        raise DataError(f"{path}: malformed ballots CSV ({_short(exc)})") from None
    ui, ci = reader.schema.names.index(cols[0]), reader.schema.names.index(cols[1])
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as exc:
            raise DataError(f"{path}: malformed ballots CSV ({_short(exc)})") from None
        yield batch.column(ui), batch.column(ci)


class _RangeFile(io.RawIOBase):
    """Read-only view of the bytes ``[start, end)`` of a file (no memory map, so the pages
    read do not stay in the process's resident memory)."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        super().__init__()
        self._f = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._f.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        n = self._f.readinto(view[: min(len(view), self._left)]) if self._left > 0 else 0
        self._left -= n or 0
        return n or 0

    def close(self) -> None:
        self._f.close()
        super().close()


def _lines_before(path: Path, start: int, end: int) -> int:
    """Line breaks between two byte offsets (to number rows of a later part)."""
    count, pos = 0, start
    with open(path, "rb") as f:
        f.seek(start)
        while pos < end:
            chunk = f.read(min(1 << 24, end - pos))
            if not chunk:
                break
            count += chunk.count(b"\n")
            pos += len(chunk)
    return count


def iter_ballot_batches(
    path: str | Path,
    *,
    unit_col: str = "unit",
    choice_col: str = "choice",
    fmt: str | None = None,
    batch_rows: int = BATCH_ROWS,
) -> Iterator[tuple[pa.Array, pa.Array]]:
    """Yield ``(unit, choice)`` dictionary-encoded arrays batch by batch, in file order."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: ballot file not found")
    kind = _format_of(path, fmt)
    cols = [unit_col, choice_col]
    if kind == "csv":
        names, start = _csv_header(path)
        _need_cols(path, names, cols)
        yield from _csv_range_batches(path, start, path.stat().st_size, names, cols)
    else:
        import pyarrow.dataset as ds
        import pyarrow.parquet as pq

        try:
            if path.is_dir():
                dataset = ds.dataset(path, format="parquet")
                _need_cols(path, dataset.schema.names, cols)
                batches = dataset.to_batches(columns=cols, batch_size=batch_rows, use_threads=False)
            else:
                _need_cols(path, pq.read_schema(path).names, cols)
                pf = pq.ParquetFile(
                    path, read_dictionary=cols, pre_buffer=False, buffer_size=BATCH_BYTES
                )
                batches = pf.iter_batches(batch_size=batch_rows, columns=cols)
            for batch in batches:
                yield batch.column(0), batch.column(1)
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"{path}: cannot read ballots Parquet ({_short(exc)})") from None


def _need_cols(path: Path, names: list[str], cols: list[str]) -> None:
    missing = [c for c in cols if c not in names]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(missing)} (columns: {', '.join(names)})"
        )


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300]


def _run(
    tally: BallotTally,
    batches: Iterable[tuple[pa.Array, pa.Array]],
    tick: Callable[[int], None] | None = None,
) -> BallotTally:
    for u, c in batches:
        tally.add(u, c)
        if tick is not None:
            tick(len(u))
    return tally


def tally_ballots(
    path: str | Path,
    *,
    unit_col: str = "unit",
    choice_col: str = "choice",
    choices: str | Sequence[str] | Mapping[str, str] | None = None,
    units: Sequence[str] | None = None,
    eligible: Mapping[str, int] | None = None,
    fmt: str | None = None,
    progress: bool = False,
    threads: int | None = None,
) -> Counts:
    """Tally a ballot file (CSV or Parquet file/folder), streamed in batches.

    A large CSV file is split at line breaks into ``threads`` parts (default: the CPU count,
    at most 8) streamed side by side; Parquet is read batch by batch. Rows are numbered
    from 1 (the first ballot); for CSV the line number is also given.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"{path}: ballot file not found")
    kind = _format_of(path, fmt)
    cols = [unit_col, choice_col]
    bar_ctx: Any = nullcontext(None)
    if progress:
        from rich.progress import Progress

        bar_ctx = Progress(transient=True)
    with bar_ctx as bar:
        tick = None
        if bar is not None:
            task = bar.add_task(f"tallying {path.name}", total=None)
            seen = [0]

            def tick(k: int) -> None:
                seen[0] += k
                bar.update(task, description=f"tallying {path.name}: {seen[0]:,} ballots")

        if kind == "parquet":
            tally = BallotTally(units, choices, source=str(path))
            batches = iter_ballot_batches(path, unit_col=unit_col, choice_col=choice_col, fmt=kind)
            return _run(tally, batches, tick).counts(eligible)
        names, start = _csv_header(path)
        _need_cols(path, names, cols)
        n_threads = threads or min(os.cpu_count() or 1, 8)
        parts = _csv_parts(path, start, n_threads)
        tallies = []
        for a, _ in parts:
            offset = (lambda a=a: _lines_before(path, start, a)) if a > start else 0
            tallies.append(
                BallotTally(units, choices, source=str(path), header_lines=1, row_offset=offset)
            )
        jobs = [
            (t, _csv_range_batches(path, a, b, names, cols))
            for t, (a, b) in zip(tallies, parts, strict=True)
        ]
        if len(jobs) == 1:
            _run(*jobs[0], tick)
        else:
            with ThreadPoolExecutor(len(jobs)) as pool:
                futures = [pool.submit(_run, t, batches, tick) for t, batches in jobs]
                for f in futures:  # the first part's error is reported first
                    f.result()
        total = tallies[0]
        for t in tallies[1:]:
            total.merge(t)
        return total.counts(eligible)
