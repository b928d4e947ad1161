"""The kinds the proposals app owns: resolutions, rule changes, governance, independence."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.referendum import Rule
from secession.web.apps.communities.actions import (
    admit_child,
    declare_independence,
    set_governance,
)
from secession.web.apps.communities.models import Community, Governance
from secession.web.apps.proposals import kinds
from secession.web.apps.proposals.kinds import DAY, ProposalKind
from secession.web.apps.proposals.rule_words import stored_rule_sentence
from secession.web.apps.proposals.territory_kinds import (
    ChangeTerritory,
    apply_territory,
    change_words,
    clean_territory,
    territory_form_fields,
    territory_form_payload,
    territory_map,
)
from secession.web.apps.proposals.voting import (
    clean_rule,
    clean_window,
    rule_form_fields,
    rule_from_form,
)
from secession.web.words import Words

RESOLUTION = "resolution"
CHANGE_GOVERNANCE = "change_governance"
DECLARE_INDEPENDENCE = "declare_independence"
CHANGE_RULE = "change_rule"
ADMIT_COMMUNITY = "admit_community"

MAX_TRUSTEES = 64

#: how a proposal's sentence names each form of governance
GOVERNANCE_PHRASES = {
    "assembly": gettext_lazy("an assembly of all its members, with no leader and no capital"),
    "council": gettext_lazy("an elected council"),
    "leader": gettext_lazy("a leader with a capital"),
}


class Resolution(ProposalKind):
    name, order = RESOLUTION, 10
    label = Words(gettext_lazy("Resolution"))
    help = Words(gettext_lazy("A decision or statement of the members; changes nothing else."))
    default = Rule.preset("simple-majority")
    default_window = 7 * DAY
    office_holders_decide = True

    def describe(self, proposal) -> str:
        return _("A resolution: the members' decision is recorded; nothing else changes.")


def _holder_ids(raw: Any) -> list[int]:
    """Office holders as account numbers; ValidationError for anything else."""
    if raw is None:
        return []
    if not isinstance(raw, list | tuple):
        raise ValidationError(_("office_holders must be a list of account numbers"))
    ids = []
    for item in raw:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise ValidationError(
                _("office holder {item} is not an account number").format(item=repr(item))
            )
        try:
            value = int(item)
        except ValueError:
            raise ValidationError(
                _("office holder {item} is not an account number").format(item=repr(item))
            ) from None
        if not 0 < value < 2**63:
            raise ValidationError(
                _("office holder {item} is not an account number").format(item=repr(item))
            )
        ids.append(value)
    return ids


class MemberNamesField(forms.CharField):
    """Usernames of members, separated by commas or spaces -> their account numbers
    (one lookup per name given: the form does not list a community's members)."""

    def __init__(self, community, **kwargs) -> None:
        super().__init__(max_length=2000, **kwargs)
        self.community = community

    def clean(self, value):
        text = super().clean(value)
        names = list(dict.fromkeys(text.replace(",", " ").split()))
        found = dict(
            self.community.active_members()
            .filter(person__username__in=names)
            .values_list("person__username", "person_id")
        )
        strangers = [n for n in names if n not in found]
        if strangers:
            raise ValidationError(_("not members: {names}").format(names=", ".join(strangers[:10])))
        return [found[n] for n in names]


class ChangeGovernance(ProposalKind):
    name, order = CHANGE_GOVERNANCE, 40
    label = Words(gettext_lazy("Change governance"))
    help = Words(
        gettext_lazy("Assembly, elected council or leader with a capital; who holds office.")
    )
    default = Rule.preset("two-thirds")

    def clean(self, community, payload):
        governance = payload.get("governance")
        if governance not in Governance.values:
            raise ValidationError(
                _("governance must be one of {values}").format(values=", ".join(Governance.values))
            )
        capital = str(payload.get("capital", "") or "").strip()
        if len(capital) > 120:
            raise ValidationError(_("the capital's name is longer than 120 characters"))
        holders = _holder_ids(payload.get("office_holders", []))
        members = set(
            community.active_members()
            .filter(person_id__in=holders)
            .values_list("person_id", flat=True)
        )
        strangers = sorted(set(holders) - members)
        if strangers:
            raise ValidationError(
                _("office holders must be members (not: {ids})").format(
                    ids=", ".join(map(str, strangers))
                )
            )
        if governance == Governance.LEADER:
            if len(holders) != 1:
                raise ValidationError(_("name exactly one member as leader"))
            if not capital:
                raise ValidationError(_("a leader-with-capital community names its capital"))
        elif governance == Governance.COUNCIL:
            if not holders:
                raise ValidationError(_("name at least one member of the council"))
        else:
            holders, capital = [], ""
        return {"governance": governance, "capital": capital, "office_holders": holders}

    def apply(self, proposal) -> str:
        payload = proposal.payload
        set_governance(
            proposal.community,
            person=None,
            governance=payload["governance"],
            capital=payload.get("capital", ""),
            office_holders=payload.get("office_holders", []),
            proposal=proposal,
        )
        return ""

    def describe(self, proposal) -> str:
        p, community = proposal.payload, proposal.community.name
        holders = get_user_model().objects.filter(pk__in=p.get("office_holders", []))
        names = ", ".join(sorted(u.username for u in holders))
        phrase = GOVERNANCE_PHRASES.get(p["governance"], p["governance"])
        if p["governance"] == Governance.COUNCIL:
            return _("{community} will govern itself as {phrase}; council: {names}.").format(
                community=community, phrase=phrase, names=names
            )
        if p["governance"] == Governance.LEADER:
            return _(
                "{community} will govern itself as {phrase}; leader: {names}; capital: {capital}."
            ).format(community=community, phrase=phrase, names=names, capital=p.get("capital", ""))
        return _("{community} will govern itself as {phrase}.").format(
            community=community, phrase=phrase
        )

    def form_fields(self, community):
        return {
            "governance": forms.ChoiceField(label=_("Governance"), choices=Governance.choices),
            "office_holders": MemberNamesField(
                community,
                label=_("Council members, or the leader"),
                required=False,
                help_text=_("Their usernames, separated by commas (they must be members)."),
            ),
            "capital": forms.CharField(label=_("Capital"), max_length=120, required=False),
        }

    def form_payload(self, cleaned):
        return {
            "governance": cleaned["governance"],
            "capital": cleaned["capital"],
            "office_holders": [int(x) for x in cleaned["office_holders"]],
        }


class DeclareIndependence(ProposalKind):
    name, order = DECLARE_INDEPENDENCE, 50
    label = Words(gettext_lazy("Declare independence"))
    help = Words(gettext_lazy("Leave the parent community (or a country named here)."))
    default = replace(
        Rule.preset("two-thirds"), name="two-thirds-quorum-half", quorum=Fraction(1, 2)
    )
    default_window = 30 * DAY
    default_secret = True

    def clean(self, community, payload):
        from_name = str(payload.get("from_name", "") or "").strip()
        if len(from_name) > 200:
            raise ValidationError(_("the name of what the community leaves is over 200 characters"))
        if community.parent is None and not from_name:
            raise ValidationError(_("name the country or community this one leaves"))
        if community.independent:
            raise ValidationError(_("{name} is already independent").format(name=community.name))
        # a territory (e.g. a plan's new country) the declaration claims; optional
        return {"from_name": from_name, **clean_territory(community, payload, required=False)}

    def apply(self, proposal) -> str:
        community = proposal.community
        community.refresh_from_db()
        if community.independent and community.parent is None:
            return f"nothing to do: {community.name} was already independent"
        if proposal.payload.get("territory_unit_ids"):
            # first, so the registry's declaration (published by the signal) carries it
            apply_territory(proposal, proposal.payload)
        declare_independence(
            community,
            person=None,
            proposal=proposal,
            from_name=proposal.payload.get("from_name", ""),
        )
        return ""

    def describe(self, proposal) -> str:
        parent = proposal.community.parent
        source = parent.name if parent else proposal.payload.get("from_name", "")
        name = proposal.community.name
        text = _("{name} declares itself independent of {source}.").format(name=name, source=source)
        if proposal.payload.get("territory_unit_ids"):
            text += " " + _("Its territory: {words}").format(
                words=change_words(name, proposal.payload)
            )
        return text

    def page_map(self, proposal):
        return territory_map(
            proposal,
            proposal.payload,
            _("The territory {name} declares independent").format(name=proposal.community.name),
        )

    def form_fields(self, community):
        return {
            "from_name": forms.CharField(
                label=_("Independent from (if the community has no parent here)"),
                max_length=200,
                required=False,
            ),
            **territory_form_fields(required=False),
        }

    def form_payload(self, cleaned):
        return {"from_name": cleaned["from_name"], **territory_form_payload(cleaned)}


class ChangeRule(ProposalKind):
    name, order = CHANGE_RULE, 60
    label = Words(gettext_lazy("Change a voting rule"))
    help = Words(
        gettext_lazy("Change how one kind of proposal is decided: threshold, quorum, window.")
    )
    default = Rule.preset("two-thirds")

    def clean(self, community, payload):
        target = payload.get("target_kind")
        if not isinstance(target, str):
            raise ValidationError(_("target_kind must name a kind of proposal"))
        kinds.get(target)  # ValidationError naming the known kinds
        rule = clean_rule(payload.get("rule") or {})
        window = clean_window(payload.get("window_minutes", 0))
        secret = payload.get("secret", False)
        if not isinstance(secret, bool):
            raise ValidationError(_("secret must be true or false"))
        cleaned = {
            "target_kind": target,
            "rule": rule,
            "window_minutes": window,
            "secret": secret,
        }
        verifiable = payload.get("verifiable", False)
        if not isinstance(verifiable, bool):
            raise ValidationError(_("verifiable must be true or false"))
        if verifiable:
            cleaned.update(_clean_trustees(community, payload), secret=True, verifiable=True)
        return cleaned

    def apply(self, proposal) -> str:
        from secession.web.apps.proposals.actions import set_rule

        p = proposal.payload
        set_rule(
            proposal.community,
            p["target_kind"],
            rule=p["rule"],
            window_minutes=p["window_minutes"],
            secret=p["secret"],
            proposal=proposal,
            verifiable=p.get("verifiable", False),
            trustees=p.get("trustees"),
            trustee_threshold=p.get("threshold", 0),
        )
        return ""

    def describe(self, proposal) -> str:

        p = proposal.payload
        target = kinds.label(p["target_kind"]).lower()
        if p.get("verifiable"):
            names = _trustee_names(p["trustees"])
            ballot = _(
                "Verifiable secret ballot, decrypted by any {k} of the {n} trustees {names}."
            ).format(k=p["threshold"], n=len(names), names=", ".join(names))
        elif p.get("secret"):
            ballot = _("Secret ballot.")
        else:
            ballot = _("Public ballot.")
        return _(
            "New rule for proposals of kind “{target}”: {rule} {ballot} Proposals already "
            "open keep their rule."
        ).format(
            target=target,
            rule=stored_rule_sentence(p["rule"], window_minutes=p["window_minutes"]),
            ballot=ballot,
        )

    def form_fields(self, community):
        return {
            "target_kind": forms.ChoiceField(
                label=_("Rule for proposals of kind"),
                choices=[(k.name, k.label) for k in kinds.all_kinds()],
            ),
            **rule_form_fields(window=7 * DAY),
            "secret": forms.BooleanField(label=_("Secret ballot"), required=False),
            "verifiable": forms.BooleanField(
                label=_(
                    "Verifiable secret ballot (encrypted in the voter's browser; trustees "
                    "decrypt only the total; anyone can check the count)"
                ),
                required=False,
            ),
            "trustees": forms.CharField(
                label=_("Trustees"),
                required=False,
                help_text=_(
                    "For a verifiable ballot: the trustees' user names, separated by "
                    "commas (members of this community)."
                ),
            ),
            "trustee_threshold": forms.IntegerField(
                label=_("Trustees needed to decrypt"),
                required=False,
                min_value=1,
                max_value=MAX_TRUSTEES,
                help_text=_(
                    "For a verifiable ballot: how many trustees must take part to decrypt."
                ),
            ),
        }

    def form_payload(self, cleaned):
        payload = {
            "target_kind": cleaned["target_kind"],
            "rule": rule_from_form(cleaned, f"custom-{cleaned['target_kind']}"),
            "window_minutes": cleaned["window_minutes"],
            "secret": cleaned["secret"],
        }
        if cleaned.get("verifiable"):
            names = [n.strip() for n in (cleaned.get("trustees") or "").split(",") if n.strip()]
            found = dict(
                get_user_model().objects.filter(username__in=names).values_list("username", "pk")
            )
            missing = [n for n in names if n not in found]
            if missing:
                raise ValidationError(
                    _("no account called {names}").format(names=", ".join(missing))
                )
            payload.update(
                verifiable=True,
                trustees=[found[n] for n in names],
                threshold=cleaned.get("trustee_threshold") or 0,
            )
        return payload


def _clean_trustees(community, payload: dict) -> dict:
    """The trustees of a verifiable ballot: distinct active members (account numbers), and
    a threshold from 1 to their number."""
    ids = _holder_ids(payload.get("trustees"))
    if not 1 <= len(ids) <= MAX_TRUSTEES:
        raise ValidationError(
            _("a verifiable ballot needs 1 to {n} trustees").format(n=MAX_TRUSTEES)
        )
    if len(set(ids)) != len(ids):
        raise ValidationError(_("a trustee is listed twice"))
    members = set(
        community.active_members().filter(person_id__in=ids).values_list("person_id", flat=True)
    )
    strangers = [i for i in ids if i not in members]
    if strangers:
        raise ValidationError(
            _("trustees must be members of the community (not: {ids})").format(
                ids=", ".join(map(str, strangers))
            )
        )
    threshold = payload.get("threshold")
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int)
        or not (1 <= threshold <= len(ids))
    ):
        raise ValidationError(
            _("threshold must be a whole number from 1 to {n}").format(n=len(ids))
        )
    return {"trustees": ids, "threshold": threshold}


def _trustee_names(ids: list[int]) -> list[str]:
    names = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))
    return [names.get(i, _("removed account #{pk}").format(pk=i)) for i in ids]


class AdmitCommunity(ProposalKind):
    """The parent's consent: a community that asked to join becomes part of this one only
    when this one's members pass this proposal. Leaving later needs no one's consent."""

    name, order = ADMIT_COMMUNITY, 55
    label = Words(gettext_lazy("Admit a community"))
    help = Words(
        gettext_lazy("A community asked to become part of this one: admit it (the members decide).")
    )
    default = Rule.preset("simple-majority")
    default_window = 7 * DAY

    def clean(self, community, payload):
        slug = payload.get("community")
        if not isinstance(slug, str) or not slug.strip():
            raise ValidationError(_("community must name the community that asked to join"))
        child = Community.objects.filter(slug=slug.strip()[:140]).first()
        if child is None:
            raise ValidationError(_("there is no community {slug}").format(slug=repr(slug[:140])))
        if child.requested_parent_id != community.pk:
            raise ValidationError(
                _("{child} has not asked to join {parent}").format(
                    child=child.name, parent=community.name
                )
            )
        return {"community": child.slug}

    def apply(self, proposal) -> str:
        child = Community.objects.filter(slug=proposal.payload.get("community", "")).first()
        if child is None:
            return "nothing to do: the community that asked to join no longer exists"
        return admit_child(proposal.community, child, proposal=proposal)

    def describe(self, proposal) -> str:
        child = Community.objects.filter(slug=proposal.payload.get("community", "")).first()
        name = child.name if child else proposal.payload.get("community", "")
        return _(
            "{name} becomes part of {parent} (it asked to join; it stays free to leave at "
            "any time)."
        ).format(name=name, parent=proposal.community.name)

    def form_fields(self, community):
        asking = community.join_requests.order_by("requested_at", "id")[:200]
        return {
            "community": forms.ChoiceField(
                label=_("The community to admit"),
                choices=[(c.slug, c.name) for c in asking],
                help_text=_("Communities that asked to join this one."),
            )
        }

    def form_initial(self, community):
        return {}

    def form_payload(self, cleaned):
        return {"community": cleaned["community"]}


def register_builtin_kinds() -> None:
    for kind in (
        Resolution(),
        ChangeGovernance(),
        DeclareIndependence(),
        ChangeTerritory(),
        AdmitCommunity(),
        ChangeRule(),
    ):
        kinds.register(kind)
