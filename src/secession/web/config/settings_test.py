"""Settings for the test suite: fixed dev-only key, fast hasher, file-based SQLite test DB.

The SQLite test database is a file (not in-memory) so that parallel threads in the
concurrency tests and the live server of the browser tests share it.
"""

from __future__ import annotations

import base64
import os
import secrets
import tempfile
from pathlib import Path

from secession.web.config.settings import *  # noqa: F403
from secession.web.config.settings import PASSWORD_HASHERS, database_from_env

SECRET_KEY = "test-only-not-secret-" + "x" * 40
DEBUG = False
ALLOWED_HOSTS = ["*"]
# Argon2 stays available (tests check it is first in the base settings); tests hash with
# MD5 for speed only here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

# A signing key for this test process only (never stored).
AUDIT_SIGNING_KEY = base64.b64encode(secrets.token_bytes(32)).decode()

_SQLITE = Path(tempfile.gettempdir()) / f"secession-test-{os.getpid()}.sqlite3"
DATABASES = {"default": database_from_env(_SQLITE)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(_SQLITE)}
PLANNER_RESULTS_DIR = str(Path(tempfile.gettempdir()) / f"secession-test-plans-{os.getpid()}")
PLANNER_UPLOADS_DIR = str(Path(tempfile.gettempdir()) / f"secession-test-uploads-{os.getpid()}")
