"""A planning job: what to plan (dataset, place, direction, constraints), and its state.

The row is the whole truth about a job: the worker reads it, writes its progress and
result folder to it, and the pages read it; a restart of the web server loses nothing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PlanJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("plan status", "waiting to start")
        RUNNING = "running", pgettext_lazy("plan status", "running")
        DONE = "done", pgettext_lazy("plan status", "done")
        FAILED = "failed", pgettext_lazy("plan status", "failed")
        STOPPED = "stopped", pgettext_lazy("plan status", "stopped")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_jobs"
    )
    title = models.CharField(max_length=200, blank=True)
    # what load_graph reads: {"kind": "us-counties", "year": 2020} (see datasets.py)
    dataset = models.JSONField()
    place = models.JSONField(default=list, blank=True)  # state codes; [] = whole country
    # a drawn region: a GeoJSON Polygon/MultiPolygon in lon/lat (datasets.check_region);
    # only the units whose point lies inside it (within ``place``'s states) are planned
    region = models.JSONField(null=True, blank=True)
    direction = models.CharField(max_length=3, default="dem")  # the side that leaves
    constraints = models.JSONField()  # PlanConstraints.to_dict()
    solver = models.CharField(max_length=10, default="auto")
    seed = models.PositiveIntegerField(default=0)
    time_limit = models.FloatField(default=60.0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.JSONField(default=dict, blank=True)  # secession.plan.solve.Progress
    message = models.TextField(blank=True)  # why it failed or stopped, in plain words
    stop_requested = models.BooleanField(default=False)
    result_dir = models.CharField(max_length=500, blank=True)
    shared = models.BooleanField(default=False)
    # a repair of a hand-edited plan: the plan it was edited from and the moves made by
    # hand ({"moves": {unit_id: side}}); the solver keeps the fewest units off those sides
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="repairs"
    )
    edits = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes = (
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["owner", "status"]),
        )

    def __str__(self) -> str:
        return self.title or f"plan {self.pk}"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE


class DataUpload(models.Model):
    """A dataset a person uploaded: one file with geometry and votes (``units``), or a
    results CSV with a boundary file (``results`` + ``boundaries``). It is ``ready`` once
    its columns were chosen and the loaders read it without error; only then may a plan
    use it. The files are in ``uploads.folder(owner, id)``."""

    class Kind(models.TextChoices):
        UNITS = "units", _("one file with geometry and votes")
        RESULTS = "results", _("a results table with boundaries")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_uploads"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    files = models.JSONField()  # role -> stored name ("units.zip"), see uploads.ROLES
    names = models.JSONField()  # role -> the name the file was sent with (shown in errors)
    size = models.PositiveBigIntegerField(default=0)  # bytes, all files
    header = models.JSONField(default=list)  # the columns offered in the form
    columns = models.JSONField(default=dict, blank=True)  # id_col, leave_col, ... as chosen
    ready = models.BooleanField(default=False)
    n_units = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title


class OptInRepair(models.Model):
    """The official unit results of an opt-in referendum on a community's territory (a
    proposal of kind ``optin_territory``), and the border repair run on them.

    The results file is kept at ``optin.results_path(proposal id)``; ``job`` is the plan job
    that repairs the border (queued once the proposal passed and the results are in), and
    ``applied_at`` says when the repaired border became the community's territory.
    """

    proposal = models.OneToOneField(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="optin_repair"
    )
    results_name = models.CharField(max_length=200, blank=True)  # as sent (shown in errors)
    units = models.PositiveIntegerField(default=0)  # rows of the results file
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(null=True, blank=True)
    job = models.OneToOneField(
        PlanJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="optin_repair"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"opt-in repair of proposal {self.proposal_id}"


class OptInCount(models.Model):
    """The votes of one county in an opt-in referendum whose county results come from the
    vote itself: each voter states the county they live in (not checked).

    Only these counts are kept: no person, no time, no ballot. The rows of every county of
    the territory are made at once, in unit order, when voting opens, and a vote adds one
    to a count (``F()`` under the proposal's row lock), so neither the rows nor their order
    say who voted where or when; closing rewrites them (see ``optin_counts``).
    """

    proposal = models.ForeignKey(
        "proposals.Proposal", on_delete=models.CASCADE, related_name="optin_counts"
    )
    unit = models.CharField(max_length=20)
    yes = models.PositiveIntegerField(default=0)
    no = models.PositiveIntegerField(default=0)
    abstain = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("proposal", "unit")
        constraints = (
            models.UniqueConstraint(fields=["proposal", "unit"], name="optin_count_once"),
        )

    def __str__(self) -> str:
        return f"proposal {self.proposal_id}, unit {self.unit}"
