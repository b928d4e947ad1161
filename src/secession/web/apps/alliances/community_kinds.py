"""The community proposal kinds the alliances app registers: found, join and leave an
alliance, choose how the community casts its alliance votes, and the community's own vote
on an alliance proposal (opened by the platform)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.referendum import Rule
from secession.web.apps.alliances.actions import (
    active_membership,
    casting_for,
    current_charter,
    found_alliance,
    leave,
    set_casting,
)
from secession.web.apps.alliances.decisions import (
    ALLIANCE_VOTE,
    apply_to_join,
    close_complete_proposals,
    record_community_ballot,
)
from secession.web.apps.alliances.models import (
    Alliance,
    AllianceMembership,
    AllianceProposal,
    Casting,
    Method,
    Status,
)
from secession.web.apps.alliances.starter import STARTER_CHARTER
from secession.web.apps.alliances.terms import (
    clean_charter_text,
    clean_decision,
    clean_terms,
    decision_form_fields,
    decision_from_form,
    describe_decision,
    describe_terms,
    terms_form_fields,
)
from secession.web.apps.communities.models import Community
from secession.web.apps.proposals import kinds
from secession.web.apps.proposals.kinds import DAY, ProposalKind
from secession.web.words import Words

FOUND_ALLIANCE = "found_alliance"
JOIN_ALLIANCE = "join_alliance"
LEAVE_ALLIANCE = "leave_alliance"
ALLIANCE_CASTING = "alliance_casting"


def _alliance(payload) -> Alliance:
    slug = payload.get("alliance")
    if not isinstance(slug, str) or not slug:
        raise ValidationError(_("alliance must name an alliance (its slug)"))
    alliance = Alliance.objects.filter(slug=slug).first()
    if alliance is None:
        raise ValidationError(_("there is no alliance {slug}").format(slug=repr(slug)))
    return alliance


MAX_PARTNERS = 50


def _partners(community, raw) -> list[str]:
    """Founding partners as community slugs (they exist; not the founder itself)."""
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",")]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ValidationError(_("partners must be a list of communities (their slugs)"))
    slugs = sorted({x.strip() for x in raw if x.strip()} - {community.slug})
    if len(slugs) > MAX_PARTNERS:
        raise ValidationError(_("invite at most {n} founding partners").format(n=MAX_PARTNERS))
    found = set(Community.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ValidationError(
            _("there is no community {slugs}").format(slugs=", ".join(repr(s) for s in missing))
        )
    return slugs


class FoundAlliance(ProposalKind):
    name, order = FOUND_ALLIANCE, 70
    label = Words(gettext_lazy("Found an alliance"))
    help = Words(
        gettext_lazy(
            "With other communities, for mutual aid and independence; this one is its first member."
        )
    )
    default = Rule.preset("two-thirds")

    def clean(self, community, payload):
        name = str(payload.get("name", "") or "").strip()
        if not name:
            raise ValidationError(_("an alliance needs a name"))
        if len(name) > 120:
            raise ValidationError(_("the alliance's name is longer than 120 characters"))
        if Alliance.objects.filter(name__iexact=name).exists():
            raise ValidationError(
                _("there is already an alliance named {name}").format(name=repr(name))
            )
        purpose = payload.get("purpose", "")
        if not isinstance(purpose, str) or len(purpose) > 5000:
            raise ValidationError(_("purpose must be a text of at most 5,000 characters"))
        return {
            "name": name,
            "purpose": purpose.strip(),
            "partners": _partners(community, payload.get("partners", [])),
            "charter": clean_charter_text(payload.get("charter", "")),
            **clean_decision(payload),
            **clean_terms(payload, admission="vote", leavers_keep_vote=False),
        }

    def apply(self, proposal) -> str:
        p = proposal.payload
        found_alliance(
            proposal.community,
            proposal=proposal,
            name=p["name"],
            purpose=p["purpose"],
            charter=p["charter"],
            method=p["method"],
            rule=p["rule"],
            window_minutes=p["window_minutes"],
            admission=p["admission"],
            leavers_keep_vote=p["leavers_keep_vote"],
            partners=list(
                Community.objects.filter(slug__in=p.get("partners", [])).values_list(
                    "pk", flat=True
                )
            ),
        )
        return ""

    def describe(self, proposal) -> str:
        p = proposal.payload
        partners = ""
        if p.get("partners"):
            names = Community.objects.filter(slug__in=p["partners"]).values_list("name", flat=True)
            partners = _(
                "Invited as founding members, each joining by its own members' vote: {names}. "
            ).format(names=", ".join(sorted(names)))
        return partners + _(
            "{community} founds the alliance “{alliance}” as its first member. Decisions: "
            "{decisions}. Terms: {terms}. The charter is below."
        ).format(
            community=proposal.community.name,
            alliance=p["name"],
            decisions=describe_decision(p["method"], p["rule"], p["window_minutes"]),
            terms=describe_terms(p["admission"], p["leavers_keep_vote"]),
        )

    def details(self, proposal):
        lines = [
            {"kind": "added", "text": line} for line in proposal.payload["charter"].splitlines()
        ]
        return {"diff": lines, "diff_heading": _("The charter")}

    def form_fields(self, community):
        return {
            "alliance_name": forms.CharField(label=_("Name of the alliance"), max_length=120),
            "purpose": forms.CharField(
                label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
            ),
            "charter": forms.CharField(
                label=_("The charter"), widget=forms.Textarea(attrs={"rows": 14})
            ),
            "partners": forms.CharField(
                label=_("Founding partners (optional)"),
                required=False,
                help_text=_(
                    "Other communities invited to found it with you, by the last part of their "
                    "address (e.g. birch, cedar), separated by commas. Each joins by its own "
                    "members' vote, with no admission vote."
                ),
            ),
            **decision_form_fields(),
            **terms_form_fields(),
        }

    def form_initial(self, community):
        return {"charter": STARTER_CHARTER, "method": Method.EQUAL}

    def form_payload(self, cleaned):
        return {
            "name": cleaned["alliance_name"],
            "purpose": cleaned["purpose"],
            "partners": cleaned["partners"],
            "charter": cleaned["charter"],
            **decision_from_form(cleaned),
            "admission": cleaned["admission"],
            "leavers_keep_vote": cleaned["leavers_keep_vote"],
        }


class JoinAlliance(ProposalKind):
    name, order = JOIN_ALLIANCE, 71
    label = Words(gettext_lazy("Join an alliance"))
    help = Words(
        gettext_lazy(
            "Apply to an alliance; it admits by its own rule (a vote of its members, or open)."
        )
    )
    default = Rule.preset("two-thirds")

    def clean(self, community, payload):
        alliance = _alliance(payload)
        if active_membership(alliance, community) is not None:
            raise ValidationError(
                _("{community} is already a member of {alliance}").format(
                    community=community.name, alliance=alliance.name
                )
            )
        if AllianceProposal.objects.filter(
            alliance=alliance, subject=community, kind="admit_member", status=Status.OPEN
        ).exists():
            raise ValidationError(
                _("an admission vote for {community} is already open").format(
                    community=community.name
                )
            )
        return {"alliance": alliance.slug}

    def apply(self, proposal) -> str:
        return apply_to_join(_alliance(proposal.payload), proposal.community, proposal=proposal)

    def describe(self, proposal) -> str:
        alliance = Alliance.objects.filter(slug=proposal.payload["alliance"]).first()
        if alliance is None:
            return _("The community joins an alliance that no longer exists.")
        charter = current_charter(alliance)
        if proposal.community.pk in alliance.invited:
            then = _("it is a founding member at once (the founders invited it)")
        elif charter.admission == "open":
            then = _("it is a member at once (the charter opens admission)")
        else:
            then = _("the member communities then vote on its admission")
        return _("{community} applies to join {alliance}; {then}.").format(
            community=proposal.community.name, alliance=alliance.name, then=then
        )

    def form_fields(self, community):
        joined = AllianceMembership.objects.filter(
            community=community, left_at__isnull=True
        ).values("alliance")
        choices = [(a.slug, a.name) for a in Alliance.objects.exclude(pk__in=joined)[:200]]
        help_text = (
            ""
            if choices
            else _("There is no alliance to join yet: found one with “Found an alliance”.")
        )
        return {
            "alliance": forms.ChoiceField(
                label=_("Alliance to join"), choices=choices, help_text=help_text
            )
        }

    def form_payload(self, cleaned):
        return {"alliance": cleaned["alliance"]}


class LeaveAlliance(ProposalKind):
    name, order = LEAVE_ALLIANCE, 72
    label = Words(gettext_lazy("Leave an alliance"))
    help = Words(
        gettext_lazy(
            "Leave as soon as the members vote for it; nothing in the alliance can block it."
        )
    )
    default = Rule.preset("simple-majority")
    default_window = 7 * DAY

    def clean(self, community, payload):
        alliance = _alliance(payload)
        if active_membership(alliance, community) is None:
            raise ValidationError(
                _("{community} is not a member of {alliance}").format(
                    community=community.name, alliance=alliance.name
                )
            )
        return {"alliance": alliance.slug}

    def apply(self, proposal) -> str:
        alliance = _alliance(proposal.payload)
        note = leave(alliance, proposal.community, left_by=proposal)
        close_complete_proposals(alliance)
        return note

    def describe(self, proposal) -> str:
        return _(
            "{community} leaves the alliance {alliance} as soon as this passes: no alliance "
            "vote, notice period or open vote can block it."
        ).format(community=proposal.community.name, alliance=proposal.payload["alliance"])

    def form_fields(self, community):
        rows = AllianceMembership.objects.filter(
            community=community, left_at__isnull=True
        ).select_related("alliance")
        choices = [(m.alliance.slug, m.alliance.name) for m in rows]
        help_text = (
            "" if choices else _("{community} is in no alliance.").format(community=community.name)
        )
        return {
            "alliance": forms.ChoiceField(
                label=_("Alliance to leave"), choices=choices, help_text=help_text
            )
        }

    def form_payload(self, cleaned):
        return {"alliance": cleaned["alliance"]}


class AllianceCasting(ProposalKind):
    name, order = ALLIANCE_CASTING, 73
    label = Words(gettext_lazy("How we cast alliance votes"))
    help = Words(gettext_lazy("By an internal vote of all members, or by the council or leader."))
    default = Rule.preset("two-thirds")

    def clean(self, community, payload):
        by = payload.get("by")
        if by not in Casting.values:
            raise ValidationError(
                _("by must be one of {values}").format(values=", ".join(Casting.values))
            )
        if by == casting_for(community):
            raise ValidationError(_("that is already how the community casts its alliance votes"))
        return {"by": by}

    def apply(self, proposal) -> str:
        set_casting(proposal.community, by=proposal.payload["by"], proposal=proposal)
        return ""

    def describe(self, proposal) -> str:
        by = str(Casting(proposal.payload["by"]).label)
        return _(
            "{community} casts its votes on alliance proposals: {by}. Votes already open keep "
            "how they were opened."
        ).format(community=proposal.community.name, by=by[:1].lower() + by[1:])

    def form_fields(self, community):
        return {
            "by": forms.ChoiceField(label=_("Cast our alliance votes"), choices=Casting.choices)
        }

    def form_payload(self, cleaned):
        return {"by": cleaned["by"]}


class AllianceVote(ProposalKind):
    """A community's own vote on an alliance proposal, opened with it by the platform."""

    name, order = ALLIANCE_VOTE, 74
    label = Words(gettext_lazy("Vote on an alliance proposal"))
    help = Words(
        gettext_lazy("Opened with each alliance proposal; its result is the community's vote.")
    )
    default = Rule.preset("simple-majority")
    offered = False
    window_note = Words(
        gettext_lazy("Voting closes before the alliance's vote does (the alliance's window)")
    )

    def decided_by_office_holders(self, community) -> bool:
        return casting_for(community) == Casting.OFFICE_HOLDERS

    def clean(self, community, payload):
        raise ValidationError(_("a community's alliance vote opens with the alliance proposal"))

    def closed(self, proposal) -> None:
        record_community_ballot(proposal)

    def _alliance_proposal(self, proposal) -> AllianceProposal | None:
        return (
            AllianceProposal.objects.filter(pk=proposal.payload.get("alliance_proposal"))
            .select_related("alliance")
            .first()
        )

    def describe(self, proposal) -> str:
        ap = self._alliance_proposal(proposal)
        if ap is None:
            return _("The community's vote on an alliance proposal that no longer exists.")
        values = {
            "community": proposal.community.name,
            "title": ap.title,
            "alliance": ap.alliance.name,
            "closes": f"{ap.closes_at:%Y-%m-%d %H:%M}",
        }
        if ap.method == Method.WEIGHTED and proposal.electorate == "members":
            return _(
                "This is how {community} votes on “{title}” in {alliance}: if it passes, "
                "{community} votes yes; if it fails, no (with no yes or no at all, it abstains "
                "or does not vote) (the alliance weighs votes by members, so the community's "
                "weight is split in proportion to its members' yes and no). Voting here closes "
                "before the alliance's vote ({closes} UTC)."
            ).format(**values)
        return _(
            "This is how {community} votes on “{title}” in {alliance}: if it passes, "
            "{community} votes yes; if it fails, no (with no yes or no at all, it abstains or "
            "does not vote). Voting here closes before the alliance's vote ({closes} UTC)."
        ).format(**values)

    def details(self, proposal):
        ap = self._alliance_proposal(proposal)
        if ap is None:
            return {}
        return {
            "links": [
                {
                    "text": _("The alliance proposal in {alliance}").format(
                        alliance=ap.alliance.name
                    ),
                    "url": ap.get_absolute_url(),
                }
            ]
        }


def register_community_kinds() -> None:
    for kind in (
        FoundAlliance(),
        JoinAlliance(),
        LeaveAlliance(),
        AllianceCasting(),
        AllianceVote(),
    ):
        kinds.register(kind)
