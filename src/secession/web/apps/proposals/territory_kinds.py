"""A territory in a proposal: the kind "Change the territory", and the territory a
declaration of independence may carry. Both store the territory as the founding form does:
a unit dataset and the ids of its units (checked against the dataset), and compute the
outline when the vote passes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from secession.exceptions import SecessionError
from secession.geo.boundaries import fips_name
from secession.referendum import Rule
from secession.web.apps.communities.actions import set_territory
from secession.web.apps.communities.forms import territory_fields
from secession.web.apps.communities.models import Community
from secession.web.apps.communities.territory import (
    UNIT_DATASETS,
    clean_unit_ids,
    svg,
    units_territory,
)
from secession.web.apps.proposals.kinds import DAY, ProposalKind
from secession.web.words import Words

CHANGE_TERRITORY = "change_territory"
DEFAULT_DATASET = "us-counties-2020"
#: the unit datasets whose units are counties (named, and counted as counties)
COUNTY_DATASETS = frozenset({"us-counties-2020"})
#: at most this many names in a sentence (then "and N more")
NAMED = 10


def _ids_of(raw: Any) -> list[str]:
    """Unit ids from text (commas or spaces) or a list of strings or numbers."""
    if isinstance(raw, str):
        return raw.replace(",", " ").split()
    if isinstance(raw, list | tuple):
        if any(isinstance(u, bool) or not isinstance(u, str | int) for u in raw):
            raise ValidationError(
                {"territory_unit_ids": _("unit ids must be text, e.g. county FIPS codes")}
            )
        return [str(u) for u in raw]
    raise ValidationError(
        {"territory_unit_ids": _('give the unit ids as a list, e.g. ["41039", "41043"]')}
    )


def clean_territory(community: Community, payload: dict, *, required: bool) -> dict:
    """``territory_dataset`` and ``territory_unit_ids`` of ``payload``, checked against the
    dataset (errors keyed by their field), with the community's territory now as
    ``before`` (what the proposal's words compare with). ``{}`` when none is given and
    none is ``required``."""
    raw = payload.get("territory_unit_ids")
    if raw in (None, "", []):
        if required:
            raise ValidationError(
                {"territory_unit_ids": _("give the units of the new territory (county FIPS codes)")}
            )
        return {}
    dataset = payload.get("territory_dataset") or DEFAULT_DATASET
    if not isinstance(dataset, str) or dataset not in UNIT_DATASETS:
        known = ", ".join(UNIT_DATASETS)
        raise ValidationError(
            {
                "territory_dataset": _("unknown unit dataset {name}; known: {known}").format(
                    name=repr(str(dataset)[:80]), known=known
                )
            }
        )
    try:
        ids = clean_unit_ids(dataset, _ids_of(raw))
    except SecessionError as exc:
        raise ValidationError({"territory_unit_ids": str(exc)}) from None
    return {
        "territory_dataset": dataset,
        "territory_unit_ids": ids,
        "before": {
            "territory_dataset": community.territory_dataset,
            "territory_unit_ids": list(community.territory_unit_ids or []),
            "outline": bool(community.territory_geojson),
        },
    }


def apply_territory(proposal, payload: dict) -> None:
    """Set the community's territory to the payload's units (inside the closing
    transaction; :func:`set_territory` writes the audit row)."""
    fields = territory_fields("", payload["territory_dataset"], payload["territory_unit_ids"])
    set_territory(proposal.community, person=None, territory=fields, proposal=proposal)


def _names(dataset: str, ids: list[str]) -> str:
    shown = [fips_name(u) if dataset in COUNTY_DATASETS else u for u in ids[:NAMED]]
    more = len(ids) - len(shown)
    if more <= 0:
        return ", ".join(shown)
    return ngettext("{names} and {n} more", "{names} and {n} more", more).format(
        names=", ".join(shown), n=more
    )


def _count(dataset: str, n: int) -> str:
    if dataset in COUNTY_DATASETS:
        return ngettext("{n} county", "{n} counties", n).format(n=n)
    return ngettext("{n} unit", "{n} units", n).format(n=n)


def change_words(community_name: str, payload: dict) -> str:
    """What the territory in ``payload`` changes, compared with the territory the
    community had when it was proposed, e.g. "adds 3 counties (...), removes 1 (...)"."""
    dataset, after = payload["territory_dataset"], payload["territory_unit_ids"]
    before = payload.get("before") or {}
    total = _("{count} in all: {names}").format(
        count=_count(dataset, len(after)), names=_names(dataset, after)
    )
    old = before.get("territory_unit_ids") or []
    if not old or before.get("territory_dataset") != dataset:
        if before.get("outline"):
            return _(
                "The territory of {name}, now an outline drawn by hand, is replaced by {total}."
            ).format(name=community_name, total=total)
        return _("{name}, which has no territory yet, takes {total}.").format(
            name=community_name, total=total
        )
    added = sorted(set(after) - set(old))
    removed = sorted(set(old) - set(after))
    parts = []
    if added:
        parts.append(
            _("adds {count} ({names})").format(
                count=_count(dataset, len(added)), names=_names(dataset, added)
            )
        )
    if removed:
        parts.append(
            _("removes {n} ({names})").format(n=len(removed), names=_names(dataset, removed))
        )
    return _("The territory of {name} {changes}; {count} in all.").format(
        name=community_name,
        changes=", ".join(parts) or _("stays the same"),
        count=_count(dataset, len(after)),
    )


def territory_map(proposal, payload: dict, label: str) -> SafeString:
    """The proposed territory drawn over the counties around it, the community's
    territory when it was proposed as a dashed outline (when both are made of units)."""
    if not payload.get("territory_unit_ids"):
        return mark_safe("")
    try:
        geometry, crs, _ = units_territory(
            payload["territory_dataset"], payload["territory_unit_ids"]
        )
        before = payload.get("before") or {}
        previous = ""
        if (
            before.get("territory_unit_ids")
            and before.get("territory_dataset") == payload["territory_dataset"]
        ):
            previous, _, _ = units_territory(
                before["territory_dataset"], before["territory_unit_ids"]
            )
    except (SecessionError, OSError):
        return mark_safe("")  # the dataset's file is gone: the words still say it all
    # built from numbers only; labels escaped by svg()
    return mark_safe(svg(geometry, crs, label=label, context=True, previous=previous))


def territory_form_fields(*, required: bool) -> dict[str, forms.Field]:
    return {
        "territory_dataset": forms.ChoiceField(
            label=_("Units from the dataset"),
            choices=[(k, k) for k in UNIT_DATASETS],
            initial=DEFAULT_DATASET,
            required=False,
        ),
        "territory_unit_ids": forms.CharField(
            label=_("The units of the territory")
            if required
            else _(
                "The units of the territory (optional: leave empty to keep the territory as it is)"
            ),
            widget=forms.Textarea(attrs={"rows": 3}),
            required=False,
            help_text=_(
                "Their ids (county FIPS codes), separated by commas or spaces, e.g. "
                "41039, 41043. The whole territory, not only the changes."
            ),
        ),
    }


def territory_form_payload(cleaned: dict) -> dict:
    ids = (cleaned.get("territory_unit_ids") or "").replace(",", " ").split()
    if not ids:
        return {}
    return {"territory_dataset": cleaned.get("territory_dataset"), "territory_unit_ids": ids}


class ChangeTerritory(ProposalKind):
    """The members decide the community's territory: a set of units of a dataset (e.g. a
    plan's new country). When it passes, the territory becomes it."""

    name, order = CHANGE_TERRITORY, 45
    label = Words(gettext_lazy("Change the territory"))
    help = Words(
        gettext_lazy(
            "Make the community's territory a set of counties (e.g. a plan's new country)."
        )
    )
    default = Rule.preset("two-thirds")
    default_window = 14 * DAY

    def clean(self, community, payload):
        cleaned = clean_territory(community, payload, required=True)
        before = cleaned["before"]
        if (
            before["territory_dataset"] == cleaned["territory_dataset"]
            and before["territory_unit_ids"] == cleaned["territory_unit_ids"]
        ):
            raise ValidationError(
                {
                    "territory_unit_ids": _("this is already the territory of {name}").format(
                        name=community.name
                    )
                }
            )
        return cleaned

    def apply(self, proposal) -> str:
        apply_territory(proposal, proposal.payload)
        return ""

    def describe(self, proposal) -> str:
        return change_words(proposal.community.name, proposal.payload)

    def page_map(self, proposal) -> SafeString:
        return territory_map(
            proposal,
            proposal.payload,
            _("The proposed territory of {name}").format(name=proposal.community.name),
        )

    def form_fields(self, community):
        return territory_form_fields(required=True)

    def form_payload(self, cleaned):
        return territory_form_payload(cleaned)
