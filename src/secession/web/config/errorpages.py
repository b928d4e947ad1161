"""Error responses outside the API's own handlers: JSON on /api/ routes, pages elsewhere.

Django calls these for a URL no view matches (404), a refused request (400, 403) and an
unexpected error (500, already logged with its traceback by ``django.request``).
"""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext

from secession.web.edge import is_api


def bad_request(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": gettext("Bad request.")}, status=400)
    return HttpResponse(render_to_string("400.html", request=request), status=400)


def forbidden(request, exception=None):
    detail = str(exception or "") or gettext("Not allowed.")
    if is_api(request):
        return JsonResponse({"detail": detail}, status=403)
    body = render_to_string("403.html", {"exception": exception}, request=request)
    return HttpResponse(body, status=403)


def not_found(request, exception=None):
    if is_api(request):
        return JsonResponse({"detail": gettext("No such API address.")}, status=404)
    return HttpResponse(render_to_string("404.html", request=request), status=404)


def server_error(request):
    if is_api(request):
        detail = gettext("The server could not complete this request; the error is logged.")
        return JsonResponse({"detail": detail}, status=500)
    # no request context: the page must render even when the database is down
    return HttpResponseServerError(render_to_string("500.html"))


class JsonErrorsOnApi:
    """Middleware: an error answer on an /api/ route that is not JSON (405 from the router,
    a response from outside the API's handlers) becomes ``{"detail": ...}``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code >= 400
            and is_api(request)
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            replaced = JsonResponse(
                {"detail": f"{response.reason_phrase}."}, status=response.status_code
            )
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response
