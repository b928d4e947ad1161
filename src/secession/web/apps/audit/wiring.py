"""How the audit app plugs into the app below it (connected in ``ready()``)."""

from __future__ import annotations

from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.audit.events import DESCRIPTIONS as EVENT_DESCRIPTIONS
from secession.web.apps.audit.opendata import connect as connect_exports


def connect() -> None:
    register_descriptions(EVENT_DESCRIPTIONS)
    connect_exports()
