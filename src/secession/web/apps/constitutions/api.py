"""Constitution endpoints: the text in force, every version, and diffs between them."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from secession.web.apiauth import Id, reader, require
from secession.web.apps.communities.models import Community
from secession.web.apps.constitutions.diff import diff_lines
from secession.web.apps.constitutions.models import ConstitutionVersion

router = Router(tags=["constitutions"])


class VersionOut(Schema):
    number: int
    text: str
    adopted_at: str
    proposal: int | None


def _out(v: ConstitutionVersion) -> dict:
    return {
        "number": v.number,
        "text": v.text,
        "adopted_at": v.adopted_at.isoformat(),
        "proposal": v.proposal_id,
    }


@router.get("/{slug}", response=list[VersionOut], auth=None)
def versions(request, slug: str):
    """Every version, oldest first (the last one is in force)."""
    c = get_object_or_404(Community, slug=slug)
    require(reader(request), "constitutions.view_constitution", c)
    return [_out(v) for v in c.constitution_versions.all()]


@router.get("/{slug}/{number}", response=VersionOut, auth=None)
def version(request, slug: str, number: Id):
    c = get_object_or_404(Community, slug=slug)
    require(reader(request), "constitutions.view_constitution", c)
    return _out(get_object_or_404(ConstitutionVersion, community=c, number=number))


@router.get("/{slug}/{number}/diff", response=list[dict], auth=None)
def diff(request, slug: str, number: Id):
    """Lines changed from the previous version to version ``number``."""
    c = get_object_or_404(Community, slug=slug)
    require(reader(request), "constitutions.view_constitution", c)
    new = get_object_or_404(ConstitutionVersion, community=c, number=number)
    old = ConstitutionVersion.objects.filter(community=c, number=number - 1).first()
    if old is None and number != 1:
        raise Http404("no previous version")
    return [{"kind": d.kind, "text": d.text} for d in diff_lines(old.text if old else "", new.text)]
