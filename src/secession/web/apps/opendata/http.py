"""One download response for pages and the API: streamed, licence in a ``Link`` header."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse

from secession.web.apps.opendata.registry import dataset, licence_of, scope, subject
from secession.web.apps.opendata.render import MEDIA_TYPES, chunks

EXTENSIONS = {"json": "json", "csv": "csv", "geojson": "geojson"}


def download(user, scope_name: str, key: str, name: str, fmt: str) -> StreamingHttpResponse:
    """The export, or ``UnknownExport`` / ``PermissionDenied`` (the callers answer 404/403)."""
    subj = subject(scope_name, key)
    dataset(scope_name, name, fmt)
    if not user.has_perm(scope(scope_name).permission, subj):
        raise PermissionDenied("you may not read this")
    response = StreamingHttpResponse(
        chunks(scope_name, subj, name, fmt), content_type=MEDIA_TYPES[fmt]
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{scope(scope_name).key(subj)}-{name}.{EXTENSIONS[fmt]}"'
    )
    response["Link"] = f'<{licence_of(scope_name, subj).url}>; rel="license"'
    return response
