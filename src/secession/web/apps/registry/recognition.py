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

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from secession.exceptions import RuleError

FIELDS = ("min_peoples", "min_members", "min_alliances")


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
                raise RuleError(
                    _("{name} must be a whole number, 0 or more (got {value})").format(
                        name=name, value=repr(value)
                    )
                )
        if not any(getattr(self, name) for name in FIELDS):
            raise RuleError(_("a recognition rule needs at least one threshold above 0"))

    @classmethod
    def from_dict(cls, data: Any) -> RecognitionRule:
        if not isinstance(data, dict):
            raise RuleError(_('a recognition rule is an object, e.g. {"min_peoples": 3}'))
        unknown = sorted(set(data) - set(FIELDS) - {"text"})
        if unknown:
            raise RuleError(
                _("unknown field(s) {unknown}; known: {known}").format(
                    unknown=", ".join(unknown), known=", ".join(FIELDS)
                )
            )
        return cls(**{k: data.get(k, 0) for k in FIELDS})

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "text": self.describe()}

    def describe(self) -> str:
        """The rule in words, in the active language ("recognised by at least 3 ...")."""
        parts = []
        if self.min_peoples or self.min_members:
            if self.min_peoples:
                who = ngettext(
                    "by at least {n} registered people",
                    "by at least {n} registered peoples",
                    self.min_peoples,
                ).format(n=f"{self.min_peoples:,}")
            else:
                who = _("by registered peoples")
            if self.min_members:
                who = _("{who} with at least {n} members together").format(
                    who=who, n=f"{self.min_members:,}"
                )
            parts.append(who)
        if self.min_alliances:
            parts.append(
                ngettext(
                    "by at least {n} alliance", "by at least {n} alliances", self.min_alliances
                ).format(n=f"{self.min_alliances:,}")
            )
        if len(parts) == 2:
            parts = [_("{first} and {second}").format(first=parts[0], second=parts[1])]
        return _("recognised {who}").format(who=parts[0])

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
            out.append(
                _("{n} of {needed} registered peoples").format(n=peoples, needed=self.min_peoples)
            )
        if members < self.min_members:
            out.append(
                _("{n} of {needed} members").format(
                    n=f"{members:,}", needed=f"{self.min_members:,}"
                )
            )
        if alliances < self.min_alliances:
            out.append(
                _("{n} of {needed} alliances").format(n=alliances, needed=self.min_alliances)
            )
        return out


DEFAULT_RULE = RecognitionRule(min_peoples=3)
