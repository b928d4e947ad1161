"""`secession referendum` end to end: outcomes, files, opt-in repair, and clean errors."""

from __future__ import annotations

import json
from fractions import Fraction

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from secession.referendum.results import ResultColumns, read_results


def write(path, text):
    path.write_text(text)
    return path


def test_results_csv_with_mapped_columns(cli, tmp_path):
    csv = write(
        tmp_path / "r.csv",
        'district,oui,non,blancs,inscrits\nNord,"1,200",800,50,3000\nSud,400,600,0,1500\n',
    )
    out = tmp_path / "out"
    r = cli(
        "referendum", "--rule", "two-thirds", "--results", csv, "--unit-col", "district",
        "--yes-col", "oui", "--no-col", "non", "--blank-col", "blancs",
        "--eligible-col", "inscrits", "--out", out,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "NOT PASSED" in r.stdout
    assert "short by 400 votes" in r.stdout  # 1600 of 3000 valid; 2/3 needs 2000
    doc = json.loads((out / "outcome.json").read_text())
    assert doc["passed"] is False
    assert doc["yes_share"] == "8/15"
    assert doc["totals"] == {
        "yes": 1600, "no": 1400, "blank": 50, "abstain": 0, "eligible": 4500,
        "valid": 3000, "turnout": 3050, "cast": 3050,
    }  # fmt: skip
    assert doc["conditions"][0]["needed"] == 2000
    units = pd.read_csv(out / "units.csv")
    assert units["unit"].tolist() == ["Nord", "Sud"]
    assert units["yes_share_exact"].tolist() == ["3/5", "2/5"]


def test_rule_file_with_quorum(cli, tmp_path):
    rule = write(tmp_path / "rule.toml", 'name = "charter"\nthreshold = ">1/2"\nquorum = "40%"\n')
    csv = write(tmp_path / "r.csv", "unit,yes,no,eligible\nA,21,19,100\n")
    r = cli("referendum", "--rule", rule, "--results", csv)
    assert r.exit_code == 0, r.output
    assert "PASSED" in r.stdout and "quorum met" in r.stdout
    write(csv, "unit,yes,no,eligible\nA,21,18,100\n")
    r = cli("referendum", "--rule", rule, "--results", csv)
    assert r.exit_code == 0
    assert "NOT PASSED" in r.stdout
    assert "short by 1 voter" in r.stdout


def test_ballots_parquet_with_eligible(cli, tmp_path):
    table = pa.table(
        {"unit": ["A", "A", "A", "B", "B"], "choice": ["yes", "yes", "yes", "no", "blank"]}
    )
    pq.write_table(table, tmp_path / "b.parquet")
    elig = write(tmp_path / "e.csv", "unit,eligible\nA,3\nB,4\n")
    out = tmp_path / "o"
    r = cli(
        "referendum", "--rule", "double-majority", "--ballots", tmp_path / "b.parquet",
        "--eligible", elig, "--out", out,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "outcome.json").read_text())
    assert doc["totals"]["yes"] == 3 and doc["totals"]["eligible"] == 7
    # overall 3 yes / 4 valid passes; units: A yes, B no -> exactly half -> not passed
    assert [c["passed"] for c in doc["conditions"]] == [True, False]
    assert doc["passed"] is False


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("unit,yes,no,eligible\nA,5,-1,10\n", r"row 1 \(line 2\): column 'no' is negative"),
        ("unit,yes,no,eligible\nA,5,1,10\nB,5,abc,10\n", r"row 2 \(line 3\).*'abc'"),
        ("unit,yes,no,eligible\nA,5,1,10\nB,8,4,11\n", r"row 2 \(line 3\).*12 ballots cast"),
        ("unit,yes,no\nA,5,1\nA,1,1\n", r"row 2 \(line 3\): duplicate unit 'A'"),
        ("unit,yes,nein\nA,5,1\n", r"no column 'no'"),
        ("unit,yes,no\nA,5,1.5\n", r"not a whole number"),
        ("unit,yes,no\nA,5,1\nB,99999999999999999999,1\n", r"row 2 \(line 3\).*too large"),
    ],
)
def test_bad_results_give_the_row_and_a_clean_exit(cli, tmp_path, body, message):
    import re

    csv = write(tmp_path / "bad.csv", body)
    r = cli("referendum", "--rule", "simple-majority", "--results", csv)
    assert r.exit_code == 2
    assert "bad.csv" in r.stderr
    assert re.search(message, r.stderr.replace("\n", "")), r.stderr
    assert "Traceback" not in r.output


def test_unknown_unit_against_the_graph(cli, tmp_path):
    csv = write(tmp_path / "or.csv", "fips,yes,no\n41051,10,5\n41999,3,4\n")
    r = cli(
        "referendum", "--rule", "simple-majority", "--results", csv, "--unit-col", "fips",
        "--state", "OR", "--on-mismatch", "keep",
    )  # fmt: skip
    assert r.exit_code == 2
    assert "row 2 (line 3): unknown unit '41999'" in r.stderr.replace("\n", "")
    assert "Traceback" not in r.output


def test_choice_not_on_the_ballot_and_bad_rule_file(cli, tmp_path):
    ballots = write(tmp_path / "b.csv", "unit,choice\nA,yes\nA,no\nA,perhaps\n")
    r = cli("referendum", "--rule", "simple-majority", "--ballots", ballots)
    assert r.exit_code == 2
    assert "row 3 (line 4): choice 'perhaps' is not on the ballot" in r.stderr.replace("\n", "")
    rule = write(tmp_path / "rule.json", '{"threshold": "55%", "quorom": 0.5}')
    r = cli("referendum", "--rule", rule, "--ballots", ballots)
    assert r.exit_code == 5
    assert "unknown rule field(s) quorom" in r.stderr.replace("\n", "")
    rule = write(tmp_path / "rule.toml", "threshold = [")
    r = cli("referendum", "--rule", rule, "--ballots", ballots)
    assert r.exit_code == 5
    assert "malformed TOML" in r.stderr
    r = cli("referendum", "--rule", "simple-majority")
    assert r.exit_code == 2
    assert "exactly one of --results" in r.stderr
    results = write(tmp_path / "r.csv", "unit,yes,no\nA,5,1\n")
    r = cli("referendum", "--rule", "simple-majority", "--results", results, "--eligible", results)
    assert r.exit_code == 2
    assert "--eligible goes with --ballots" in r.stderr
    assert "Traceback" not in r.output


def test_opt_in_cli_on_oregon(cli, tmp_path, data_dir):
    df = pd.read_csv(data_dir / "us-president-county" / "2020.csv", dtype={"county_fips": str})
    df = df[df["state_name"] == "Oregon"]
    pd.DataFrame(
        {
            "fips": df["county_fips"],
            "yes": df["votes_gop"],
            "no": df["votes_dem"],
            "eligible": df["total_votes"] * 5 // 4,
        }
    ).to_csv(tmp_path / "or.csv", index=False)
    out = tmp_path / "out"
    r = cli(
        "referendum", "--rule", "opt-in", "--results", tmp_path / "or.csv", "--unit-col",
        "fips", "--state", "OR", "--min-population", "300000", "--out", out,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "outcome.json").read_text())
    assert doc["opt_in"]["units_chose_leave"] == 26
    units = pd.read_csv(out / "units.csv", dtype={"unit": str})
    assert len(units) == 36
    moves = pd.read_csv(out / "moves.csv", dtype={"unit_id": str})
    assert "41009" in moves["unit_id"].tolist()
    assert doc["opt_in"]["voters_moved"] == int(moves["voters"].sum())
    # Proven optimal, so the solver's lower bound on voters moved is the number moved.
    assert doc["opt_in"]["voters_moved_lower_bound"] == doc["opt_in"]["voters_moved"]
    assign = pd.read_csv(out / "assignment.csv", dtype={"unit_id": str})
    assert set(assign["unit_id"]) == set(units["unit"])
    leaving = set(assign.loc[assign["country"] != "stay", "unit_id"])
    assert leaving == set(units.loc[units["placed"] == "leave", "unit"])
    assert "units placed against their own vote, and why" in r.stdout
    assert doc["opt_in"]["leaving_after_repair"] == sorted(leaving)
    assert len(doc["opt_in"]["chose_leave"]) == 26
    # Columbia (41009) touches no other leaving county; Tillamook (41057) is the only
    # staying link between the Portland area and the staying south-west once Polk and
    # Yamhill leave (checked by hand with check_plan when this test was written).
    assert set(moves["unit_id"]) == {"41009", "41057"}
    tillamook = moves.set_index("unit_id").loc["41057"]
    assert tillamook["reason"] == "moved to stay: leaving would cut the remaining country apart"
    # Voters of a moved unit are its ballots cast, from the results file.
    row = df.set_index("county_fips").loc["41009"]
    assert moves.set_index("unit_id").loc["41009", "voters"] == row["votes_gop"] + row["votes_dem"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["proven_optimal"] is True
    assert summary["constraints"]["consent"] == 0.5  # consent is set by default
    assert summary["constraints"]["min_population"] == 300_000
    assert summary["source"]["results"].endswith("or.csv")  # the referendum votes, credited
    # The plan's own writer and the maps package both ran: the same files as a plan.
    for name in ("plan.geojson", "map.png", "map.svg", "map.html", "report.html"):
        assert (out / name).stat().st_size > 0, name
    assert "Referendum (opt-in): 26 of 36 units voted to leave" in (out / "map.svg").read_text()


def test_read_results_optional_columns(tmp_path):
    csv = write(tmp_path / "r.csv", "unit,yes,no\nA,1,2\n")
    counts = read_results(csv)
    assert counts.eligible is None and counts.blank.tolist() == [0]
    from secession.exceptions import DataError

    with pytest.raises(DataError, match="no column 'blanks' for blank"):
        read_results(csv, ResultColumns(blank="blanks"))


def test_eligible_units_without_ballots_count_for_the_quorum(cli, tmp_path):
    # A: 3 yes of 4 eligible; B: nobody voted, 6 eligible. Turnout 3 of 10 misses a
    # 1/2 quorum by 2 voters (counting only units with ballots would give 3 of 4).
    ballots = write(tmp_path / "b.csv", "unit,choice\nA,yes\nA,yes\nA,yes\n")
    elig = write(tmp_path / "e.csv", "unit,eligible\nA,4\nB,6\n")
    rule = write(tmp_path / "rule.toml", 'threshold = ">1/2"\nquorum = "1/2"\n')
    r = cli("referendum", "--rule", rule, "--ballots", ballots, "--eligible", elig)
    assert r.exit_code == 0, r.output
    assert "NOT PASSED (quorum not met)" in r.stdout
    assert "turnout 3 of 10 eligible = 3/10 (30%)" in r.stdout
    assert "short by 2 voters" in r.stdout
    write(elig, "unit,eligible\nA,4\nA,6\n")
    r = cli("referendum", "--rule", rule, "--ballots", ballots, "--eligible", elig)
    assert r.exit_code == 2
    assert "e.csv: row 2 (line 3): duplicate unit 'A'" in r.stderr.replace("\n", "")
    assert "Traceback" not in r.output


def test_help_names_every_preset_and_an_example(cli):
    from secession.referendum import PRESETS

    r = cli("referendum", "--help")
    assert r.exit_code == 0
    text = " ".join(r.stdout.split())
    for name in PRESETS:
        assert name in text
    assert "secession referendum --rule two-thirds --results results.csv" in text
    assert "(default: unit)" in text


def test_double_majority_by_population_from_the_graph(cli, tmp_path, data_dir):
    # Three Oregon counties voting yes; the bundled graph's population (2020 total votes)
    # weighs them. Multnomah (41051) alone holds more than the rest of these three.
    csv = write(
        tmp_path / "r.csv",
        "unit,yes,no\n41051,10,0\n41001,0,10\n41003,0,10\n",
    )
    r = cli(
        "referendum", "--rule", "double-majority-population", "--results", csv,
        "--state", "OR", "--on-mismatch", "drop", "--out", tmp_path / "o",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "o" / "outcome.json").read_text())
    df = pd.read_csv(data_dir / "us-president-county" / "2020.csv", dtype={"county_fips": str})
    pop = df.set_index("county_fips")["total_votes"]
    have, total = pop["41051"], pop[["41051", "41001", "41003"]].sum()
    dm = doc["conditions"][1]
    assert dm["name"] == "double_majority"
    assert (dm["have"], dm["value"]) == (have, str(Fraction(int(have), int(total))))
    assert dm["passed"] is True
    assert doc["passed"] is False  # overall 10 yes of 30 valid
    assert any("dropped 33 graph unit(s) with no result" in n for n in doc["notes"])


def test_unusable_paths_give_a_clean_exit(cli, tmp_path):
    """An --out that is a file, a rule 'file' that is a folder and a header-only CSV."""
    csv = write(tmp_path / "r.csv", "unit,yes,no\nA,5,1\n")
    blocker = write(tmp_path / "taken", "x")
    r = cli("referendum", "--rule", "simple-majority", "--results", csv, "--out", blocker)
    assert r.exit_code == 2
    assert "cannot write the output folder" in r.stderr.replace("\n", "")
    (tmp_path / "rule.toml").mkdir()
    r = cli("referendum", "--rule", str(tmp_path / "rule.toml"), "--results", csv)
    assert r.exit_code == 5
    assert "cannot read the rule file" in r.stderr.replace("\n", "")
    empty = write(tmp_path / "empty.csv", "unit,yes,no\n")
    r = cli("referendum", "--rule", "simple-majority", "--results", empty)
    assert r.exit_code == 2
    assert "header but no rows" in r.stderr.replace("\n", "")
    assert "Traceback" not in r.output


def test_negative_seed_is_refused_before_any_work(cli, tmp_path):
    csv = write(tmp_path / "r.csv", "unit,yes,no\nNord,10,3\n")
    r = cli("referendum", "--results", csv, "--seed", "-1", "--out", tmp_path / "out")
    assert r.exit_code == 2 and "--seed" in r.stderr and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()
