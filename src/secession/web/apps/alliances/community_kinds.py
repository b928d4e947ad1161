"""The community proposal kinds the alliances app registers: found, join and leave an
alliance, choose how the community casts its alliance votes, and the community's own vote
on an alliance proposal (opened by the platform)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

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

FOUND_ALLIANCE = "found_alliance"
JOIN_ALLIANCE = "join_alliance"
LEAVE_ALLIANCE = "leave_alliance"
ALLIANCE_CASTING = "alliance_casting"


def _alliance(payload) -> Alliance:
    slug = payload.get("alliance")
    if not isinstance(slug, str) or not slug:
        raise ValidationError("alliance must name an alliance (its slug)")
    alliance = Alliance.objects.filter(slug=slug).first()
    if alliance is None:
        raise ValidationError(f"there is no alliance {slug!r}")
    return alliance


MAX_PARTNERS = 50


def _partners(community, raw) -> list[str]:
    """Founding partners as community slugs (they exist; not the founder itself)."""
    if isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",")]
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ValidationError("partners must be a list of communities (their slugs)")
    slugs = sorted({x.strip() for x in raw if x.strip()} - {community.slug})
    if len(slugs) > MAX_PARTNERS:
        raise ValidationError(f"invite at most {MAX_PARTNERS} founding partners")
    found = set(Community.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    missing = [s for s in slugs if s not in found]
    if missing:
        raise ValidationError(f"no community {', '.join(repr(s) for s in missing)}")
    return slugs


class FoundAlliance(ProposalKind):
    name, label, order = FOUND_ALLIANCE, "Found an alliance", 70
    help = "With other communities, for mutual aid and independence; this one is its first member."
    default = Rule.preset("two-thirds")

    def clean(self, community, payload):
        name = str(payload.get("name", "") or "").strip()
        if not name:
            raise ValidationError("an alliance needs a name")
        if len(name) > 120:
            raise ValidationError("the alliance's name is longer than 120 characters")
        if Alliance.objects.filter(name__iexact=name).exists():
            raise ValidationError(f"there is already an alliance named {name!r}")
        purpose = payload.get("purpose", "")
        if not isinstance(purpose, str) or len(purpose) > 5000:
            raise ValidationError("purpose must be a text of at most 5,000 characters")
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
            partners = (
                f"Invited as founding members, each joining by its own members' vote: "
                f"{', '.join(sorted(names))}. "
            )
        return (
            partners
            + f"{proposal.community.name} founds the alliance “{p['name']}” as its first member. "
            f"Decisions: {describe_decision(p['method'], p['rule'], p['window_minutes'])}. "
            f"Terms: {describe_terms(p['admission'], p['leavers_keep_vote'])}. "
            "The charter is below."
        )

    def details(self, proposal):
        lines = [
            {"kind": "added", "text": line} for line in proposal.payload["charter"].splitlines()
        ]
        return {"diff": lines, "diff_heading": "The charter"}

    def form_fields(self, community):
        return {
            "alliance_name": forms.CharField(label="Name of the alliance", max_length=120),
            "purpose": forms.CharField(
                label="Purpose", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
            ),
            "charter": forms.CharField(
                label="The charter", widget=forms.Textarea(attrs={"rows": 14})
            ),
            "partners": forms.CharField(
                label="Founding partners (optional)",
                required=False,
                help_text="Other communities invited to found it with you, by the last part "
                "of their address (e.g. birch, cedar), separated by commas. Each joins by "
                "its own members' vote, with no admission vote.",
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
    name, label, order = JOIN_ALLIANCE, "Join an alliance", 71
    help = "Apply to an alliance; it admits by its own rule (a vote of its members, or open)."
    default = Rule.preset("two-thirds")

    def clean(self, community, payload):
        alliance = _alliance(payload)
        if active_membership(alliance, community) is not None:
            raise ValidationError(f"{community.name} is already a member of {alliance.name}")
        if AllianceProposal.objects.filter(
            alliance=alliance, subject=community, kind="admit_member", status=Status.OPEN
        ).exists():
            raise ValidationError(f"an admission vote for {community.name} is already open")
        return {"alliance": alliance.slug}

    def apply(self, proposal) -> str:
        return apply_to_join(_alliance(proposal.payload), proposal.community, proposal=proposal)

    def describe(self, proposal) -> str:
        alliance = Alliance.objects.filter(slug=proposal.payload["alliance"]).first()
        if alliance is None:
            return "The community joins an alliance that no longer exists."
        charter = current_charter(alliance)
        if proposal.community.pk in alliance.invited:
            then = "it is a founding member at once (the founders invited it)"
        elif charter.admission == "open":
            then = "it is a member at once (the charter opens admission)"
        else:
            then = "the member communities then vote on its admission"
        return f"{proposal.community.name} applies to join {alliance.name}; {then}."

    def form_fields(self, community):
        joined = AllianceMembership.objects.filter(
            community=community, left_at__isnull=True
        ).values("alliance")
        choices = [(a.slug, a.name) for a in Alliance.objects.exclude(pk__in=joined)[:200]]
        help_text = (
            ""
            if choices
            else ("There is no alliance to join yet: found one with “Found an alliance”.")
        )
        return {
            "alliance": forms.ChoiceField(
                label="Alliance to join", choices=choices, help_text=help_text
            )
        }

    def form_payload(self, cleaned):
        return {"alliance": cleaned["alliance"]}


class LeaveAlliance(ProposalKind):
    name, label, order = LEAVE_ALLIANCE, "Leave an alliance", 72
    help = "Leave as soon as the members vote for it; nothing in the alliance can block it."
    default = Rule.preset("simple-majority")
    default_window = 7 * DAY

    def clean(self, community, payload):
        alliance = _alliance(payload)
        if active_membership(alliance, community) is None:
            raise ValidationError(f"{community.name} is not a member of {alliance.name}")
        return {"alliance": alliance.slug}

    def apply(self, proposal) -> str:
        alliance = _alliance(proposal.payload)
        note = leave(alliance, proposal.community, left_by=proposal)
        close_complete_proposals(alliance)
        return note

    def describe(self, proposal) -> str:
        return (
            f"{proposal.community.name} leaves the alliance {proposal.payload['alliance']} as "
            "soon as this passes: no alliance vote, notice period or open vote can block it."
        )

    def form_fields(self, community):
        rows = AllianceMembership.objects.filter(
            community=community, left_at__isnull=True
        ).select_related("alliance")
        choices = [(m.alliance.slug, m.alliance.name) for m in rows]
        help_text = "" if choices else f"{community.name} is in no alliance."
        return {
            "alliance": forms.ChoiceField(
                label="Alliance to leave", choices=choices, help_text=help_text
            )
        }

    def form_payload(self, cleaned):
        return {"alliance": cleaned["alliance"]}


class AllianceCasting(ProposalKind):
    name, label, order = ALLIANCE_CASTING, "How we cast alliance votes", 73
    help = "By an internal vote of all members, or by the council or leader."
    default = Rule.preset("two-thirds")

    def clean(self, community, payload):
        by = payload.get("by")
        if by not in Casting.values:
            raise ValidationError(f"by must be one of {', '.join(Casting.values)}")
        if by == casting_for(community):
            raise ValidationError("that is already how the community casts its alliance votes")
        return {"by": by}

    def apply(self, proposal) -> str:
        set_casting(proposal.community, by=proposal.payload["by"], proposal=proposal)
        return ""

    def describe(self, proposal) -> str:
        by = Casting(proposal.payload["by"]).label
        return (
            f"{proposal.community.name} casts its votes on alliance proposals: {by[0].lower()}"
            f"{by[1:]}. Votes already open keep how they were opened."
        )

    def form_fields(self, community):
        return {"by": forms.ChoiceField(label="Cast our alliance votes", choices=Casting.choices)}

    def form_payload(self, cleaned):
        return {"by": cleaned["by"]}


class AllianceVote(ProposalKind):
    """A community's own vote on an alliance proposal, opened with it by the platform."""

    name, label, order = ALLIANCE_VOTE, "Vote on an alliance proposal", 74
    help = "Opened with each alliance proposal; its result is the community's vote."
    default = Rule.preset("simple-majority")
    offered = False
    window_note = "Voting closes before the alliance's vote does (the alliance's window)"

    def decided_by_office_holders(self, community) -> bool:
        return casting_for(community) == Casting.OFFICE_HOLDERS

    def clean(self, community, payload):
        raise ValidationError("a community's alliance vote opens with the alliance proposal")

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
            return "The community's vote on an alliance proposal that no longer exists."
        text = (
            f"This is how {proposal.community.name} votes on “{ap.title}” in {ap.alliance.name}: "
            f"if it passes, {proposal.community.name} votes yes; if it fails, no (with no "
            "yes or no at all, it abstains or does not vote)"
        )
        if ap.method == Method.WEIGHTED and proposal.electorate == "members":
            text += (
                " (the alliance weighs votes by members, so the community's weight is split "
                "in proportion to its members' yes and no)"
            )
        return (
            text + f". Voting here closes before the alliance's vote "
            f"({ap.closes_at:%Y-%m-%d %H:%M} UTC)."
        )

    def details(self, proposal):
        ap = self._alliance_proposal(proposal)
        if ap is None:
            return {}
        return {
            "links": [
                {
                    "text": f"The alliance proposal in {ap.alliance.name}",
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
