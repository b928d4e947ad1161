"""County results counted from the platform's own ballots in an opt-in referendum: each
voter states the county they live in, and only the per-county yes/no/abstain counts are
kept (:class:`~secession.web.apps.planner.models.OptInCount`).

The guarantee of a secret vote holds (see :mod:`secession.web.apps.proposals.models`): a
count row carries no person and no time; every county's row is made, zero, when voting
opens (so the rows' order and keys say nothing of who voted first); a vote adds one to a
count in SQL under the proposal's row lock; closing rewrites the rows, so no storage detail
(row version, transaction id) keeps which transaction last touched a county.

The repair reads :func:`snapshot` (taken when the job is queued) into the same
:class:`secession.referendum.tally.Counts` that ``read_results`` makes of a results CSV
with columns unit, yes, no, abstain.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db.models import F

from secession.geo.boundaries import fips_name
from secession.geo.states import state_of_fips
from secession.referendum.tally import Counts
from secession.web.apps.planner.models import OptInCount

UPLOAD, PLATFORM = "upload", "platform"  # where the county results come from (payload)
CHOICES = ("yes", "no", "abstain")


def source_of(payload: dict[str, Any]) -> str:
    """Where the proposal's county results come from (older payloads: an upload)."""
    return PLATFORM if payload.get("results_source") == PLATFORM else UPLOAD


def open_counts(proposal) -> int:
    """One zero row per county of the territory, in unit order; how many."""
    units = sorted(str(u) for u in proposal.payload["units"])
    OptInCount.objects.bulk_create([OptInCount(proposal=proposal, unit=u) for u in units])
    return len(units)


def add_vote(proposal, unit: str, choice: str) -> bool:
    """One more ``choice`` in ``unit`` (the caller holds the proposal's row lock and runs
    in the vote's transaction); False when the proposal has no row for that unit."""
    if choice not in CHOICES:
        raise ValueError(f"choice must be one of {', '.join(CHOICES)}")
    rows = OptInCount.objects.filter(proposal=proposal, unit=unit)
    return rows.update(**{choice: F(choice) + 1}) == 1


def rewrite(proposal) -> None:
    """Replace the rows by fresh ones with the same counts, in unit order (at close)."""
    rows = list(OptInCount.objects.filter(proposal=proposal).order_by("unit"))
    OptInCount.objects.filter(proposal=proposal).delete()
    OptInCount.objects.bulk_create(
        [
            OptInCount(proposal=proposal, unit=r.unit, yes=r.yes, no=r.no, abstain=r.abstain)
            for r in rows
        ]
    )


def snapshot(proposal) -> dict[str, list]:
    """The counts as columns (``unit``, ``yes``, ``no``, ``abstain``), in unit order."""
    rows = OptInCount.objects.filter(proposal=proposal).order_by("unit")
    cols: dict[str, list] = {"unit": [], **{c: [] for c in CHOICES}}
    for unit, *counts in rows.values_list("unit", *CHOICES):
        cols["unit"].append(unit)
        for name, value in zip(CHOICES, counts, strict=True):
            cols[name].append(int(value))
    return cols


def counts_of(columns: dict[str, list]) -> Counts:
    """:func:`snapshot`'s columns as ``read_results`` reads a CSV of them: no blank
    ballots, no eligible voters."""
    return Counts(
        yes=np.asarray(columns["yes"], dtype=np.int64),
        no=np.asarray(columns["no"], dtype=np.int64),
        blank=None,
        abstain=np.asarray(columns["abstain"], dtype=np.int64),
        eligible=None,
        units=tuple(str(u) for u in columns["unit"]),
    )


def without_votes(columns: dict[str, list]) -> list[str]:
    """Counties where no one voted yes or no (they count as no yes: they stay out)."""
    return [
        u
        for u, y, n in zip(columns["unit"], columns["yes"], columns["no"], strict=True)
        if y == 0 and n == 0
    ]


def county_choices(units: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The territory's counties for a select: grouped by state (by name), each county by
    its name and FIPS code."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for unit in units:
        state = state_of_fips(unit)
        groups.setdefault(state.name if state else "", []).append(
            (unit, f"{fips_name(unit)} ({unit})")
        )
    return [(name, sorted(rows, key=lambda r: r[1])) for name, rows in sorted(groups.items())]
