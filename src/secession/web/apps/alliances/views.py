"""Alliance pages: the list, an alliance's public page, membership history, the charter
and its versions, making an alliance proposal, a proposal with each community's vote,
and the board of mutual aid."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.web.apps.alliances import actions, decisions, kinds
from secession.web.apps.alliances.builtin import AMEND_CHARTER
from secession.web.apps.alliances.forms import AllianceProposalForm, ClosePledgeForm, PledgeForm
from secession.web.apps.alliances.models import (
    Alliance,
    AllianceProposal,
    CharterVersion,
    Pledge,
    PledgeKind,
    PledgeStatus,
)
from secession.web.apps.alliances.present import (
    alliance_data,
    alliance_proposal_data,
    rule_groups,
)
from secession.web.apps.alliances.rules import member_communities
from secession.web.apps.alliances.terms import describe_decision, describe_terms
from secession.web.apps.communities.models import Community
from secession.web.apps.constitutions.diff import diff_lines
from secession.web.pages import ActionFailed, post_only, reported
from secession.web.panels import panels

REFUSALS = {
    "alliances.add_proposal": gettext_lazy(
        "Only members of the alliance's member communities can make alliance proposals."
    ),
    "alliances.post_pledge": gettext_lazy(
        "Only those who act for a member community (its council or leader; any member of "
        "an assembly) can post on the board."
    ),
    "alliances.close_pledge": gettext_lazy(
        "Only those who act for the community that posted a pledge can close it."
    ),
}


def _denied(request, perm: str, obj):
    """``None`` when allowed; a login redirect for anonymous people; else a refusal
    saying why."""
    if request.user.has_perm(perm, obj):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(str(REFUSALS.get(perm, _("You may not do this."))))


def _alliance(request, slug: str) -> Alliance:
    alliance = get_object_or_404(Alliance, slug=slug)
    if not request.user.has_perm("alliances.view_alliance", alliance):
        raise PermissionDenied(_("You may not see this alliance."))
    return alliance


def index(request):
    rows = Alliance.objects.annotate(
        n=Count("memberships", filter=Q(memberships__left_at__isnull=True))
    ).order_by("name", "pk")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "alliances/index.html", {"page": page})


def detail(request, slug):
    alliance = _alliance(request, slug)
    decisions.close_due_alliance_proposals(alliance=alliance)
    data = alliance_data(alliance)
    user = request.user
    board = alliance.pledges.select_related("community", "answers")
    return render(
        request,
        "alliances/detail.html",
        {
            "alliance": alliance,
            "d": data,
            "rule_groups": rule_groups(data["rules"]),
            "proposals": alliance.proposals.all()[:50],
            "open_pledges": board.filter(status=PledgeStatus.OPEN)[:50],
            "closed_pledges": board.exclude(status=PledgeStatus.OPEN)[:20],
            "can_propose": user.has_perm("alliances.add_proposal", alliance),
            "can_post": user.has_perm("alliances.post_pledge", alliance),
            "my_communities": {
                m.community_id for m in member_communities(user, alliance, office=True)
            }
            if user.is_authenticated
            else set(),
            "close_form": ClosePledgeForm(),
        },
    )


def members(request, slug):
    alliance = _alliance(request, slug)
    rows = alliance.memberships.select_related("community").order_by("joined_at", "id")
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "alliances/members.html", {"alliance": alliance, "page": page})


def charter(request, slug):
    alliance = _alliance(request, slug)
    decisions.close_due_alliance_proposals(alliance=alliance)
    versions = list(alliance.charter.select_related("proposal"))
    current = versions[-1]
    rule = alliance.rules.filter(kind=AMEND_CHARTER).first()
    return render(
        request,
        "alliances/charter.html",
        {
            "alliance": alliance,
            "current": current,
            "panels": panels(request, current),
            "terms": describe_terms(current.admission, current.leavers_keep_vote),
            "versions": list(reversed(versions)),
            "votes": alliance.proposals.filter(kind=AMEND_CHARTER).order_by("opened_at")[:100],
            "rule_text": describe_decision(rule.method, rule.rule, rule.window_minutes)
            if rule
            else "",
            "can_propose": request.user.has_perm("alliances.add_proposal", alliance),
        },
    )


def charter_version(request, slug, number):
    alliance = _alliance(request, slug)
    v = get_object_or_404(CharterVersion, alliance=alliance, number=number)
    previous = CharterVersion.objects.filter(alliance=alliance, number=number - 1).first()
    return render(
        request,
        "alliances/charter_version.html",
        {
            "alliance": alliance,
            "v": v,
            "previous": previous,
            "panels": panels(request, v),
            "terms": describe_terms(v.admission, v.leavers_keep_vote),
            "previous_terms": describe_terms(previous.admission, previous.leavers_keep_vote)
            if previous
            else "",
            "diff": diff_lines(previous.text if previous else "", v.text),
        },
    )


def propose(request, slug):
    alliance = _alliance(request, slug)
    if (response := _denied(request, "alliances.add_proposal", alliance)) is not None:
        return response
    try:
        kind = kinds.get(request.GET.get("kind", ""))
        if not kind.offered:
            raise ValidationError("opened by the platform")
    except ValidationError:
        choices = [(k.name, k.label, k.help) for k in kinds.all_kinds() if k.offered]
        return render(request, "alliances/choose.html", {"alliance": alliance, "kinds": choices})
    communities = [
        m.community for m in member_communities(request.user, alliance).select_related("community")
    ]
    form = AllianceProposalForm(
        request.POST or None,
        kind=kind,
        alliance=alliance,
        communities=communities,
        initial=kind.form_initial(alliance),
    )
    if request.method == "POST" and form.is_valid():
        community = Community.objects.filter(slug=form.cleaned_data["community"]).first()
        try:
            with reported(request):
                proposal = decisions.make_alliance_proposal(
                    alliance,
                    person=request.user,
                    community=community,
                    kind=kind.name,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    payload=form.payload(),
                )
        except ActionFailed:
            pass
        else:
            messages.success(request, _("Proposal made; each member community's own vote is open."))
            return redirect(proposal)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "heading": f"{kind.label} — {alliance.name}",
            "submit": _("Make the proposal"),
        },
    )


def proposal(request, pk):
    p = get_object_or_404(
        AllianceProposal.objects.select_related("alliance", "author", "author_community"), pk=pk
    )
    if not request.user.has_perm("alliances.view_alliance", p.alliance):
        raise PermissionDenied(_("You may not see this alliance."))
    data = alliance_proposal_data(p)
    p.refresh_from_db()
    return render(request, "alliances/proposal.html", {"p": p, "d": data})


def new_pledge(request, slug):
    alliance = _alliance(request, slug)
    if (response := _denied(request, "alliances.post_pledge", alliance)) is not None:
        return response
    communities = [
        m.community
        for m in member_communities(request.user, alliance, office=True).select_related("community")
    ]
    requests = alliance.pledges.filter(
        kind=PledgeKind.REQUEST, status=PledgeStatus.OPEN
    ).select_related("community")[:100]
    form = PledgeForm(
        request.POST or None,
        communities=communities,
        requests=requests,
        initial={"answers": request.GET.get("answers", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        community = Community.objects.filter(slug=data["community"]).first()
        answers = (
            Pledge.objects.filter(pk=data["answers"], alliance=alliance).first()
            if data["answers"]
            else None
        )
        try:
            with reported(request):
                actions.post_pledge(
                    alliance,
                    person=request.user,
                    community=community,
                    kind=data["kind"],
                    title=data["title"],
                    details=data["details"],
                    answers=answers,
                )
        except ActionFailed:
            pass
        else:
            messages.success(request, _("Posted on the board."))
            return redirect(alliance.get_absolute_url() + "#board")
    return render(
        request,
        "form.html",
        {
            "form": form,
            "heading": _("Offer or ask for help — {name}").format(name=alliance.name),
            "intro": _("Everything on the board is public."),
            "submit": _("Post"),
        },
    )


def _board(pk) -> str:
    """The page holding a pledge's form: its alliance's board."""
    pledge = get_object_or_404(Pledge.objects.select_related("alliance"), pk=pk)
    return pledge.alliance.get_absolute_url() + "#board"


@post_only(_board, gettext_lazy("This address closes a pledge on the alliance's board."))
def close_pledge(request, pk):
    pledge = get_object_or_404(Pledge.objects.select_related("alliance"), pk=pk)
    if (response := _denied(request, "alliances.close_pledge", pledge)) is not None:
        return response
    form = ClosePledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say whether it was fulfilled."))
    else:
        try:
            with reported(request):
                actions.close_pledge(
                    pledge,
                    person=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("The pledge is closed."))
        except ActionFailed:
            pass
    return redirect(pledge.alliance.get_absolute_url() + "#board")
