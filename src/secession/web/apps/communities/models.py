"""Communities and the explicit membership model (with its history)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    TOWN = "town", _("Town")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    REGION = "region", _("Region")
    COUNTRY = "country", _("Country")
    NATION = "nation", _("Nation")
    OTHER = "other", _("Other")


class Governance(models.TextChoices):
    ASSEMBLY = "assembly", _("Assembly of all members (no leader, no capital)")
    COUNCIL = "council", _("Elected council")
    LEADER = "leader", _("Leader with a capital")


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    DORMANT = "dormant", _("Dormant (no members)")


class Community(models.Model):
    """A self-governing community; its territory is a polygon or a set of analysis units.

    ``parent`` is set only when the parent admitted the community by its own vote; until
    then a community that asked to join names it in ``requested_parent`` and is a
    community of its own. ``member_count`` is kept by the join and leave actions (under
    the community's row lock), so no page counts a million memberships.
    """

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    requested_parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="join_requests"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    member_count = models.PositiveIntegerField(default=0)
    governance = models.CharField(
        max_length=20, choices=Governance.choices, default=Governance.ASSEMBLY
    )
    capital = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    #: a nation that registers as the indigenous, sovereign people it is (kind ``nation``)
    indigenous = models.BooleanField(default=False)
    independent = models.BooleanField(default=False)
    independent_since = models.DateTimeField(null=True, blank=True)
    independent_from = models.CharField(max_length=200, blank=True)
    # Territory: GeoJSON geometry text (Polygon/MultiPolygon), its coordinate system, and
    # (for territories made of analysis units) the dataset and unit ids it was built from.
    territory_geojson = models.TextField(blank=True)
    territory_crs = models.CharField(max_length=40, blank=True)
    territory_dataset = models.CharField(max_length=80, blank=True)
    territory_unit_ids = models.JSONField(default=list, blank=True)
    founded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "communities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", args=[self.slug])

    def ancestors(self) -> list[Community]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def is_within(self, other: Community) -> bool:
        """True when ``other`` is this community or one of its ancestors."""
        return other.pk == self.pk or any(a.pk == other.pk for a in self.ancestors())

    def active_members(self):
        return self.memberships.filter(left_at__isnull=True)


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    COUNCIL = "council", _("Council member")
    LEADER = "leader", _("Leader")


class Membership(models.Model):
    """One period of membership; leaving closes it (``left_at``), history is kept."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = (
            "joined_at",
            "id",
        )
        constraints = (
            models.UniqueConstraint(
                fields=["community", "person"],
                condition=Q(left_at__isnull=True),
                name="one_active_membership",
            ),
        )
        indexes = (
            # current members in join order (pages, electorates), without the past ones
            models.Index(
                fields=["community", "id"],
                condition=Q(left_at__isnull=True),
                name="active_members",
            ),
        )

    def __str__(self) -> str:
        return f"{self.person} in {self.community}"
