"""Registry endpoints: declared peoples and their status, declarations, recognitions, the
recognition rule (read by anyone, set by the site's administrators) and the world map's
document."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from secession.web.apiauth import AUTH, After, Error, Id, person, reader, require
from secession.web.apps.communities.models import Community
from secession.web.apps.registry import actions
from secession.web.apps.registry.models import Declaration
from secession.web.apps.registry.present import (
    add_links,
    recognised_by,
    recognises,
    standings,
    world_document,
)
from secession.web.apps.registry.views import _recognition_row, declaration_json

router = Router(tags=["registry"])
MAX_LIMIT = 200


class PeopleOut(Schema):
    slug: str
    name: str
    status: str
    indigenous: bool
    declaration: int
    declaration_kind: str
    declared_at: str
    recognised_by_peoples: int
    recognisers_members: int
    recognised_by_alliances: int
    missing: list[str]


class RuleIn(Schema):
    min_peoples: int = 0
    min_members: int = 0
    min_alliances: int = 0


def _people_out(s) -> dict:
    d = s.declaration
    return {
        "slug": d.community.slug,
        "name": d.community.name,
        "status": s.status,
        "indigenous": d.indigenous,
        "declaration": d.pk,
        "declaration_kind": d.kind,
        "declared_at": d.published_at.isoformat(),
        "recognised_by_peoples": s.peoples,
        "recognisers_members": s.members,
        "recognised_by_alliances": s.alliances,
        "missing": s.shortfall,
    }


def _window(limit: int, offset: int) -> tuple[int, int]:
    """The page asked for; the schema keeps both within the database's integers (422)."""
    if limit > MAX_LIMIT:
        raise ValidationError(_("limit must be 1 to {max}").format(max=MAX_LIMIT))
    return limit, offset


@router.get("/peoples", response=list[PeopleOut], auth=None)
def list_peoples(request, limit: Id = 50, offset: After = 0):
    """Declared peoples (a declaration in force), by name, with their status now."""
    require(reader(request), "registry.view_registry")
    limit, offset = _window(limit, offset)
    rows = Declaration.objects.current().select_related("community").order_by("people_name", "id")
    return [_people_out(s) for s in standings(rows[offset : offset + limit])]


def _registered(slug: str) -> tuple[Community, Declaration]:
    community = get_object_or_404(Community, slug=slug)
    d = actions.current_declaration(community)
    if d is None:
        raise Http404(_("{name} has published no declaration").format(name=community.name))
    return community, d


@router.get("/peoples/{slug}", auth=None)
def people(request, slug: str, history: bool = False):
    """One people: its status, declaration, and the recognitions it has and gives (the
    first 200 of each; the recognitions export has all)."""
    require(reader(request), "registry.view_registry")
    community, d = _registered(slug)
    (s,) = standings([d])
    return {
        **_people_out(s),
        "recognised_by": [
            _recognition_row(r)
            for r in add_links(recognised_by(community, history=history)[:MAX_LIMIT])
        ],
        "recognises": [
            _recognition_row(r)
            for r in add_links(recognises(community, history=history)[:MAX_LIMIT])
        ],
    }


@router.get("/declarations/{pk}", auth=None)
def declaration(request, pk: Id):
    require(reader(request), "registry.view_registry")
    d = get_object_or_404(Declaration.objects.select_related("community"), pk=pk)
    return declaration_json(d)


@router.get("/rule", auth=None)
def get_rule(request):
    """The recognition rule the published map applies, as data."""
    require(reader(request), "registry.view_registry")
    return actions.recognition_rule().to_dict()


@router.put("/rule", auth=AUTH)
def set_rule(request, data: RuleIn):
    """Set the recognition rule (the site's administrators only; 403 for anyone else)."""
    row = actions.set_recognition_rule(data.dict(), person=person(request))
    return row.rule


@router.get("/world", response={200: dict, 404: Error}, auth=None)
def world(request, as_people: str | None = None):
    """The registry as a world-map document (``secession world-map --peoples`` draws it);
    ``as_people``: a registered people's slug, for the map as that people sees it (404
    when no such people is registered)."""
    require(reader(request), "registry.view_registry")
    viewer = _registered(as_people)[0] if as_people else None
    return world_document(as_people=viewer)
