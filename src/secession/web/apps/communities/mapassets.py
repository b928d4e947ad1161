"""The map library and world base of the territory tool, served from the installed npm
packages (``package.json``): only the files listed here, never the whole folder."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse

from secession.assets import npm_file
from secession.exceptions import DataMissingError

# name in the URL -> (npm package, file inside it, content type)
ASSETS = {
    "leaflet.js": ("leaflet", "dist/leaflet.js", "text/javascript"),
    "leaflet.css": ("leaflet", "dist/leaflet.css", "text/css"),
    "topojson-client.js": ("topojson-client", "dist/topojson-client.min.js", "text/javascript"),
    "countries-50m.json": ("world-atlas", "countries-50m.json", "application/json"),
}


def missing() -> str:
    """Why the map cannot be shown (the first missing package), or "" when all are there."""
    for package, relative, _ in ASSETS.values():
        try:
            npm_file(package, relative)
        except DataMissingError as exc:
            return str(exc)
    return ""


def asset(request, name: str):
    """One listed file, cached for a day; 503 with the install message when missing."""
    if name not in ASSETS:
        raise Http404("no such map file")
    package, relative, content_type = ASSETS[name]
    try:
        path = npm_file(package, relative)
    except DataMissingError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
