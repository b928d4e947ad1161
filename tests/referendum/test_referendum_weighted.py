"""Votes of groups with weights, checked against hand computations on exact ties: exactly
half of the groups, exactly the threshold of the weight (also when the weight is split into
thirds), quorums exactly met, and the same conditions as a single electorate's."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secession.exceptions import DataError, RuleError
from secession.referendum import Counts, GroupVote, Rule, decide, decide_weighted

SM = Rule.preset("simple-majority")
HALF_OR_MORE = Rule(name="half-or-more", threshold=Fraction(1, 2), strict=False)
TT = Rule.preset("two-thirds")
MORE_THAN_TT = Rule(name="more-than-2/3", threshold=Fraction(2, 3), strict=True)


def v(group, weight=1, choice=None, split=None):
    return GroupVote(group, weight, choice, split)


def test_exactly_half_of_the_communities_fails_a_majority_and_passes_half_or_more():
    votes = [v("a", 5, "yes"), v("b", 1, "yes"), v("c", 1, "no"), v("d", 1, "no")]
    out = decide_weighted(SM, votes, method="voters")
    # by hand: 2 yes of 4 valid = 1/2, a majority needs 3
    assert out.passed is False
    c = out.condition("voters_threshold")
    assert (c.value, c.have, c.needed, c.margin) == (Fraction(1, 2), 2, 3, -1)
    assert "short by 1 vote" in c.text and c.text.startswith("groups, one vote each: ")
    assert decide_weighted(HALF_OR_MORE, votes, method="voters").passed is True


def test_weight_exactly_at_the_threshold_with_a_split_into_thirds():
    # A (4 members) split by its members 1 yes : 2 no -> 4/3 yes, 8/3 no; B (4) yes whole.
    # By hand: yes 4/3 + 4 = 16/3 of 8 valid = 2/3 exactly.
    votes = [v("a", 4, "no", split=(1, 2)), v("b", 4, "yes")]
    at_least = decide_weighted(TT, votes, method="weight")
    assert at_least.passed is True
    c = at_least.condition("weight_threshold")
    assert (c.value, c.have, c.needed, c.margin) == (
        Fraction(2, 3),
        Fraction(16, 3),
        Fraction(16, 3),
        0,
    )
    assert at_least.totals["weight"]["yes"] == Fraction(16, 3)
    assert at_least.totals["weight"]["no"] == Fraction(8, 3)
    assert at_least.cast["a"]["weight"] == {
        "yes": Fraction(4, 3),
        "no": Fraction(8, 3),
        "abstain": 0,
    }
    assert "yes 16/3 (5.33) of 8 valid votes = 2/3 (66.67%)" in c.text
    strict = decide_weighted(MORE_THAN_TT, votes, method="weight")
    assert strict.passed is False
    assert "exactly at it, which fails: it must be exceeded" in strict.reasons[0]


def test_exactly_half_of_the_members_fails_a_majority():
    votes = [v("a", 9, "yes", split=(2, 1)), v("b", 3, "no"), v("c", 3, "no")]
    # A: 6 yes 3 no; B, C: 3 no each -> yes 6 of 15
    out = decide_weighted(SM, votes, method="weight")
    assert out.passed is False and out.totals["weight"]["valid"] == 15
    votes = [v("a", 9, "yes", split=(2, 1)), v("b", 3, "no")]
    # yes 6 of 12 = 1/2 exactly: fails "more than", passes "at least"
    assert decide_weighted(SM, votes, method="weight").passed is False
    assert decide_weighted(HALF_OR_MORE, votes, method="weight").passed is True


def test_double_majority_exactly_half_of_the_communities_fails():
    # 2 of 4 communities (exactly half) but 11 of 20 members: communities fail it
    votes = [v("a", 10, "yes"), v("b", 1, "yes"), v("c", 1, "no"), v("d", 8, "no")]
    out = decide_weighted(SM, votes, method="double")
    assert out.passed is False
    assert out.condition("voters_threshold").passed is False
    assert out.condition("weight_threshold").passed is True
    assert out.condition("weight_threshold").value == Fraction(11, 20)


def test_double_majority_exactly_half_of_the_members_fails():
    # 3 of 4 communities, but they represent 5 of 10 members (exactly half)
    votes = [v("a", 3, "yes"), v("b", 1, "yes"), v("c", 1, "yes"), v("d", 5, "no")]
    out = decide_weighted(SM, votes, method="double")
    assert out.condition("voters_threshold").passed is True
    w = out.condition("weight_threshold")
    assert (w.passed, w.value, w.have, w.needed) == (False, Fraction(1, 2), 5, 6)
    assert out.passed is False
    assert decide_weighted(HALF_OR_MORE, votes, method="double").passed is True


def test_double_majority_counts_a_split_community_whole():
    # the split is ignored: a double majority counts each community's own result
    votes = [v("a", 9, "yes", split=(1, 2)), v("b", 1, "no")]
    out = decide_weighted(SM, votes, method="double")
    assert out.totals["weight"]["yes"] == 9 and out.totals["voters"]["yes"] == 1
    assert out.passed is False  # communities: 1 of 2 is half


def test_quorum_exactly_met_by_weight_and_by_communities():
    rule = Rule(name="q", threshold=Fraction(1, 2), strict=True, quorum=Fraction(1, 2))
    # weights 3, 3, 2: turnout 4 of 8 = 1/2 (the quorum, inclusive) -> met
    votes = [v("a", 3, "yes", split=(1, 0)), v("b", 3), v("c", 1, "yes"), v("d", 1)]
    out = decide_weighted(rule, votes, method="weight")
    q = out.condition("weight_quorum")
    assert (q.passed, q.value, q.have, q.needed) == (True, Fraction(1, 2), 4, 4)
    out = decide_weighted(rule, votes, method="voters")
    assert out.condition("voters_quorum").passed is True  # 2 of 4 voted
    votes[2] = v("c", 1)  # one fewer: 3 of 8, 1 of 4
    assert decide_weighted(rule, votes, method="weight").passed is False
    assert decide_weighted(rule, votes, method="voters").condition("voters_quorum").margin == -1


def test_fractional_quorum_compared_exactly():
    rule = Rule(name="q", threshold=Fraction(1, 2), strict=True, quorum=Fraction(1, 3))
    votes = [v("a", 1, "yes"), v("b", 1), v("c", 1)]
    q = decide_weighted(rule, votes, method="weight").condition("weight_quorum")
    assert (q.passed, q.have, q.needed, q.margin) == (True, 1, 1, 0)


def test_abstentions_count_for_turnout_not_validity_by_default():
    rule = Rule(name="q", threshold=Fraction(1, 2), strict=True, quorum=Fraction(3, 4))
    votes = [v("a", 2, "yes"), v("b", 1, "abstain"), v("c", 1, "no")]
    out = decide_weighted(rule, votes, method="weight")
    t = out.totals["weight"]
    assert (t["valid"], t["turnout"], t["abstain"]) == (3, 4, 1)
    assert out.passed is True  # yes 2 of 3 valid; turnout 4 of 4
    counted = rule.with_(count_abstentions_as_valid=True)
    assert decide_weighted(counted, votes, method="weight").passed is False  # 2 of 4


def test_a_split_with_no_yes_or_no_casts_the_communitys_own_choice():
    votes = [v("a", 5, "abstain", split=(0, 0)), v("b", 1, "yes")]
    out = decide_weighted(SM, votes, method="weight")
    assert out.cast["a"]["weight"]["abstain"] == 5 and out.passed is True
    nobody = decide_weighted(SM, [v("a", 5, None, split=(0, 0))], method="weight")
    assert nobody.totals["weight"]["turnout"] == 0 and nobody.passed is False
    assert "no valid votes" in nobody.reasons[0]


def test_a_group_of_weight_zero_counts_nothing_by_weight():
    out = decide_weighted(SM, [v("a", 0, "no"), v("b", 1, "yes")], method="weight")
    assert out.totals["weight"]["no"] == 0 and out.passed is True
    assert decide_weighted(SM, [v("a", 0, "no"), v("b", 1, "yes")], method="voters").passed is False


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["yes", "no", "abstain", None]), min_size=1, max_size=12),
    st.sampled_from([SM, HALF_OR_MORE, TT, MORE_THAN_TT]),
)
def test_one_vote_each_is_the_single_electorate_decision(choices, rule):
    """One community, one vote is exactly :func:`decide` on the communities' counts."""
    votes = [v(str(i), 7, c) for i, c in enumerate(choices)]
    out = decide_weighted(rule, votes, method="voters")
    counts = Counts.single(
        yes=choices.count("yes"),
        no=choices.count("no"),
        abstain=choices.count("abstain"),
        eligible=len(choices),
    )
    single = decide(rule, counts)
    assert out.passed == single.passed
    assert out.condition("voters_threshold").text.endswith(single.conditions[0].text)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 9), st.integers(0, 9)),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from([SM, HALF_OR_MORE, TT, MORE_THAN_TT]),
)
def test_weighted_result_is_the_exact_fraction_against_the_threshold(groups, rule):
    votes = [
        v(str(i), w, "yes" if y > n else "no", split=(y, n)) for i, (w, y, n) in enumerate(groups)
    ]
    yes = valid = Fraction(0)
    for w, y, n in groups:
        if y + n:
            yes += Fraction(w * y, y + n)
            valid += w
        else:  # no split: the whole weight as the choice ("no" here)
            valid += w
    out = decide_weighted(rule, votes, method="weight")
    expected = valid > 0 and (
        yes / valid > rule.threshold if rule.strict else yes / valid >= rule.threshold
    )
    assert out.passed == expected
    assert out.totals["weight"]["yes"] == yes and out.totals["weight"]["valid"] == valid


@pytest.mark.parametrize(
    ("vote", "message"),
    [
        (lambda: v("a", -1, "yes"), "negative"),
        (lambda: v("a", 1.5, "yes"), "whole number or a Fraction"),
        (lambda: v("a", True, "yes"), "whole number or a Fraction"),
        (lambda: v("a", 1, "maybe"), "choice must be one of"),
        (lambda: v("a", 1, "yes", split=(1, -1)), "split counts"),
        (lambda: v("a", 1, "yes", split=(1,)), r"split is \(yes, no\)"),
    ],
)
def test_bad_votes_are_refused_naming_the_group(vote, message):
    with pytest.raises(DataError, match=message) as err:
        vote()
    assert "'a'" in str(err.value)


def test_bad_method_rule_or_duplicate_group_is_refused():
    with pytest.raises(RuleError, match="method must be one of"):
        decide_weighted(SM, [v("a", 1, "yes")], method="population")
    with pytest.raises(RuleError, match="from the method"):
        decide_weighted(Rule.preset("double-majority"), [v("a", 1, "yes")], method="weight")
    with pytest.raises(DataError, match="more than one vote"):
        decide_weighted(SM, [v("a", 1, "yes"), v("a", 1, "no")], method="voters")


def test_result_as_json_keeps_exact_fractions():
    out = decide_weighted(TT, [v("a", 4, "no", split=(1, 2)), v("b", 4, "yes")], method="weight")
    data = out.to_dict()
    assert data["totals"]["weight"]["yes"] == {"exact": "16/3", "float": 16 / 3}
    assert data["conditions"][0]["needed"] == "16/3" and data["passed"] is True
    assert data["method"] == "weight" and data["reasons"] == out.reasons
