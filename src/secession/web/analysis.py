"""The analysis packages' texts on the web: the page's language where their catalogue
(:mod:`secession.i18n`, Python's gettext) has it, and their errors' messages in it.

The analysis side never imports Django, so it cannot ask for the request's language: an
error it raises carries a :class:`secession.i18n.Message`, and the web puts it into words
here, at its boundary (the API's JSON ``detail``, a page's message)."""

from __future__ import annotations

from django.utils.translation import get_language

from secession.i18n import DEFAULT, LANGUAGES, message_of


def analysis_language() -> str:
    """The request's language if the analysis texts are written in it, else English."""
    lang = (get_language() or DEFAULT).split("-")[0]
    return lang if lang in LANGUAGES else DEFAULT


def analysis_message(exc: BaseException) -> str:
    """``exc``'s message in the request's language (as written when it carries no
    :class:`~secession.i18n.Message`)."""
    return message_of(exc, analysis_language())
