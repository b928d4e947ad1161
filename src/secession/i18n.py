"""Languages of the analysis side's reports and maps, on Python's standard :mod:`gettext`.

The web platform translates with Django; the analysis packages (``geo``, ``plan``,
``scenario``, ``maps``) never import it, so their texts are marked and looked up here.
Catalogues live in the package: ``secession/locale/<code>/LC_MESSAGES/secession.po`` (the
text translators edit) and its compiled ``secession.mo`` (the file read here), both
committed. The language is always passed explicitly (``lang="es"``), never global state.

>>> gettext_for("es")("Summary")
'Resumen'
>>> gettext_for("en")("Summary")
'Summary'
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from secession.exceptions import DataError

DOMAIN = "secession"
LOCALE_DIR = Path(__file__).parent / "locale"
#: Language code -> its name in that language. English is the source language.
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español", "fr": "Français"}
DEFAULT = "en"


class UnknownLanguageError(DataError):
    """A language the reports and maps are not translated into."""


def available() -> str:
    """``"en (English), es (Español), fr (Français)"``: the languages, for messages and help."""
    return ", ".join(f"{code} ({name})" for code, name in LANGUAGES.items())


def check_language(lang: str) -> str:
    """``lang`` when it is one of :data:`LANGUAGES`, else :class:`UnknownLanguageError`."""
    if lang not in LANGUAGES:
        raise UnknownLanguageError(
            f"`lang` must be one of {available()}, not {lang!r}: the reports and maps are "
            "not translated into that language"
        )
    return lang


@cache
def translations(lang: str = DEFAULT) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English: the marked texts as written)."""
    check_language(lang)
    if lang == DEFAULT:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])


def gettext_for(lang: str = DEFAULT) -> Callable[[str], str]:
    """The ``_`` of ``lang``: ``_("Summary")`` is ``"Resumen"`` in Spanish."""
    return translations(lang).gettext


def ngettext_for(lang: str = DEFAULT) -> Callable[[str, str, int], str]:
    """The plural lookup of ``lang``: ``n_("country", "countries", n)``."""
    return translations(lang).ngettext


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue where it is defined; translate it where it is shown."""
    return text


class Message:
    """A sentence marked for the catalogue with its values, put into words when it is shown:
    ``str()`` gives English, :meth:`in_language` any language of :data:`LANGUAGES`. A value
    that is itself a :class:`Message` (a place named inside the sentence, ``"{where}: ..."``)
    is translated with it. Exceptions carry one, so the command line prints English and the
    web translates at its boundary (:func:`message_of`).

    >>> where = Message("{where}: selection {n}", where=Message("ballot"), n=2)
    >>> str(Message("{where}: expected an object with alpha and beta", where=where))
    'ballot: selection 2: expected an object with alpha and beta'
    >>> Message("{where}: expected an object with alpha and beta", where=where).in_language("es")
    'papeleta: selección 2: se esperaba un objeto con alpha y beta'
    """

    __slots__ = ("text", "values")

    def __init__(self, text: str, **values: Any) -> None:
        self.text = text
        self.values = values

    def in_language(self, lang: str = DEFAULT) -> str:
        words = {
            k: v.in_language(lang) if isinstance(v, Message) else v for k, v in self.values.items()
        }
        return gettext_for(lang)(self.text).format(**words)

    def __str__(self) -> str:
        return self.in_language(DEFAULT)

    def __repr__(self) -> str:
        return f"Message({self.text!r}, **{self.values!r})"


def message_of(exc: BaseException, lang: str = DEFAULT) -> str:
    """``exc``'s message in ``lang`` where it carries a :class:`Message`, else as written."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first.in_language(lang) if isinstance(first, Message) else str(exc)
