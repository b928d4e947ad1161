"""Hand-checked decisions: every rule at, just above and just below its threshold and quorum."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secession.exceptions import DataError, RuleError
from secession.referendum import Counts, Rule, decide

SM = Rule.preset("simple-majority")
S55 = Rule.preset("supermajority-55")
TT = Rule.preset("two-thirds")


def one(yes, no, blank=0, abstain=0, eligible=None):
    return Counts.single(yes=yes, no=no, blank=blank, abstain=abstain, eligible=eligible)


# (rule, yes, no, passed, have, needed)
CASES = [
    # simple majority: strictly more than half; a tie fails
    (SM, 50, 50, False, 50, 51),
    (SM, 51, 50, True, 51, 51),  # one vote above: passes with 0 to spare
    (SM, 50, 51, False, 50, 51),  # one vote below
    (SM, 51, 49, True, 51, 51),
    (SM, 1, 0, True, 1, 1),
    # 55 %: at least 11/20; exactly 55 % passes
    (S55, 55, 45, True, 55, 55),
    (S55, 54, 46, False, 54, 55),
    (S55, 56, 44, True, 56, 55),
    (S55, 56, 45, True, 56, 56),  # 101 valid: 55.55 -> needs 56
    (S55, 55, 46, False, 55, 56),
    # two thirds: at least 2/3; exactly 2/3 passes
    (TT, 2, 1, True, 2, 2),
    (TT, 200, 100, True, 200, 200),
    (TT, 199, 101, False, 199, 200),
    (TT, 201, 99, True, 201, 200),
    (TT, 666, 334, False, 666, 667),  # 0.666 < 2/3
    (TT, 667, 333, True, 667, 667),
]


@pytest.mark.parametrize(("rule", "yes", "no", "passed", "have", "needed"), CASES)
def test_threshold_boundaries(rule, yes, no, passed, have, needed):
    out = decide(rule, one(yes, no))
    cond = out.condition("threshold")
    assert out.passed is passed
    assert cond.passed is passed
    assert (cond.have, cond.needed) == (have, needed)
    assert cond.value == Fraction(yes, yes + no)
    assert out.yes_share == Fraction(yes, yes + no)
    word = "met" if passed else "not met"
    assert out.reasons[0].startswith(f"threshold {word}")


def test_reason_text_says_by_how_much():
    out = decide(SM, one(50, 50))
    assert out.reasons == [
        "threshold not met: yes 50 of 100 valid votes = 1/2 (50%); needs more than 1/2 (50%) "
        "of valid votes (51 votes): short by 1 vote"
    ]
    out = decide(S55, one(60, 40))
    assert out.reasons[0].endswith("(55 votes): 5 votes to spare")


def test_non_strict_majority_lets_a_tie_pass():
    rule = Rule(name="half", threshold=Fraction(1, 2), strict=False)
    assert decide(rule, one(50, 50)).passed
    assert not decide(rule, one(49, 51)).passed


def test_blank_ballots_count_only_when_the_rule_says_so():
    counts = one(51, 45, blank=10)
    assert decide(SM, counts).passed  # 51 / 96
    with_blank = SM.with_(count_blank_as_valid=True)
    out = decide(with_blank, counts)  # 51 / 106: needs 54
    assert not out.passed
    cond = out.condition("threshold")
    assert (cond.value, cond.have, cond.needed, cond.margin) == (Fraction(51, 106), 51, 54, -3)
    assert out.totals["valid"] == 106


def test_abstentions_for_validity_and_turnout():
    counts = one(6, 4, abstain=10, eligible=40)
    quorum = SM.with_(quorum=Fraction(1, 2))
    out = decide(quorum, counts)  # turnout 20/40 = exactly the quorum: met
    assert out.passed
    assert out.condition("quorum").value == Fraction(1, 2)
    assert out.condition("quorum").margin == 0
    out = decide(quorum.with_(count_abstentions_in_turnout=False), counts)  # 10/40
    assert not out.passed
    q = out.condition("quorum")
    assert (q.value, q.have, q.needed) == (Fraction(1, 4), 10, 20)
    assert "short by 10 voters" in out.reasons[0]
    out = decide(SM.with_(count_abstentions_as_valid=True), counts)  # 6/20
    assert not out.passed
    assert out.yes_share == Fraction(3, 10)


@pytest.mark.parametrize(
    ("turnout", "passed"),
    [(40, True), (39, False), (41, True)],
)
def test_quorum_is_inclusive(turnout, passed):
    rule = SM.with_(quorum=Fraction(2, 5))
    out = decide(rule, one(turnout - 10, 10, eligible=100))
    assert out.condition("quorum").passed is passed
    assert out.passed is passed
    assert out.condition("quorum").needed == 40


def test_blank_ballots_count_towards_the_quorum():
    rule = SM.with_(quorum="30%")
    out = decide(rule, one(20, 5, blank=5, eligible=100))
    assert out.condition("quorum").have == 30
    assert out.passed


def test_quorum_needs_eligible_counts():
    with pytest.raises(RuleError, match="eligible voters is unknown"):
        decide(SM.with_(quorum="1/2"), one(3, 1))


def test_no_valid_votes_fails():
    out = decide(SM, one(0, 0, blank=3))
    assert not out.passed
    assert out.yes_share is None
    assert "no valid votes" in out.reasons[0]


def test_every_failed_condition_is_listed_first():
    rule = S55.with_(quorum="1/2")
    out = decide(rule, one(50, 50, eligible=1000))
    assert [c.name for c in out.failed] == ["threshold", "quorum"]
    assert all("not met" in r for r in out.reasons[:2])


# ---------------------------------------------------------------- double majority
def units(yes, no, eligible=None, population=None):
    ids = [chr(ord("A") + i) for i in range(len(yes))]
    return Counts.from_arrays(ids, yes=yes, no=no, eligible=eligible, population=population)


def test_double_majority_by_units_overall_passes_units_fail():
    rule = Rule.preset("double-majority")
    counts = units([90, 40, 45], [10, 60, 55])  # overall 175/300 passes; 1 of 3 units
    out = decide(rule, counts)
    assert out.condition("threshold").passed
    dm = out.condition("double_majority")
    assert not dm.passed
    assert (dm.have, dm.needed, dm.value) == (1, 2, Fraction(1, 3))
    assert not out.passed
    assert out.unit_passed.tolist() == [True, False, False]
    assert "short by 1 unit" in out.reasons[0]


def test_double_majority_exactly_half_of_the_units_fails():
    rule = Rule.preset("double-majority")
    out = decide(rule, units([90, 60, 45, 45], [10, 40, 55, 55]))  # overall 240/400
    assert out.condition("threshold").passed
    assert out.condition("double_majority").value == Fraction(1, 2)
    assert not out.passed
    out = decide(rule, units([90, 60, 51, 45], [10, 40, 49, 55]))  # 3 of 4
    assert out.passed


def test_double_majority_units_tie_within_a_unit_is_a_no():
    rule = Rule.preset("double-majority")
    out = decide(rule, units([60, 50, 70], [40, 50, 30]))
    assert out.unit_passed.tolist() == [True, False, True]
    assert out.passed


def test_double_majority_needs_the_overall_vote_too():
    rule = Rule.preset("double-majority")
    out = decide(rule, units([51, 51, 0], [49, 49, 300]))
    assert out.condition("double_majority").passed
    assert not out.condition("threshold").passed
    assert not out.passed


def test_double_majority_by_population():
    rule = Rule.preset("double-majority-population")
    # A (pop 50) yes, B (pop 50) no: exactly half of the population -> fails
    out = decide(rule, units([80, 20], [20, 70], population=[50, 50]))
    dm = out.condition("double_majority")
    assert dm.value == Fraction(1, 2)
    assert not dm.passed
    assert not out.passed
    # more than half of 100 is at least 51: short by 1
    assert (dm.have, dm.needed, dm.margin) == (50, 51, -1)
    assert dm.text.endswith("needs more than half (at least 51): short by 1")
    out = decide(rule, units([80, 20], [20, 70], population=[51, 49]))
    dm = out.condition("double_majority")
    assert dm.value == Fraction(51, 100)
    assert (dm.have, dm.needed, dm.margin) == (51, 51, 0)
    assert out.passed
    # Fractional weights: the half itself must be exceeded.
    out = decide(rule, units([80, 20], [20, 70], population=[0.5, 0.5]))
    dm = out.condition("double_majority")
    assert not dm.passed
    assert (dm.have, dm.needed) == (0.5, 0.5)
    # With no population given, eligible voters weigh the units.
    out = decide(rule, units([80, 20], [20, 70], eligible=[100, 300]))
    assert out.condition("double_majority").value == Fraction(1, 4)
    assert not out.passed


# ---------------------------------------------------------------- opt-in
def test_opt_in_each_unit_follows_its_own_result():
    rule = Rule.preset("opt-in").with_(quorum="1/2")
    counts = units([60, 50, 30, 9], [40, 50, 10, 1], eligible=[200, 120, 100, 30])
    out = decide(rule, counts)
    # A: 60/100 yes, turnout 100/200 = quorum (met); B: tie -> no; C: turnout 40/100 < 1/2;
    # D: 9/10 yes, turnout 10/30 < 1/2.
    assert out.unit_passed.tolist() == [True, False, False, False]
    assert out.leaving_units == ["A"]
    assert out.passed
    assert "short by 10 voters" in out.unit_reasons[2]
    frame = out.units_frame()
    assert frame["passed"].tolist() == [True, False, False, False]
    assert frame["yes_share_exact"].tolist() == ["3/5", "1/2", "3/4", "9/10"]
    assert out.to_dict()["leaving_units"] == ["A"]


def test_opt_in_with_no_unit_leaving_does_not_pass():
    out = decide(Rule.preset("opt-in"), units([1, 2], [3, 2]))
    assert not out.passed
    assert out.leaving_units == []
    assert [c.name for c in out.failed] == ["opt_in"]
    assert out.reasons[0] == "opt-in not met: yes won in none of the 2 units, so no unit leaves"


def test_opt_in_overall_vote_is_information_not_a_condition():
    # Overall 70 yes of 200 valid fails a majority, but unit A (60/100) opts in.
    out = decide(Rule.preset("opt-in"), units([60, 10], [40, 90]))
    assert out.passed
    assert [c.name for c in out.conditions] == ["opt_in"]
    cond = out.condition("opt_in")
    assert (cond.have, cond.needed, cond.value) == (1, 1, Fraction(1, 2))
    assert out.yes_share == Fraction(7, 20)
    assert out.reasons == [
        "opt-in met: yes won in 1 of 2 units; those units choose to leave",
        "overall vote, for information only (not a condition of an opt-in rule): "
        "yes 70 of 200 valid votes = 7/20 (35%)",
    ]


# ---------------------------------------------------------------- counts
def test_counts_reject_bad_numbers():
    with pytest.raises(DataError, match="negative no"):
        Counts.from_arrays(["a", "b"], yes=[1, 2], no=[0, -1])
    with pytest.raises(DataError, match="unit 'b' has 12 ballots cast but only 10 eligible"):
        Counts.from_arrays(["a", "b"], yes=[1, 6], no=[0, 6], eligible=[5, 10])
    with pytest.raises(DataError, match="whole numbers"):
        Counts.from_arrays(["a"], yes=[1.5], no=[0])


def test_counts_add_and_total():
    a = units([1, 2], [3, 4], eligible=[10, 10])
    b = units([5, 0], [0, 1], eligible=[5, 5])
    s = a + b
    assert s.yes.tolist() == [6, 2]
    assert s.eligible.tolist() == [15, 15]
    t = s.total()
    assert (int(t.yes[0]), int(t.no[0]), int(t.eligible[0])) == (8, 8, 30)


@settings(deadline=None)
@given(
    yes=st.integers(0, 10**6),
    no=st.integers(0, 10**6),
    threshold=st.fractions(Fraction(1, 100), Fraction(99, 100), max_denominator=100),
    strict=st.booleans(),
)
def test_threshold_matches_integer_cross_multiplication(yes, no, threshold, strict):
    """Independent check: passes iff yes*den > num*valid (or >=), in integers only."""
    rule = Rule(threshold=threshold, strict=strict)
    out = decide(rule, one(yes, no))
    valid = yes + no
    lhs, rhs = yes * threshold.denominator, threshold.numerator * valid
    expected = valid > 0 and (lhs > rhs if strict else lhs >= rhs)
    assert out.passed is expected
    cond = out.condition("threshold")
    # `needed` is the smallest passing yes count for this many valid votes.
    needed = int(cond.needed)
    for k, ok in ((needed, True), (needed - 1, False)):
        if k >= 0 and valid > 0:
            a, b = k * threshold.denominator, threshold.numerator * valid
            assert (a > b if strict else a >= b) is ok


def test_population_weights_are_exact_numpy():
    counts = units([1, 1, 0], [0, 0, 1], population=np.array([1e15, 1.0, 1e15 + 1]))
    out = decide(Rule.preset("double-majority-population"), counts)
    # 1e15 + 1 yes vs 1e15 + 1 no: exactly half, so it fails (no float rounding).
    assert out.condition("double_majority").value == Fraction(1, 2)
    assert not out.passed


def test_reason_texts_for_big_counts_use_separators_and_percentages():
    # 1,149,416 of 2,298,831 is just above one half: the percentage shows "50.00%", not
    # "50%" (which would read as an exact tie); the exact share is in Condition.value.
    out = decide(SM, one(1_149_416, 1_149_415))
    cond = out.condition("threshold")
    assert cond.passed and cond.margin == 0
    assert cond.text == (
        "threshold met: yes 1,149,416 of 2,298,831 valid votes = 50.00%; needs more than "
        "1/2 (50%) of valid votes (1,149,416 votes): 0 votes to spare"
    )
    out = decide(SM.with_(quorum="3/4"), one(1_000_000, 500_000, eligible=2_000_001))
    assert out.condition("quorum").text == (
        "quorum not met: turnout 1,500,000 of 2,000,001 eligible = 75.00%; needs at least "
        "3/4 (75%) (1,500,001 voters): short by 1 voter"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Fraction(1, 2), "50%"),
        (Fraction(11, 20), "55%"),
        (Fraction(133, 200), "66.5%"),
        (Fraction(2, 3), "66.67%"),
        (Fraction(1_149_416, 2_298_831), "50.00%"),
        (Fraction(1), "100%"),
    ],
)
def test_format_percent_keeps_decimals_only_when_rounded(value, text):
    from secession.referendum import format_percent

    assert format_percent(value) == text


unit_counts = st.lists(
    st.tuples(st.integers(0, 500), st.integers(0, 500), st.integers(0, 50), st.integers(0, 50)),
    min_size=1,
    max_size=12,
)
RULES = [
    SM,
    S55.with_(quorum="1/2"),
    TT.with_(count_blank_as_valid=True),
    Rule.preset("double-majority"),
    Rule.preset("double-majority-population"),
    Rule.preset("opt-in").with_(quorum="2/5"),
]


def _counts(rows, order=None):
    order = range(len(rows)) if order is None else order
    rows = [rows[i] for i in order]
    ids = [f"u{i}" for i in order]
    yes, no, blank, abstain = (list(col) for col in zip(*rows, strict=True))
    eligible = [sum(r) + 7 for r in rows]
    return Counts.from_arrays(ids, yes=yes, no=no, blank=blank, abstain=abstain, eligible=eligible)


@settings(deadline=None, max_examples=60)
@given(unit_counts, st.randoms(use_true_random=False), st.sampled_from(RULES))
def test_decision_is_independent_of_unit_order(rows, rnd, rule):
    order = list(range(len(rows)))
    rnd.shuffle(order)
    a, b = decide(rule, _counts(rows)), decide(rule, _counts(rows, order))
    assert a.passed is b.passed
    assert a.totals == b.totals
    assert [(c.name, c.passed, c.value, c.have, c.needed) for c in a.conditions] == [
        (c.name, c.passed, c.value, c.have, c.needed) for c in b.conditions
    ]
    assert sorted(a.leaving_units) == sorted(b.leaving_units)


@settings(deadline=None, max_examples=60)
@given(unit_counts, st.sampled_from(RULES))
def test_overall_totals_are_the_sum_of_the_units(rows, rule):
    out = decide(rule, _counts(rows))
    for k, name in enumerate(("yes", "no", "blank", "abstain")):
        assert out.totals[name] == sum(r[k] for r in rows)
    assert out.totals["eligible"] == sum(sum(r) + 7 for r in rows)
    # The overall decision of a non-unit rule equals the decision on the summed counts.
    if rule.double_majority is None and not rule.unit_opt_in:
        y, n, b, a = (sum(col) for col in zip(*rows, strict=True))
        summed = one(y, n, blank=b, abstain=a, eligible=out.totals["eligible"])
        assert decide(rule, summed).passed is out.passed


@settings(deadline=None)
@given(
    turnout=st.integers(0, 10**6),
    extra=st.integers(0, 10**6),
    quorum=st.fractions(Fraction(1, 100), 1, max_denominator=100),
)
def test_quorum_matches_integer_cross_multiplication(turnout, extra, quorum):
    """Independent check: the quorum is met iff turnout * den >= num * eligible."""
    eligible = turnout + extra
    out = decide(SM.with_(quorum=quorum), one(turnout, 0, eligible=eligible))
    q = out.condition("quorum")
    expected = eligible > 0 and turnout * quorum.denominator >= quorum.numerator * eligible
    assert q.passed is expected
    assert (q.margin >= 0) is expected or eligible == 0
