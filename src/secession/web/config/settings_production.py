"""Production settings: secret key from the environment, HTTPS-only cookies, HSTS.

Required: ``SECESSION_SECRET_KEY``, ``SECESSION_ALLOWED_HOSTS`` (comma-separated), the audit
log's signing key (``SECESSION_AUDIT_SIGNING_KEY_FILE`` or ``SECESSION_AUDIT_SIGNING_KEY``)
and usually ``SECESSION_DATABASE_URL`` (PostgreSQL).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from secession.web.apps.audit.keys import SigningKeyError, check_key
from secession.web.config.paths import web_dir
from secession.web.config.settings import *  # noqa: F403
from secession.web.config.settings import database_from_env

SECRET_KEY = os.environ.get("SECESSION_SECRET_KEY", "")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured(
        "SECESSION_SECRET_KEY must be set to a random string of at least 32 characters "
        "in production (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))')"
    )
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SECESSION_ALLOWED_HOSTS", "").split(",") if h.strip()
]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "SECESSION_ALLOWED_HOSTS must name the site's host names in production "
        "(comma-separated, e.g. vote.example.org)"
    )
AUDIT_SIGNING_KEY = os.environ.get("SECESSION_AUDIT_SIGNING_KEY", "")
AUDIT_SIGNING_KEY_FILE = os.environ.get("SECESSION_AUDIT_SIGNING_KEY_FILE", "")
try:  # missing, unreadable, readable by others or not an Ed25519 key: refuse to start
    check_key(AUDIT_SIGNING_KEY, AUDIT_SIGNING_KEY_FILE)
except SigningKeyError as exc:
    raise ImproperlyConfigured(f"production needs the audit log's signing key: {exc}") from None
DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = os.environ.get("SECESSION_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("SECESSION_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
DATABASES = {"default": database_from_env(web_dir() / "db.sqlite3")}
PLANNER_RESULTS_DIR = PLANNER_RESULTS_DIR or str(web_dir() / "plans")  # noqa: F405
