"""Download pages: ``/data/<scope>/<key>/<dataset>.<format>``."""

from __future__ import annotations

from django.http import Http404

from secession.web.apps.opendata import http
from secession.web.apps.opendata.registry import UnknownExport


def download(request, scope: str, key: str, name: str, fmt: str):
    try:
        return http.download(request.user, scope, key, name, fmt)
    except UnknownExport as exc:
        raise Http404(str(exc)) from None
