"""The proposal kind "Opt-in referendum on the territory" (registered by the planner).

The members decide whether the community holds the referendum and takes the border it
gives. Each unit of the territory (each county) then follows its own official result under
the unit rule of the payload; the border is repaired (contiguity, the minimum population,
consent; the constraints of the plan the territory came from when one is named) with the
fewest voters moved, outside the request, and becomes the community's territory.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from secession.exceptions import DataError, RuleError
from secession.referendum import Rule
from secession.referendum.optin import CONSENT
from secession.web.apps.planner import optin, optin_counts
from secession.web.apps.planner.models import PlanJob
from secession.web.apps.planner.optin_actions import queue_repair
from secession.web.apps.planner.optin_counts import PLATFORM, UPLOAD, source_of
from secession.web.apps.proposals.kinds import DAY, ProposalKind
from secession.web.apps.proposals.models import VotingRule
from secession.web.words import Words

CONSTRAINT_KEYS = ("contiguous_new", "contiguous_rest", "exclaves")
SOURCES = (
    (UPLOAD, gettext_lazy("uploaded official results")),
    (PLATFORM, gettext_lazy("this vote: each voter says which county they live in")),
)


def no_county_in_verifiable() -> ValidationError:
    return ValidationError(
        {
            "results_source": _(
                "This community's opt-in referendums are verifiable votes, whose encrypted "
                "ballots cannot carry a county: choose uploaded official results, or change "
                "the rule to a public or secret vote first."
            )
        }
    )


def proposal_opened(sender, proposal, rule, **kwargs) -> None:
    """Voting opened: a referendum counted from its own ballots gets its county rows (a
    verifiable one is refused, so the opening is undone)."""
    if proposal.kind != optin.OPT_IN_TERRITORY or source_of(proposal.payload) != PLATFORM:
        return
    if proposal.verifiable:
        raise no_county_in_verifiable()
    optin_counts.open_counts(proposal)


def _plan_id(raw: Any) -> str:
    """A plan's id from its id or its page's address ("" for none)."""
    text = str(raw or "").strip().rstrip("/")
    if not text:
        return ""
    text = text.rsplit("/", 1)[-1]
    try:
        return str(uuid.UUID(text))
    except ValueError:
        raise ValidationError(_("{raw!r} is not a plan's id or link").format(raw=raw)) from None


class OptInTerritory(ProposalKind):
    name, order = optin.OPT_IN_TERRITORY, 62
    label = Words(gettext_lazy("Opt-in referendum on the territory"))
    help = Words(
        gettext_lazy(
            "Each unit of the territory (each county) follows its own official result; the "
            "border is then repaired with the fewest voters moved and becomes the territory."
        )
    )
    default = Rule.preset("simple-majority")
    default_window = 30 * DAY

    def clean(self, community, payload):
        units = [str(u) for u in community.territory_unit_ids or []]
        if community.territory_dataset != optin.DATASET or not units:
            raise ValidationError(
                _(
                    "{name}'s territory is not a set of US counties: an opt-in referendum "
                    "needs a territory made of units (e.g. one founded from a plan)"
                ).format(name=community.name)
            )
        try:
            states = optin.states_of(units)
            rule = Rule.from_dict(
                {
                    "name": "opt-in",
                    "threshold": str(payload.get("unit_threshold", "1/2") or "1/2"),
                    "strict": bool(payload.get("strict", True)),
                    "unit_opt_in": True,
                }
            )
        except RuleError as exc:
            raise ValidationError(_("unit rule: {why}").format(why=exc)) from None
        except DataError as exc:  # a unit that is not a county
            raise ValidationError(str(exc)) from None
        minimum = payload.get("min_population", 0) or 0
        if isinstance(minimum, bool) or not isinstance(minimum, int | float):
            raise ValidationError(_("min_population must be a number of people"))
        if not 0 <= minimum <= 10**10:
            raise ValidationError(_("min_population must be between 0 and 10,000,000,000"))
        consent = payload.get("consent", True)
        if not isinstance(consent, bool):
            raise ValidationError(_("consent must be true or false"))
        constraints: dict[str, Any] = {
            "min_population": float(minimum),
            "max_countries": 1,
            "consent": CONSENT if consent else None,
        }
        source = payload.get("results_source", UPLOAD) or UPLOAD
        if source not in (UPLOAD, PLATFORM):
            raise ValidationError(
                {"results_source": _("results_source must be “upload” or “platform”")}
            )
        if source == PLATFORM:
            rule_row = VotingRule.objects.filter(community=community, kind=self.name).first()
            if rule_row is not None and rule_row.verifiable:
                raise no_county_in_verifiable()
        plan = _plan_id(payload.get("plan"))
        if plan:
            job = PlanJob.objects.filter(pk=plan, shared=True, status=PlanJob.Status.DONE).first()
            if job is None:
                raise ValidationError(
                    _("no shared finished plan {plan}: share the plan first").format(plan=plan)
                )
            for key in CONSTRAINT_KEYS:
                if key in job.constraints:
                    constraints[key] = job.constraints[key]
            if not minimum:
                constraints["min_population"] = float(job.constraints.get("min_population", 0))
        return {
            "dataset": optin.DATASET,
            "units": sorted(units),
            "states": states,
            "unit_rule": rule.to_dict(),
            "constraints": constraints,
            "plan": plan,
            "results_source": source,
        }

    def apply(self, proposal) -> str:
        return queue_repair(proposal)

    def describe(self, proposal) -> str:
        p = proposal.payload
        rule = Rule.from_dict(dict(p["unit_rule"]))
        c = p["constraints"]
        parts = [_("one piece")]
        if c.get("min_population"):
            people = number_format(c["min_population"], decimal_pos=0, force_grouping=True)
            parts.append(_("at least {n} people").format(n=people))
        if c.get("consent") is not None:
            parts.append(_("no unit that voted no is taken in"))
        if source_of(p) == PLATFORM and rule.strict:
            joins = _(
                "Each of the {n} counties of {name}'s territory follows this vote's own count "
                "in it (each voter says which county they live in): it joins when more than "
                "{share} of its yes and no votes are yes."
            )
        elif source_of(p) == PLATFORM:
            joins = _(
                "Each of the {n} counties of {name}'s territory follows this vote's own count "
                "in it (each voter says which county they live in): it joins when at least "
                "{share} of its yes and no votes are yes."
            )
        elif rule.strict:
            joins = _(
                "Each of the {n} counties of {name}'s territory follows its own official "
                "result: it joins when more than {share} of its yes and no votes are yes."
            )
        else:
            joins = _(
                "Each of the {n} counties of {name}'s territory follows its own official "
                "result: it joins when at least {share} of its yes and no votes are yes."
            )
        repaired = _(
            "The border is then repaired with the fewest voters moved ({constraints}) and "
            "becomes the territory."
        )
        return " ".join(
            (
                joins.format(n=len(p["units"]), name=proposal.community.name, share=rule.threshold),
                repaired.format(constraints="; ".join(parts)),
            )
        )

    def details(self, proposal) -> dict[str, Any]:
        url = reverse("planner:optin", args=[proposal.pk])
        if source_of(proposal.payload) == PLATFORM:
            text = _("Results by county and the repaired border")
        else:
            text = _("Official results and the repaired border")
        return {"links": [{"url": url, "text": text}]}

    def closed(self, proposal) -> None:
        if source_of(proposal.payload) == PLATFORM:
            optin_counts.rewrite(proposal)

    # ------------------------------------------------------- the ballot's county
    def vote_fields(self, proposal):
        if source_of(proposal.payload) != PLATFORM:
            return {}
        return {
            "unit": forms.ChoiceField(
                label=_("The county you live in"),
                choices=[("", _("Choose your county")), *self._counties(proposal)],
                help_text=_(
                    "Your own statement: the platform does not check it. Only the number of "
                    "yes, no and abstain votes in each county is kept, never who chose which "
                    "county; in a county where very few vote, its count may still show how "
                    "they voted."
                ),
                error_messages={"required": _("Choose the county you live in.")},
            )
        }

    @staticmethod
    def _counties(proposal):
        return optin_counts.county_choices(list(proposal.payload["units"]))

    def clean_vote(self, proposal, extra):
        if source_of(proposal.payload) != PLATFORM:
            return super().clean_vote(proposal, extra)
        unknown = sorted(set(extra) - {"unit"})
        if unknown:
            raise ValidationError(
                {k: _("this ballot asks only for a choice and your county") for k in unknown}
            )
        unit = str(extra.get("unit") or "").strip()
        if not unit:
            raise ValidationError({"unit": _("Choose the county you live in.")})
        if unit not in set(proposal.payload["units"]):
            raise ValidationError(
                {
                    "unit": _(
                        "{unit} is not a county of {name}'s territory: choose one of its "
                        "{n} counties (by FIPS code, e.g. {example})."
                    ).format(
                        unit=repr(unit[:20]),
                        name=proposal.community.name,
                        n=len(proposal.payload["units"]),
                        example=sorted(proposal.payload["units"])[0],
                    )
                }
            )
        return {"unit": unit}

    def voted(self, proposal, choice, extra):
        if source_of(proposal.payload) != PLATFORM:
            return
        if not optin_counts.add_vote(proposal, extra["unit"], choice):
            raise RuntimeError(f"proposal {proposal.pk} has no count row for {extra['unit']}")

    def form_fields(self, community):
        return {
            "results_source": forms.ChoiceField(
                label=_("Where the county results come from"),
                choices=SOURCES,
                initial=UPLOAD,
                widget=forms.RadioSelect,
                help_text=_(
                    "Uploaded: an official results file, one row per county. This vote: "
                    "the ballot asks each voter for their county (a public or secret vote; "
                    "a verifiable vote cannot carry a county)."
                ),
            ),
            "unit_threshold": forms.CharField(
                label=_("Share of yes a county needs to join"),
                initial="1/2",
                help_text=_("Among its yes and no votes, e.g. 1/2, 2/3, 55%."),
            ),
            "strict": forms.ChoiceField(
                label=_("Comparison"),
                choices=[("more", _("more than the share")), ("least", _("at least the share"))],
            ),
            "min_population": forms.IntegerField(
                label=_("Minimum population of the new territory"),
                min_value=0,
                required=False,
                help_text=_("People (the dataset's population); empty: none, or the plan's."),
            ),
            "consent": forms.BooleanField(
                label=_("Never take in a county that voted no"), required=False, initial=True
            ),
            "plan": forms.CharField(
                label=_("The plan the territory came from (optional)"),
                required=False,
                max_length=200,
                help_text=_(
                    "A shared plan's link or id: its contiguity and minimum population are used."
                ),
            ),
        }

    def form_payload(self, cleaned):
        return {
            "unit_threshold": cleaned["unit_threshold"],
            "strict": cleaned["strict"] == "more",
            "min_population": cleaned.get("min_population") or 0,
            "consent": bool(cleaned.get("consent")),
            "plan": cleaned.get("plan", ""),
            "results_source": cleaned.get("results_source") or UPLOAD,
        }
