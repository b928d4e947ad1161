"""How the translations app plugs into the apps below it (connected in ``ready()``)."""

from __future__ import annotations

from secession.web.apps.audit.checks import register_check
from secession.web.apps.audit.descriptions import register_descriptions
from secession.web.apps.translations.checks import TranslationCheck
from secession.web.apps.translations.events import DESCRIPTIONS
from secession.web.apps.translations.kinds import KINDS
from secession.web.apps.translations.views import panel
from secession.web.panels import register_panel


def connect() -> None:
    register_descriptions(DESCRIPTIONS)
    register_check("translations", TranslationCheck)
    for kind in KINDS.values():
        register_panel(kind.model, "translations", panel)
