"""The licences a community may put its public data under, and the free-copying notice.

A community chooses CC0 1.0 (the default: anyone may copy, change and publish the data
without asking and without naming the source) or CC BY 4.0 (the same, naming the
source). Data that belongs to the whole site (the audit log, the list of communities)
is under the site's licence, CC0.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    id: str  # an SPDX identifier
    name: str
    url: str
    attribution: bool  # must copies name the source?

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "url": self.url}


CC0 = Licence(
    "CC0-1.0",
    "CC0 1.0 Universal (public domain dedication)",
    "https://creativecommons.org/publicdomain/zero/1.0/",
    attribution=False,
)
CC_BY = Licence(
    "CC-BY-4.0",
    "Creative Commons Attribution 4.0 International",
    "https://creativecommons.org/licenses/by/4.0/",
    attribution=True,
)
LICENCES: dict[str, Licence] = {lic.id: lic for lic in (CC0, CC_BY)}
DEFAULT = CC0
SITE = CC0


def licence(licence_id: str) -> Licence:
    """The licence with this SPDX id; ``KeyError`` naming the known ones if none."""
    try:
        return LICENCES[licence_id]
    except KeyError:
        raise KeyError(f"unknown licence {licence_id!r} (known: {', '.join(LICENCES)})") from None


def notice(lic: Licence, source: str) -> str:
    """The free-copying notice an export carries."""
    if lic.attribution:
        return (
            f"Public data of {source}. Anyone may copy, share, translate, change and publish "
            f"it, for any purpose, naming the source ({source}) and the licence: {lic.name}, "
            f"{lic.url}"
        )
    return (
        f"Public data of {source}. Anyone may copy, share, translate, change and publish it, "
        f"for any purpose, without asking: {lic.name}, {lic.url}"
    )
