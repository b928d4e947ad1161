"""Proposal pages: make a proposal of a kind, read it, vote."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from secession.web.apps.communities.models import Community
from secession.web.apps.proposals import actions, kinds
from secession.web.apps.proposals.explain import vote_result_message, why_not_eligible
from secession.web.apps.proposals.forms import ProposalForm, VoteForm
from secession.web.apps.proposals.models import Proposal, Status
from secession.web.apps.proposals.present import proposal_data
from secession.web.apps.proposals.sections import sections
from secession.web.pages import ActionFailed, denied, post_only, reported


def new(request, slug):
    community = get_object_or_404(Community, slug=slug)
    if (response := denied(request, "proposals.add_proposal", community)) is not None:
        return response
    try:
        kind = kinds.get(request.GET.get("kind", ""))
        if not kind.offered:
            raise ValidationError("opened by the platform")
    except ValidationError:
        choices = [(k.name, k.label, k.help) for k in kinds.all_kinds() if k.offered]
        return render(request, "proposals/choose.html", {"community": community, "kinds": choices})
    initial = kind.form_initial(community)
    # a link may pre-fill the kind's own fields (e.g. which community to admit)
    initial.update({k: v for k, v in request.GET.items() if k not in ("kind", "title", "body")})
    form = ProposalForm(request.POST or None, kind=kind, community=community, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with reported(request):
                proposal = actions.make_proposal(
                    community,
                    person=request.user,
                    kind=kind.name,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    payload=form.payload(),
                )
        except ActionFailed:
            pass
        else:
            messages.success(request, gettext("Proposal made; voting is open."))
            return redirect(proposal)
    return render(
        request,
        "form.html",
        {
            "form": form,
            "heading": f"{gettext(kind.label)} — {community.name}",
            "submit": gettext("Make the proposal"),
        },
    )


def detail(request, pk, vote_form: VoteForm | None = None, status: int = 200):
    """The proposal page; ``vote_form`` is a refused ballot, shown with its error."""
    proposal = get_object_or_404(Proposal.objects.select_related("community"), pk=pk)
    if (response := denied(request, "proposals.view_proposal", proposal)) is not None:
        return response
    data = proposal_data(proposal)
    proposal.refresh_from_db()
    user = request.user
    has_voted = user.is_authenticated and proposal.ballots.filter(voter=user).exists()
    # a verifiable ballot is cast on its own page (its section links to it)
    can_vote = (
        user.has_perm("proposals.vote", proposal) and not has_voted and not proposal.verifiable
    )
    why_not = ""
    if user.is_authenticated and proposal.status == Status.OPEN and not (can_vote or has_voted):
        why_not = why_not_eligible(proposal, user)
    return render(
        request,
        "proposals/detail.html",
        {
            "p": proposal,
            "d": data,
            "can_vote": can_vote,
            "why_not": why_not,
            "has_voted": has_voted,
            "vote_form": vote_form or _vote_form(proposal),
            "kind_map": _kind_map(proposal),
            # the apps above (a verifiable ballot's election, ...) add their sections
            "sections": [s.render(request, proposal) for s in sections()],
        },
        status=status,
    )


def _vote_form(proposal: Proposal, data=None) -> VoteForm:
    return VoteForm(data, kind=kinds.find(proposal.kind), proposal=proposal)


def _kind_map(proposal: Proposal) -> str:
    kind = kinds.find(proposal.kind)
    return kind.page_map(proposal) if kind is not None else ""


@post_only(
    lambda pk: reverse("proposals:detail", args=[pk]),
    gettext_lazy("This address records your vote on a proposal."),
)
def vote(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    if not request.user.is_authenticated:
        return denied(request, "proposals.vote", proposal)
    form = _vote_form(proposal, request.POST)
    if not form.is_valid():
        return detail(request, pk, vote_form=form, status=400)
    try:
        with reported(request):
            try:
                actions.cast_vote(
                    proposal,
                    person=request.user,
                    choice=form.cleaned_data["choice"],
                    extra=form.extra(),
                )
            except ValidationError as exc:  # a refusal of the kind's own field, at it
                if not (hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields)):
                    raise
                form.add_error(None, exc)
                return detail(request, pk, vote_form=form, status=400)
        proposal.refresh_from_db()
        messages.success(request, vote_result_message(proposal))
    except ActionFailed:
        pass
    return redirect(proposal)
