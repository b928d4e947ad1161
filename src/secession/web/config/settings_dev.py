"""Settings for running on one machine (``secession serve``): SQLite in the data folder.

The secret key and the audit log's signing key (``audit_signing_key.pem``) are generated
at first start and kept in the data folder, mode 0600 (never committed);
``SECESSION_SECRET_KEY`` and ``SECESSION_AUDIT_SIGNING_KEY(_FILE)`` override them.
``SECESSION_DEBUG=1`` turns on Django's debug pages.
"""

from __future__ import annotations

import os

from secession.web.config.paths import stored_secret_key, web_dir
from secession.web.config.settings import *  # noqa: F403
from secession.web.config.settings import ALLOWED_HOSTS, database_from_env

SECRET_KEY = os.environ.get("SECESSION_SECRET_KEY") or stored_secret_key(web_dir())
DEBUG = os.environ.get("SECESSION_DEBUG", "") == "1"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "localhost", "127.0.0.1", "[::1]"]
DATABASES = {"default": database_from_env(web_dir() / "db.sqlite3")}
AUDIT_SIGNING_KEY = os.environ.get("SECESSION_AUDIT_SIGNING_KEY", "")
AUDIT_SIGNING_KEY_FILE = os.environ.get("SECESSION_AUDIT_SIGNING_KEY_FILE", "")
if not AUDIT_SIGNING_KEY and not AUDIT_SIGNING_KEY_FILE:
    from secession.web.apps.audit.keys import stored_key_file

    AUDIT_SIGNING_KEY_FILE = str(stored_key_file(web_dir()))
PLANNER_RESULTS_DIR = PLANNER_RESULTS_DIR or str(web_dir() / "plans")  # noqa: F405
PLANNER_UPLOADS_DIR = PLANNER_UPLOADS_DIR or str(web_dir() / "uploads")  # noqa: F405
