"""The public audit log page: newest entries first, a page at a time (by sequence number,
so its cost does not grow with the log), and the signed head with how to check it. No
verification runs here: ``secession audit verify`` does that, anywhere."""

from __future__ import annotations

from django.shortcuts import render

from secession.web.apps.audit import log as audit_log
from secession.web.apps.audit.descriptions import public_details
from secession.web.apps.audit.keys import SigningKeyError
from secession.web.apps.audit.models import AuditEntry
from secession.web.apps.audit.present import (
    actor_names,
    community_links,
    describe_entry,
    entry_data,
    is_private,
    target_names,
    visible_entries,
)
from secession.web.pages import denied

PAGE = 100


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 19 else None


def log(request):
    if (response := denied(request, "audit.view_log")) is not None:
        return response
    rows = AuditEntry.objects.all()
    community = request.GET.get("community", "")
    if _number(community) is not None:
        rows = rows.filter(community_id=int(community))
    else:
        community = ""
    before, after = _number(request.GET.get("before", "")), _number(request.GET.get("after", ""))
    if after is not None:
        page = list(rows.filter(seq__gt=after).order_by("seq")[:PAGE])[::-1]
    elif before is not None:
        page = list(rows.filter(seq__lt=before).order_by("-seq")[:PAGE])
    else:
        page = list(rows.order_by("-seq")[:PAGE])
    newest, oldest = (page[0].seq, page[-1].seq) if page else (None, None)
    names = actor_names(page, display=True)
    communities = community_links(page)
    targets = target_names(page)
    entries = [
        {
            "e": e,
            "readable": readable,
            "private": is_private(e.action),
            "actor": names.get(e.actor_id, ""),
            "community": communities.get(e.community_id),
            "data": entry_data(e) if readable else {},
            "details": public_details(entry_data(e)) if readable else {},
            "sentence": describe_entry(
                e, names.get(e.actor_id, ""), communities.get(e.community_id), targets
            )
            if readable
            else "",
        }
        for e, readable in visible_entries(page, request.user)
    ]
    try:
        signed, key_problem = audit_log.signed_head(), ""
    except SigningKeyError as exc:
        signed, key_problem = None, str(exc)
    return render(
        request,
        "audit/log.html",
        {
            "entries": entries,
            "head": audit_log.head(),
            "signed": signed,
            "key_problem": key_problem,
            "community": community,
            "newer": newest is not None and rows.filter(seq__gt=newest).exists(),
            "older": oldest is not None and rows.filter(seq__lt=oldest).exists(),
            "newest": newest,
            "oldest": oldest,
            "site": request.build_absolute_uri("/").rstrip("/"),
        },
    )
