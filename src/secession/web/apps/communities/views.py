"""Community pages: tree, found, public page, join, leave, members and their history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from secession.web.apps.communities import actions, mapassets, places
from secession.web.apps.communities.forms import EditForm, FoundForm
from secession.web.apps.communities.models import Community
from secession.web.apps.communities.rules import active_membership
from secession.web.apps.communities.sections import sections
from secession.web.apps.communities.starter import (
    GOVERNANCE_PLACEHOLDER,
    NAME_PLACEHOLDER,
    STARTER_CONSTITUTION,
    fill_placeholders,
)
from secession.web.apps.communities.territory import svg
from secession.web.pages import ActionFailed, denied, post_only, reported


def tree(request):
    """Every community, nested under its parent."""
    if (response := denied(request, "communities.view_community")) is not None:
        return response
    nodes = list(Community.objects.all().order_by("name"))
    children: dict[int | None, list[Community]] = {}
    for c in nodes:
        children.setdefault(c.parent_id, []).append(c)

    def branch(parent_id):
        return [{"c": c, "children": branch(c.pk)} for c in children.get(parent_id, [])]

    return render(request, "communities/tree.html", {"tree": branch(None)})


def found(request):
    if (response := denied(request, "communities.found_community")) is not None:
        return response
    initial = {
        "constitution_text": STARTER_CONSTITUTION.format(
            name=NAME_PLACEHOLDER, governance=GOVERNANCE_PLACEHOLDER
        ),
        "parent": request.GET.get("parent", ""),
    }
    form = FoundForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        text = fill_placeholders(data["constitution_text"], data["name"], data["governance"])
        try:
            with reported(request):
                community = actions.found_community(
                    person=request.user,
                    name=data["name"],
                    kind=data["kind"],
                    parent=data["parent"],
                    description=data["description"],
                    governance=data["governance"],
                    capital=data["capital"],
                    constitution_text=text,
                    indigenous=data.get("indigenous", False),
                    **data.get("territory", {}),
                )
        except ActionFailed:
            pass
        else:
            messages.success(request, f"{community.name} is founded. You are its first member.")
            return redirect(community)
    return render(
        request,
        "communities/found.html",
        {
            "map_missing": mapassets.missing(),
            "place_names": places.country_names(),
            "form": form,
            "heading": "Found a community",
            "submit": "Found",
            "multipart": True,
            "intro": "You become the first member. Anyone may join, and anyone may leave.",
        },
    )


def detail(request, slug):
    community = get_object_or_404(Community.objects.select_related("parent"), slug=slug)
    if (response := denied(request, "communities.view_community", community)) is not None:
        return response
    # the apps above (proposals, constitution, ...) add their sections to the page; they
    # render first because closing a due proposal can change the community itself
    parts = [section.render(request, community) for section in sections()]
    community.refresh_from_db()
    membership = active_membership(request.user, community)
    members = community.active_members().select_related("person")
    return render(
        request,
        "communities/detail.html",
        {
            "community": community,
            "membership": membership,
            "members": members,
            "children": community.children.all(),
            "ancestors": community.ancestors(),
            "sections": parts,
            "territory_svg": mark_safe(  # built from numbers only; labels escaped
                svg(
                    community.territory_geojson,
                    community.territory_crs or "EPSG:4326",
                    label=f"Territory of {community.name}",
                    context=True,
                )
            ),
            "can_join": request.user.has_perm("communities.join_community", community),
            "can_leave": request.user.has_perm("communities.leave_community", community),
            "can_edit": request.user.has_perm("communities.edit_community", community),
            "edit_form": EditForm(initial={"description": community.description}),
        },
    )


def members(request, slug):
    community = get_object_or_404(Community, slug=slug)
    if (response := denied(request, "communities.view_community", community)) is not None:
        return response
    rows = community.memberships.select_related("person").order_by("joined_at", "id")
    return render(request, "communities/members.html", {"community": community, "rows": rows})


def _membership_change(request, slug, action, said):
    """Join or leave: run ``action`` (it decides who may), say ``said`` or why it was refused
    (already a member, not a member) on the community page. Anonymous people log in first."""
    community = get_object_or_404(Community, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(community.get_absolute_url())
    try:
        with reported(request):
            action(community, person=request.user)
            messages.success(request, said.format(name=community.name))
    except ActionFailed:
        pass
    return redirect(community)


def _page(slug: str) -> str:
    return reverse("communities:detail", args=[slug])


@post_only(_page)
def join(request, slug):
    return _membership_change(request, slug, actions.join_community, "You joined {name}.")


@post_only(_page)
def leave(request, slug):
    return _membership_change(request, slug, actions.leave_community, "You left {name}.")


@post_only(_page)
def edit(request, slug):
    community = get_object_or_404(Community, slug=slug)
    if (response := denied(request, "communities.edit_community", community)) is not None:
        return response
    form = EditForm(request.POST)
    if form.is_valid():
        actions.edit_community(
            community, person=request.user, description=form.cleaned_data["description"]
        )
        messages.success(request, "Description saved.")
    return redirect(community)
