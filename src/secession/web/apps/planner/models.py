"""A planning job: what to plan (dataset, place, direction, constraints), and its state.

The row is the whole truth about a job: the worker reads it, writes its progress and
result folder to it, and the pages read it; a restart of the web server loses nothing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class PlanJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "waiting to start"
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"
        STOPPED = "stopped", "stopped"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_jobs"
    )
    title = models.CharField(max_length=200, blank=True)
    # what load_graph reads: {"kind": "us-counties", "year": 2020} (see datasets.py)
    dataset = models.JSONField()
    place = models.JSONField(default=list, blank=True)  # state codes; [] = whole country
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
