"""The API's error responses: what each operation declares, and how errors read.

Every operation's schema lists the errors it can give, from what it is:

- 400 Bad request: a body or value the platform refuses (bad text, invalid JSON, a
  ValidationError of the action), for operations that take input;
- 401 Unauthorized: operations that need a login, without a valid token or session;
- 403 Forbidden: a permission the caller lacks (and a session request without CSRF);
- 404 Not found: an unknown id or slug in the path;
- 409 Conflict: declared by the operations whose action can refuse on state
  (already a member, already voted, voting closed);
- 413 Payload too large: bodies above ``DATA_UPLOAD_MAX_MEMORY_SIZE``;
- 422 Unprocessable: parameters or a body that do not match the schema;
- 429 Too many requests: declared by the throttled operations;
- 503 Service unavailable: every operation, while the database cannot be reached
  (restarting after a crash, say); ``Retry-After`` says when to try again.

Each error body is ``{"detail": "a sentence"}`` (422 adds ``errors``, one per problem).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext

log = logging.getLogger("secession.web")

REASONS = {
    400: "Bad request: the input was refused; `detail` says why.",
    401: "Not logged in: send `Authorization: Bearer <token>` or a session cookie.",
    403: "Not allowed; `detail` says why.",
    404: "No such object.",
    409: "Not possible in the current state (e.g. already voted); `detail` says why.",
    413: "The request body is too large.",
    422: "The request does not match the schema; `errors` lists each problem.",
    429: "Too many attempts; `detail` says when to try again.",
    500: "Unexpected server error (logged on the server with the reference given).",
    503: "The database is unavailable for a moment; try again (see Retry-After).",
}

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"title": "Detail", "type": "string"},
        "errors": {"title": "Errors", "type": "array", "items": {"type": "object"}},
    },
    "required": ["detail"],
}


def codes_for(operation: dict[str, Any]) -> set[int]:
    """The error codes an operation can answer with, from its parameters and security."""
    params = operation.get("parameters", [])
    codes = {403, 503}
    if params or "requestBody" in operation:
        codes |= {400, 422}
    if "requestBody" in operation:
        codes.add(413)
    if any(p.get("in") == "path" for p in params):
        codes.add(404)
    if operation.get("security"):
        codes.add(401)
    return codes


def document(schema: dict[str, Any]) -> None:
    """Add the error responses (and the Error schema) to every operation of ``schema``."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            responses = operation.setdefault("responses", {})
            declared = {int(code) for code in responses if str(code).isdigit()}
            for code in sorted(codes_for(operation) | {c for c in declared if c >= 400}):
                entry = responses.pop(str(code), None) or responses.get(code) or {}
                responses[code] = entry  # Ninja keys responses by number
                entry["description"] = REASONS.get(code, entry.get("description", ""))
                entry["content"] = {"application/json": {"schema": ref}}


def describe_schema_errors(errors: list[dict[str, Any]]) -> str:
    """Ninja's validation errors as one sentence: ``body.name: Field required; ...``."""
    parts = []
    for error in errors[:10]:
        where = ".".join(str(p) for p in error.get("loc", ()))
        said = error.get("msg", "") or gettext("invalid")
        parts.append(f"{where}: {said}" if where else said)
    text = "; ".join(parts)
    if len(errors) > 10:
        return gettext("{problems} (and {n} more)").format(problems=text, n=len(errors) - 10)
    return text


def body_status(cause: BaseException) -> int:
    return 413 if isinstance(cause, RequestDataTooBig) else 400


def body_problem(cause: BaseException) -> str:
    """Why a request body could not be read, without echoing it."""
    if isinstance(cause, RequestDataTooBig):
        from django.conf import settings

        return gettext("the request body is larger than {n} bytes").format(
            n=f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"
        )
    return gettext("the request body cannot be read as JSON")


def database_unavailable(request, exc: BaseException) -> dict[str, str]:
    """Log a lost database connection (with its traceback) and say to try again."""
    log.warning(
        "database unavailable on %s %s: %s",
        request.method,
        request.path,
        exc,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return {"detail": gettext("The database is unavailable for a moment; try again.")}


def logged_failure(request, exc: BaseException) -> dict[str, str]:
    """Log ``exc`` with its traceback under a fresh reference; the public answer."""
    reference = uuid.uuid4().hex[:12]
    log.error(
        "unexpected error %s on %s %s",
        reference,
        request.method,
        request.path,
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return {
        "detail": gettext(
            "The server could not complete this request. "
            "The error is logged under reference {reference}."
        ).format(reference=reference)
    }
