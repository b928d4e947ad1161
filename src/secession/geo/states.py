"""US states, DC and territories: postal code <-> name <-> FIPS code.

Example
-------
>>> resolve_states(["or", "Washington"])
['OR', 'WA']
>>> state_of_fips("41051").name
'Oregon'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from secession.exceptions import DataError


@dataclass(frozen=True)
class State:
    code: str  # postal code, e.g. "OR"
    name: str  # e.g. "Oregon"
    fips: str  # two digits, e.g. "41"


_TABLE = """\
AL Alabama 01|AK Alaska 02|AZ Arizona 04|AR Arkansas 05|CA California 06|CO Colorado 08
CT Connecticut 09|DE Delaware 10|DC District of Columbia 11|FL Florida 12|GA Georgia 13
HI Hawaii 15|ID Idaho 16|IL Illinois 17|IN Indiana 18|IA Iowa 19|KS Kansas 20|KY Kentucky 21
LA Louisiana 22|ME Maine 23|MD Maryland 24|MA Massachusetts 25|MI Michigan 26
MN Minnesota 27|MS Mississippi 28|MO Missouri 29|MT Montana 30|NE Nebraska 31|NV Nevada 32
NH New Hampshire 33|NJ New Jersey 34|NM New Mexico 35|NY New York 36|NC North Carolina 37
ND North Dakota 38|OH Ohio 39|OK Oklahoma 40|OR Oregon 41|PA Pennsylvania 42
RI Rhode Island 44|SC South Carolina 45|SD South Dakota 46|TN Tennessee 47|TX Texas 48
UT Utah 49|VT Vermont 50|VA Virginia 51|WA Washington 53|WV West Virginia 54
WI Wisconsin 55|WY Wyoming 56|AS American Samoa 60|GU Guam 66
MP Northern Mariana Islands 69|PR Puerto Rico 72|VI U.S. Virgin Islands 78"""


def _parse() -> tuple[State, ...]:
    out = []
    for item in _TABLE.replace("\n", "|").split("|"):
        code, *words, fips = item.split()
        out.append(State(code, " ".join(words), fips))
    return tuple(out)


STATES: tuple[State, ...] = _parse()
"""The 50 states, DC (51 entries) and the five inhabited territories (last five)."""

BY_CODE = {s.code: s for s in STATES}
BY_FIPS = {s.fips: s for s in STATES}
_BY_NAME = {s.name.casefold(): s for s in STATES}


def lookup(text: str) -> State:
    """The state named by a postal code, a name or a FIPS code (case-insensitive)."""
    key = str(text).strip()
    state = (
        BY_CODE.get(key.upper())
        or _BY_NAME.get(" ".join(key.split()).casefold())
        or (BY_FIPS.get(key.zfill(2)) if key.isdigit() else None)
    )
    if state is None:
        raise DataError(
            f"unknown state {text!r}: give a postal code (e.g. OR), a name (e.g. Oregon) "
            "or a two-digit FIPS code"
        )
    return state


def resolve_states(values: Iterable[str]) -> list[str]:
    """Postal codes of the given states (codes, names or FIPS; commas allowed), in order."""
    codes: list[str] = []
    for value in values:
        for part in str(value).split(","):
            if part.strip():
                code = lookup(part).code
                if code not in codes:
                    codes.append(code)
    return codes


def state_of_fips(fips: str) -> State | None:
    """The state of a county (5-digit) or state (2-digit) FIPS code, or None if unknown."""
    return BY_FIPS.get(str(fips)[:2])
