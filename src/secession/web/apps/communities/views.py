"""Community pages: tree, found, public page, join, leave, members and their history,
asking to join a parent community, withdrawing the request, leaving the parent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

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
    nodes = list(Community.objects.select_related("requested_parent").order_by("name"))
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
        # a plan's new country ("Found a community with this territory" on a plan's page)
        "territory_dataset": request.GET.get("territory_dataset", ""),
        "territory_unit_ids": request.GET.get("territory_unit_ids", ""),
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
            if community.requested_parent:
                messages.info(
                    request,
                    f"{community.name} asked to join {community.requested_parent.name}; it "
                    "becomes part of it once that community's members admit it by vote.",
                )
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
    community = get_object_or_404(
        Community.objects.select_related("parent", "requested_parent"), slug=slug
    )
    if (response := denied(request, "communities.view_community", community)) is not None:
        return response
    # the apps above (proposals, constitution, ...) add their sections to the page; they
    # render first because closing a due proposal can change the community itself
    parts = [section.render(request, community) for section in sections()]
    community.refresh_from_db()
    membership = active_membership(request.user, community)
    members = community.active_members().select_related("person").order_by("id")[:MEMBERS_SHOWN]
    return render(
        request,
        "communities/detail.html",
        {
            "community": community,
            "membership": membership,
            "members": members,
            "children": community.children.order_by("name")[:200],
            "asking": community.join_requests.order_by("requested_at", "id")[:200],
            "can_act_for": request.user.has_perm("communities.request_parent", community),
            "can_propose": request.user.has_perm("proposals.add_proposal", community),
            "shown": MEMBERS_SHOWN,
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
    """Every membership period, in order, a page at a time (``?after=`` the last id)."""
    community = get_object_or_404(Community, slug=slug)
    if (response := denied(request, "communities.view_community", community)) is not None:
        return response
    after = request.GET.get("after", "")
    after = int(after) if after.isdigit() and len(after) < 19 else 0
    rows = list(
        community.memberships.filter(id__gt=after)
        .select_related("person")
        .order_by("id")[: HISTORY_PAGE + 1]
    )
    next_after = rows[HISTORY_PAGE - 1].pk if len(rows) > HISTORY_PAGE else None
    return render(
        request,
        "communities/members.html",
        {"community": community, "rows": rows[:HISTORY_PAGE], "next_after": next_after},
    )


MEMBERS_SHOWN = 100
HISTORY_PAGE = 200


def _membership_change(request, slug, action, said):
    """Join or leave: run ``action`` (it decides who may), say ``said`` or why it was refused
    (already a member, not a member) on the community page. Anonymous people log in first."""
    community = get_object_or_404(Community, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(community.get_absolute_url())
    try:
        with reported(request):
            action(community, person=request.user)
            messages.success(request, str(said).format(name=community.name))
    except ActionFailed:
        pass
    return redirect(community)


def _page(slug: str) -> str:
    return reverse("communities:detail", args=[slug])


@post_only(_page, _("This address makes you a member of the community."))
def join(request, slug):
    return _membership_change(request, slug, actions.join_community, _("You joined {name}."))


@post_only(_page, _("This address ends your membership of the community."))
def leave(request, slug):
    return _membership_change(request, slug, actions.leave_community, _("You left {name}."))


@post_only(_page, _("This address saves a new description of the community."))
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


@post_only(_page, _("This address asks, for the community, to join another community."))
def request_parent(request, slug):
    """Ask, for the community, to join the community named in the form (office holders)."""
    community = get_object_or_404(Community, slug=slug)
    if (response := denied(request, "communities.request_parent", community)) is not None:
        return response
    wanted = request.POST.get("parent", "").strip()
    parent = Community.objects.filter(slug=wanted[:140]).first() if wanted else None
    if parent is None:
        messages.error(request, f"There is no community with the address name {wanted!r}.")
        return redirect(community)
    try:
        with reported(request):
            actions.request_parent(community, person=request.user, parent=parent)
            messages.success(
                request,
                f"{community.name} asked to join {parent.name}; its members decide by vote.",
            )
    except ActionFailed:
        pass
    return redirect(community)


@post_only(_page, _("This address withdraws the community's request to join another."))
def withdraw_request(request, slug):
    community = get_object_or_404(Community, slug=slug)
    if (response := denied(request, "communities.request_parent", community)) is not None:
        return response
    try:
        with reported(request):
            actions.withdraw_parent_request(community, person=request.user)
            messages.success(request, "The request to join was withdrawn.")
    except ActionFailed:
        pass
    return redirect(community)


@post_only(_page, _("This address takes the community out of the community it is part of."))
def leave_parent(request, slug):
    community = get_object_or_404(Community.objects.select_related("parent"), slug=slug)
    if (response := denied(request, "communities.request_parent", community)) is not None:
        return response
    try:
        with reported(request):
            parent = community.parent
            actions.leave_parent(community, person=request.user)
            messages.success(request, f"{community.name} is no longer part of {parent.name}.")
    except ActionFailed:
        pass
    return redirect(community)
