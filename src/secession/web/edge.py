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
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string

#: deepest nesting of a JSON body (GeoJSON needs 8: collection > feature > multipolygon)
MAX_DEPTH = 32
_BAD = re.compile("[\x00\ud800-\udfff]")


class BadInput(ValueError):
    """A request value that cannot be accepted; the message names where and why."""


def text_problem(value: str) -> str:
    """Why ``value`` cannot be stored as text, or ``""`` when it can."""
    found = _BAD.search(value)
    if found is None:
        return ""
    char = found.group()
    if char == "\x00":
        return "contains a NUL character (\\u0000), which text cannot hold"
    return f"contains a lone surrogate (\\u{ord(char):04x}), which is not a character"


def check_tree(value: Any, where: str = "body") -> None:
    """Walk a parsed JSON value; raise :class:`BadInput` for bad text or deep nesting."""
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise BadInput(f"{path}: nested more than {MAX_DEPTH} levels deep")
        if isinstance(item, str):
            if problem := text_problem(item):
                raise BadInput(f"{path} {problem}")
        elif isinstance(item, dict):
            for key, child in item.items():
                if problem := text_problem(key):
                    raise BadInput(f"a field name in {path} {problem}")
                stack.append((child, f"{path}.{key}", depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{i}]", depth + 1) for i, child in enumerate(item))


def _no_constants(name: str) -> Any:
    raise BadInput(f"{name} is not a JSON number (use a finite number)")


def loads(text: str | bytes, where: str = "body") -> Any:
    """Strict JSON: ``json.loads`` without NaN/Infinity, bounded nesting, storable text.

    Raises :class:`BadInput` (never ``RecursionError``) naming what is wrong."""
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise BadInput(f"{where}: nested more than {MAX_DEPTH} levels deep") from None
    except UnicodeDecodeError:
        raise BadInput(f"{where} is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise BadInput(f"{where} is not valid JSON: {exc.msg} at position {exc.pos}") from None
    check_tree(value, where)
    return value


def loads_object(text: str | bytes, where: str = "body") -> dict[str, Any]:
    """:func:`loads`, and the value must be a JSON object; else :class:`BadInput`."""
    value = loads(text, where)
    if not isinstance(value, dict):
        raise BadInput(f"{where} must be a JSON object ({{...}}), not {_json_kind(value)}")
    return value


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string" if isinstance(value, str) else "an array"


def request_problem(request: HttpRequest) -> str:
    """Why the request's path, query string or form fields cannot be accepted, or ``""``."""
    if problem := text_problem(request.path):
        return f"the address {problem}"
    for source, data in (("query parameter", request.GET), ("form field", request.POST)):
        for key, values in data.lists():
            if problem := text_problem(key):
                return f"a {source} name {problem}"
            for value in values:
                if isinstance(value, str) and (problem := text_problem(value)):
                    return f"{source} {key!r} {problem}"
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
        try:
            problem = request_problem(request)
        except RequestDataTooBig:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            detail = f"The request is larger than {limit:,} bytes."
            return refusal(request, 413, detail, "400.html")
        except (SuspiciousOperation, MultiPartParserError, UnicodeDecodeError):
            problem = "the form data cannot be read"
        if problem:
            return refusal(request, 400, f"Bad request: {problem}.", "400.html")
        return self.get_response(request)
