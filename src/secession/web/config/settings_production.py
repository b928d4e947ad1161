"""Production settings: secret key from the environment, HTTPS-only cookies, HSTS,
static files served by WhiteNoise from ``STATIC_ROOT``, persistent database connections.

Required: ``SECESSION_SECRET_KEY`` (at least 50 random characters),
``SECESSION_ALLOWED_HOSTS`` (comma-separated, no wildcard), the audit log's signing key
(``SECESSION_AUDIT_SIGNING_KEY_FILE`` or ``SECESSION_AUDIT_SIGNING_KEY``) and usually
``SECESSION_DATABASE_URL`` (PostgreSQL). Unsafe values are refused at start
(:mod:`secession.web.config.safety`). Behind a TLS proxy the proxy sets
``X-Forwarded-Proto: https``.
"""

from __future__ import annotations

import os

from secession.web.apps.audit.keys import SigningKeyError, check_key
from secession.web.config import safety
from secession.web.config.paths import web_dir
from secession.web.config.settings import *  # noqa: F403
from secession.web.config.settings import MIDDLEWARE, database_from_env

SECRET_KEY = os.environ.get("SECESSION_SECRET_KEY", "")
safety.check_secret(SECRET_KEY)
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SECESSION_ALLOWED_HOSTS", "").split(",") if h.strip()
]
safety.check_hosts(ALLOWED_HOSTS)
safety.check_debug(os.environ.get("SECESSION_DEBUG", ""))
AUDIT_SIGNING_KEY = os.environ.get("SECESSION_AUDIT_SIGNING_KEY", "")
AUDIT_SIGNING_KEY_FILE = os.environ.get("SECESSION_AUDIT_SIGNING_KEY_FILE", "")
try:  # missing, unreadable, readable by others or not an Ed25519 key: refuse to start
    check_key(AUDIT_SIGNING_KEY, AUDIT_SIGNING_KEY_FILE)
except SigningKeyError as exc:
    raise safety.UnsafeSettings(f"production needs the audit log's signing key: {exc}") from None
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
PLANNER_UPLOADS_DIR = PLANNER_UPLOADS_DIR or str(web_dir() / "uploads")  # noqa: F405
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # one connection per worker thread, kept between requests, checked before reuse
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("SECESSION_DB_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Static files (Swagger UI for /api/docs, the site's stylesheet and scripts): collected
# into STATIC_ROOT by `secession serve --production`, served by WhiteNoise with hashed
# names and far-future caching.
STATIC_ROOT = os.environ.get("SECESSION_STATIC_ROOT") or str(web_dir() / "static")
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
