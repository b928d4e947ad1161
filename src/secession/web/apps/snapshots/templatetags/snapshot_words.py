"""Filters that put a snapshot's data (codes, ISO dates, counts) into the page's language,
as the platform's own pages show them: a kind's label, "3 March 2026", "1,234"."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.db.models import TextChoices
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from secession.web.apps.communities.models import Governance, Kind, Role, Status
from secession.web.apps.proposals.kinds import label as proposal_label
from secession.web.apps.registry.models import DeclarationKind
from secession.web.apps.registry.present import recogniser_label
from secession.web.apps.registry.recognisers import recogniser_kind

register = template.Library()


def _label(choices: type[TextChoices], value: str | None) -> str:
    """The choice's label in the active language, or the stored code when it has none."""
    if value is None:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _when(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


@register.filter
def day(value: str | None) -> str:
    """An ISO timestamp of the data as the pages write a day ("3 March 2026")."""
    when = _when(value)
    return date_format(when, "j F Y") if when is not None else (value or "")


@register.filter
def moment(value: str | None) -> str:
    """An ISO timestamp as the pages write a moment ("3 March 2026, 14:05", UTC)."""
    when = _when(value)
    return date_format(when, "j F Y, H:i") if when is not None else (value or "")


@register.filter
def number(value: int | None) -> str:
    """A count with the language's digit grouping ("1,234", "1.234"); none is 0."""
    return floatformat(value or 0, "0g")


@register.filter
def community_kind(value: str | None) -> str:
    return _label(Kind, value)


@register.filter
def governance(value: str | None) -> str:
    return _label(Governance, value)


@register.filter
def community_status(value: str | None) -> str:
    return _label(Status, value)


@register.filter
def role(value: str | None) -> str:
    return _label(Role, value)


@register.filter
def declaration_kind(value: str | None) -> str:
    return _label(DeclarationKind, value)


@register.filter
def proposal_kind(value: str) -> str:
    return str(proposal_label(value))


@register.filter
def recogniser_type(value: str) -> str:
    kind = recogniser_kind(value)
    return recogniser_label(kind.label if kind is not None else value)


@register.filter
def people_status(value: str) -> str:
    """A declared people's status in words ("recognised", "declared")."""
    return {"recognised": gettext("recognised"), "declared": gettext("declared")}.get(value, value)


@register.filter
def recognition_counts(p: dict) -> str:
    """Who recognises a people, counted: "2 peoples (30 members together), 1 alliance"."""
    peoples = ngettext(
        "{n} people ({members} members together)",
        "{n} peoples ({members} members together)",
        p["recognised_by_peoples"],
    ).format(n=number(p["recognised_by_peoples"]), members=number(p["recognisers_members"]))
    alliances = ngettext("{n} alliance", "{n} alliances", p["recognised_by_alliances"]).format(
        n=number(p["recognised_by_alliances"])
    )
    return gettext("{peoples}, {alliances}").format(peoples=peoples, alliances=alliances)
