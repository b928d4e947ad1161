"""What the registry shows: each declared people's status under the recognition rule (or
from a point of view), who recognises whom, and the world-map document of the registry.

Counts are made in SQL over the recognitions of the peoples asked about, never by walking
their members: a page lists at most one page of peoples.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from secession.exceptions import SecessionError
from secession.geo.world import load_countries
from secession.web.apps.communities.models import Community, Membership
from secession.web.apps.registry.actions import recognition_rule
from secession.web.apps.registry.models import Declaration, Recognition
from secession.web.apps.registry.recognisers import ALLIANCE, COMMUNITY, lookup, recogniser_kind
from secession.web.apps.registry.recognition import RecognitionRule

LONLAT = "EPSG:4326"
ALBERS_USA = "albers-usa"


@dataclass
class Standing:
    """A declared people and its recognition now."""

    declaration: Declaration
    peoples: int = 0
    members: int = 0
    alliances: int = 0
    status: str = "declared"
    shortfall: list[str] = field(default_factory=list)

    @property
    def community(self) -> Community:
        return self.declaration.community


def _counts(community_ids: Iterable[int]) -> dict[int, tuple[int, int, int]]:
    """Per recognised people: (recognising peoples, their members together, alliances)."""
    ids = list(community_ids)
    active = Recognition.objects.filter(recognised_id__in=ids, withdrawn_at__isnull=True)
    pairs = list(active.values_list("recognised_id", "recogniser_type", "recogniser_id"))
    recognisers = {rid for _, kind, rid in pairs if kind == COMMUNITY}
    members = dict(
        Membership.objects.filter(community_id__in=recognisers, left_at__isnull=True)
        .values("community_id")
        .annotate(n=Count("id"))
        .values_list("community_id", "n")
    )
    out: dict[int, list[int]] = {i: [0, 0, 0] for i in ids}
    for recognised, kind, rid in pairs:
        spec = recogniser_kind(kind)
        if spec is not None and spec.counts_as_people:
            out[recognised][0] += 1
            out[recognised][1] += members.get(rid, 0)
        else:
            out[recognised][2] += 1
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}


def standings(
    declarations: Iterable[Declaration], rule: RecognitionRule | None = None
) -> list[Standing]:
    """The status of each declared people under ``rule`` (the registry's, by default)."""
    rule = rule or recognition_rule()
    rows = list(declarations)
    counts = _counts(d.community_id for d in rows)
    out = []
    for d in rows:
        peoples, members, alliances = counts[d.community_id]
        met = rule.met(peoples=peoples, members=members, alliances=alliances)
        out.append(
            Standing(
                d,
                peoples,
                members,
                alliances,
                "recognised" if met else "declared",
                rule.shortfall(peoples=peoples, members=members, alliances=alliances),
            )
        )
    return out


def recognised_by(community: Community, *, history: bool = False):
    """Recognitions of ``community`` (active ones, or all with ``history``), newest first."""
    rows = Recognition.objects.filter(recognised=community).select_related(
        "proposal", "recogniser_community"
    )
    return rows if history else rows.filter(withdrawn_at__isnull=True)


def recognises(community: Community, *, history: bool = False):
    """Recognitions ``community`` has made (active ones, or all with ``history``)."""
    rows = Recognition.objects.filter(
        recogniser_type=COMMUNITY, recogniser_id=community.pk
    ).select_related("recognised", "proposal", "recogniser_community")
    return rows if history else rows.filter(withdrawn_at__isnull=True)


def _vote_url(r: Recognition, proposal: int | None, decision: int | None) -> str:
    if proposal:
        return reverse("proposals:detail", args=[proposal])
    kind = recogniser_kind(r.recogniser_type)
    if decision and kind is not None and kind.decision_url is not None:
        return kind.decision_url(decision)
    return ""


#: the kinds of recogniser in words (apps register a kind's ``label`` as a plain word)
RECOGNISER_LABELS = {
    "registered people": gettext_lazy("registered people"),
    ALLIANCE: gettext_lazy("alliance"),
}


def recogniser_label(label: str) -> str:
    """A kind of recogniser's label in the active language."""
    return str(RECOGNISER_LABELS.get(label, label))


def add_links(rows: Iterable[Recognition]) -> list[Recognition]:
    """Set ``recogniser_url`` (a people's registry page, an alliance's page),
    ``recogniser_label``, ``vote_url`` and ``withdrawal_vote_url`` on each row, looking the
    recognisers up once per kind (one query each). Community rows need
    ``recogniser_community`` selected."""
    rows = list(rows)
    ids: dict[str, set[int]] = {}
    for r in rows:
        if r.recogniser_type != COMMUNITY:
            ids.setdefault(r.recogniser_type, set()).add(r.recogniser_id)
    found = {kind: lookup(kind, wanted) for kind, wanted in ids.items()}
    for r in rows:
        kind = recogniser_kind(r.recogniser_type)
        r.recogniser_label = recogniser_label(kind.label if kind is not None else r.recogniser_type)
        if r.recogniser_type == COMMUNITY:
            c = r.recogniser_community
            r.recogniser_url = reverse("registry:people", args=[c.slug]) if c else ""
            r.recogniser_slug = c.slug if c else None
        else:
            obj = found.get(r.recogniser_type, {}).get(r.recogniser_id)
            r.recogniser_url = obj.get_absolute_url() if obj is not None else ""
            r.recogniser_slug = getattr(obj, "slug", None)
        r.vote_url = _vote_url(r, r.proposal_id, r.decision)
        r.withdrawal_vote_url = _vote_url(r, r.withdrawal_proposal_id, r.withdrawal_decision)
    return rows


def linked(rows: Iterable[Recognition], chunk: int = 500) -> Iterator[Recognition]:
    """:func:`add_links` over a long stream, a chunk at a time."""
    it = iter(rows)
    while batch := list(islice(it, chunk)):
        yield from add_links(batch)


def viewer_recognises(viewer: Community) -> set[int]:
    return set(recognises(viewer).values_list("recognised_id", flat=True))


def _territory(d: Declaration) -> dict[str, Any] | None:
    """The declaration's territory as the world-map document writes it."""
    if d.territory_crs == ALBERS_USA and d.territory_dataset and d.territory_unit_ids:
        return {"units": {"dataset": d.territory_dataset, "ids": list(d.territory_unit_ids)}}
    if d.territory_geojson and (d.territory_crs or LONLAT) == LONLAT:
        return json.loads(d.territory_geojson)
    return None


def _left(d: Declaration) -> str:
    """The country left, when the declaration names a country of the world map; else empty
    (the map then takes the country holding most of the territory)."""
    named = d.claimed_by or d.separates_from
    if not named:
        return ""
    try:
        return load_countries("110m").find(named)
    except SecessionError:
        return ""


def world_document(*, as_people: Community | None = None, base: str = "110m") -> dict[str, Any]:
    """The registry as a world-map document (:mod:`secession.maps.world.doc`): every people
    with a declaration in force, its status under the registry's rule, or, from the point of
    view of ``as_people``, recognised when ``as_people`` recognises it (and itself)."""
    rule = recognition_rule()
    current = Declaration.objects.current().select_related("community").order_by("id")
    rows = standings(current, rule)
    names = _recogniser_names(r.community.pk for r in rows)
    seen = viewer_recognises(as_people) | {as_people.pk} if as_people is not None else None
    peoples = []
    for r in rows:
        d = r.declaration
        status = r.status
        if seen is not None:
            status = "recognised" if d.community_id in seen else "declared"
        item: dict[str, Any] = {
            "id": d.community.slug,
            "name": d.community.name,
            "status": status,
            "recognised_by": names.get(d.community_id, []),
            "left": _left(d),
            "territory": _territory(d),
            "declared": d.published_at.date().isoformat(),
            "url": d.get_absolute_url(),
        }
        if d.indigenous:
            item["indigenous"] = True
        peoples.append(item)
    when = timezone.now().strftime("%Y-%m-%d %H:%M UTC")
    text = rule.describe()
    doc: dict[str, Any] = {
        "format": "secession-world-map/1",
        "title": gettext("Free peoples on the map of the world"),
        "rule": gettext("shown as recognised once {rule}").format(rule=text),
        "source": gettext("the registry of free peoples, as of {when}").format(when=when),
        "base": base,
        "peoples": peoples,
    }
    if as_people is not None:
        doc["point_of_view"] = as_people.name
        doc["title"] = gettext("The map of the world as {name} sees it").format(name=as_people.name)
        doc["rule"] = gettext(
            "as seen by {name}: recognised are the peoples it recognises "
            "(the registry's own rule: {rule})"
        ).format(name=as_people.name, rule=text)
    return doc


def _recogniser_names(ids: Iterable[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = (
        Recognition.objects.filter(recognised_id__in=list(ids), withdrawn_at__isnull=True)
        .order_by("recognised_at", "id")
        .values_list("recognised_id", "recogniser_name")
    )
    for recognised, name in rows:
        names.setdefault(recognised, []).append(name)
    return names
