"""Election results from CSV: the two US county layouts (auto-detected) or named columns.

Every table comes out in one shape (:class:`ResultsTable`): ``id`` (string, leading zeros
kept), ``name``, ``line`` (line in the file), ``leave``, ``stay``, ``other``, ``population``
(NaN when not given) and, for US county layouts, ``state`` (postal code) and ``state_name``.
Counts such as ``1,469`` parse; a non-numeric or negative count is recorded as an
:class:`~secession.geo.validate.Issue` naming file, line and column, never silently zeroed.

Example
-------
>>> parse_count("1,469")
1469.0
>>> fips5("1049")
'01049'
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from secession.exceptions import DataError, DataMissingError
from secession.geo.states import lookup, state_of_fips
from secession.geo.validate import Issue

SIDES = ("dem", "gop")

# A non-negative decimal number: plain digits or comma-grouped thousands, optional
# fraction and exponent. A leading "-" marks a negative count (reported, not parsed).
_NUMBER = (
    r"\+?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?"
    r"|\+?\.[0-9]+(?:[eE][+-]?[0-9]+)?"
)
_NUMBER_RE = re.compile(_NUMBER)
_NEGATIVE_RE = re.compile(r"-\s*(?:" + _NUMBER.replace(r"\+?", "") + ")")

# The county layouts of us-president-county (columns that identify each layout).
_LAYOUT_2016 = {"votes_dem", "votes_gop", "total_votes", "state_abbr", "county_name"}
_LAYOUT_2020 = {"state_name", "county_fips", "county_name", "votes_gop", "votes_dem"}


def parse_count(text: object) -> float:
    """Parse one vote or population count; raise ``ValueError`` saying what is wrong.

    Accepts ``"1469"``, ``"1,469"``, ``"1469.0"``, ``" 12 "``, numbers; rejects empty,
    non-numeric, negative, NaN and infinite values.
    """
    if isinstance(text, bool):
        raise ValueError("not a number")
    if isinstance(text, int | float | np.integer | np.floating):
        value = float(text)
        if not math.isfinite(value):
            raise ValueError("not a number")
        if value < 0:
            raise ValueError("negative")
        return value
    s = str(text).strip() if text is not None else ""
    if _NUMBER_RE.fullmatch(s):
        value = float(s.replace(",", ""))
        if math.isfinite(value):
            return value
        raise ValueError("not a number")
    if _NEGATIVE_RE.fullmatch(s):
        raise ValueError("negative")
    raise ValueError("empty" if not s else "not a number")


def parse_counts(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`parse_count`: ``(floats with NaN where bad, problem per row or '')``."""
    out = np.full(len(values), np.nan)
    problem = np.full(len(values), "", dtype=object)
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        arr = values.to_numpy(dtype=np.float64)
        finite = np.isfinite(arr)
        ok = finite & (arr >= 0)
        out[ok] = arr[ok]
        problem[~finite] = "not a number"
        problem[finite & (arr < 0)] = "negative"
        return out, problem
    text = values.map(lambda v: "" if v is None else str(v)).str.strip()
    good = text.str.fullmatch(_NUMBER_RE).fillna(False).to_numpy(dtype=bool)
    nums = pd.to_numeric(text[good].str.replace(",", "", regex=False), errors="coerce")
    out[good] = nums.to_numpy(dtype=np.float64)
    bad_inf = good & ~np.isfinite(out)
    out[bad_inf] = np.nan
    neg = text.str.fullmatch(_NEGATIVE_RE).fillna(False).to_numpy(dtype=bool)
    problem[~good] = "not a number"
    problem[(~good) & (text == "").to_numpy()] = "empty"
    problem[neg] = "negative"
    problem[bad_inf] = "not a number"
    return out, problem


def fips5(text: object) -> str:
    """A county FIPS code as 5 digits (``"1049"`` -> ``"01049"``; ``"1049.0"`` accepted)."""
    s = str(text).strip()
    if s.endswith(".0"):
        s = s[:-2]
    if not s.isascii() or not s.isdigit() or len(s) > 5 or int(s) == 0:
        raise ValueError(f"not a county FIPS code: {text!r}")
    return s.zfill(5)


@dataclass
class ResultsTable:
    """Results in the common shape (see module docstring) plus the problems found reading."""

    path: Path
    layout: str  # "us-county-2016" | "us-county-2020" | "columns"
    frame: pd.DataFrame
    leave_label: str = "leave"
    stay_label: str = "stay"
    issues: list[Issue] = field(default_factory=list)

    @property
    def is_us_county(self) -> bool:
        return self.layout.startswith("us-county")


def read_csv_text(path: str | Path) -> pd.DataFrame:
    """Read a CSV with every cell as a string (ids keep leading zeros); clear errors."""
    path = Path(path)
    if not path.is_file():
        raise DataMissingError(f"results file not found: {path}")
    with path.open("rb") as fh:
        if b"\x00" in fh.read(4096):
            raise DataError(f"{path}: not a text CSV file (binary content)")
    frame = None
    for encoding in ("utf-8-sig", "cp1252"):  # UTF-8 first; Windows exports as a fallback
        try:
            with warnings.catch_warnings():
                # rows longer than the header: pandas would silently take the first column
                # as the index and shift every other one
                warnings.simplefilter("error", pd.errors.ParserWarning)
                frame = pd.read_csv(
                    path,
                    dtype=str,
                    keep_default_na=False,
                    encoding=encoding,
                    skipinitialspace=True,
                    index_col=False,
                )
            break
        except pd.errors.ParserWarning:
            raise DataError(
                f"{path}: rows have more fields than the header row (a missing column name "
                "or a stray comma)"
            ) from None
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            raise DataError(
                f"{path}: the file is empty (expected a CSV with a header row)"
            ) from None
        except (pd.errors.ParserError, ValueError) as exc:
            text = str(exc).replace("\n", " ")
            raise DataError(f"{path}: not a readable CSV file ({text})") from None
    if frame is None:
        raise DataError(f"{path}: not a readable CSV file (unknown text encoding)")
    frame.columns = [str(c).strip() for c in frame.columns]
    if len(frame) == 0:
        raise DataError(f"{path}: the file has a header but no rows")
    return frame


def detect_layout(columns: list[str]) -> str | None:
    """``"us-county-2016"``, ``"us-county-2020"`` or None from a CSV header."""
    cols = set(columns)
    if cols >= _LAYOUT_2016 and "combined_fips" in cols:
        return "us-county-2016"
    if cols >= _LAYOUT_2020 and "total_votes" in cols:
        return "us-county-2020"
    return None


def read_results(
    path: str | Path,
    *,
    leave: str = "dem",
    id_col: str | None = None,
    leave_col: str | None = None,
    stay_col: str | None = None,
    population_col: str | None = None,
    name_col: str | None = None,
    other_col: str | None = None,
) -> ResultsTable:
    """Read a results CSV. Named columns win; otherwise a US county layout is detected.

    ``leave`` ("dem" or "gop") picks the leaving side for the county layouts;
    ``other_col`` names a column of votes for neither side (named-column CSVs only).
    """
    path = Path(path)
    raw = read_csv_text(path)
    if id_col or leave_col or stay_col:
        return _read_columns(
            path, raw, id_col, leave_col, stay_col, population_col, name_col, other_col
        )
    if other_col:
        raise DataError(
            f"{path}: `other_col` applies to CSVs with named columns; the US county "
            "layouts already count every other vote"
        )
    layout = detect_layout(list(raw.columns))
    if layout is None:
        raise DataError(
            f"{path}: not a known results layout (columns: {', '.join(raw.columns)}). "
            "Name the columns with `id_col`, `leave_col` and `stay_col`."
        )
    return _read_county(path, raw, layout, leave, population_col)


def _check_columns(path: Path, raw: pd.DataFrame, wanted: dict[str, str | None]) -> None:
    for option, col in wanted.items():
        if col is not None and col not in raw.columns:
            raise DataError(
                f"{path}: column {col!r} (given by {option}) not found; "
                f"columns are: {', '.join(raw.columns)}"
            )


def _counts(
    path: Path, raw: pd.DataFrame, frame: pd.DataFrame, col: str, issues: list[Issue]
) -> np.ndarray:
    values, problem = parse_counts(raw[col])
    for i in np.flatnonzero(problem != ""):
        issues.append(
            Issue(
                "bad_count",
                str(frame["id"].iat[i]),
                str(frame["name"].iat[i]),
                f"{col} = {raw[col].iat[i]!r} is {problem[i]}",
                f"{path}:{int(frame['line'].iat[i])}",
            )
        )
    return values


def _read_columns(
    path: Path,
    raw: pd.DataFrame,
    id_col: str | None,
    leave_col: str | None,
    stay_col: str | None,
    population_col: str | None,
    name_col: str | None,
    other_col: str | None = None,
) -> ResultsTable:
    missing = [
        opt
        for opt, col in (("`id_col`", id_col), ("`leave_col`", leave_col), ("`stay_col`", stay_col))
        if not col
    ]
    if missing:
        raise DataError(
            f"{path}: named-column results need {', '.join(missing)} "
            f"(columns are: {', '.join(raw.columns)})"
        )
    _check_columns(
        path,
        raw,
        {
            "`id_col`": id_col,
            "`leave_col`": leave_col,
            "`stay_col`": stay_col,
            "`population_col`": population_col,
            "`name_col`": name_col,
            "`other_col`": other_col,
        },
    )
    frame = pd.DataFrame(
        {
            "id": raw[id_col].str.strip(),
            "line": np.arange(len(raw)) + 2,
        }
    )
    frame["name"] = raw[name_col].str.strip() if name_col else frame["id"]
    issues = _id_issues(path, frame)
    frame["leave"] = _counts(path, raw, frame, leave_col, issues)
    frame["stay"] = _counts(path, raw, frame, stay_col, issues)
    frame["other"] = _counts(path, raw, frame, other_col, issues) if other_col else 0.0
    frame["population"] = (
        _counts(path, raw, frame, population_col, issues) if population_col else np.nan
    )
    frame.attrs["population_given"] = bool(population_col)
    return ResultsTable(path, "columns", frame, leave_col, stay_col, issues)


def _id_issues(path: Path, frame: pd.DataFrame) -> list[Issue]:
    return [
        Issue("bad_id", "", str(frame["name"].iat[i]), "empty id", f"{path}:{frame['line'].iat[i]}")
        for i in np.flatnonzero((frame["id"] == "").to_numpy())
    ]


def _read_county(
    path: Path, raw: pd.DataFrame, layout: str, leave: str, population_col: str | None
) -> ResultsTable:
    if leave not in SIDES:
        raise DataError(f"`leave` must be one of {', '.join(SIDES)}, not {leave!r}")
    _check_columns(path, raw, {"`population_col`": population_col})
    fips_col = "combined_fips" if layout == "us-county-2016" else "county_fips"
    issues: list[Issue] = []
    ids, states, state_names = [], [], []
    for i, value in enumerate(raw[fips_col].tolist()):
        try:
            fid = fips5(value)
        except ValueError as exc:
            issues.append(
                Issue("bad_id", "", str(raw["county_name"].iat[i]), str(exc), f"{path}:{i + 2}")
            )
            fid = ""
        ids.append(fid)
        st = state_of_fips(fid) if fid else None
        if st is None and layout == "us-county-2016":
            st = _try_state(raw["state_abbr"].iat[i])
        elif st is None:
            st = _try_state(raw["state_name"].iat[i])
        states.append(st.code if st else "")
        state_names.append(st.name if st else "")
    frame = pd.DataFrame(
        {
            "id": ids,
            "name": raw["county_name"].str.strip().to_numpy(),
            "line": np.arange(len(raw)) + 2,
            "state": states,
            "state_name": state_names,
        }
    )
    dem = _counts(path, raw, frame, "votes_dem", issues)
    gop = _counts(path, raw, frame, "votes_gop", issues)
    total = _counts(path, raw, frame, "total_votes", issues)
    other = total - dem - gop
    short = np.flatnonzero(other < -0.5)
    for i in short:
        issues.append(
            Issue(
                "bad_count",
                ids[i],
                str(frame["name"].iat[i]),
                f"total_votes {total[i]:,.0f} is less than votes_dem + votes_gop "
                f"{dem[i] + gop[i]:,.0f}",
                f"{path}:{i + 2}",
            )
        )
    other[short] = np.nan
    frame["leave"], frame["stay"] = (dem, gop) if leave == "dem" else (gop, dem)
    frame["other"] = np.clip(other, 0.0, None)
    frame["population"] = (
        _counts(path, raw, frame, population_col, issues) if population_col else np.nan
    )
    frame.attrs["population_given"] = bool(population_col)
    stay = "gop" if leave == "dem" else "dem"
    return ResultsTable(path, layout, frame, leave, stay, issues)


def _try_state(text: str):
    try:
        return lookup(text)
    except DataError:
        return None
