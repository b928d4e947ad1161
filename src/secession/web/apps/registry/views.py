"""Registry pages: the list of declared peoples, each declaration (permanent page and JSON),
each people's recognitions, the recognition graph, exports (JSON, CSV) and the world map
(as a page, as one offline file, and as its document)."""

from __future__ import annotations

import csv
import json
from functools import cache
from io import StringIO

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from secession.maps.world.interactive import world_css, world_script
from secession.web.apps.communities.models import Community
from secession.web.apps.communities.territory import svg
from secession.web.apps.registry.actions import current_declaration, recognition_rule
from secession.web.apps.registry.graph import ALLIANCE, Node, graph_svg
from secession.web.apps.registry.models import Declaration, Recognition
from secession.web.apps.registry.present import (
    add_links,
    linked,
    recognised_by,
    recognises,
    standings,
    world_document,
)
from secession.web.apps.registry.recognisers import COMMUNITY
from secession.web.apps.registry.worldmap import offline_file, page_parts
from secession.web.pages import denied
from secession.web.panels import panels

PAGE_SIZE = 50
GRAPH_NODES = 120
GRAPH_OTHERS = 60  # recognitions by alliances drawn (and listed) at most


def index(request):
    if (response := denied(request, "registry.view_registry")) is not None:
        return response
    rows = Declaration.objects.current().select_related("community").order_by("people_name", "id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/index.html",
        {"page": page, "standings": standings(page.object_list), "rule": recognition_rule()},
    )


def declaration_json(d: Declaration) -> dict:
    """A declaration as public data (the same on its page, in JSON and in the API)."""
    later = getattr(d, "superseded_by", None)  # the reverse one-to-one: None when none
    return {
        "id": d.pk,
        "url": d.get_absolute_url(),
        "kind": d.kind,
        "title": d.title,
        "people": {"slug": d.community.slug, "name": d.people_name, "indigenous": d.indigenous},
        "text": d.text,
        "published_at": d.published_at.isoformat(),
        "separates_from": d.separates_from or None,
        "land": d.land or None,
        "claimed_by": d.claimed_by or None,
        "territory": {
            "crs": d.territory_crs or None,
            "dataset": d.territory_dataset or None,
            "unit_ids": d.territory_unit_ids,
            "geometry": json.loads(d.territory_geojson) if d.territory_geojson else None,
        },
        "vote": d.vote,
        "audit_entry": {
            "seq": d.audit_seq,
            "leaf_hash": d.audit_leaf_hash,
            "inclusion_proof": f"/api/audit/proof/inclusion?seq={d.audit_seq}",
        },
        "supersedes": d.supersedes_id,
        "superseded_by": later.pk if later else None,
    }


def _declaration(pk: int) -> Declaration:
    return get_object_or_404(
        Declaration.objects.select_related("community", "supersedes", "superseded_by"), pk=pk
    )


def declaration(request, pk: int):
    d = _declaration(pk)
    if (response := denied(request, "registry.view_registry")) is not None:
        return response
    return render(
        request,
        "registry/declaration.html",
        {
            "d": d,
            "later": getattr(d, "superseded_by", None),
            "panels": panels(request, d),
            "territory_svg": mark_safe(  # built from numbers only; the label is escaped
                svg(
                    d.territory_geojson,
                    d.territory_crs or "EPSG:4326",
                    label=_("Territory of {name}").format(name=d.people_name),
                    context=True,
                )
            ),
        },
    )


def declaration_file(request, pk: int):
    d = _declaration(pk)
    if (response := denied(request, "registry.view_registry")) is not None:
        return response
    return JsonResponse(declaration_json(d), json_dumps_params={"ensure_ascii": False})


def people(request, slug: str):
    community = get_object_or_404(Community, slug=slug)
    if (response := denied(request, "registry.view_registry")) is not None:
        return response
    d = current_declaration(community)
    if d is None:
        raise Http404(_("{name} has published no declaration").format(name=community.name))
    (standing,) = standings([d])
    history = request.GET.get("history") == "1"
    by = Paginator(recognised_by(community, history=history), PAGE_SIZE).get_page(
        request.GET.get("by")
    )
    of = Paginator(recognises(community, history=history), PAGE_SIZE).get_page(
        request.GET.get("of")
    )
    by.object_list = add_links(by.object_list)
    of.object_list = add_links(of.object_list)
    earlier = Declaration.objects.filter(community=community).exclude(pk=d.pk)
    return render(
        request,
        "registry/people.html",
        {
            "community": community,
            "d": d,
            "s": standing,
            "by": by,
            "of": of,
            "history": history,
            "earlier": earlier.order_by("-published_at"),
            "rule": recognition_rule(),
        },
    )


def graph(request):
    if (response := denied(request, "registry.view_registry")) is not None:
        return response
    current = Declaration.objects.current().select_related("community")
    rows = standings(current.order_by("people_name", "id")[:GRAPH_NODES])
    nodes = [
        Node((COMMUNITY, s.community.pk), s.community.name, s.status, _people_url(s.community))
        for s in rows
    ]
    keys = [s.community.pk for s in rows]
    active = Recognition.objects.filter(withdrawn_at__isnull=True, recognised_id__in=keys)
    edges: list = [
        ((COMMUNITY, a), (COMMUNITY, b))
        for a, b in active.filter(recogniser_community_id__in=keys).values_list(
            "recogniser_community_id", "recognised_id"
        )
    ]
    by_others = add_links(
        active.exclude(recogniser_type=COMMUNITY)
        .select_related("recognised")
        .order_by("recogniser_name", "recognised__name", "id")[:GRAPH_OTHERS]
    )
    for r in by_others:
        key = (r.recogniser_type, r.recogniser_id)
        if key not in {n.key for n in nodes}:
            nodes.append(Node(key, r.recogniser_name, ALLIANCE, r.recogniser_url))
        edges.append((key, (COMMUNITY, r.recognised_id)))
    total = current.count()
    return render(
        request,
        "registry/graph.html",
        {
            "graph": mark_safe(graph_svg(nodes, edges, _("Who recognises whom"))),  # names escaped
            "edges": len(edges),
            "shown": len(rows),
            "total": total,
            "rule": recognition_rule(),
            "by_others": by_others,
        },
    )


def _people_url(community: Community) -> str:
    return reverse("registry:people", args=[community.slug])


def _recognition_row(r: Recognition) -> dict:
    """A recognition as public data (rows passed through :func:`add_links`)."""
    return {
        "recogniser_type": r.recogniser_type,
        "recogniser": r.recogniser_name,
        "recogniser_slug": r.recogniser_slug,
        "recognised": r.recognised.name,
        "recognised_slug": r.recognised.slug,
        "recognised_at": r.recognised_at.isoformat(),
        "proposal": r.proposal_id,
        "audit_seq": r.audit_seq,
        "withdrawn_at": r.withdrawn_at.isoformat() if r.withdrawn_at else None,
        "withdrawal_proposal": r.withdrawal_proposal_id,
        "withdrawal_audit_seq": r.withdrawal_audit_seq,
        "decision": r.decision,
        "withdrawal_decision": r.withdrawal_decision,
        "recogniser_url": r.recogniser_url or None,
        "vote_url": r.vote_url or None,
        "withdrawal_vote_url": r.withdrawal_vote_url or None,
    }


def _recognitions():
    return Recognition.objects.select_related("recognised", "recogniser_community").order_by(
        "recognised_at", "id"
    )


def recognitions_json(request):
    """Every recognition ever made (withdrawn ones included), oldest first, streamed."""
    if (response := denied(request, "registry.view_registry")) is not None:
        return response

    def body():
        yield '{"format": "secession-recognitions/1", "recognitions": ['
        for i, r in enumerate(linked(_recognitions().iterator(chunk_size=500))):
            yield ("," if i else "") + json.dumps(_recognition_row(r), ensure_ascii=False)
        yield "]}"

    return StreamingHttpResponse(body(), content_type="application/json; charset=utf-8")


CSV_COLUMNS = (
    "recogniser_type",
    "recogniser",
    "recogniser_slug",
    "recognised",
    "recognised_slug",
    "recognised_at",
    "proposal",
    "audit_seq",
    "withdrawn_at",
    "withdrawal_proposal",
    "withdrawal_audit_seq",
    "decision",
    "withdrawal_decision",
    "recogniser_url",
    "vote_url",
    "withdrawal_vote_url",
)


def recognitions_csv(request):
    if (response := denied(request, "registry.view_registry")) is not None:
        return response

    def body():
        buffer = StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for r in linked(_recognitions().iterator(chunk_size=500)):
            writer.writerow(_recognition_row(r))
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    response = StreamingHttpResponse(body(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recognitions.csv"'
    return response


def _viewer(request) -> Community | None:
    slug = request.GET.get("as", "").strip()
    if not slug:
        return None
    viewer = Community.objects.filter(slug=slug).first()
    if viewer is None or current_declaration(viewer) is None:
        raise Http404(
            _("no registered people {slug}: a point of view is a registered people's").format(
                slug=repr(slug)
            )
        )
    return viewer


def world_map(request):
    if (response := denied(request, "registry.view_registry")) is not None:
        return response
    viewer = _viewer(request)
    doc = world_document(as_people=viewer)
    choices = (
        Declaration.objects.current()
        .order_by("people_name")
        .values_list("community__slug", "people_name")
    )
    return render(
        request,
        "registry/map.html",
        {
            "parts": {k: mark_safe(v) for k, v in page_parts(doc).items()},  # escaped by the map
            "viewer": viewer,
            "choices": choices,
            "query": f"?as={viewer.slug}" if viewer else "",
        },
    )


def world_map_file(request):
    """The map as one offline HTML file to download and post anywhere."""
    if (response := denied(request, "registry.view_registry")) is not None:
        return response
    doc = world_document(as_people=_viewer(request))
    response = HttpResponse(offline_file(doc), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="world-map.html"'
    return response


def world_json(request):
    """The world-map document of the registry (``secession world-map --peoples`` reads it)."""
    if (response := denied(request, "registry.view_registry")) is not None:
        return response
    return JsonResponse(
        world_document(as_people=_viewer(request)), json_dumps_params={"ensure_ascii": False}
    )


@cache
def _assets() -> dict[str, tuple[bytes, str]]:
    return {
        "world.js": (world_script().encode(), "text/javascript; charset=utf-8"),
        "world.css": (world_css().encode(), "text/css; charset=utf-8"),
    }


def asset(request, name: str):
    found = _assets().get(name)
    if found is None:
        raise Http404(_("no such file"))
    response = HttpResponse(found[0], content_type=found[1])
    response["Cache-Control"] = "public, max-age=3600"
    return response
