"""The registry's world map, drawn by :mod:`secession.maps.world` from the registry's
document and kept in the cache under the document's hash: the map is cut once per state of
the registry (and point of view), not once per visit."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.utils import translation

from secession.exceptions import SecessionError
from secession.i18n import DEFAULT
from secession.i18n import LANGUAGES as MAP_LANGUAGES
from secession.maps.world import parse_world_doc, world_layout
from secession.maps.world.interactive import render_world_html, world_parts
from secession.maps.world.layout import Placed
from secession.maps.world.model import WorldMap
from secession.maps.world.territory import resolve_territory

CACHE_SECONDS = 24 * 3600


def map_language() -> str:
    """The active page language if the map speaks it (:mod:`secession.i18n`), else English."""
    code = translation.get_language() or DEFAULT
    return code if code in MAP_LANGUAGES else DEFAULT


def _key(doc: dict[str, Any], what: str) -> str:
    body = json.dumps({k: v for k, v in doc.items() if k != "source"}, sort_keys=True)
    digest = hashlib.sha256(body.encode()).hexdigest()
    return f"registry-map:{what}:{map_language()}:{digest}"


def _placed(doc) -> list[Placed]:
    """Each people's territory; one that cannot be read here (a dataset missing from this
    server's data folder) is listed, not drawn, with the reason as a note: the page must
    show the others."""
    out = []
    for p in doc.peoples:
        try:
            geom, notes = resolve_territory(p.territory, p.name)
        except SecessionError as exc:
            geom, notes = (
                None,
                [
                    translation.gettext(
                        "{name}: its territory cannot be drawn here ({reason})"
                    ).format(name=p.name, reason=exc)
                ],
            )
        out.append(Placed(p, geom, tuple(notes)))
    return out


def drawn(doc: dict[str, Any]) -> WorldMap:
    """The registry's map, its texts in the active language."""
    parsed = parse_world_doc(doc, "the registry")
    layout = world_layout(_placed(parsed), parsed.base, skip_errors=True)
    return WorldMap(parsed, layout, lang=map_language())


def page_parts(doc: dict[str, Any]) -> dict[str, str]:
    """The map's HTML parts (see ``world_parts``), from the cache when the registry has not
    changed since they were drawn."""
    key = _key(doc, "parts")
    parts = cache.get(key)
    if parts is None:
        parts = world_parts(drawn(doc))
        cache.set(key, parts, CACHE_SECONDS)
    return parts


def offline_file(doc: dict[str, Any]) -> str:
    """The whole map as one offline HTML file (cached likewise)."""
    key = _key(doc, "file")
    page = cache.get(key)
    if page is None:
        page = render_world_html(drawn(doc))
        cache.set(key, page, CACHE_SECONDS)
    return page
