"""Communities: founding, nesting, territory, free join and free leave, history."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from secession.exceptions import DataError
from secession.web.apps.communities.actions import (
    edit_community,
    found_community,
    join_community,
    leave_community,
)
from secession.web.apps.communities.forms import territory_fields
from secession.web.apps.communities.models import Membership
from secession.web.apps.communities.territory import parse_geojson, svg, units_territory
from secession.web.apps.proposals.actions import cast_vote, make_proposal
from secession.web.apps.proposals.kinds import all_kinds
from secession.web.errors import Refused

from .factories import CommunityFactory, UserFactory, add_member, admit

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-123.0, 44.0], [-122.0, 44.0], [-122.0, 45.0], [-123.0, 45.0], [-123.0, 44.0]]
    ],
}


def test_anonymous_cannot_found(db):
    with pytest.raises(PermissionDenied):
        found_community(person=AnonymousUser(), name="X")


def test_founding_makes_founder_member_rules_and_constitution(founder):
    c = found_community(
        person=founder, name="Mill Town", kind="town", constitution_text="We are free.\n"
    )
    assert c.slug == "mill-town" and c.status == "active"
    assert list(c.active_members().values_list("person__username", flat=True)) == ["founder"]
    assert c.voting_rules.count() == len(all_kinds())  # one rule per registered kind
    assert c.voting_rules.get(kind="amend_constitution").rule["threshold"] == "2/3"
    assert c.constitution_versions.get().text == "We are free.\n"
    again = found_community(person=founder, name="Mill Town")
    assert again.slug == "mill-town-2"


def test_leader_governance_needs_capital(founder):
    with pytest.raises(ValidationError, match="capital"):
        found_community(person=founder, name="Kingdom", governance="leader")
    c = found_community(person=founder, name="Kingdom", governance="leader", capital="Castle")
    assert c.capital == "Castle" and c.memberships.get().role == "leader"


def test_nesting_to_any_depth(founder):
    node = None
    for depth in range(6):
        child = CommunityFactory(name=f"Level {depth}", parent=node, founder=founder)
        node = admit(child) if node is not None else child
    assert [a.name for a in node.ancestors()] == [f"Level {i}" for i in range(5)]


def test_join_and_leave_permissions(community, founder, outsider):
    with pytest.raises(PermissionDenied):
        join_community(community, person=AnonymousUser())
    with pytest.raises(Refused):
        join_community(community, person=founder)  # already a member
    with pytest.raises(PermissionDenied):
        leave_community(community, person=AnonymousUser())
    assert not outsider.has_perm("communities.leave_community", community)
    with pytest.raises(Refused):
        leave_community(community, person=outsider)  # not a member
    join_community(community, person=outsider)
    assert outsider.has_perm("communities.leave_community", community)
    assert not outsider.has_perm("communities.join_community", community)


def test_nothing_blocks_leaving(community, founder):
    bob = add_member(community, UserFactory(username="bob"))
    p = make_proposal(community, person=founder, kind="resolution", title="x")
    cast_vote(p, person=founder, choice="yes")
    # the founder leaves during an open vote they made and voted in
    leave_community(community, person=founder)
    assert list(community.active_members().values_list("person", flat=True)) == [bob.pk]
    community.refresh_from_db()
    assert community.status == "active"
    leave_community(community, person=bob)
    community.refresh_from_db()
    assert community.status == "dormant"  # last member left: dormant, not deleted
    join_community(community, person=bob)
    community.refresh_from_db()
    assert community.status == "active"


def test_membership_history_is_kept(community, outsider):
    join_community(community, person=outsider)
    leave_community(community, person=outsider)
    join_community(community, person=outsider)
    rows = Membership.objects.filter(community=community, person=outsider).order_by("id")
    assert [r.left_at is None for r in rows] == [False, True]


def test_one_active_membership_enforced_by_database(community, founder):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(community=community, person=founder, joined_at=timezone.now())


def test_edit_permissions_follow_governance(founder):
    c = CommunityFactory(name="Council Town", governance="council", founder=founder)
    bob = add_member(c, UserFactory(username="bob"))
    with pytest.raises(PermissionDenied):
        edit_community(c, person=bob, description="mine")
    edit_community(c, person=founder, description="Council edits")
    assert c.description == "Council edits"
    assembly = CommunityFactory(name="Assembly Town", founder=founder)
    carol = add_member(assembly, UserFactory(username="carol"))
    edit_community(assembly, person=carol, description="Any member edits")
    with pytest.raises(PermissionDenied):
        edit_community(assembly, person=UserFactory(username="dan"), description="no")


def test_geojson_territory_validated_and_drawn(founder):
    geometry = parse_geojson(json.dumps({"type": "Feature", "geometry": SQUARE, "properties": {}}))
    assert json.loads(geometry)["type"] == "Polygon"
    drawing = svg(geometry, label="Square <land>")
    assert drawing.startswith("<svg") and "Square &lt;land&gt;" in drawing
    # one square degree at 44.5N: width scaled by cos(latitude), height full
    assert 'viewBox="0 0 480 ' in drawing and '<path d="M4.0,' in drawing


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"type": "Point", "coordinates": [0, 0]}', "is a Point: it must be an outline"),
        (
            '{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}',
            "The outline crosses itself near 0.5 E, 0.5 N: move a point so the lines do not cross",
        ),
        (
            '{"type":"Polygon","coordinates":[[[0,0],[500000,0],[500000,5],[0,0]]]}',
            "must be longitude",
        ),
        ('{"type":"FeatureCollection","features":[]}', "no features"),
    ],
)
def test_bad_geojson_refused(text, message):
    with pytest.raises(DataError, match=message):
        parse_geojson(text)


def test_unit_territory_from_real_counties(data_dir):
    # Oregon's Wasco (41065) and Sherman (41055) counties share a border: one polygon.
    geometry, crs, ids = units_territory("us-counties-2020", ["41065", " 41055", "41065"])
    assert ids == ["41055", "41065"] and crs == "albers-usa"
    assert json.loads(geometry)["type"] == "Polygon"
    with pytest.raises(DataError, match="1 unit id\\(s\\) not in dataset us-counties-2020: 99999"):
        units_territory("us-counties-2020", ["41065", "99999"])
    with pytest.raises(DataError, match="unknown unit dataset"):
        units_territory("moon", ["1"])


def test_territory_fields_either_polygon_or_units(data_dir):
    with pytest.raises(ValidationError, match="not both"):
        territory_fields(json.dumps(SQUARE), "us-counties-2020", ["41065"])
    fields = territory_fields("", "us-counties-2020", ["41065"])
    assert fields["territory_unit_ids"] == ["41065"] and fields["territory_crs"] == "albers-usa"
    assert territory_fields("", "", []) == {}


def test_territory_map_shows_its_surroundings(data_dir):
    """Units are drawn over their neighbouring counties; a lon/lat polygon over the US
    states around it; a territory outside the base map alone."""
    geometry, crs, _ = units_territory("us-counties-2020", ["41065"])
    alone = svg(geometry, crs)
    framed = svg(geometry, crs, context=True)
    assert alone.count("<path") == 1 and framed.count("<path") == 2
    # the grey outlines come first (under the territory) and hold many rings (neighbours)
    background = framed.split("<path", 2)[1]
    assert 'stroke="#8c959f"' in background and background.count("Z") >= 5
    oregon = svg(json.dumps(SQUARE), context=True)
    assert oregon.count("<path") == 2
    # outside the US the world's countries are the base (world-atlas)
    europe = {"type": "Polygon", "coordinates": [[[5, 45], [6, 45], [6, 46], [5, 46], [5, 45]]]}
    assert svg(json.dumps(europe), context=True).count("<path") == 2
