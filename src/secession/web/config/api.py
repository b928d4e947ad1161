"""The JSON API (Django Ninja): one router per app, OpenAPI schema at /api/openapi.json.

Authentication: a session cookie (with CSRF, as the pages use) or ``Authorization: Bearer
<token>`` (``POST /api/accounts/token``). Reading public data needs no login.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI

from secession.exceptions import SecessionError
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
from secession.web.apps.verifiable.api import router as verifiable_router
from secession.web.errors import Refused

api = NinjaAPI(
    title="secession platform API",
    version="1",
    description="Communities, memberships, proposals, votes, constitutions, alliances and the "
    "audit log.",
    urls_namespace="api",
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
api.add_router("/data", opendata_router)
api.add_router("/plans", planner_router)


def _messages(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "not allowed"}, status=403)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    return api.create_response(request, {"detail": _messages(exc)}, status=400)


@api.exception_handler(Refused)
def _refused(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=exc.status)


@api.exception_handler(SecessionError)
def _secession_error(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)
