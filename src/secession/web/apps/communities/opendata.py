"""The communities app's exports: the ``community`` scope, each community and its members
(names as the platform shows them: usernames), its territory as GeoJSON, and the list of
every community for the whole site."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_noop
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.ops import transform

from secession.web.apps.communities.models import Community, Membership
from secession.web.apps.communities.territory import LONLAT
from secession.web.apps.opendata.registry import Dataset, Scope, register_dataset, register_scope

REMOVED = "removed account"
COMMUNITY_COLUMNS = (
    "slug",
    "name",
    "kind",
    "description",
    "parent",
    "governance",
    "capital",
    "status",
    "independent",
    "independent_since",
    "independent_from",
    "territory_dataset",
    "territory_unit_ids",
    "founded_by",
    "created_at",
)
MEMBERSHIP_COLUMNS = ("community", "person", "role", "joined_at", "left_at")


def _when(value) -> str | None:
    return value.isoformat() if value is not None else None


def community_row(c: Community) -> dict[str, Any]:
    return {
        "slug": c.slug,
        "name": c.name,
        "kind": c.kind,
        "description": c.description,
        "parent": c.parent.slug if c.parent_id else None,
        "governance": c.governance,
        "capital": c.capital,
        "status": c.status,
        "independent": c.independent,
        "independent_since": _when(c.independent_since),
        "independent_from": c.independent_from,
        "territory_dataset": c.territory_dataset or None,
        "territory_unit_ids": c.territory_unit_ids,
        "founded_by": c.founded_by.username if c.founded_by_id else None,
        "created_at": _when(c.created_at),
    }


def _communities():
    return Community.objects.select_related("parent", "founded_by").order_by("slug")


def membership_rows(community: Community) -> Iterator[dict[str, Any]]:
    rows = (
        Membership.objects.filter(community=community)
        .select_related("person")
        .order_by("joined_at", "id")
    )
    for m in rows.iterator(chunk_size=1000):
        yield {
            "community": community.slug,
            "person": m.person.username if m.person_id else REMOVED,
            "role": m.role,
            "joined_at": _when(m.joined_at),
            "left_at": _when(m.left_at),
        }


@lru_cache(maxsize=8)
def _to_lonlat(crs: str) -> Transformer:
    return Transformer.from_crs(crs, LONLAT, always_xy=True)


def territory_geometry(c: Community) -> dict[str, Any] | None:
    """The territory as a GeoJSON geometry in longitude/latitude (RFC 7946), or ``None``."""
    if not c.territory_geojson:
        return None
    geometry = json.loads(c.territory_geojson)
    if c.territory_crs and c.territory_crs != LONLAT:
        moved = transform(_to_lonlat(c.territory_crs).transform, shape(geometry))
        geometry = json.loads(json.dumps(mapping(moved)))  # tuples -> lists
    return geometry


def territory_feature(c: Community) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": c.slug,
        "properties": {
            "slug": c.slug,
            "name": c.name,
            "dataset": c.territory_dataset or None,
            "unit_ids": c.territory_unit_ids,
        },
        "geometry": territory_geometry(c),
    }


def connect() -> None:
    register_scope(
        Scope(
            "community",
            resolve=lambda key: _communities().filter(slug=key).first(),
            key=lambda c: c.slug,
            source=lambda c: f"the community {c.name}",
            permission="communities.view_community",
        )
    )
    register_dataset(
        Dataset(
            "community",
            "community",
            gettext_noop("The community"),
            COMMUNITY_COLUMNS,
            rows=lambda c: [community_row(c)],
            order=10,
        )
    )
    register_dataset(
        Dataset(
            "community",
            "memberships",
            gettext_noop("Memberships, past and present, with their dates"),
            MEMBERSHIP_COLUMNS,
            rows=membership_rows,
            order=20,
        )
    )
    register_dataset(
        Dataset(
            "community",
            "territory",
            gettext_noop("Territory (GeoJSON, longitude/latitude)"),
            features=lambda c: [territory_feature(c)],
            order=30,
        )
    )
    register_dataset(
        Dataset(
            "site",
            "communities",
            gettext_noop("Every community"),
            COMMUNITY_COLUMNS,
            rows=lambda site: (community_row(c) for c in _communities().iterator(chunk_size=500)),
            features=lambda site: (
                territory_feature(c)
                for c in _communities().exclude(territory_geojson="").iterator(chunk_size=100)
            ),
            order=10,
        )
    )
