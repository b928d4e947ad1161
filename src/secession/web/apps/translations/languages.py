"""Language tags: the site's languages, or any valid BCP 47 tag (checked by langcodes)."""

from __future__ import annotations

import langcodes
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalize_language(code: str) -> str:
    """The standard form of ``code`` (``pt-br`` → ``pt-BR``); ValidationError if it is
    not a valid BCP 47 tag."""
    code = (code or "").strip()
    if not code:
        raise ValidationError(_("say which language the translation is in (e.g. es, pt-BR)"))
    if len(code) > 35 or not langcodes.tag_is_valid(code):
        raise ValidationError(
            _("{code} is not a language tag (BCP 47, e.g. es, pt-BR)").format(code=repr(code[:40]))
        )
    return langcodes.standardize_tag(code)


def language_name(code: str) -> str:
    """The language's own name where Django knows it (``Español``), else the tag."""
    for known, name in settings.LANGUAGES:
        if known == code:
            return str(name)
    info = LANG_INFO.get(code.lower()) or LANG_INFO.get(code.split("-")[0].lower())
    return info["name_local"] if info and "name_local" in info else code


def site_languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]
