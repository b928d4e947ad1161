"""Alliances of communities: the charter and its versions, membership (an explicit join
model with its history), the alliance's rules and proposals, each community's one ballot,
how a community casts its alliance votes, and the board of mutual aid."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from secession.web.apps.alliances import kinds


class Status(models.TextChoices):
    """An alliance proposal is open, then closed (it has no counting stage of its own: each
    community's vote is counted by its own proposal)."""

    OPEN = "open", _("Voting open")
    CLOSED = "closed", _("Closed")


class Method(models.TextChoices):
    EQUAL = "equal", _("One community, one vote")
    WEIGHTED = "weighted", _("Weighted by members")
    DOUBLE = "double", _("Double majority: communities and the members they represent")


#: the method's name in :func:`secession.referendum.decide_weighted`
REFERENDUM_METHOD = {Method.EQUAL: "voters", Method.WEIGHTED: "weight", Method.DOUBLE: "double"}


class Admission(models.TextChoices):
    VOTE = "vote", _("An admission vote of the member communities")
    OPEN = "open", _("Open: a community that votes to join is a member at once")


class Alliance(models.Model):
    """An alliance; its members are communities (:class:`AllianceMembership`)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    purpose = models.TextField(blank=True)
    founded_at = models.DateTimeField()
    founded_by = models.ForeignKey(
        "communities.Community", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    founding_proposal = models.ForeignKey(
        "proposals.Proposal", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: the decision rule the founders chose: {"method", "rule", "window_minutes"}; a kind
    #: of alliance proposal registered after founding starts with it
    founding_rule = models.JSONField()
    #: communities the founding proposal invited as founding members (ids): each joins by
    #: its own members' vote, with no admission vote (the founders asked it to)
    invited = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("alliances:detail", args=[self.slug])

    def active_members(self):
        return self.memberships.filter(left_at__isnull=True)


class AllianceProposal(models.Model):
    """A proposal decided by the member communities; method, rule, the charter's rule on
    leavers and the electorate (:class:`AllianceEligibility`) are fixed when voting opens."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: the member community the author acted for (or the applicant, for an admission)
    author_community = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: the community the proposal is about (an applicant; later kinds: one to recognise)
    subject = models.ForeignKey(
        "communities.Community", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=40)  # a registered alliance kind (alliances.kinds)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices)
    rule = models.JSONField()
    leavers_keep_vote = models.BooleanField(default=False)
    opened_at = models.DateTimeField()
    internal_closes_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-opened_at", "-id")
        indexes = (models.Index(fields=("status", "closes_at")),)
        constraints = (
            models.UniqueConstraint(
                fields=["alliance", "subject"],
                condition=Q(kind="admit_member", status="open"),
                name="one_open_admission_per_applicant",
            ),
        )

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("alliances:proposal", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)


class CharterVersion(models.Model):
    """Every adopted version of an alliance's charter: its text and the terms it sets
    (how communities are admitted; whether a community that leaves during a vote keeps it)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="charter")
    number = models.PositiveIntegerField()
    text = models.TextField()
    admission = models.CharField(max_length=10, choices=Admission.choices, default=Admission.VOTE)
    leavers_keep_vote = models.BooleanField(default=False)
    adopted_at = models.DateTimeField()
    proposal = models.ForeignKey(
        AllianceProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("alliance", "number")
        constraints = (
            models.UniqueConstraint(fields=["alliance", "number"], name="one_charter_number"),
        )

    def __str__(self) -> str:
        return f"{self.alliance} charter v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("alliances:charter_version", args=[self.alliance.slug, self.number])


class AllianceMembership(models.Model):
    """One period of a community's membership; leaving closes it, history is kept."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="memberships")
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="alliance_memberships"
    )
    founder = models.BooleanField(default=False)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    #: the community's own vote: founding or joining, and leaving
    joined_by = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    admitted_by = models.ForeignKey(
        AllianceProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    left_by = models.ForeignKey(
        "proposals.Proposal", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("joined_at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["alliance", "community"],
                condition=Q(left_at__isnull=True),
                name="one_active_alliance_membership",
            ),
        )

    def __str__(self) -> str:
        return f"{self.community} in {self.alliance}"


class AllianceRule(models.Model):
    """How the alliance decides one kind of proposal (changeable by its own vote)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=40)
    method = models.CharField(max_length=10, choices=Method.choices)
    rule = models.JSONField()
    window_minutes = models.PositiveIntegerField()

    class Meta:
        ordering = ("kind",)
        constraints = (
            models.UniqueConstraint(fields=["alliance", "kind"], name="one_alliance_rule_per_kind"),
        )

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)


class Casting(models.TextChoices):
    OFFICE_HOLDERS = (
        "office_holders",
        _("By its council or leader (by all members when it governs itself as an assembly)"),
    )
    MEMBERS = "members", _("By an internal vote of all its members")


class AllianceEligibility(models.Model):
    """A community that votes on an alliance proposal: fixed when voting opens, with its
    weight (its members then), how it decides, and the internal vote that decides it."""

    proposal = models.ForeignKey(
        AllianceProposal, on_delete=models.CASCADE, related_name="eligible"
    )
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="+"
    )
    weight = models.PositiveIntegerField()
    internal = models.ForeignKey(
        "proposals.Proposal", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("id",)
        constraints = (
            models.UniqueConstraint(
                fields=["proposal", "community"], name="alliance_eligible_once"
            ),
        )


class CommunityChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstain")
    NONE = "none", _("Did not vote")


class CommunityBallot(models.Model):
    """A community's one ballot on an alliance proposal (unique, enforced by the database):
    its internal vote's result and counts, and who decided it (members, council, leader)."""

    proposal = models.ForeignKey(AllianceProposal, on_delete=models.CASCADE, related_name="ballots")
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(max_length=10, choices=CommunityChoice.choices)
    decided_by = models.CharField(max_length=20)  # the internal vote's electorate
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)
    eligible = models.PositiveIntegerField(default=0)
    internal = models.ForeignKey(
        "proposals.Proposal", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cast_at = models.DateTimeField()

    class Meta:
        ordering = ("cast_at", "id")
        constraints = (
            models.UniqueConstraint(
                fields=["proposal", "community"], name="one_community_one_ballot"
            ),
        )


class CastingRule(models.Model):
    """How a community casts its alliance votes, chosen by its own vote (no row: the
    default, :attr:`Casting.OFFICE_HOLDERS`, as its resolutions are decided)."""

    community = models.OneToOneField(
        "communities.Community", on_delete=models.CASCADE, related_name="alliance_casting"
    )
    by = models.CharField(max_length=20, choices=Casting.choices)
    changed_at = models.DateTimeField()
    proposal = models.ForeignKey(
        "proposals.Proposal", null=True, on_delete=models.SET_NULL, related_name="+"
    )


class PledgeKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    REQUEST = "request", _("Request")


class PledgeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FULFILLED = "fulfilled", _("Fulfilled")
    NOT_FULFILLED = "not_fulfilled", _("Closed, not fulfilled")


class Pledge(models.Model):
    """A member community's offer or request on the alliance's board of mutual aid."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="pledges")
    community = models.ForeignKey(
        "communities.Community", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=PledgeKind.choices)
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True)
    #: an offer made in answer to a request
    answers = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="answered_by"
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=PledgeStatus.choices, default=PledgeStatus.OPEN
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ("-posted_at", "-id")
        indexes = (models.Index(fields=("alliance", "status")),)

    def __str__(self) -> str:
        return self.title
