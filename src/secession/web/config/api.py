"""The JSON API (Django Ninja): one router per app, OpenAPI schema at /api/openapi.json.

Authentication: a session cookie (with CSRF, as the pages use) or ``Authorization: Bearer
<token>`` (``POST /api/accounts/token``). Reading public data needs no login.

Errors are JSON ``{"detail": "..."}`` with the status codes each operation declares in
the schema (:mod:`secession.web.config.apierrors`); an unexpected error is logged with its
traceback and answered with a 500 that shows nothing of the server.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.parser import Parser

from secession.exceptions import SecessionError
from secession.web import edge
from secession.web.analysis import analysis_message
from secession.web.apps.accounts.api import router as accounts_router
from secession.web.apps.alliances.api import community_router as community_alliances_router
from secession.web.apps.alliances.api import router as alliances_router
from secession.web.apps.audit.api import router as audit_router
from secession.web.apps.communities.api import router as communities_router
from secession.web.apps.constitutions.api import router as constitutions_router
from secession.web.apps.opendata.api import router as opendata_router
from secession.web.apps.planner.api import router as planner_router
from secession.web.apps.proposals.api import community_router as community_rules_router
from secession.web.apps.proposals.api import router as proposals_router
from secession.web.apps.registry.api import router as registry_router
from secession.web.apps.translations.api import router as translations_router
from secession.web.apps.verifiable.api import router as verifiable_router
from secession.web.config import apierrors
from secession.web.errors import Refused
from secession.web.public import public_message


class StrictParser(Parser):
    """JSON bodies as RFC 8259 JSON with storable text (see :mod:`secession.web.edge`),
    and a JSON object: every operation's body is one (``null`` or ``[]`` would otherwise
    read as an empty object and take every default)."""

    def parse_body(self, request):
        return edge.loads_object(request.body)


class PlatformAPI(NinjaAPI):
    """The API whose schema declares every error response an operation can give."""

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        apierrors.document(schema)
        return schema


class AccessibleSwagger(Swagger):
    """Swagger UI in a page with a language, a viewport, a main landmark and the site's
    contrast fixes (``templates/api/docs.html``, ``static/secession/api-docs.css``); no
    deep links, whose anchors inside each operation's button nest interactive controls."""

    template = "api/docs.html"


api = PlatformAPI(
    title="secession platform API",
    version="1",
    description="Communities, memberships, proposals, votes, constitutions, alliances and the "
    "audit log.",
    urls_namespace="api",
    parser=StrictParser(),
    docs=AccessibleSwagger(settings={"deepLinking": False}),
)
api.add_router("/accounts", accounts_router)
api.add_router("/communities", communities_router)
api.add_router("/communities", community_rules_router)
api.add_router("/proposals", proposals_router)
api.add_router("/constitutions", constitutions_router)
api.add_router("/alliances", alliances_router)
api.add_router("/communities", community_alliances_router)
api.add_router("/audit", audit_router)
api.add_router("/verifiable", verifiable_router)
api.add_router("/registry", registry_router)
api.add_router("/translations", translations_router)
api.add_router("/data", opendata_router)
api.add_router("/plans", planner_router)


def _detail(request, text: str, status: int):
    return api.create_response(request, {"detail": public_message(text)}, status=status)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _detail(request, str(exc) or gettext("not allowed"), 403)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return _detail(request, "; ".join(exc.messages), 400)


@api.exception_handler(Http404)
def _not_found(request, exc):
    """No such object: the reason the view gave (in the request's language), else a plain one."""
    return _detail(request, str(exc) or gettext("There is no such object."), 404)


@api.exception_handler(Refused)
def _refused(request, exc):
    return _detail(request, str(exc), exc.status)


@api.exception_handler(SecessionError)
def _secession_error(request, exc):
    """An analysis package's refusal (a malformed ballot): in the request's language."""
    return _detail(request, analysis_message(exc), 400)


@api.exception_handler(edge.BadInput)
def _bad_input(request, exc):
    return _detail(request, str(exc), 400)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    """A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, met where ninja first reads it
    (before the parser): 413, saying the limit."""
    return _detail(request, apierrors.body_problem(exc), 413)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    """Ninja's own errors; a body the strict parser refused says why."""
    cause = exc.__cause__
    if isinstance(cause, edge.BadInput):
        return _detail(request, str(cause), 400)
    if exc.status_code == 400 and cause is not None:
        return _detail(request, apierrors.body_problem(cause), apierrors.body_status(cause))
    return _detail(request, str(exc), exc.status_code)


@api.exception_handler(SchemaError)
def _schema_error(request, exc):
    """A request that does not match the schema: 422, each problem named in words."""
    return api.create_response(
        request,
        {"detail": apierrors.describe_schema_errors(exc.errors), "errors": exc.errors},
        status=422,
    )


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def _database_unavailable(request, exc):
    """The database went away (restarting, unreachable): 503, try again; logged."""
    reply = api.create_response(request, apierrors.database_unavailable(request, exc), status=503)
    reply["Retry-After"] = "1"
    return reply


@api.exception_handler(Exception)
def _unexpected(request, exc):
    """A bug: log the traceback, answer JSON with a reference and nothing else."""
    return api.create_response(request, apierrors.logged_failure(request, exc), status=500)
