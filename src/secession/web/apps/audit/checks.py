"""Checks that the tables agree with the log, registered by the apps that own the tables.

The audit app is the bottom layer and cannot read the tables above it, so each app
registers a :class:`TableCheck` factory here from its ``wiring.py``::

    from secession.web.apps.audit.checks import Disagreement, TableCheck, register_check

    class AllianceCheck(TableCheck):
        actions = frozenset({"alliance.formed", "alliance.joined"})

        def entry(self, e):            # each entry of those actions, in log order
            ...                        # remember what the log says; yield Disagreement(...)
        def finish(self):              # after the last entry: compare with the tables
            yield from ...

    register_check("alliances", AllianceCheck)

``secession audit verify`` replays the log once through every registered check and names
the first row that does not agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    """An entry as checks see it (``data`` already parsed)."""

    seq: int
    created_at: datetime | None
    actor_id: int | None
    action: str
    community_id: int | None
    target_type: str
    target_id: str
    data: dict

    @property
    def target_pk(self) -> int | None:
        return int(self.target_id) if self.target_id.isdigit() else None


@dataclass(frozen=True)
class Disagreement:
    """A table row that does not agree with the log (or a log entry with no row)."""

    table: str
    row: str
    message: str
    seq: int | None = None

    def describe(self) -> str:
        where = f"{self.table} row {self.row}" if self.row else self.table
        entry = f" (log entry {self.seq})" if self.seq is not None else ""
        return f"{where}{entry}: {self.message}"


class TableCheck:
    """Replays the entries of ``actions`` and compares the tables with them."""

    actions: frozenset[str] = frozenset()

    def entry(self, e: Entry) -> Iterable[Disagreement]:
        return ()

    def finish(self) -> Iterable[Disagreement]:
        return ()


_CHECKS: dict[str, Callable[[], TableCheck]] = {}


def register_check(name: str, factory: Callable[[], TableCheck]) -> None:
    _CHECKS[name] = factory


def registered() -> dict[str, Callable[[], TableCheck]]:
    return dict(_CHECKS)


def entry_for_checks(row) -> Entry:
    try:
        data = json.loads(row.data)
    except ValueError:
        data = {}
    return Entry(
        seq=row.seq,
        created_at=row.created_at,
        actor_id=row.actor_id,
        action=row.action,
        community_id=row.community_id,
        target_type=row.target_type,
        target_id=row.target_id,
        data=data if isinstance(data, dict) else {},
    )


class Replay:
    """Every registered check, fed the log in order."""

    def __init__(self) -> None:
        self.checks = {name: factory() for name, factory in _CHECKS.items()}
        self._by_action: dict[str, list[TableCheck]] = {}
        for check in self.checks.values():
            for action in check.actions:
                self._by_action.setdefault(action, []).append(check)

    def wants(self, action: str) -> bool:
        return action in self._by_action

    def entry(self, row) -> Iterator[Disagreement]:
        checks = self._by_action.get(row.action)
        if checks:
            e = entry_for_checks(row)
            for check in checks:
                yield from check.entry(e)

    def finish(self) -> Iterator[Disagreement]:
        for check in self.checks.values():
            yield from check.finish()
