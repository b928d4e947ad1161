"""The public audit log page, with the chain's verification status."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from secession.web.apps.audit.log import verify
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.audit.present import actor_names, community_links, entry_data
from secession.web.pages import denied


def log(request):
    if (response := denied(request, "audit.view_log")) is not None:
        return response
    rows = AuditEntry.objects.order_by("-seq")
    community = request.GET.get("community", "")
    if community.isdigit():
        rows = rows.filter(community_id=int(community))
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    names = actor_names(page.object_list)
    communities = community_links(page.object_list)
    entries = [
        {
            "e": e,
            "actor": names.get(e.actor_id, ""),
            "community": communities.get(e.community_id),
            "data": entry_data(e),
        }
        for e in page.object_list
    ]
    return render(
        request,
        "audit/log.html",
        {"page": page, "entries": entries, "check": verify(), "community": community},
    )
