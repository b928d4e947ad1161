"""Referendum rules as data: thresholds are exact fractions, ties are decided by the rule.

A :class:`Rule` says when a yes/no question passes. It is read from a preset name, a dict,
a TOML or a JSON file, and is applied by :func:`secession.referendum.tally.decide`.

Ballot categories (see :class:`secession.referendum.tally.Counts`)
------------------------------------------------------------------
``yes``, ``no``
    Votes for either answer. Always valid.
``blank``
    A ballot cast with no answer (blank, or spoiled/invalid). It always counts towards
    turnout (the voter took part); it is a *valid* vote (part of the threshold's
    denominator, so it weighs like a ``no``) only when ``count_blank_as_valid``.
``abstain``
    An explicit "abstain" answer (as on the platform's ballots). It counts towards turnout
    only when ``count_abstentions_in_turnout`` (the default, as "present but abstaining"
    counts for a quorum); it is a valid vote only when ``count_abstentions_as_valid``.
eligible voters who cast nothing
    Never valid, never turnout.

Conditions, and exactly how each one treats a tie
-------------------------------------------------
threshold
    ``yes / valid`` must be ``> threshold`` when ``strict`` (a tie *at* the threshold fails:
    50 % yes fails simple majority) and ``>= threshold`` when not strict (a tie passes:
    exactly 55 % passes ``supermajority-55``, exactly 2/3 passes ``two-thirds``).
    No valid votes at all: the threshold is not met.
quorum
    ``turnout / eligible >= quorum`` (inclusive: exactly at the quorum passes), where
    turnout = yes + no + blank (+ abstain when ``count_abstentions_in_turnout``).
    ``None`` means no quorum.
double_majority
    ``"units"``: the overall vote must pass *and* strictly more than half of the units must
    pass (exactly half of the units fails). ``"population"``: the units that pass must hold
    strictly more than half of the total population weight (exactly half fails). A unit
    passes when its own counts meet the threshold and, if set, the quorum.
unit_opt_in
    Every unit follows its own result (threshold and quorum applied to that unit); the
    question passes where it passes. Cannot be combined with ``double_majority``.

Example
-------
>>> r = Rule.from_dict({"name": "55", "threshold": "55%", "strict": False})
>>> r.threshold, r.describe_threshold()
(Fraction(11, 20), 'at least 11/20 (55%) of valid votes')
>>> Rule.preset("simple-majority").strict
True
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from secession.exceptions import RuleError

DoubleMajority = Literal["units", "population"]
DOUBLE_MAJORITY_KINDS: tuple[str, ...] = ("units", "population")


def parse_fraction(value: Any, field_name: str = "value", source: str = "rule") -> Fraction:
    """An exact :class:`Fraction` from ``"2/3"``, ``"55%"``, ``"0.55"``, ``0.55``, ``1`` or
    a ``Fraction``.

    Floats are read through their shortest decimal form, so ``0.55`` is exactly 11/20 (not
    the binary float's 2476979795053773/4503599627370496). Raises :class:`RuleError`.
    """
    where = f"{source}: field {field_name!r}"
    if isinstance(value, bool):
        raise RuleError(f"{where}: expected a fraction such as '2/3', '55%' or 0.55, got {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise RuleError(f"{where}: {value!r} is not a finite number")
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        try:
            if text.endswith("%"):
                return Fraction(text[:-1]) / 100
            return Fraction(text)
        except (ValueError, ZeroDivisionError):
            pass
    raise RuleError(f"{where}: expected a fraction such as '2/3', '55%' or 0.55, got {value!r}")


def format_percent(value: Fraction) -> str:
    """``Fraction(11, 20)`` -> ``"55%"``; ``Fraction(2, 3)`` -> ``"66.67%"``.

    An exact percentage is shown without trailing zeros; a rounded one always keeps two
    decimals, so ``"50%"`` means exactly one half and ``"50.00%"`` a share that only rounds
    to it (never mistake a share just above or below a threshold for a tie).
    """
    return percent_of(value.numerator, value.denominator)


def percent_of(num: int, den: int) -> str:
    """:func:`format_percent` of ``num/den`` from two integers (``den > 0``)."""
    text = f"{num * 100 / den:.2f}"  # int / int is correctly rounded
    if (num * 10_000) % den == 0:
        return text.rstrip("0").rstrip(".") + "%"
    return text + "%"


def format_fraction(value: Fraction, max_denominator: int | None = None) -> str:
    """``Fraction(11, 20)`` -> ``"11/20 (55%)"``; percentages as :func:`format_percent`.

    With ``max_denominator``, a fraction with a larger denominator (a share of a big
    count, e.g. 958448/2298831) is shown as its percentage alone.
    """
    if max_denominator is not None and value.denominator > max_denominator:
        return format_percent(value)
    body = str(value.numerator) if value.denominator == 1 else str(value)
    return f"{body} ({format_percent(value)})"


@dataclass(frozen=True)
class Rule:
    """When a yes/no question passes. See the module docstring for every tie.

    Parameters
    ----------
    name
        Short label shown in outputs.
    threshold
        Share of valid votes that must be yes (exact fraction, 0..1).
    strict
        ``True``: yes share must be strictly above ``threshold`` (simple majority is
        ``threshold=1/2, strict=True``). ``False``: at least ``threshold``.
    count_blank_as_valid
        Blank ballots count in the denominator of the threshold (default ``False``).
    count_abstentions_as_valid
        Explicit abstentions count in the denominator of the threshold (default ``False``).
    count_abstentions_in_turnout
        Explicit abstentions count towards the quorum's turnout (default ``True``).
    quorum
        Share of eligible voters who must take part (inclusive), or ``None``.
    double_majority
        ``None``, ``"units"`` or ``"population"``.
    unit_opt_in
        Each unit follows its own result.
    """

    name: str = "custom"
    threshold: Fraction = Fraction(1, 2)
    strict: bool = True
    count_blank_as_valid: bool = False
    count_abstentions_as_valid: bool = False
    count_abstentions_in_turnout: bool = True
    quorum: Fraction | None = None
    double_majority: DoubleMajority | None = None
    unit_opt_in: bool = False

    def __post_init__(self) -> None:
        src = f"rule {self.name!r}"
        threshold = parse_fraction(self.threshold, "threshold", src)
        object.__setattr__(self, "threshold", threshold)
        if not 0 <= threshold <= 1:
            raise RuleError(f"{src}: threshold must be between 0 and 1, got {threshold}")
        if self.strict and threshold == 1:
            raise RuleError(f"{src}: a strict threshold of 1 (more than 100%) can never pass")
        if not self.strict and threshold == 0:
            raise RuleError(f"{src}: a threshold of at least 0 passes every vote; use > 0")
        if self.quorum is not None:
            quorum = parse_fraction(self.quorum, "quorum", src)
            object.__setattr__(self, "quorum", quorum)
            if not 0 < quorum <= 1:
                raise RuleError(f"{src}: quorum must be above 0 and at most 1, got {quorum}")
        for flag in (
            "strict",
            "count_blank_as_valid",
            "count_abstentions_as_valid",
            "count_abstentions_in_turnout",
            "unit_opt_in",
        ):
            if not isinstance(getattr(self, flag), bool):
                raise RuleError(f"{src}: field {flag!r} must be true or false")
        dm = self.double_majority
        if dm is not None and dm not in DOUBLE_MAJORITY_KINDS:
            raise RuleError(
                f"{src}: double_majority must be one of {', '.join(DOUBLE_MAJORITY_KINDS)} "
                f"or absent, got {self.double_majority!r}"
            )
        if self.double_majority is not None and self.unit_opt_in:
            raise RuleError(f"{src}: double_majority and unit_opt_in cannot be combined")
        if not isinstance(self.name, str) or not self.name:
            raise RuleError("rule: field 'name' must be a non-empty string")

    # ------------------------------------------------------------------ reading
    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str | None = None) -> Rule:
        """Build from a mapping (as read from TOML/JSON). Unknown keys are a :class:`RuleError`.

        ``threshold`` may also carry its comparison: ``">1/2"`` (strict) or ``">=55%"``;
        an explicit ``strict`` that contradicts it is an error. ``"majority"`` means ``>1/2``.
        """
        if not isinstance(data, dict):
            raise RuleError(
                f"{source or 'rule'}: expected a table of rule fields, got {type(data).__name__}"
            )
        if "rule" in data and isinstance(data["rule"], dict) and len(data) == 1:
            data = data["rule"]
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise RuleError(
                f"{source or 'rule'}: unknown rule field(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )
        kw = dict(data)
        name = kw.get("name", "custom")
        src = f"rule {name!r}" if source is None else source
        threshold = kw.get("threshold", Fraction(1, 2))
        if isinstance(threshold, str):
            text = threshold.strip().replace(" ", "").lower()
            implied: bool | None = None
            if text in ("majority", "simple-majority"):
                text, implied = "1/2", True
            elif text.startswith(">="):
                text, implied = text[2:], False
            elif text.startswith(">"):
                text, implied = text[1:], True
            if implied is not None:
                if "strict" in kw and kw["strict"] is not implied:
                    raise RuleError(
                        f"{src}: threshold {threshold!r} contradicts strict = {kw['strict']}"
                    )
                kw["strict"] = implied
            threshold = text
        kw["threshold"] = parse_fraction(threshold, "threshold", src)
        if kw.get("quorum") is not None:
            kw["quorum"] = parse_fraction(kw["quorum"], "quorum", src)
        if kw.get("double_majority") in ("", "none", False):
            kw["double_majority"] = None
        if source is None:
            return cls(**kw)
        try:
            return cls(**kw)
        except RuleError as exc:
            raise RuleError(f"{source}: {exc}") from None

    @classmethod
    def from_toml(cls, path: str | Path) -> Rule:
        """Read a rule from a TOML file (top-level keys, or a ``[rule]`` table)."""
        return cls._from_file(path, tomllib.loads, tomllib.TOMLDecodeError, "TOML")

    @classmethod
    def from_json(cls, path: str | Path) -> Rule:
        """Read a rule from a JSON file (an object of rule fields)."""
        return cls._from_file(path, json.loads, json.JSONDecodeError, "JSON")

    @classmethod
    def _from_file(
        cls, path: str | Path, loads: Callable[[str], Any], error: type[Exception], kind: str
    ) -> Rule:
        """Parse a rule file with ``loads``; a missing or malformed file is a :class:`RuleError`."""
        path = Path(path)
        try:
            data = loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RuleError(f"{path}: rule file not found") from None
        except OSError as exc:
            raise RuleError(f"{path}: cannot read the rule file ({exc.strerror})") from None
        except (error, UnicodeDecodeError) as exc:
            raise RuleError(f"{path}: malformed {kind} ({exc})") from None
        return cls.from_dict(data, source=str(path))

    @classmethod
    def preset(cls, name: str) -> Rule:
        """One of :data:`PRESETS` by name."""
        try:
            return PRESETS[name]
        except KeyError:
            raise RuleError(
                f"unknown rule preset {name!r}; presets: {', '.join(PRESETS)}"
            ) from None

    @classmethod
    def load(cls, spec: str | Path) -> Rule:
        """A preset name, or a ``.toml``/``.json`` file path."""
        text = str(spec)
        if text in PRESETS:
            return PRESETS[text]
        suffix = Path(text).suffix.lower()
        if suffix == ".toml":
            return cls.from_toml(text)
        if suffix == ".json":
            return cls.from_json(text)
        raise RuleError(
            f"rule {text!r} is neither a preset ({', '.join(PRESETS)}) nor a .toml/.json file"
        )

    # ------------------------------------------------------------------ writing
    def to_dict(self) -> dict[str, Any]:
        """JSON/TOML-ready mapping; fractions as ``"n/d"`` strings. Round-trips via from_dict."""
        out = asdict(self)
        out["threshold"] = str(self.threshold)
        out["quorum"] = None if self.quorum is None else str(self.quorum)
        return out

    def with_(self, **changes: Any) -> Rule:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    # ------------------------------------------------------------------ text
    def describe_threshold(self) -> str:
        word = "more than" if self.strict else "at least"
        return f"{word} {format_fraction(self.threshold)} of valid votes"

    def describe(self) -> str:
        """One readable line: the rule's conditions."""
        parts = [f"yes needs {self.describe_threshold()}"]
        valid = ["yes", "no"]
        if self.count_blank_as_valid:
            valid.append("blank")
        if self.count_abstentions_as_valid:
            valid.append("abstain")
        parts.append(f"valid = {' + '.join(valid)}")
        if self.quorum is not None:
            parts.append(f"turnout at least {format_fraction(self.quorum)} of eligible")
        if self.double_majority == "units":
            parts.append("and more than half of the units")
        elif self.double_majority == "population":
            parts.append("and units holding more than half of the population")
        if self.unit_opt_in:
            parts.append("each unit follows its own result")
        return f"{self.name}: " + "; ".join(parts)


PRESETS: dict[str, Rule] = {
    "simple-majority": Rule(name="simple-majority", threshold=Fraction(1, 2), strict=True),
    "supermajority-55": Rule(name="supermajority-55", threshold=Fraction(11, 20), strict=False),
    "two-thirds": Rule(name="two-thirds", threshold=Fraction(2, 3), strict=False),
    "double-majority": Rule(
        name="double-majority", threshold=Fraction(1, 2), strict=True, double_majority="units"
    ),
    "double-majority-population": Rule(
        name="double-majority-population",
        threshold=Fraction(1, 2),
        strict=True,
        double_majority="population",
    ),
    "opt-in": Rule(name="opt-in", threshold=Fraction(1, 2), strict=True, unit_opt_in=True),
}
"""Named rules: ``simple-majority`` (> 1/2), ``supermajority-55`` (>= 11/20), ``two-thirds``
(>= 2/3), ``double-majority`` (> 1/2 overall and in more than half of the units),
``double-majority-population`` (units weighted by population), ``opt-in`` (> 1/2 per unit)."""
