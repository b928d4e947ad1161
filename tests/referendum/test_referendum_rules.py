"""Rules as data: exact fractions from every accepted spelling, files, presets, clear errors."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from secession.exceptions import RuleError
from secession.referendum.rules import PRESETS, Rule, parse_fraction


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2/3", Fraction(2, 3)),
        ("55%", Fraction(11, 20)),
        ("55 %", Fraction(11, 20)),
        ("66.5%", Fraction(133, 200)),
        (0.55, Fraction(11, 20)),
        ("0.55", Fraction(11, 20)),
        (1, Fraction(1)),
        (Fraction(3, 5), Fraction(3, 5)),
    ],
)
def test_parse_fraction_is_exact(text, expected):
    assert parse_fraction(text) == expected


def test_float_is_read_as_its_decimal_not_its_binary_value():
    # The binary double nearest 0.55 is slightly above 11/20; the rule must not be.
    assert Fraction(0.55) != Fraction(11, 20)
    assert Rule(threshold=0.55, strict=False).threshold == Fraction(11, 20)


@pytest.mark.parametrize("bad", ["abc", "2/0", "", True, None, float("nan"), [1, 2]])
def test_parse_fraction_rejects(bad):
    with pytest.raises(RuleError, match="threshold"):
        parse_fraction(bad, "threshold")


def test_presets():
    assert set(PRESETS) >= {
        "simple-majority",
        "supermajority-55",
        "two-thirds",
        "double-majority",
        "opt-in",
    }
    sm = Rule.preset("simple-majority")
    assert (sm.threshold, sm.strict) == (Fraction(1, 2), True)
    s55 = Rule.preset("supermajority-55")
    assert (s55.threshold, s55.strict) == (Fraction(11, 20), False)
    tt = Rule.preset("two-thirds")
    assert (tt.threshold, tt.strict) == (Fraction(2, 3), False)
    assert Rule.preset("double-majority").double_majority == "units"
    assert Rule.preset("opt-in").unit_opt_in is True
    with pytest.raises(RuleError, match="unknown rule preset 'nope'"):
        Rule.preset("nope")


def test_threshold_with_comparison_sets_strict():
    assert Rule.from_dict({"threshold": ">1/2"}).strict is True
    r = Rule.from_dict({"threshold": ">= 55%"})
    assert (r.threshold, r.strict) == (Fraction(11, 20), False)
    assert Rule.from_dict({"threshold": "majority"}) == Rule.preset("simple-majority").with_(
        name="custom"
    )
    with pytest.raises(RuleError, match="contradicts strict"):
        Rule.from_dict({"threshold": ">1/2", "strict": False})


def test_round_trip_through_dict_json_and_toml(tmp_path):
    rule = Rule(
        name="charter",
        threshold=Fraction(3, 5),
        strict=False,
        count_blank_as_valid=True,
        quorum=Fraction(1, 3),
        double_majority="population",
    )
    assert Rule.from_dict(rule.to_dict()) == rule
    (tmp_path / "r.json").write_text(json.dumps(rule.to_dict()))
    assert Rule.from_json(tmp_path / "r.json") == rule
    (tmp_path / "r.toml").write_text(
        '[rule]\nname = "charter"\nthreshold = "60%"\nstrict = false\n'
        'count_blank_as_valid = true\nquorum = "1/3"\ndouble_majority = "population"\n'
    )
    assert Rule.from_toml(tmp_path / "r.toml") == rule
    assert Rule.load(tmp_path / "r.toml") == rule
    assert Rule.load("two-thirds") is PRESETS["two-thirds"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"threshold": "3/2"}, "threshold must be between 0 and 1"),
        ({"threshold": 1, "strict": True}, "can never pass"),
        ({"threshold": 0, "strict": False}, "passes every vote"),
        ({"quorum": "0"}, "quorum must be above 0"),
        ({"quorum": "120%"}, "quorum must be above 0"),
        ({"double_majority": "cantons"}, "double_majority must be one of"),
        ({"double_majority": "units", "unit_opt_in": True}, "cannot be combined"),
        ({"strict": "yes"}, "'strict' must be true or false"),
        ({"treshold": "1/2"}, "unknown rule field"),
    ],
)
def test_bad_rule_fields(data, message):
    with pytest.raises(RuleError, match=message):
        Rule.from_dict(data)


def test_malformed_rule_files_name_the_file(tmp_path):
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text('threshold = "2/3\n')
    with pytest.raises(RuleError, match=r"bad\.toml: malformed TOML"):
        Rule.from_toml(bad_toml)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{threshold: 2}")
    with pytest.raises(RuleError, match=r"bad\.json: malformed JSON"):
        Rule.from_json(bad_json)
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"threshold": "two thirds"}')
    with pytest.raises(RuleError, match=r"wrong\.json: field 'threshold'"):
        Rule.from_json(wrong)
    with pytest.raises(RuleError, match="rule file not found"):
        Rule.load(tmp_path / "missing.toml")
    with pytest.raises(RuleError, match="neither a preset"):
        Rule.load("rule.yaml")


def test_the_rule_file_example_in_the_user_guide_loads():
    import re
    import tomllib
    from pathlib import Path

    guide = Path(__file__).resolve().parents[2] / "docs" / "referendum.md"
    block = re.search(r"```toml\n(.*?)```", guide.read_text(), re.S).group(1)
    rule = Rule.from_dict(tomllib.loads(block))
    assert (rule.threshold, rule.strict, rule.quorum) == (Fraction(11, 20), False, Fraction(1, 2))
    assert rule.double_majority is None and not rule.unit_opt_in


def test_docstring_examples_run():
    import doctest

    from secession.referendum import ballots, rules, tally

    for module in (rules, tally, ballots):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.attempted > 0, module.__name__
        assert result.failed == 0, module.__name__
