"""The registry's recognition rule, written as data (no Django here).

A people is shown as *recognised* on the published map once every threshold the rule sets
is met by the peoples (and, later, alliances) that recognise it now:

- ``min_peoples``: registered peoples recognising it;
- ``min_members``: members of those peoples together;
- ``min_alliances``: alliances recognising it.

>>> rule = RecognitionRule(min_peoples=3)
>>> rule.describe()
'recognised by at least 3 registered peoples'
>>> rule.met(peoples=3, members=12, alliances=0), rule.met(peoples=2, members=900, alliances=0)
(True, False)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from secession.exceptions import RuleError

FIELDS = ("min_peoples", "min_members", "min_alliances")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


@dataclass(frozen=True)
class RecognitionRule:
    """Thresholds a people's current recognisers must all meet (0: not required)."""

    min_peoples: int = 3
    min_members: int = 0
    min_alliances: int = 0

    def __post_init__(self) -> None:
        for name in FIELDS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise RuleError(f"{name} must be a whole number, 0 or more (got {value!r})")
        if not any(getattr(self, name) for name in FIELDS):
            raise RuleError("a recognition rule needs at least one threshold above 0")

    @classmethod
    def from_dict(cls, data: Any) -> RecognitionRule:
        if not isinstance(data, dict):
            raise RuleError('a recognition rule is an object, e.g. {"min_peoples": 3}')
        unknown = sorted(set(data) - set(FIELDS) - {"text"})
        if unknown:
            raise RuleError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}")
        return cls(**{k: data.get(k, 0) for k in FIELDS})

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "text": self.describe()}

    def describe(self) -> str:
        parts = []
        if self.min_peoples or self.min_members:
            counted = _plural(self.min_peoples, "registered people", "registered peoples")
            who = f"by at least {counted}" if self.min_peoples else "by registered peoples"
            if self.min_members:
                who += f" with at least {self.min_members:,} members together"
            parts.append(who)
        if self.min_alliances:
            parts.append(f"by at least {_plural(self.min_alliances, 'alliance', 'alliances')}")
        return "recognised " + " and ".join(parts)

    def met(self, *, peoples: int, members: int, alliances: int) -> bool:
        return (
            peoples >= self.min_peoples
            and members >= self.min_members
            and alliances >= self.min_alliances
        )

    def shortfall(self, *, peoples: int, members: int, alliances: int) -> list[str]:
        """What is still missing, in words (empty when the rule is met)."""
        out = []
        if peoples < self.min_peoples:
            out.append(f"{peoples} of {self.min_peoples} registered peoples")
        if members < self.min_members:
            out.append(f"{members:,} of {self.min_members:,} members")
        if alliances < self.min_alliances:
            out.append(f"{alliances} of {self.min_alliances} alliances")
        return out


DEFAULT_RULE = RecognitionRule(min_peoples=3)
