"""Base settings shared by every environment (dev, test, production import from here).

The database comes from ``SECESSION_DATABASE_URL`` (any URL dj-database-url reads, e.g.
``postgres://user:pass@host:5432/name``); without it, SQLite in the data folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

WEB_ROOT = Path(__file__).resolve().parents[1]
DATABASE_URL_ENV = "SECESSION_DATABASE_URL"

SECRET_KEY = os.environ.get("SECESSION_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("SECESSION_ALLOWED_HOSTS", "").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI for /api/docs from its own static files, not from a CDN
    "rules.apps.AutodiscoverRulesConfig",
    "secession.web.apps.opendata",
    "secession.web.apps.accounts",
    "secession.web.apps.audit",
    "secession.web.apps.communities",
    "secession.web.apps.proposals",
    "secession.web.apps.constitutions",
    "secession.web.apps.verifiable",
    "secession.web.apps.registry",
    "secession.web.apps.notifications",
    "secession.web.apps.alliances",
    "secession.web.apps.licences",
    "secession.web.apps.translations",
    "secession.web.apps.planner",
    "secession.web.apps.snapshots",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "secession.web.config.headers.SecurityHeaders",
    "secession.web.config.errorpages.JsonErrorsOnApi",
    "secession.web.edge.RejectBadText",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # session/cookie choice, then Accept-Language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "secession.web.config.urls"
WSGI_APPLICATION = "secession.web.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_ROOT / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "secession.web.apps.accounts.context_processors.todo",
            ]
        },
    }
]


def database_from_env(default_sqlite: Path) -> dict:
    """The default database: ``SECESSION_DATABASE_URL`` if set, else SQLite at the path."""
    return database_config(os.environ.get(DATABASE_URL_ENV), default_sqlite)


def database_config(url: str | None, default_sqlite: Path) -> dict:
    """Django's settings for the database at ``url`` (else SQLite at ``default_sqlite``)."""
    if url:
        config = dj_database_url.parse(url, conn_max_age=0)
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions take the write lock at BEGIN, so concurrent writers wait
        # (busy timeout) instead of failing with "database is locked" on lock upgrade.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "secession.web.apps.accounts.passwords.MaximumLengthValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Brute-force limit on login (page and API token endpoint): after this many failures for
# one username from one address, further attempts are refused for the lockout period.
LOGIN_FAILURE_LIMIT = 5
LOGIN_ADDRESS_FAILURE_LIMIT = 50  # failures from one address over all usernames
LOGIN_LOCKOUT_SECONDS = 15 * 60
# Behind a reverse proxy: the META header whose last hop is the client (else REMOTE_ADDR).
LOGIN_CLIENT_IP_HEADER = os.environ.get("SECESSION_CLIENT_IP_HEADER", "")
# Registration limit (pages and API): accounts made from one address per window.
REGISTRATION_LIMIT = int(os.environ.get("SECESSION_REGISTRATION_LIMIT", "5"))
REGISTRATION_WINDOW_SECONDS = 60 * 60

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en"
# The interface's languages (docs/translation.md says how to add one). Names are in their
# own language, so the switcher reads the same whichever language is on.
LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]
LOCALE_PATHS = [WEB_ROOT / "locale"]
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Dates and numbers follow the active language's formats (Django's per-locale formats are
# always on). No thousand separator in templates: ids printed into URLs must stay digits;
# a page groups a count where it means to, with the ``intcomma`` filter.

# The key that signs the audit log's heads (never in the database): the key itself, or a
# PEM file (mode 0600). Dev settings generate a file in the data folder; production
# refuses to start without one. The origin names the log in its signed heads.
AUDIT_SIGNING_KEY = os.environ.get("SECESSION_AUDIT_SIGNING_KEY", "")
AUDIT_SIGNING_KEY_FILE = os.environ.get("SECESSION_AUDIT_SIGNING_KEY_FILE", "")
AUDIT_LOG_ORIGIN = os.environ.get("SECESSION_AUDIT_ORIGIN", "")

NINJA_PAGINATION_PER_PAGE = 100
# Static files: the site's stylesheet and scripts (web/static) and Swagger UI's for
# /api/docs, served by `secession serve` and, in production, by WhiteNoise from STATIC_ROOT.
STATIC_URL = "static/"
STATIC_ROOT = os.environ.get("SECESSION_STATIC_ROOT") or None
STATICFILES_DIRS = [WEB_ROOT / "static"]

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site
# only, no inline script or style (none is needed: the pages' CSS and the drawing pad's
# script are static files), no plugins, no framing, forms post only here.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Swagger UI draws its icons as data: SVG
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-src": [SELF],  # a plan's interactive map (sandboxed, its own policy)
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Unexpected errors: the traceback goes to the server's log (stderr), never to the client
# (django.request's errors and the platform's own messages reach the root's handler).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {"secession": {"level": "INFO"}},
}

# Email notices (votes opening, reminders, results). SMTP when SECESSION_EMAIL_HOST is
# set, else the console (printed); SECESSION_EMAIL_BACKEND overrides both.
EMAIL_HOST = os.environ.get("SECESSION_EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("SECESSION_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("SECESSION_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("SECESSION_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SECESSION_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SECESSION_EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("SECESSION_EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("SECESSION_EMAIL_FROM", "secession <noreply@localhost>")
# The site's address, for links in emails (sent outside any request).
SECESSION_SITE_URL = os.environ.get("SECESSION_SITE_URL", "http://127.0.0.1:8000")

# The border planner (apps/planner): jobs run on Dask by `plan_worker` (a local cluster of
# PLANNER_MAX_RUNNING processes, or the scheduler at SECESSION_DASK_SCHEDULER).
PLANNER_DATA_DIR = os.environ.get("SECESSION_DATA") or None  # the bundled county results
PLANNER_RESULTS_DIR = os.environ.get("SECESSION_PLAN_RESULTS") or ""  # "": <web dir>/plans
PLANNER_DASK_SCHEDULER = os.environ.get("SECESSION_DASK_SCHEDULER", "")
PLANNER_MAX_RUNNING = int(os.environ.get("SECESSION_PLAN_MAX_RUNNING", "2"))
# plan_worker lowers its CPU priority by this much (os.nice; 0 keeps it): the solvers then
# yield the cores to the web server's requests (benchmarks/bench_planner_load.py measures it)
PLANNER_WORKER_NICE = int(os.environ.get("SECESSION_PLAN_WORKER_NICE", "10"))
PLANNER_MAX_PER_PERSON = int(os.environ.get("SECESSION_PLAN_MAX_PER_PERSON", "2"))
PLANNER_MAX_QUEUED = int(os.environ.get("SECESSION_PLAN_MAX_QUEUED", "100"))
PLANNER_MAX_TIME_LIMIT = float(os.environ.get("SECESSION_PLAN_MAX_TIME_LIMIT", "600"))
# A plan's drawn region (GeoJSON stored in its row): at most this many bytes and corners
PLANNER_REGION_MAX_BYTES = int(os.environ.get("SECESSION_PLAN_REGION_MAX_BYTES", "200000"))
PLANNER_REGION_MAX_POINTS = 5000
PLANNER_PROGRESS_SECONDS = 1.0  # at most one progress write per job per this many seconds
# Uploaded datasets (planner): stored per person under PLANNER_UPLOADS_DIR (""): <web dir>/uploads
PLANNER_UPLOADS_DIR = os.environ.get("SECESSION_PLAN_UPLOADS") or ""
PLANNER_UPLOAD_MAX_BYTES = int(os.environ.get("SECESSION_PLAN_UPLOAD_MAX_MB", "50")) * 2**20
PLANNER_UPLOAD_MAX_UNZIPPED = 4 * PLANNER_UPLOAD_MAX_BYTES  # a zip's members, summed
