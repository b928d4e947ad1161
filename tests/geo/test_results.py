"""Results CSV: both US county layouts, named columns, number and id parsing, bad counts."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secession.exceptions import DataError, DataMissingError
from secession.geo.results import fips5, parse_count, parse_counts, read_results

COUNTY = "us-president-county"


def csv_sums(path: Path, columns: list[str]) -> dict[str, float]:
    """Column sums read with the csv module (independent of the loader)."""
    sums = dict.fromkeys(columns, 0.0)
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            for c in columns:
                sums[c] += float(row[c].replace(",", ""))
    return sums


def test_2020_layout_detected_with_leading_zeros(data_dir: Path) -> None:
    table = read_results(data_dir / COUNTY / "2020.csv")
    assert table.layout == "us-county-2020"
    assert len(table.frame) == 3152
    first = table.frame.iloc[0]
    assert (first["id"], first["name"], first["state"]) == ("01001", "Autauga County", "AL")
    # Autauga 2020: 7503 dem, 19838 gop, 27770 total
    assert (first["leave"], first["stay"], first["other"]) == (7503, 19838, 27770 - 7503 - 19838)
    sums = csv_sums(data_dir / COUNTY / "2020.csv", ["votes_dem", "votes_gop", "total_votes"])
    assert table.frame["leave"].sum() == sums["votes_dem"] == 81264994
    assert table.frame["stay"].sum() == sums["votes_gop"]
    total = table.frame[["leave", "stay", "other"]].sum().sum()
    assert total == sums["total_votes"] == 158433557
    assert table.issues == []


def test_2016_layout_zero_pads_fips(data_dir: Path) -> None:
    table = read_results(data_dir / COUNTY / "2016.csv", leave="gop")
    assert table.layout == "us-county-2016"
    assert (table.leave_label, table.stay_label) == ("gop", "dem")
    ids = table.frame["id"]
    assert len(ids) == 3141 and ids.str.len().eq(5).all()
    row = table.frame[ids == "01049"].iloc[0]  # combined_fips 1049 in the file
    assert row["name"] == "DeKalb County" and row["state"] == "AL"
    sums = csv_sums(data_dir / COUNTY / "2016.csv", ["votes_dem", "votes_gop"])
    assert table.frame["stay"].sum() == sums["votes_dem"]
    assert table.frame["leave"].sum() == sums["votes_gop"]


def test_named_columns_with_thousands_separators(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text('code,yes,no,pop\n007,"1,469",12,"2,000"\n010,3,"12,345.5",9\n')
    table = read_results(path, id_col="code", leave_col="yes", stay_col="no", population_col="pop")
    assert table.frame["id"].tolist() == ["007", "010"]
    assert table.frame["leave"].tolist() == [1469, 3]
    assert table.frame["stay"].tolist() == [12, 12345.5]
    assert table.frame["population"].tolist() == [2000, 9]
    assert (table.leave_label, table.stay_label) == ("yes", "no")


def test_bad_counts_name_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("id,a,b\nx1,5,6\nx2,-3,4\nx3,abc,1\nx4,2,\n")
    table = read_results(path, id_col="id", leave_col="a", stay_col="b")
    found = {(i.unit_id, i.source.rsplit(":", 1)[1], i.detail) for i in table.issues}
    assert found == {
        ("x2", "3", "a = '-3' is negative"),
        ("x3", "4", "a = 'abc' is not a number"),
        ("x4", "5", "b = '' is empty"),
    }
    assert all(str(path) in i.source for i in table.issues)


@pytest.mark.parametrize(
    ("content", "kwargs", "message"),
    [
        ("", {}, "empty"),
        ("a,b\n", {}, "no rows"),
        ("a,b\n1,2\n", {}, "not a known results layout"),
        ("a,b\n1,2\n", {"id_col": "a"}, "`leave_col`, `stay_col`"),
        ("a,b\n1,2\n", {"id_col": "a", "leave_col": "b", "stay_col": "zz"}, "'zz'"),
    ],
)
def test_unreadable_results_raise_clear_errors(tmp_path: Path, content, kwargs, message) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(DataError, match=message) as info:
        read_results(path, **kwargs)
    assert str(path) in str(info.value)


def test_missing_file() -> None:
    with pytest.raises(DataMissingError, match="results file not found"):
        read_results("/nonexistent/results.csv")


# --------------------------------------------------------------------------- properties
@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_thousands_separators_round_trip(n: int) -> None:
    assert parse_count(f"{n:,}") == n
    assert parse_count(str(n)) == n
    assert parse_count(f" {n}.0 ") == n


@settings(deadline=None)
@given(st.floats(min_value=0, max_value=1e12, allow_nan=False))
def test_float_text_round_trips(x: float) -> None:
    assert parse_count(repr(x)) == x


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=10**9))
def test_negative_numbers_are_rejected(n: int) -> None:
    for text in (f"-{n}", f"-{n:,}"):
        with pytest.raises(ValueError, match="negative"):
            parse_count(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_any_text_parses_or_is_rejected_cleanly(text: str) -> None:
    try:
        value = parse_count(text)
    except ValueError as exc:
        assert str(exc) in ("empty", "negative", "not a number")
    else:
        assert np.isfinite(value) and value >= 0


@settings(max_examples=50, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), st.integers(0, 10**7).map(str)), max_size=20))
def test_vectorised_parser_agrees_with_scalar(values: list[str]) -> None:
    out, problem = parse_counts(pd.Series(values, dtype=object))
    for text, got, why in zip(values, out, problem, strict=True):
        try:
            expected = parse_count(text)
        except ValueError as exc:
            assert np.isnan(got) and why == str(exc)
        else:
            assert got == expected and why == ""


@settings(deadline=None)
@given(st.integers(min_value=1, max_value=99999))
def test_fips_keeps_and_restores_leading_zeros(n: int) -> None:
    assert fips5(str(n)) == f"{n:05d}"
    assert fips5(f"{n:05d}") == f"{n:05d}"
    assert fips5(f"{n}.0") == f"{n:05d}"


@settings(deadline=None)
@given(st.text(max_size=8).filter(lambda s: not s.strip().removesuffix(".0").isdigit()))
def test_fips_rejects_non_codes(text: str) -> None:
    with pytest.raises(ValueError, match="FIPS"):
        fips5(text)


@settings(max_examples=20, deadline=None)
@given(
    st.lists(st.from_regex(r"0[0-9]{1,6}", fullmatch=True), min_size=1, max_size=8, unique=True),
    st.lists(st.integers(0, 10**7), min_size=8, max_size=8),
)
def test_csv_ids_keep_leading_zeros(ids: list[str], votes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.csv"
        rows = [f'{uid},"{v:,}",{v}' for uid, v in zip(ids, votes, strict=False)]
        path.write_text("id,a,b\n" + "\n".join(rows) + "\n")
        table = read_results(path, id_col="id", leave_col="a", stay_col="b")
    assert table.frame["id"].tolist() == ids
    assert table.frame["leave"].tolist() == table.frame["stay"].tolist() == votes[: len(ids)]


def test_rows_longer_than_the_header_are_refused_not_shifted(tmp_path: Path) -> None:
    # pandas would take the first column as the index and shift every column left
    from secession.geo.results import read_csv_text

    path = tmp_path / "long.csv"
    path.write_text("unit,yes,no\na,10,3,7\nb,5,5,1\n")
    with pytest.raises(DataError, match="more fields than the header"):
        read_csv_text(path)
