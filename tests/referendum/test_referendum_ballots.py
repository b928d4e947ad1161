"""Streaming ballot tallies: sum of parts, order independence, CSV == Parquet, row errors."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secession.exceptions import DataError
from secession.referendum.ballots import BallotTally, parse_choices, tally_ballots

UNITS = ["01001", "01003", "06037", "41051", "53033"]
CHOICES = ["yes", "no", "blank"]

ballots_st = st.lists(
    st.tuples(st.sampled_from(UNITS), st.sampled_from(CHOICES)), min_size=0, max_size=300
)


def tally(rows, units=UNITS):
    t = BallotTally(units)
    if rows:
        u, c = zip(*rows, strict=True)
        t.add(list(u), list(c))
    return t.counts()


def by_hand(rows):
    """Independent count with a plain dict."""
    out = {u: dict.fromkeys(CHOICES, 0) for u in UNITS}
    for u, c in rows:
        out[u][c] += 1
    return out


@settings(deadline=None)
@given(ballots_st)
def test_tally_matches_a_hand_count(rows):
    counts = tally(rows)
    expected = by_hand(rows)
    for i, u in enumerate(counts.units):
        assert counts.yes[i] == expected[u]["yes"]
        assert counts.no[i] == expected[u]["no"]
        assert counts.blank[i] == expected[u]["blank"]
    assert int(counts.cast.sum()) == len(rows)


@settings(deadline=None)
@given(ballots_st, st.lists(st.integers(0, 300), max_size=6))
def test_tally_equals_the_sum_of_its_parts(rows, cuts):
    edges = sorted({0, len(rows), *(c for c in cuts if c <= len(rows))})
    parts = [rows[a:b] for a, b in itertools.pairwise(edges)]
    total = tally([])
    for part in parts:
        total = total + tally(part)
    assert total == tally(rows)
    # Streaming several batches into one tally gives the same result.
    t = BallotTally(UNITS)
    for part in parts:
        if part:
            u, c = zip(*part, strict=True)
            t.add(list(u), list(c))
    assert t.counts() == tally(rows)


@settings(deadline=None)
@given(ballots_st, st.randoms(use_true_random=False))
def test_tally_is_independent_of_ballot_order(rows, rnd):
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert tally(shuffled) == tally(rows)
    # Discovered units are listed sorted, whatever order they first appear in.
    assert tally(shuffled, units=None) == tally(rows, units=None)


@settings(max_examples=25, deadline=None)
@given(ballots_st.filter(bool))
def test_csv_and_parquet_give_identical_tallies(rows):
    table = pa.table({"unit": [r[0] for r in rows], "choice": [r[1] for r in rows]})
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, pq_path = Path(tmp) / "b.csv", Path(tmp) / "b.parquet"
        pacsv.write_csv(table, csv_path)
        pq.write_table(table, pq_path, row_group_size=37)
        from_csv = tally_ballots(csv_path)
        from_parquet = tally_ballots(pq_path)
    assert from_csv == from_parquet
    assert from_csv == tally(rows, units=None)


def test_streaming_many_batches_from_files(tmp_path, monkeypatch):
    """Small batches force many dictionary batches; the tally must not change."""
    import secession.referendum.ballots as mod

    rng = np.random.default_rng(7)
    n = 20_000
    units = np.array(UNITS)[rng.integers(0, len(UNITS), n)]
    choices = np.array(CHOICES)[rng.integers(0, 3, n)]
    table = pa.table({"id": np.arange(n), "unit": units, "choice": choices})
    pacsv.write_csv(table, tmp_path / "b.csv")
    pq.write_table(table, tmp_path / "b.parquet", row_group_size=1000)
    monkeypatch.setattr(mod, "BATCH_BYTES", 4096)
    monkeypatch.setattr(mod, "BATCH_ROWS", 777)
    monkeypatch.setattr(mod, "SPLIT_MIN_BYTES", 1024)  # the CSV is read in 3 parallel parts
    expected = {(u, c): 0 for u in UNITS for c in CHOICES}
    for u, c in zip(units.tolist(), choices.tolist(), strict=True):
        expected[(u, c)] += 1
    for name in ("b.csv", "b.parquet"):
        counts = tally_ballots(tmp_path / name, units=UNITS, threads=3)
        for i, u in enumerate(UNITS):
            assert counts.yes[i] == expected[(u, "yes")]
            assert counts.no[i] == expected[(u, "no")]
            assert counts.blank[i] == expected[(u, "blank")]


def test_choice_not_on_the_ballot_names_the_row(tmp_path):
    path = tmp_path / "ballots.csv"
    path.write_text("unit,choice\n41051,yes\n41051,no\n41051,maybe\n41051,yes\n")
    with pytest.raises(DataError, match=r"ballots\.csv: row 3 \(line 4\): choice 'maybe'"):
        tally_ballots(path)
    pq.write_table(pacsv.read_csv(path), tmp_path / "ballots.parquet")
    with pytest.raises(DataError, match=r"ballots\.parquet: row 3: choice 'maybe' is not on"):
        tally_ballots(tmp_path / "ballots.parquet")


def test_unknown_and_empty_units_name_the_row(tmp_path):
    path = tmp_path / "ballots.csv"
    path.write_text("unit,choice\n41051,yes\n99999,no\n")
    with pytest.raises(DataError, match=r"row 2 \(line 3\): unknown unit '99999'"):
        tally_ballots(path, units=["41051"])
    path.write_text("unit,choice\n41051,yes\n,no\n")
    with pytest.raises(DataError, match=r"row 2 \(line 3\): empty unit"):
        tally_ballots(path)


def test_allowed_choices_are_configurable(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("commune,vote\nA,oui\nA,Non\nB,blanc\nB,oui\nB,abstention\n")
    choices = "oui=yes,non=no,blanc=blank,abstention=abstain"
    counts = tally_ballots(path, unit_col="commune", choice_col="vote", choices=choices)
    assert counts.units == ("A", "B")
    assert counts.yes.tolist() == [1, 1]
    assert counts.no.tolist() == [1, 0]
    assert counts.blank.tolist() == [0, 1]
    assert counts.abstain.tolist() == [0, 1]
    # 'blank' is not allowed when the ballot only has yes and no.
    path.write_text("unit,choice\nA,yes\nA,blank\n")
    with pytest.raises(DataError, match=r"row 2 \(line 3\): choice 'blank'.*allowed: no, yes"):
        tally_ballots(path, choices="yes,no")
    with pytest.raises(DataError, match="not a ballot category"):
        parse_choices("yes,no,maybe")


def test_missing_column_and_missing_file(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("unit,answer\nA,yes\n")
    with pytest.raises(DataError, match=r"b\.csv: missing column\(s\) choice"):
        tally_ballots(path)
    pq.write_table(pa.table({"unit": ["A"], "answer": ["yes"]}), tmp_path / "b.parquet")
    with pytest.raises(DataError, match=r"missing column\(s\) choice"):
        tally_ballots(tmp_path / "b.parquet")
    with pytest.raises(DataError, match="ballot file not found"):
        tally_ballots(tmp_path / "none.csv")


def test_eligible_counts_are_attached_and_checked(tmp_path):
    path = tmp_path / "b.csv"
    path.write_text("unit,choice\nA,yes\nA,yes\nB,no\n")
    counts = tally_ballots(path, eligible={"A": 5, "B": 1})
    assert counts.eligible.tolist() == [5, 1]
    with pytest.raises(DataError, match=r"b\.csv: unit 'A' has 2 ballots cast but only 1 eligible"):
        tally_ballots(path, eligible={"A": 1, "B": 1})
    with pytest.raises(DataError, match="no eligible count for unit"):
        tally_ballots(path, eligible={"A": 5})


def test_a_unit_where_nobody_voted_keeps_its_eligible_voters(tmp_path):
    """Unit C cast no ballot: it is listed with zero votes and its 10 voters count."""
    path = tmp_path / "b.csv"
    path.write_text("unit,choice\nA,yes\nA,yes\nB,no\n")
    counts = tally_ballots(path, eligible={"A": 5, "B": 1, "C": 10})
    assert counts.units == ("A", "B", "C")
    assert counts.cast.tolist() == [2, 1, 0]
    assert int(counts.eligible.sum()) == 16
    # With the units given (a unit graph), eligible voters of another unit are an error.
    with pytest.raises(DataError, match=r"eligible voters given for unknown unit.*'D'"):
        tally_ballots(path, units=["A", "B", "C"], eligible={"A": 5, "B": 1, "C": 1, "D": 3})


def test_error_row_in_a_later_part_of_a_split_csv(tmp_path, monkeypatch):
    import secession.referendum.ballots as mod

    monkeypatch.setattr(mod, "SPLIT_MIN_BYTES", 64)
    monkeypatch.setattr(mod, "BATCH_BYTES", 256)
    lines = ["unit,choice"] + [f"{UNITS[i % 5]},{CHOICES[i % 3]}" for i in range(3000)]
    lines[2500] = "41051,nope"  # data row 2500, file line 2501
    path = tmp_path / "b.csv"
    path.write_text("\n".join(lines) + "\n")
    assert len(mod._csv_parts(path, len("unit,choice\n"), 4)) == 4
    with pytest.raises(DataError, match=r"row 2500 \(line 2501\): choice 'nope'"):
        tally_ballots(path, threads=4)
