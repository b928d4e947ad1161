"""Django for the platform tests only: settings are chosen here, so the rest of the suite
never configures Django. Uses SQLite unless ``SECESSION_DATABASE_URL`` names another DB."""

from __future__ import annotations

import os
from pathlib import Path

import django
import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secession.web.config.settings_test")
django.setup()

from .factories import PASSWORD, CommunityFactory, UserFactory, add_member  # noqa: E402


def pytest_sessionfinish(session, exitstatus):
    """Remove the SQLite WAL side files Django leaves next to the deleted test database."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        for name in {db["NAME"], db.get("TEST", {}).get("NAME") or ""} - {""}:
            for suffix in ("-wal", "-shm"):
                Path(name + suffix).unlink(missing_ok=True)


def pytest_collection_modifyitems(items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.web)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def founder(db):
    return UserFactory(username="founder")


@pytest.fixture
def community(founder):
    """An assembly founded by ``founder`` (with the starter constitution)."""
    return CommunityFactory(name="Riverside", founder=founder)


@pytest.fixture
def member(community):
    return add_member(community, UserFactory(username="member"))


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request with Accept-Language: es leaves Spanish active in the test's thread
    (LocaleMiddleware activates it and nothing resets it outside a server): every test
    starts and ends in the default language, so texts made outside a request are English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def planner_dirs(settings, data_dir, tmp_path):
    """The planner's settings for a test: the real data, and result and upload folders of
    its own."""
    settings.PLANNER_DATA_DIR = str(data_dir)
    settings.PLANNER_RESULTS_DIR = str(tmp_path / "plans")
    settings.PLANNER_UPLOADS_DIR = str(tmp_path / "uploads")
