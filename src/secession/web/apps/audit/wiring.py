"""How the audit app plugs into the app below it (connected in ``ready()``)."""

from __future__ import annotations

from secession.web.apps.audit.opendata import connect as connect_exports


def connect() -> None:
    connect_exports()
