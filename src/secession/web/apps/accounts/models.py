"""A person's account, API tokens and the login-failure counter."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person using the platform (Django's user with a display name)."""

    display_name = models.CharField(max_length=120, blank=True)
    #: the interface language the person last chose ("" = none yet): emails use it
    language = models.CharField(max_length=10, blank=True, default="")

    def __str__(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=80, default="api")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} / {self.name}"


class RegistrationCount(models.Model):
    """Accounts registered from one address in the current window (a rate limit)."""

    address = models.CharField(max_length=64, unique=True)
    window_started_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)


class LoginFailure(models.Model):
    """Failed logins per (username, address); a lockout applies past the limit."""

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["username", "address"], name="unique_login_key"),
        )
