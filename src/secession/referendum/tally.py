"""Integer tallies and the decision: :class:`Counts` in, :class:`Outcome` out, no floats.

``decide(rule, counts)`` applies a :class:`~secession.referendum.rules.Rule` to per-unit
integer counts and says whether the question passed and why: every condition with its
exact value (a :class:`~fractions.Fraction`), what was required, and the margin in votes.

Example (one electorate, as the web platform calls it)
-------------------------------------------------------
>>> from secession.referendum.rules import Rule
>>> out = decide(Rule.preset("simple-majority"), Counts.single(yes=50, no=50, eligible=120))
>>> out.passed, out.yes_share
(False, Fraction(1, 2))
>>> print(out.reasons[0])  # doctest: +NORMALIZE_WHITESPACE
threshold not met: yes 50 of 100 valid votes = 1/2 (50%); needs more than 1/2 (50%)
of valid votes (51 votes): short by 1 vote
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from secession.exceptions import DataError, RuleError
from secession.referendum.rules import Rule, format_fraction

CATEGORIES: tuple[str, ...] = ("yes", "no", "blank", "abstain")


def _int_array(values: Any, n: int | None, name: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
            raise DataError(f"counts: {name} must be whole numbers")
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "iu":
        try:
            arr = arr.astype(np.int64)
        except (TypeError, ValueError):
            raise DataError(f"counts: {name} must be integers") from None
    arr = arr.astype(np.int64, copy=False).reshape(-1)
    if n is not None and arr.shape[0] != n:
        raise DataError(f"counts: {name} has {arr.shape[0]} values, expected {n}")
    return arr


@dataclass(frozen=True, eq=False)
class Counts:
    """Integer vote counts per unit (``int64`` arrays of equal length).

    ``blank`` is a ballot cast with no answer; ``abstain`` an explicit abstention (see
    :mod:`secession.referendum.rules`). ``eligible`` is the number of registered voters
    (``None`` when unknown: then a rule with a quorum cannot be applied). ``population``
    weighs units for a double majority by population (defaults to ``eligible``, else to
    ballots cast). ``units`` are the unit ids (default ``"0"``, ``"1"``, ...).

    Every count is checked: non-negative, and ``yes + no + blank + abstain <= eligible``.
    """

    yes: np.ndarray
    no: np.ndarray
    blank: np.ndarray
    abstain: np.ndarray
    eligible: np.ndarray | None = None
    units: tuple[str, ...] = ()
    population: np.ndarray | None = None

    def __post_init__(self) -> None:
        yes = _int_array(self.yes, None, "yes")
        n = yes.shape[0]
        object.__setattr__(self, "yes", yes)
        for name in ("no", "blank", "abstain"):
            value = getattr(self, name)
            arr = np.zeros(n, dtype=np.int64) if value is None else _int_array(value, n, name)
            object.__setattr__(self, name, arr)
        if self.eligible is not None:
            object.__setattr__(self, "eligible", _int_array(self.eligible, n, "eligible"))
        if self.population is not None:
            pop = np.asarray(self.population, dtype=np.float64).reshape(-1)
            if pop.shape[0] != n or np.any(~np.isfinite(pop)) or np.any(pop < 0):
                raise DataError("counts: population must be n non-negative numbers")
            object.__setattr__(self, "population", pop)
        units = tuple(str(u) for u in self.units) if len(self.units) else ()
        if not units:
            units = tuple(str(i) for i in range(n))
        if len(units) != n:
            raise DataError(f"counts: {len(units)} unit ids for {n} units")
        object.__setattr__(self, "units", units)
        self._check()

    def _check(self) -> None:
        for name in (*CATEGORIES, "eligible"):
            arr = getattr(self, name)
            if arr is None:
                continue
            bad = np.flatnonzero(arr < 0)
            if bad.size:
                i = int(bad[0])
                raise DataError(
                    f"counts: negative {name} ({int(arr[i])}) for unit {self.units[i]!r}"
                )
        if self.eligible is not None:
            over = np.flatnonzero(self.cast > self.eligible)
            if over.size:
                i = int(over[0])
                raise DataError(
                    f"counts: unit {self.units[i]!r} has {int(self.cast[i])} ballots cast but "
                    f"only {int(self.eligible[i])} eligible voters"
                )

    # ------------------------------------------------------------------ build
    @classmethod
    def single(
        cls,
        *,
        yes: int,
        no: int,
        blank: int = 0,
        abstain: int = 0,
        eligible: int | None = None,
        unit: str = "all",
    ) -> Counts:
        """Counts of one electorate (one unit), as the web platform records a vote."""
        return cls(
            yes=np.array([yes]),
            no=np.array([no]),
            blank=np.array([blank]),
            abstain=np.array([abstain]),
            eligible=None if eligible is None else np.array([eligible]),
            units=(unit,),
        )

    @classmethod
    def from_arrays(
        cls,
        units: Sequence[str],
        *,
        yes: Any,
        no: Any,
        blank: Any = None,
        abstain: Any = None,
        eligible: Any = None,
        population: Any = None,
    ) -> Counts:
        """Per-unit counts from array-likes (``blank``/``abstain`` default to zeros)."""
        return cls(
            yes=yes,
            no=no,
            blank=blank,
            abstain=abstain,
            eligible=eligible,
            units=tuple(units),
            population=population,
        )

    # ------------------------------------------------------------------ facts
    @property
    def n_units(self) -> int:
        return int(self.yes.shape[0])

    @property
    def cast(self) -> np.ndarray:
        """Ballots cast per unit: yes + no + blank + abstain."""
        return self.yes + self.no + self.blank + self.abstain

    def valid(self, rule: Rule) -> np.ndarray:
        """The threshold's denominator per unit under ``rule``."""
        out = self.yes + self.no
        if rule.count_blank_as_valid:
            out = out + self.blank
        if rule.count_abstentions_as_valid:
            out = out + self.abstain
        return out

    def turnout(self, rule: Rule) -> np.ndarray:
        """Ballots that count towards the quorum per unit under ``rule``."""
        out = self.yes + self.no + self.blank
        if rule.count_abstentions_in_turnout:
            out = out + self.abstain
        return out

    def weights(self) -> np.ndarray:
        """Population weight per unit: ``population``, else ``eligible``, else ballots cast."""
        if self.population is not None:
            return self.population
        if self.eligible is not None:
            return self.eligible.astype(np.float64)
        return self.cast.astype(np.float64)

    def total(self, unit: str = "all") -> Counts:
        """All units summed into one."""
        return Counts(
            yes=np.array([int(self.yes.sum())]),
            no=np.array([int(self.no.sum())]),
            blank=np.array([int(self.blank.sum())]),
            abstain=np.array([int(self.abstain.sum())]),
            eligible=None if self.eligible is None else np.array([int(self.eligible.sum())]),
            units=(unit,),
            population=None if self.population is None else np.array([self.population.sum()]),
        )

    def unit(self, i: int) -> dict[str, int | None]:
        """Counts of the unit at position ``i`` as plain ints."""
        out: dict[str, int | None] = {c: int(getattr(self, c)[i]) for c in CATEGORIES}
        out["eligible"] = None if self.eligible is None else int(self.eligible[i])
        return out

    def to_frame(self):
        """Per-unit counts as a pandas DataFrame (column ``unit`` first)."""
        import pandas as pd

        data: dict[str, Any] = {"unit": list(self.units)}
        for c in CATEGORIES:
            data[c] = getattr(self, c)
        if self.eligible is not None:
            data["eligible"] = self.eligible
        return pd.DataFrame(data)

    def __add__(self, other: Counts) -> Counts:
        """Unit-wise sum of two tallies over the same units (e.g. two chunks of ballots)."""
        if not isinstance(other, Counts):
            return NotImplemented
        if self.units != other.units:
            raise DataError("counts: cannot add tallies over different units")

        def add(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
            return None if a is None or b is None else a + b

        return Counts(
            yes=self.yes + other.yes,
            no=self.no + other.no,
            blank=self.blank + other.blank,
            abstain=self.abstain + other.abstain,
            eligible=add(self.eligible, other.eligible),
            units=self.units,
            population=self.population,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Counts):
            return NotImplemented
        same = self.units == other.units and all(
            np.array_equal(getattr(self, c), getattr(other, c)) for c in CATEGORIES
        )
        if (self.eligible is None) != (other.eligible is None):
            return False
        if self.eligible is not None:
            same = same and np.array_equal(self.eligible, other.eligible)
        return same

    __hash__ = None  # type: ignore[assignment]


# ---------------------------------------------------------------------- conditions
SHARE_MAX_DENOMINATOR = 1000
"""Shares with a larger denominator are shown as a percentage alone in reason texts."""


def _n(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _share(value: Fraction) -> str:
    """A share with its percentage (``"3/5 (60%)"``), or the percentage alone when the
    denominator is above ``SHARE_MAX_DENOMINATOR``."""
    return format_fraction(value, SHARE_MAX_DENOMINATOR)


def _votes(n: int) -> str:
    return _n(n, "vote")


def _head_tail(name: str, diff: int, noun: str) -> tuple[str, str]:
    """``("<name> met", "<n> <noun>s to spare")`` or ``("<name> not met", "short by ...")``."""
    if diff >= 0:
        return f"{name} met", f"{_n(diff, noun)} to spare"
    return f"{name} not met", f"short by {_n(-diff, noun)}"


@dataclass(frozen=True)
class Condition:
    """One condition of a rule, evaluated: exact ``value`` against ``required``.

    ``needed`` is the smallest whole count (yes votes, ballots, units, population) that
    meets the condition and ``have`` the count there is; ``margin = have - needed``
    (negative: short by that many; zero or more: met, with that many to spare). Only for
    weights that are not whole (a population double majority with fractional weights, a
    weighted vote split in proportion) is ``needed`` the exact bound itself (a Fraction),
    which a strict condition must exceed (met when ``margin > 0``).
    """

    name: str  # "threshold", "quorum", "double_majority", "opt_in"
    passed: bool
    value: Fraction | None
    required: Fraction
    strict: bool
    have: float | Fraction
    needed: float | Fraction
    text: str

    @property
    def margin(self) -> float:
        return self.have - self.needed

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "passed": self.passed,
            "value": None if self.value is None else str(self.value),
            "value_float": None if self.value is None else float(self.value),
            "required": str(self.required),
            "required_float": float(self.required),
            "strict": self.strict,
            "have": _plain(self.have),
            "needed": _plain(self.needed),
            "margin": _plain(self.margin),
            "text": self.text,
        }


def _plain(x: float) -> int | float:
    return int(x) if float(x).is_integer() else float(x)


def _min_count(required: Fraction, total: int, strict: bool) -> int:
    """Smallest integer ``k`` with ``k/total > required`` (strict) or ``>= required``."""
    edge = required.numerator * int(total)
    if strict:
        return edge // required.denominator + 1
    return -(-edge // required.denominator)


@functools.lru_cache(maxsize=64)
def _rule_texts(rule: Rule) -> tuple[str, str]:
    """The rule's threshold and quorum phrases (made once per rule, used for every unit)."""
    quorum = "" if rule.quorum is None else format_fraction(rule.quorum)
    return rule.describe_threshold(), quorum


def _threshold_text(desc: str, yes: int, valid: int, needed: int) -> str:
    """``desc`` is the rule's threshold phrase (``_rule_texts(rule)[0]``)."""
    if valid == 0:
        return f"threshold not met: no valid votes; needs {desc}"
    head, tail = _head_tail("threshold", yes - needed, "vote")
    return (
        f"{head}: yes {yes:,} of {valid:,} valid votes = {_share(Fraction(yes, valid))}; "
        f"needs {desc} ({_votes(needed)}): {tail}"
    )


def _quorum_text(desc: str, turnout: int, eligible: int, needed: int) -> str:
    """``desc`` is the rule's quorum phrase (``_rule_texts(rule)[1]``)."""
    if eligible == 0:
        return "quorum not met: no eligible voters"
    head, tail = _head_tail("quorum", turnout - needed, "voter")
    return (
        f"{head}: turnout {turnout:,} of {eligible:,} eligible = "
        f"{_share(Fraction(turnout, eligible))}; "
        f"needs at least {desc} ({_n(needed, 'voter')}): {tail}"
    )


def threshold_condition(rule: Rule, yes: int | Fraction, valid: int | Fraction) -> Condition:
    """The threshold condition on one electorate's counts.

    Whole counts (ints, or Fractions that are whole) give the smallest whole number of yes
    votes that meets the threshold; weighted counts that are not whole (a group's weight
    split in proportion, :mod:`secession.referendum.weighted`) are compared exactly with
    ``threshold * valid`` itself, which a strict rule must exceed.
    """
    if not (_whole(yes) and _whole(valid)):
        return _exact_threshold(rule, Fraction(yes), Fraction(valid))
    yes, valid = int(yes), int(valid)
    needed = _min_count(rule.threshold, valid, rule.strict)
    ok = valid > 0 and yes >= needed  # the same as yes/valid > (or >=) threshold
    share = Fraction(yes, valid) if valid else None
    text = _threshold_text(_rule_texts(rule)[0], yes, valid, needed)
    return Condition("threshold", ok, share, rule.threshold, rule.strict, yes, needed, text)


def _whole(x: int | Fraction) -> bool:
    return isinstance(x, int) or (isinstance(x, Fraction) and x.denominator == 1)


def amount(x: int | Fraction) -> str:
    """A weighted count in words: ``12`` -> ``"12"``, ``20/3`` -> ``"20/3 (6.67)"``."""
    x = Fraction(x)
    if x.denominator == 1:
        return f"{x.numerator:,}"
    return f"{x.numerator}/{x.denominator} ({float(x):,.2f})"


def _exact_tail(diff: Fraction, strict: bool, ok: bool) -> str:
    if ok:
        return f"{amount(diff)} to spare"
    if diff == 0:
        return "exactly at it, which fails: it must be exceeded"
    return f"short by {'more than ' if strict else ''}{amount(-diff)}"


def _exact_threshold(rule: Rule, yes: Fraction, valid: Fraction) -> Condition:
    needed = rule.threshold * valid
    ok = valid > 0 and (yes > needed if rule.strict else yes >= needed)
    share = yes / valid if valid else None
    desc = _rule_texts(rule)[0]
    if valid == 0:
        text = f"threshold not met: no valid votes; needs {desc}"
    else:
        word = "more than" if rule.strict else "at least"
        text = (
            f"threshold {'met' if ok else 'not met'}: yes {amount(yes)} of {amount(valid)} "
            f"valid votes = {_share(share)}; needs {desc} ({word} {amount(needed)}): "
            + _exact_tail(yes - needed, rule.strict, ok)
        )
    return Condition("threshold", ok, share, rule.threshold, rule.strict, yes, needed, text)


def _no_eligible(rule: Rule) -> RuleError:
    return RuleError(
        f"rule {rule.name!r} has a quorum but the number of eligible voters is unknown: give "
        "eligible counts (an eligible column in the results, or `eligible` with ballots)"
    )


def quorum_condition(
    rule: Rule, turnout: int | Fraction, eligible: int | Fraction | None
) -> Condition | None:
    """The quorum condition (inclusive), or ``None`` when the rule has no quorum; weighted
    counts that are not whole are compared exactly, as in :func:`threshold_condition`."""
    if rule.quorum is None:
        return None
    if eligible is None:
        raise _no_eligible(rule)
    if not (_whole(turnout) and _whole(eligible)):
        return _exact_quorum(rule, Fraction(turnout), Fraction(eligible))
    turnout, eligible = int(turnout), int(eligible)
    needed = _min_count(rule.quorum, eligible, strict=False)
    ok = eligible > 0 and turnout >= needed  # the same as turnout/eligible >= quorum
    share = Fraction(turnout, eligible) if eligible else None
    text = _quorum_text(_rule_texts(rule)[1], turnout, eligible, needed)
    return Condition("quorum", ok, share, rule.quorum, False, turnout, needed, text)


def _exact_quorum(rule: Rule, turnout: Fraction, eligible: Fraction) -> Condition:
    assert rule.quorum is not None
    needed = rule.quorum * eligible
    ok = eligible > 0 and turnout >= needed
    share = turnout / eligible if eligible else None
    if eligible == 0:
        text = "quorum not met: no eligible voters"
    else:
        text = (
            f"quorum {'met' if ok else 'not met'}: turnout {amount(turnout)} of "
            f"{amount(eligible)} eligible = {_share(share)}; needs at least "
            f"{_rule_texts(rule)[1]} ({amount(needed)}): "
            + _exact_tail(turnout - needed, False, ok)
        )
    return Condition("quorum", ok, share, rule.quorum, False, turnout, needed, text)


def _min_counts(required: Fraction, totals: np.ndarray, strict: bool) -> np.ndarray:
    """:func:`_min_count` for every unit at once, in exact integers (Python integers
    when ``int64`` could overflow)."""
    num, den = required.numerator, required.denominator
    top = int(totals.max(initial=0))
    arr = totals if top * max(num, 1) < 2**62 else totals.astype(object)
    edge = arr * num
    return edge // den + 1 if strict else -(-edge // den)


# ---------------------------------------------------------------------- outcome
@dataclass
class Outcome:
    """The decision: ``passed``, the evaluated ``conditions`` and per-unit results.

    ``reasons`` has one readable line per condition (failed ones first). ``unit_passed``
    is the per-unit result (the unit's own threshold and quorum); with a ``unit_opt_in``
    rule, ``leaving_units`` are the units whose own vote passed and ``passed`` says whether
    at least one did.
    """

    rule: Rule
    passed: bool
    conditions: list[Condition]
    counts: Counts
    totals: dict[str, int | None]
    yes_share: Fraction | None
    turnout_share: Fraction | None
    unit_passed: np.ndarray
    unit_yes_share: list[Fraction | None]
    unit_reasons: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        failed = [c.text for c in self.conditions if not c.passed]
        met = [c.text for c in self.conditions if c.passed]
        return failed + met + self.notes

    @property
    def failed(self) -> list[Condition]:
        return [c for c in self.conditions if not c.passed]

    def condition(self, name: str) -> Condition | None:
        return next((c for c in self.conditions if c.name == name), None)

    @property
    def leaving_units(self) -> list[str]:
        return [u for u, ok in zip(self.counts.units, self.unit_passed, strict=True) if ok]

    def units_frame(self):
        """Per-unit counts and results as a pandas DataFrame (``units.csv``)."""
        frame = self.counts.to_frame()
        frame["valid"] = self.counts.valid(self.rule)
        frame["yes_share"] = [None if s is None else float(s) for s in self.unit_yes_share]
        frame["yes_share_exact"] = [None if s is None else str(s) for s in self.unit_yes_share]
        frame["passed"] = self.unit_passed
        frame["reason"] = self.unit_reasons
        return frame

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (fractions as ``"n/d"`` strings plus floats)."""
        return {
            "rule": self.rule.to_dict(),
            "rule_text": self.rule.describe(),
            "passed": self.passed,
            "totals": self.totals,
            "yes_share": None if self.yes_share is None else str(self.yes_share),
            "yes_share_float": None if self.yes_share is None else float(self.yes_share),
            "turnout": None if self.turnout_share is None else str(self.turnout_share),
            "turnout_float": None if self.turnout_share is None else float(self.turnout_share),
            "conditions": [c.to_dict() for c in self.conditions],
            "reasons": self.reasons,
            "units": self.counts.n_units,
            "units_passed": int(self.unit_passed.sum()),
            "leaving_units": self.leaving_units if self.rule.unit_opt_in else None,
        }


def _unit_results(rule: Rule, counts: Counts) -> tuple[np.ndarray, list, list[str]]:
    """Each unit's own threshold and quorum: passed, exact yes share and reason text."""
    yes, valid, turnout = counts.yes, counts.valid(rule), counts.turnout(rule)
    t_need = _min_counts(rule.threshold, valid, rule.strict)
    passed = (valid > 0) & (yes >= t_need)
    ys, vs, tn = yes.tolist(), valid.tolist(), np.asarray(t_need).tolist()
    t_desc, q_desc = _rule_texts(rule)
    reasons = [_threshold_text(t_desc, *args) for args in zip(ys, vs, tn, strict=True)]
    if rule.quorum is not None:
        if counts.eligible is None:
            raise _no_eligible(rule)
        eligible = counts.eligible
        q_need = _min_counts(rule.quorum, eligible, strict=False)
        passed &= (eligible > 0) & (turnout >= q_need)
        quorum = zip(turnout.tolist(), eligible.tolist(), np.asarray(q_need).tolist(), strict=True)
        reasons = [f"{r}; {_quorum_text(q_desc, *q)}" for r, q in zip(reasons, quorum, strict=True)]
    shares = [Fraction(y, v) if v else None for y, v in zip(ys, vs, strict=True)]
    return np.asarray(passed, dtype=bool), shares, reasons


def _double_majority(rule: Rule, counts: Counts, unit_passed: np.ndarray) -> Condition:
    if rule.double_majority == "units":
        n = counts.n_units
        have = int(unit_passed.sum())
        needed = n // 2 + 1
        ok = have >= needed
        head, tail = _head_tail("majority of units", have - needed, "unit")
        text = (
            f"{head}: yes won in {have:,} of {n:,} units; "
            f"needs more than half ({_n(needed, 'unit')}): {tail}"
        )
        value = Fraction(have, n) if n else None
        return Condition("double_majority", ok, value, Fraction(1, 2), True, have, needed, text)
    weights = counts.weights()
    # Exact sums (a float sum could round a tie into a pass or a fail): Python integers for
    # whole weights, else Fractions (every float64 is an exact binary fraction).
    integral = bool(np.all(weights == np.floor(weights)))
    exact = int if integral else Fraction
    total_f = Fraction(sum(exact(w) for w in weights.tolist()))
    have_f = Fraction(sum(exact(w) for w in weights[unit_passed].tolist()))
    value = have_f / total_f if total_f > 0 else None
    ok = value is not None and value > Fraction(1, 2)
    # Smallest weight that is more than half: a whole number when the weights are.
    needed_f = total_f // 2 + 1 if integral else total_f / 2
    have, needed = _plain(float(have_f)), _plain(float(needed_f))
    head = "majority of population met" if ok else "majority of population not met"
    diff = have_f - needed_f
    if ok:
        tail = f"{_number(diff)} to spare"
    elif integral:
        tail = f"short by {_number(-diff)}"
    else:
        tail = f"short by more than {_number(-diff)}"
    text = (
        f"{head}: units where yes won hold {_number(have_f)} of {_number(total_f)} population"
        + ("" if value is None else f" = {_share(value)}")
        + f"; needs more than half ({'at least ' if integral else 'more than '}"
        + f"{_number(needed_f)}): {tail}"
    )
    return Condition("double_majority", ok, value, Fraction(1, 2), True, have, needed, text)


def _number(x: Fraction | float) -> str:
    """A population figure: thousands separators, at most 2 decimals."""
    x = float(x)
    return f"{x:,.0f}" if x.is_integer() else f"{x:,.2f}"


def _opt_in_condition(counts: Counts, unit_passed: np.ndarray) -> Condition:
    n, k = counts.n_units, int(unit_passed.sum())
    if k:
        text = f"opt-in met: yes won in {k:,} of {n:,} units; those units choose to leave"
    else:
        text = f"opt-in not met: yes won in none of the {n:,} units, so no unit leaves"
    value = Fraction(k, n) if n else None
    return Condition("opt_in", k > 0, value, Fraction(0), True, k, 1, text)


def decide(rule: Rule, counts: Counts) -> Outcome:
    """Apply ``rule`` to ``counts`` and explain the result.

    The overall conditions are computed on the sum over all units: the threshold, the
    quorum (if any) and, for a double majority, the share of units (or population) whose
    own vote passed. With ``unit_opt_in`` only the per-unit results decide: the one
    condition is ``opt_in`` (met when yes won in at least one unit, see
    :attr:`Outcome.leaving_units`), and the overall vote is given as a note for information.
    Raises :class:`RuleError` when the rule needs eligible counts that are missing.
    """
    if not isinstance(rule, Rule):
        raise RuleError(f"decide: expected a Rule, got {type(rule).__name__}")
    total = counts.total()
    valid = int(total.valid(rule)[0])
    turnout = int(total.turnout(rule)[0])
    eligible = None if total.eligible is None else int(total.eligible[0])
    overall = threshold_condition(rule, int(total.yes[0]), valid)
    unit_passed, shares, unit_reasons = _unit_results(rule, counts)
    notes: list[str] = []
    if rule.unit_opt_in:
        conditions = [_opt_in_condition(counts, unit_passed)]
        share = "no valid votes" if overall.value is None else _share(overall.value)
        notes.append(
            f"overall vote, for information only (not a condition of an opt-in rule): "
            f"yes {int(total.yes[0]):,} of {valid:,} valid votes = {share}"
        )
    else:
        conditions = [overall]
        q = quorum_condition(rule, turnout, eligible)
        if q is not None:
            conditions.append(q)
        if rule.double_majority is not None:
            conditions.append(_double_majority(rule, counts, unit_passed))
    passed = all(c.passed for c in conditions)
    totals: dict[str, int | None] = total.unit(0)
    totals["valid"] = valid
    totals["turnout"] = turnout
    totals["cast"] = int(total.cast[0])
    return Outcome(
        rule=rule,
        passed=passed,
        conditions=conditions,
        counts=counts,
        totals=totals,
        yes_share=overall.value,
        turnout_share=Fraction(turnout, eligible) if eligible else None,
        unit_passed=unit_passed,
        unit_yes_share=shares,
        unit_reasons=unit_reasons,
        notes=notes,
    )
