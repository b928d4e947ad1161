"""Votes of groups that carry a weight: an alliance of communities, a federation of units.

Each group (a community) casts one vote, decided by its own process, and carries a weight
(the members it represents, frozen when voting opens). :func:`decide_weighted` decides the
question under a :class:`~secession.referendum.rules.Rule` by one of three methods:

``"voters"``
    One group, one vote: every group's vote counts 1.
``"weight"``
    Every group's vote counts its weight. A group that decided by a vote of its own members
    may give ``split=(yes, no)``: its weight is then divided in proportion to its members'
    yes and no (a group of 9 whose members voted 2 yes, 1 no casts 6 yes and 3 no); with no
    yes or no among them it casts its whole vote as its ``choice`` says.
``"double"``
    A majority of the groups *and* a majority of the weight they hold (the classic double
    majority of a union of states): the ``"voters"`` conditions and the ``"weight"``
    conditions must all be met, each group's vote counted whole (no split) in both.

Every sum is exact (:class:`~fractions.Fraction`) and the conditions are the ones
:func:`secession.referendum.tally.decide` applies to a single electorate
(:func:`~secession.referendum.tally.threshold_condition`,
:func:`~secession.referendum.tally.quorum_condition`), so every tie is decided as there:
a strict threshold fails exactly at the threshold (exactly half of the groups, or exactly
half of the weight, fails a simple majority); ``strict = false`` passes it; a quorum is met
exactly at it. Turnout is the weight (or number) of groups that voted yes or no, plus those
that abstained when ``count_abstentions_in_turnout``; a group that did not vote (``choice``
``None``) is eligible but neither valid nor turnout.

>>> votes = [GroupVote("a", 9, "yes", split=(2, 1)), GroupVote("b", 2, "no")]
>>> out = decide_weighted(Rule.preset("simple-majority"), votes, method="weight")
>>> out.passed, out.totals["weight"]["yes"], out.totals["weight"]["valid"]
(True, Fraction(6, 1), Fraction(11, 1))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from secession.exceptions import DataError, RuleError
from secession.referendum.rules import Rule
from secession.referendum.tally import (
    Condition,
    amount,
    quorum_condition,
    threshold_condition,
)

Method = Literal["voters", "weight", "double"]
METHODS: tuple[str, ...] = ("voters", "weight", "double")
CHOICES: tuple[str, ...] = ("yes", "no", "abstain")
SCOPES: dict[str, tuple[str, ...]] = {
    "voters": ("voters",),
    "weight": ("weight",),
    "double": ("voters", "weight"),
}
DEFAULT_LABELS = {"voters": "groups, one vote each", "weight": "weighted votes"}


def _exact(value: Any, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Fraction):
        raise DataError(f"{what} must be a whole number or a Fraction, got {value!r}")
    return Fraction(value)


@dataclass(frozen=True)
class GroupVote:
    """One group's vote: its id, weight, ``choice`` (``"yes"``, ``"no"``, ``"abstain"``, or
    ``None`` when it did not vote) and, optionally, its members' ``split=(yes, no)``."""

    group: str
    weight: int | Fraction = 1
    choice: str | None = None
    split: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        weight = _exact(self.weight, f"group {self.group!r}: weight")
        if weight < 0:
            raise DataError(f"group {self.group!r}: weight {weight} is negative")
        object.__setattr__(self, "weight", weight)
        if self.choice is not None and self.choice not in CHOICES:
            raise DataError(
                f"group {self.group!r}: choice must be one of {', '.join(CHOICES)} or None, "
                f"got {self.choice!r}"
            )
        if self.split is not None:
            if len(self.split) != 2:
                raise DataError(f"group {self.group!r}: split is (yes, no), got {self.split!r}")
            for part in self.split:
                if isinstance(part, bool) or not isinstance(part, int) or part < 0:
                    raise DataError(
                        f"group {self.group!r}: split counts must be whole numbers >= 0, "
                        f"got {self.split!r}"
                    )
            object.__setattr__(self, "split", (int(self.split[0]), int(self.split[1])))

    def parts(self, scope: str) -> dict[str, Fraction]:
        """What this vote casts in ``scope`` (``"voters"`` counts 1, ``"weight"`` the weight;
        ``split`` only when ``proportional``, see :func:`decide_weighted`)."""
        return self._parts(scope, proportional=scope == "weight")

    def _parts(self, scope: str, *, proportional: bool) -> dict[str, Fraction]:
        w = Fraction(1) if scope == "voters" else Fraction(self.weight)
        out = dict.fromkeys(CHOICES, Fraction(0))
        if proportional and self.split is not None and sum(self.split) > 0:
            yes, no = self.split
            out["yes"] = w * yes / (yes + no)
            out["no"] = w - out["yes"]
            return out
        if self.choice is not None:
            out[self.choice] = w
        return out


@dataclass
class WeightedOutcome:
    """The decision: ``passed``, the evaluated ``conditions`` (named ``voters_threshold``,
    ``voters_quorum``, ``weight_threshold``, ``weight_quorum``), the exact ``totals`` per
    scope, and what each group cast (``cast``: group -> scope -> yes/no/abstain)."""

    rule: Rule
    method: str
    passed: bool
    conditions: list[Condition]
    totals: dict[str, dict[str, Fraction]]
    cast: dict[str, dict[str, dict[str, Fraction]]] = field(default_factory=dict)

    @property
    def reasons(self) -> list[str]:
        failed = [c.text for c in self.conditions if not c.passed]
        return failed + [c.text for c in self.conditions if c.passed]

    def condition(self, name: str) -> Condition | None:
        return next((c for c in self.conditions if c.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, every amount as an exact ``"n/d"`` string and a float."""

        def exact(x: Fraction) -> dict[str, Any]:
            return {"exact": str(x), "float": float(x)}

        return {
            "rule": self.rule.to_dict(),
            "rule_text": self.rule.describe(),
            "method": self.method,
            "passed": self.passed,
            "reasons": self.reasons,
            "conditions": [
                {
                    "name": c.name,
                    "passed": c.passed,
                    "value": None if c.value is None else str(c.value),
                    "required": str(c.required),
                    "strict": c.strict,
                    "have": str(Fraction(c.have)),
                    "needed": str(Fraction(c.needed)),
                    "text": c.text,
                }
                for c in self.conditions
            ],
            "totals": {s: {k: exact(v) for k, v in t.items()} for s, t in self.totals.items()},
        }


def _check_rule(rule: Rule) -> None:
    if not isinstance(rule, Rule):
        raise RuleError(f"decide_weighted: expected a Rule, got {type(rule).__name__}")
    if rule.double_majority is not None or rule.unit_opt_in:
        raise RuleError(
            f"rule {rule.name!r}: a vote of groups takes its double majority from the method "
            "('double'), not from double_majority or unit_opt_in"
        )


def _scope_totals(
    rule: Rule, cast: list[dict[str, Fraction]], eligible: Fraction
) -> dict[str, Fraction]:
    yes = sum((c["yes"] for c in cast), Fraction(0))
    no = sum((c["no"] for c in cast), Fraction(0))
    abstain = sum((c["abstain"] for c in cast), Fraction(0))
    valid = yes + no + (abstain if rule.count_abstentions_as_valid else 0)
    turnout = yes + no + (abstain if rule.count_abstentions_in_turnout else 0)
    return {
        "yes": yes,
        "no": no,
        "abstain": abstain,
        "valid": valid,
        "turnout": turnout,
        "eligible": eligible,
    }


def _named(condition: Condition, scope: str, label: str) -> Condition:
    return Condition(
        f"{scope}_{condition.name}",
        condition.passed,
        condition.value,
        condition.required,
        condition.strict,
        condition.have,
        condition.needed,
        f"{label}: {condition.text}",
    )


def decide_weighted(
    rule: Rule,
    votes: Sequence[GroupVote],
    *,
    method: str = "weight",
    labels: Mapping[str, str] | None = None,
) -> WeightedOutcome:
    """Decide a vote of groups under ``rule`` by ``method`` (see the module docstring).

    ``labels`` name the scopes in the reasons (e.g. ``{"voters": "communities, one vote
    each", "weight": "members represented"}``). Raises :class:`RuleError` for a method or
    rule that cannot apply, :class:`DataError` for two votes of one group.
    """
    _check_rule(rule)
    if method not in METHODS:
        raise RuleError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    seen: set[str] = set()
    for v in votes:
        if v.group in seen:
            raise DataError(f"group {v.group!r} has more than one vote")
        seen.add(v.group)
    names = {**DEFAULT_LABELS, **(labels or {})}
    proportional = method == "weight"
    conditions: list[Condition] = []
    totals: dict[str, dict[str, Fraction]] = {}
    cast: dict[str, dict[str, dict[str, Fraction]]] = {v.group: {} for v in votes}
    for scope in SCOPES[method]:
        parts = [v._parts(scope, proportional=proportional) for v in votes]
        for v, p in zip(votes, parts, strict=True):
            cast[v.group][scope] = p
        if scope == "voters":
            eligible = Fraction(len(votes))
        else:
            eligible = sum((Fraction(v.weight) for v in votes), Fraction(0))
        t = _scope_totals(rule, parts, eligible)
        totals[scope] = t
        threshold = threshold_condition(rule, t["yes"], t["valid"])
        conditions.append(_named(threshold, scope, names[scope]))
        q = quorum_condition(rule, t["turnout"], t["eligible"])
        if q is not None:
            conditions.append(_named(q, scope, names[scope]))
    return WeightedOutcome(
        rule=rule,
        method=method,
        passed=all(c.passed for c in conditions),
        conditions=conditions,
        totals=totals,
        cast=cast,
    )


__all__ = ["CHOICES", "METHODS", "GroupVote", "WeightedOutcome", "amount", "decide_weighted"]
