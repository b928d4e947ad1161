"""Input checks at the edge, before any value reaches a form, an action or the database.

Every string a request carries (JSON body, query string, form field, path) must be text
the database can store: no NUL character (PostgreSQL refuses it) and no lone UTF-16
surrogate such as ``"\\ud800"`` (not a character; no UTF-8 encoder accepts it). JSON bodies
must also be plain RFC 8259 JSON: no ``NaN``/``Infinity``, at most :data:`MAX_DEPTH`
levels of nesting. A request that breaks one of these is refused with HTTP 400 and a
sentence naming the field.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

#: deepest nesting of a JSON body (GeoJSON needs 8: collection > feature > multipolygon)
MAX_DEPTH = 32
_BAD = re.compile("[\x00\ud800-\udfff]")
#: the json module's reasons, in words of the active language (others are shown as they are)
JSON_REASONS = {
    "Expecting value": gettext_lazy("a value was expected"),
    "Expecting ',' delimiter": gettext_lazy("a comma was expected"),
    "Expecting ':' delimiter": gettext_lazy("a colon was expected"),
    "Expecting property name enclosed in double quotes": gettext_lazy(
        "a field name in double quotes was expected"
    ),
    "Extra data": gettext_lazy("there is more after the end of the JSON value"),
    "Unterminated string starting at": gettext_lazy("a string is not closed"),
    "Invalid control character at": gettext_lazy("a string holds a control character"),
    "Invalid \\escape": gettext_lazy("a string holds an invalid escape"),
    "Invalid \\uXXXX escape": gettext_lazy("a string holds an invalid \\u escape"),
}


class BadInput(ValueError):
    """A request value that cannot be accepted; the message names where and why."""


def text_problem(value: str) -> str:
    """Why ``value`` cannot be stored as text, or ``""`` when it can."""
    found = _BAD.search(value)
    if found is None:
        return ""
    char = found.group()
    if char == "\x00":
        return _("contains a NUL character (\\u0000), which text cannot hold")
    return _("contains a lone surrogate (\\u{code}), which is not a character").format(
        code=f"{ord(char):04x}"
    )


def check_tree(value: Any, where: str = "body") -> None:
    """Walk a parsed JSON value; raise :class:`BadInput` for bad text or deep nesting."""
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadInput(_too_deep(path))
        if isinstance(item, str):
            if problem := text_problem(item):
                raise BadInput(_("{where} {problem}").format(where=path, problem=problem))
        elif isinstance(item, dict):
            for key, child in item.items():
                if problem := text_problem(key):
                    raise BadInput(
                        _("a field name in {where} {problem}").format(where=path, problem=problem)
                    )
                stack.append((child, f"{path}.{key}", depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]", depth + 1) for i, child in enumerate(item))


def _too_deep(where: str) -> str:
    return _("{where}: nested more than {n} levels deep").format(where=where, n=MAX_DEPTH)


def _no_constants(name: str) -> Any:
    raise BadInput(_("{name} is not a JSON number (use a finite number)").format(name=name))


def _finite(text: str) -> float:
    """A JSON number as a float, refused when it overflows to infinity (``1e400``): no
    database stores it as JSON, and it is no number a person means."""
    value = float(text)
    if not math.isfinite(value):
        raise BadInput(
            _("{number} is too large a number (use a finite number)").format(number=text[:30])
        )
    return value


def loads(text: str | bytes, where: str = "body") -> Any:
    """Strict JSON: ``json.loads`` without NaN/Infinity (written or overflowing),
    bounded nesting, storable text.

    Raises :class:`BadInput` (never ``RecursionError``) naming what is wrong."""
    try:
        value = json.loads(text, parse_constant=_no_constants, parse_float=_finite)
    except RecursionError:
        raise BadInput(_too_deep(where)) from None
    except UnicodeDecodeError:
        raise BadInput(_("{where} is not UTF-8 text").format(where=where)) from None
    except json.JSONDecodeError as exc:
        reason = JSON_REASONS.get(exc.msg, exc.msg)
        raise BadInput(
            _("{where} is not valid JSON: {reason} at position {pos}").format(
                where=where, reason=reason, pos=exc.pos
            )
        ) from None
    check_tree(value, where)
    return value


def loads_object(text: str | bytes, where: str = "body") -> dict[str, Any]:
    """:func:`loads`, and the value must be a JSON object; else :class:`BadInput`."""
    value = loads(text, where)
    if not isinstance(value, dict):
        raise BadInput(
            _("{where} must be a JSON object ({{...}}), not {kind}").format(
                where=where, kind=_json_kind(value)
            )
        )
    return value


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return _("true or false")
    if isinstance(value, (int, float)):
        return _("a number")
    return _("a string") if isinstance(value, str) else _("an array")


def request_problem(request: HttpRequest) -> str:
    """Why the request's path, query string or form fields cannot be accepted, or ``""``."""
    if problem := text_problem(request.path):
        return _("the address {problem}").format(problem=problem)
    for data, name_words, value_words in (
        (
            request.GET,
            _("a query parameter name {problem}"),
            _("query parameter {key} {problem}"),
        ),
        (request.POST, _("a form field name {problem}"), _("form field {key} {problem}")),
    ):
        for key, values in data.lists():
            if problem := text_problem(key):
                return name_words.format(problem=problem)
            for value in values:
                if isinstance(value, str) and (problem := text_problem(value)):
                    return value_words.format(key=repr(key), problem=problem)
    return ""


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def refusal(request: HttpRequest, status: int, detail: str, template: str) -> HttpResponse:
    """A JSON error on API routes, else the HTML page ``template`` showing ``detail``."""
    if is_api(request):
        return JsonResponse({"detail": detail}, status=status)
    body = render_to_string(template, {"detail": detail}, request=request)
    return HttpResponse(body, status=status)


class RejectBadText:
    """Middleware: refuse (400) a request whose path, query or form holds bad text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # before LocaleMiddleware: answer in the language the request asks for
        with translation.override(translation.get_language_from_request(request)):
            refused = self.refused(request)
        return refused if refused is not None else self.get_response(request)

    def refused(self, request: HttpRequest) -> HttpResponse | None:
        try:
            problem = request_problem(request)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            detail = _("The request is larger than {limit} bytes.").format(
                limit=formats.number_format(limit, force_grouping=True)
            )
            return refusal(request, 413, detail, "400.html")
        except (SuspiciousOperation, MultiPartParserError, UnicodeDecodeError):
            problem = _("the form data cannot be read")
        if problem:
            return refusal(
                request, 400, _("Bad request: {problem}.").format(problem=problem), "400.html"
            )
        return None
